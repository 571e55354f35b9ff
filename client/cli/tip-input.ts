/** Reads a tip file or standard input as text; intake/tips.ts parses it (here and in the API alike). */
import fs from 'node:fs';
import { badInput } from './errors';

/** The file as it is (an NCMEC report or a ZIP of them is sent to the API byte for byte). */
export async function readTipBytes(file: string): Promise<Buffer> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw badInput(`--tip: cannot read ${file}${code === 'ENOENT' ? ': no such file' : code ? `: ${code}` : ''}`);
  }
}
