/** What the figures were measured on: the machine, its load, and the versions of what ran. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../platform/config';

export function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAvgStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function versions(cliPath: string) {
  let temporalCli = 'unknown';
  try {
    temporalCli = execFileSync(cliPath, ['--version'], { encoding: 'utf8' })
      .trim()
      .replace(/^temporal version /, '');
  } catch {
    // Reported as unknown; the run itself would already have failed without the binary.
  }
  const sdk = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', '@temporalio', 'worker', 'package.json'), 'utf8')) as { version: string })
    .version;
  return { node: process.version, temporalCli, sdk };
}
