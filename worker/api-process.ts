/**
 * The API as a process of its own beside the embedded server and the worker (`make up`): it is the
 * layer above the worker, so the launcher runs it rather than importing it. It gets the embedded
 * server's address; its own settings (CASEBRIDGE_API_*, CASEBRIDGE_OIDC_*) come from the environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Logger } from 'pino';

/** The API with its web app (web/main.ts: the API's routes and the pages, one process). */
export const API_MAIN = path.join(__dirname, '..', 'web', 'main.js');

export interface ApiProcess {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startApiProcess(env: NodeJS.ProcessEnv, log: Logger): Promise<ApiProcess> {
  const child = spawn(process.execPath, [API_MAIN], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += String(d);
      const m = /CaseBridge API at (\S+)/.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => reject(new Error(`the API exited with code ${code} during start-up`)));
  });
  // What the API prints afterwards goes where ours goes.
  child.stdout.pipe(process.stdout);
  log.info({ url }, 'API started');
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
