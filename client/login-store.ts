/**
 * Where `casebridge login` keeps the person's token: `$XDG_CONFIG_HOME/casebridge/login.json` (or
 * `~/.config/casebridge/`), readable by its owner only (0600, folder 0700). The token is the
 * credential itself: never printed, never logged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const StoredLoginSchema = z.object({ apiUrl: z.url(), token: z.string().min(1), name: z.string(), expiresAt: z.string() });
export type StoredLogin = z.infer<typeof StoredLoginSchema>;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'casebridge');
}

export const loginFile = (env: NodeJS.ProcessEnv = process.env) => path.join(configDir(env), 'login.json');

export function saveLogin(login: StoredLogin, env: NodeJS.ProcessEnv = process.env): string {
  const dir = configDir(env);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = loginFile(env);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(login) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  return file;
}

export function loadLogin(env: NodeJS.ProcessEnv = process.env): StoredLogin | undefined {
  let text: string;
  try {
    text = fs.readFileSync(loginFile(env), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = StoredLoginSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}

export function removeLogin(env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    fs.rmSync(loginFile(env));
    return true;
  } catch {
    return false;
  }
}
