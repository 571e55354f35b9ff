/**
 * A folder an operator (or a feed from NCMEC's tool) drops report files into; each file opens its
 * cases and moves to `done/`, or to `failed/` when any report in it was refused, with a text file
 * beside it saying what happened to each report (case id and started/exists, or the reason, by
 * element path and line — never the report's content).
 *
 * Nothing is lost if the process dies mid-file: a file is claimed by an atomic rename into
 * `processing/` before it is read, and on start whatever is in `processing/` is read again from the
 * top. That is safe because opening a case is idempotent by report number (a case already started
 * answers `exists`). A file whose cases could not be started for a reason that is not the file's
 * (Temporal unreachable) stays in `processing/` and is tried again later.
 *
 * Writers should write a file under a name starting with `.` or ending in `.part`/`.tmp` and rename
 * it into place when complete; files are also left alone until unchanged for `settleMs`. One drop
 * folder process per folder. It takes `startCase` from its host (the API process, or
 * ./drop-folder-main.ts), which wires Temporal.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { startCase } from '../client/cases';
import { parseSettings, type CaseBridgeConfig } from '../platform/config';
import { logger as rootLogger } from '../platform/logger';
import { readIntakeFile } from './ncmec';
import { startCases, type StartCase, type StartOutcome } from './start-cases';

export const DropFolderSettingsSchema = z.object({
  CASEBRIDGE_DROP_DIR: z.string().min(1, { message: 'must name a folder' }),
  /** How often the folder is looked at. */
  CASEBRIDGE_DROP_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  /** A file is taken only once it has not changed for this long (a copy may still be under way). */
  CASEBRIDGE_DROP_SETTLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(2_000),
  /** Case starts in flight at once (back-pressure on the reading of a large file). */
  CASEBRIDGE_DROP_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** The policy profile cases opened from the folder run under. */
  CASEBRIDGE_DROP_PROFILE: z.enum(['standard', 'demo'], { message: 'must be standard or demo' }).default('standard'),
  /** The unit the folder's cases belong to (need to know): required where the API hosts the folder. */
  CASEBRIDGE_DROP_UNIT: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'must be a unit code (lower-case letters, digits, dashes)' })
    .optional(),
});
export type DropFolderSettings = z.infer<typeof DropFolderSettingsSchema>;

/** The drop folder's settings, or undefined when no folder is configured (CASEBRIDGE_DROP_DIR unset). */
export function loadDropFolderSettings(env: NodeJS.ProcessEnv = process.env): DropFolderSettings | undefined {
  if (env.CASEBRIDGE_DROP_DIR === undefined || env.CASEBRIDGE_DROP_DIR === '') return undefined;
  return parseSettings(DropFolderSettingsSchema, env);
}

export const SUBFOLDERS = ['processing', 'done', 'failed'] as const;

/** Checks the folder at start-up: it exists, is a folder, can be written, and files can be renamed within it. */
export function prepareDropFolder(dir: string): void {
  const fail = (why: string): never => {
    throw new Error(`invalid setting CASEBRIDGE_DROP_DIR: ${dir} ${why}`);
  };
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    return fail('does not exist');
  }
  if (!stat.isDirectory()) fail('is not a folder');
  try {
    for (const sub of SUBFOLDERS) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    const probe = path.join(dir, `.casebridge-probe-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.renameSync(probe, path.join(dir, 'processing', path.basename(probe)));
    fs.unlinkSync(path.join(dir, 'processing', path.basename(probe)));
  } catch (err) {
    fail(
      `cannot be used: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (it must be writable, with processing/, done/ and failed/ on the same file system)`,
    );
  }
}

export interface DropFolderOptions {
  dir: string;
  startCase: StartCase;
  pollMs?: number;
  settleMs?: number;
  concurrency?: number;
  log?: Logger;
}

const IGNORED = /(^\.)|(\.part$)|(\.tmp$)|(~$)/i;
const RESULT = '.result.txt';
const REASON = '.reason.txt';
const PARTIAL = '.outcome.part';

class Stopped extends Error {}

export class DropFolder {
  private readonly dir: string;
  private readonly pollMs: number;
  private readonly settleMs: number;
  private readonly concurrency: number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  /** Files in processing/ whose starts failed for a reason not theirs: when to try again. */
  private readonly retryAt = new Map<string, { at: number; attempts: number }>();

  constructor(private readonly opts: DropFolderOptions) {
    this.dir = path.resolve(opts.dir);
    this.pollMs = opts.pollMs ?? 2_000;
    this.settleMs = opts.settleMs ?? 2_000;
    this.concurrency = opts.concurrency ?? 8;
    this.log = (opts.log ?? rootLogger()).child({ component: 'drop-folder' });
  }

  private sub(name: (typeof SUBFOLDERS)[number], file = ''): string {
    return path.join(this.dir, name, file);
  }

  /** Checks the folder, takes up what an earlier process left in processing/, and watches for files. */
  async start(): Promise<void> {
    prepareDropFolder(this.dir);
    for (const f of fs.readdirSync(this.sub('processing'))) if (f.endsWith(PARTIAL)) fs.rmSync(this.sub('processing', f), { force: true });
    this.log.info({ folder: this.dir }, 'drop folder: watching');
    this.stopping = false;
    const loop = async (): Promise<void> => {
      this.running = this.scan().catch((err: unknown) => this.log.error({ err }, 'drop folder: scan failed'));
      await this.running;
      if (!this.stopping) this.timer = setTimeout(() => void loop(), this.pollMs);
    };
    await loop();
  }

  /** Stops watching; a file being read stays in processing/ and is read again on the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One look at the folder: files left in processing/ (when due), then new files, one at a time. */
  async scan(): Promise<void> {
    for (const claimed of fs.readdirSync(this.sub('processing')).sort()) {
      if (this.stopping) return;
      if (claimed.endsWith(PARTIAL) || IGNORED.test(claimed)) continue;
      const retry = this.retryAt.get(claimed);
      if (retry && retry.at > Date.now()) continue;
      await this.process(claimed);
    }
    for (const name of fs.readdirSync(this.dir).sort()) {
      if (this.stopping) return;
      if (IGNORED.test(name) || (SUBFOLDERS as readonly string[]).includes(name)) continue;
      const claimed = this.claim(name);
      if (claimed) await this.process(claimed);
    }
  }

  /** Moves a settled file into processing/ under a unique name; undefined if it is not ready or someone else took it. */
  private claim(name: string): string | undefined {
    const from = path.join(this.dir, name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(from);
    } catch {
      return undefined;
    }
    if (!stat.isFile() || Date.now() - stat.mtimeMs < this.settleMs) return undefined;
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const claimed = `${stamp}-${randomBytes(3).toString('hex')}--${name}`;
    try {
      fs.renameSync(from, this.sub('processing', claimed));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    this.log.info({ file: claimed }, 'drop folder: claimed');
    return claimed;
  }

  private async process(claimed: string): Promise<void> {
    const input = this.sub('processing', claimed);
    const original = claimed.replace(/^[^-]+-[0-9a-f]+--/, '');
    const partial = this.sub('processing', `${claimed}${PARTIAL}`);
    const out = fs.openSync(partial, 'w');
    const counts = { started: 0, exists: 0, refused: 0 };
    let fileRefused = false;
    try {
      fs.writeSync(out, `casebridge intake: ${original}\nread from ${new Date().toISOString()}\n`);
      const entries = readIntakeFile(original, () => fs.createReadStream(input, { highWaterMark: 64 * 1024 }));
      for await (const o of startCases(entries, this.opts.startCase, { concurrency: this.concurrency })) {
        fs.writeSync(out, `${describe(o)}\n`);
        if ('error' in o) {
          counts.refused++;
          if (o.position === 0) fileRefused = true;
        } else counts[o.status]++;
        if (this.stopping) throw new Stopped();
      }
      const total = counts.started + counts.exists + counts.refused - (fileRefused ? 1 : 0);
      fs.writeSync(
        out,
        fileRefused
          ? `summary: the file was refused as a whole; ${counts.started} started, ${counts.exists} exists\n`
          : `summary: ${total} report${total === 1 ? '' : 's'}: ${counts.started} started, ${counts.exists} exists, ${counts.refused} refused\n`,
      );
      fs.fsyncSync(out);
    } catch (err) {
      fs.closeSync(out);
      fs.rmSync(partial, { force: true });
      if (err instanceof Stopped) return;
      // Not the file's fault (the reader reports the file's own faults as outcomes): try again later.
      const attempts = (this.retryAt.get(claimed)?.attempts ?? 0) + 1;
      const delay = Math.min(60_000, this.pollMs * 2 ** Math.min(attempts, 10));
      this.retryAt.set(claimed, { at: Date.now() + delay, attempts });
      this.log.warn({ err, file: claimed, attempts, retryInMs: delay }, 'drop folder: cases could not be started; the file stays in processing/');
      return;
    }
    fs.closeSync(out);
    this.retryAt.delete(claimed);
    const failed = fileRefused || counts.refused > 0;
    const target = failed ? 'failed' : 'done';
    // The outcome first, then the file: a crash between the two reads the file again and rewrites it.
    fs.renameSync(partial, this.sub(target, `${claimed}${failed ? REASON : RESULT}`));
    fs.renameSync(input, this.sub(target, claimed));
    syncDir(this.sub(target));
    this.log.info({ file: claimed, to: target, ...counts }, 'drop folder: file done');
  }
}

function describe(o: StartOutcome): string {
  const at = `${o.position === 0 ? 'file' : `report ${o.position}`}${o.source ? ` (${o.source})` : ''}`;
  return 'error' in o ? `${at}: refused: ${o.issues.join('; ')}` : `${at} (line ${o.line}): ${o.caseId} ${o.status}`;
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every file system lets a folder be synced; the renames are atomic either way.
  }
}

/**
 * The folder as configured, opening its cases for CASEBRIDGE_DROP_UNIT through `client` (the API
 * process's, or the standalone entry point's): one construction for both hosts.
 */
export function configuredDropFolder(settings: DropFolderSettings, client: Client, config: CaseBridgeConfig, log?: Logger): DropFolder {
  const unit = settings.CASEBRIDGE_DROP_UNIT;
  if (!unit) throw new Error('invalid setting CASEBRIDGE_DROP_UNIT: required with CASEBRIDGE_DROP_DIR (the unit the folder’s cases belong to)');
  return new DropFolder({
    dir: settings.CASEBRIDGE_DROP_DIR,
    pollMs: settings.CASEBRIDGE_DROP_POLL_MS,
    settleMs: settings.CASEBRIDGE_DROP_SETTLE_MS,
    concurrency: settings.CASEBRIDGE_DROP_CONCURRENCY,
    ...(log ? { log } : {}),
    startCase: (tip) =>
      startCase(client, tip, {
        taskQueue: config.CASEBRIDGE_TASK_QUEUE,
        profile: settings.CASEBRIDGE_DROP_PROFILE,
        homeCountry: config.CASEBRIDGE_HOME_COUNTRY,
        unit,
        referralUnit: config.CASEBRIDGE_REFERRAL_UNIT,
      }),
  });
}
