/**
 * CPU time spent by the dev server and by the bench process (client, drivers and worker) over a
 * stretch of work: where a batch's time goes, server (persistence, visibility) or worker (SDK and
 * workflow code). Linux only (/proc); elsewhere the server side reads 0.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const TICKS_PER_SEC = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process, in ms. */
export function processCpuMs(pid: number): number {
  try {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SEC;
  } catch {
    return 0;
  }
}

export interface CpuMark {
  serverMs: number;
  benchMs: number;
}

export function cpuMark(serverPid: number): CpuMark {
  const u = process.cpuUsage();
  return { serverMs: processCpuMs(serverPid), benchMs: (u.user + u.system) / 1000 };
}

export function cpuSince(start: CpuMark, serverPid: number): CpuMark {
  const now = cpuMark(serverPid);
  return { serverMs: now.serverMs - start.serverMs, benchMs: now.benchMs - start.benchMs };
}
