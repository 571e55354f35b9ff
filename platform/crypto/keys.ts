/**
 * The operator's encryption keys. Tips describe child abuse and name suspects, so every Temporal
 * payload is encrypted with AES-256-GCM before it leaves the process (see ./codec.ts). The operator
 * supplies the keys, either in the environment:
 *
 *   CASEBRIDGE_ENCRYPTION_KEYS=k1:<base64 32 bytes>,k2:<base64 32 bytes>
 *   CASEBRIDGE_ENCRYPTION_KEY_ID=k2            (optional when only one key is listed)
 *
 * or in a JSON key file named by CASEBRIDGE_KEY_FILE:
 *
 *   { "activeKeyId": "k2", "keys": { "k1": "<base64>", "k2": "<base64>" } }
 *
 * The active key encrypts; every listed key decrypts, so rotation is: add the new key, make it
 * active, and keep the old one listed for as long as any case (open, or closed within retention)
 * holds data encrypted with it. Error messages name settings and key ids, never key material.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';

/** Key ids travel in payload metadata; keep them short and printable. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;
export const KEY_BYTES = 32;

export class EncryptionConfigError extends Error {
  override name = 'EncryptionConfigError';
}

export interface KeyRing {
  /** The key new payloads are encrypted with. */
  readonly activeKeyId: string;
  /** Every key that can decrypt, the active one included. */
  readonly keys: ReadonlyMap<string, KeyObject>;
}

const KeyIdSchema = z.string().regex(KEY_ID_PATTERN, 'a key id is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

const KeyMaterialSchema = z
  .string()
  .trim()
  .regex(BASE64_PATTERN, 'a key is standard base64 (e.g. the output of `openssl rand -base64 32`)')
  .refine((b64) => Buffer.from(b64, 'base64').length === KEY_BYTES, {
    message: `a key is exactly ${KEY_BYTES} bytes (44 base64 characters): generate one with \`openssl rand -base64 32\``,
  });

/** The key file's shape; the schema is the type. */
export const KeyFileSchema = z.strictObject({
  activeKeyId: KeyIdSchema,
  keys: z.record(KeyIdSchema, KeyMaterialSchema).refine((keys) => Object.keys(keys).length > 0, {
    message: 'list at least one key',
  }),
});
export type KeyFile = z.infer<typeof KeyFileSchema>;

const EncryptionEnvSchema = z.object({
  CASEBRIDGE_ENCRYPTION_KEYS: z.string().trim().optional(),
  CASEBRIDGE_ENCRYPTION_KEY_ID: z.string().trim().optional(),
  CASEBRIDGE_KEY_FILE: z.string().trim().optional(),
  CASEBRIDGE_REQUIRE_ENCRYPTION: z.stringbool().optional(),
});

function describeIssue(prefix: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length > 0 ? `${prefix}.${issue.path.join('.')}` : prefix;
  return `${where}: ${issue.message}`;
}

function buildRing(activeKeyId: string, entries: Array<[string, string]>, source: string): KeyRing {
  const keys = new Map<string, KeyObject>();
  for (const [id, material] of entries) {
    if (keys.has(id)) throw new EncryptionConfigError(`${source}: key id '${id}' is listed twice`);
    keys.set(id, createSecretKey(Buffer.from(material, 'base64')));
  }
  if (!keys.has(activeKeyId)) {
    throw new EncryptionConfigError(`${source}: the active key '${activeKeyId}' is not among the listed keys (${[...keys.keys()].join(', ')})`);
  }
  return { activeKeyId, keys };
}

/** Parses `id:base64,id:base64` (CASEBRIDGE_ENCRYPTION_KEYS) and the optional active id. */
export function parseKeyList(list: string, activeKeyId?: string): KeyRing {
  const source = 'CASEBRIDGE_ENCRYPTION_KEYS';
  const entries: Array<[string, string]> = [];
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new EncryptionConfigError(`${source}: list at least one key as id:base64key`);
  items.forEach((item, index) => {
    const colon = item.indexOf(':');
    if (colon <= 0) {
      throw new EncryptionConfigError(`${source}: entry ${index + 1} is not of the form id:base64key`);
    }
    const id = KeyIdSchema.safeParse(item.slice(0, colon).trim());
    if (!id.success) throw new EncryptionConfigError(describeIssue(`${source} entry ${index + 1}`, id.error));
    const material = KeyMaterialSchema.safeParse(item.slice(colon + 1));
    if (!material.success) {
      throw new EncryptionConfigError(describeIssue(`${source} entry ${index + 1} ('${id.data}')`, material.error));
    }
    entries.push([id.data, material.data]);
  });
  let active = activeKeyId;
  if (active === undefined || active === '') {
    if (entries.length > 1) {
      throw new EncryptionConfigError(`CASEBRIDGE_ENCRYPTION_KEY_ID must name the active key when several are listed (${entries.map((e) => e[0]).join(', ')})`);
    }
    active = entries[0][0];
  }
  return buildRing(active, entries, source);
}

export function parseKeyFile(text: string, source = 'CASEBRIDGE_KEY_FILE'): KeyRing {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message can quote the file's content, which holds key material.
    throw new EncryptionConfigError(`${source}: the key file is not valid JSON`);
  }
  const parsed = KeyFileSchema.safeParse(json);
  if (!parsed.success) throw new EncryptionConfigError(describeIssue(source, parsed.error));
  return buildRing(parsed.data.activeKeyId, Object.entries(parsed.data.keys), source);
}

export interface EncryptionSettings {
  /** undefined: no key configured (payloads stay plaintext). */
  keyRing: KeyRing | undefined;
  /** CASEBRIDGE_REQUIRE_ENCRYPTION: refuse to run without a key. */
  required: boolean;
}

/**
 * Reads the key ring from the environment (or the key file it names). Throws EncryptionConfigError
 * on a malformed setting, on both sources set at once, and on CASEBRIDGE_REQUIRE_ENCRYPTION=true
 * without a key.
 */
export function loadEncryptionSettings(env: NodeJS.ProcessEnv = process.env): EncryptionSettings {
  const parsed = EncryptionEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EncryptionConfigError(`invalid setting ${issue.path.join('.')}: ${issue.message}`);
  }
  const { CASEBRIDGE_ENCRYPTION_KEYS: list, CASEBRIDGE_ENCRYPTION_KEY_ID: activeId, CASEBRIDGE_KEY_FILE: file } = parsed.data;
  const required = parsed.data.CASEBRIDGE_REQUIRE_ENCRYPTION ?? false;
  if (list && file) {
    throw new EncryptionConfigError('set either CASEBRIDGE_ENCRYPTION_KEYS or CASEBRIDGE_KEY_FILE, not both');
  }
  let keyRing: KeyRing | undefined;
  if (list) {
    keyRing = parseKeyList(list, activeId);
  } else if (file) {
    if (activeId) {
      throw new EncryptionConfigError('CASEBRIDGE_ENCRYPTION_KEY_ID goes with CASEBRIDGE_ENCRYPTION_KEYS; a key file names its activeKeyId itself');
    }
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new EncryptionConfigError(`CASEBRIDGE_KEY_FILE: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    keyRing = parseKeyFile(text);
  } else if (activeId) {
    throw new EncryptionConfigError('CASEBRIDGE_ENCRYPTION_KEY_ID is set but CASEBRIDGE_ENCRYPTION_KEYS lists no keys');
  }
  if (required && !keyRing) {
    throw new EncryptionConfigError(
      'CASEBRIDGE_REQUIRE_ENCRYPTION is set but no encryption key is configured: set CASEBRIDGE_ENCRYPTION_KEYS ' +
        '(and CASEBRIDGE_ENCRYPTION_KEY_ID) or CASEBRIDGE_KEY_FILE',
    );
  }
  return { keyRing, required };
}
