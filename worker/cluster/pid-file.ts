/**
 * Processes a launcher started and finds again by their pid files. A pid counts only while its
 * command line still holds `marker` (the script or config file it was started with): after a
 * reboot the number may belong to someone else's process, which must never be signalled.
 */
import fs from 'node:fs';

/** The pid in `pidFile` when that process still runs with `marker` in its command line. */
export function runningPid(pidFile: string, marker: string): number | undefined {
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Signals the pid file's process (when it is still ours), waits until it is gone (SIGKILL after
 * `graceMs`), and removes the pid file. Returns the pid it stopped, if any.
 */
export async function stopPid(pidFile: string, marker: string, opts: { signal?: NodeJS.Signals; graceMs?: number } = {}): Promise<number | undefined> {
  const pid = runningPid(pidFile, marker);
  if (pid !== undefined) {
    process.kill(pid, opts.signal ?? 'SIGTERM');
    const deadline = Date.now() + (opts.graceMs ?? 30_000);
    while (runningPid(pidFile, marker) !== undefined) {
      if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  fs.rmSync(pidFile, { force: true });
  return pid;
}
