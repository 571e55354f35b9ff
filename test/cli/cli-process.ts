/**
 * Runs the real, built `casebridge` process (dist/client/cli.js, built by `make test` before jest)
 * against a test server, and writes tip files for it from the sample fixtures.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'client', 'cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'tips');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.stdin.end(stdin);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A sample tip with a fresh report number (and whatever else `change` edits), as a plain object. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tip files are edited freely here, including into invalid ones
export function sampleTip(fixture: string, report: string, change: (t: any) => void = () => {}): Record<string, unknown> {
  const t = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${fixture}.json`), 'utf8'));
  t.ncmecReportNumber = report;
  change(t);
  return t;
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}
