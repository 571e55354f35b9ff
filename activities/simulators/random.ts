/** Deterministic pseudo-randomness: the same seed and key always give the same decision. */
import { createHash } from 'node:crypto';

/** A number in [0, 1) from the seed and the key. */
export function chance(seed: string, key: string): number {
  const digest = createHash('sha256').update(`${seed}\u0000${key}`).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}
