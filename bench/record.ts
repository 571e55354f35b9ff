/**
 * The run's result on disk, kept current: `<date>-<size>.json` (the figures) and `.md` beside it (the
 * tables as printed) are rewritten after every scenario and every open-cases size, each by writing a
 * temporary file and renaming it over the old one, so a failure, a kill or a crash later in the run
 * leaves the last complete write in place — never a half-written file, never nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { renderTables, targets } from './report';
import { BenchResultSchema, MemorySchema, ReplaySchema, RoundTripSchema, StalledViewSchema, ThroughputSchema, type BenchResult, type Outcome } from './result';

type Figures = Pick<BenchResult, 'throughput' | 'stalledView' | 'roundTrip' | 'memory' | 'replay'>;
type Fixed = Omit<BenchResult, keyof Figures | 'outcome' | 'measured' | 'targets' | 'durationMs' | 'machine'> & {
  machine: Omit<BenchResult['machine'], 'loadAvgEnd'>;
};

const SCHEMAS: { [K in keyof Figures]-?: z.ZodType<NonNullable<Figures[K]>> } = {
  throughput: ThroughputSchema,
  stalledView: StalledViewSchema,
  roundTrip: RoundTripSchema,
  memory: MemorySchema,
  replay: ReplaySchema,
};

export class RunRecord {
  readonly file: string;
  readonly tablesFile: string;
  private figures: Figures = {};
  private outcome: Outcome = { status: 'running', scenario: null };
  private readonly measured: string[] = [];
  private readonly started = Date.now();

  constructor(
    private readonly dir: string,
    private readonly fixed: Fixed,
  ) {
    const stem = `${fixed.date.replace(/[:.]/g, '-')}-${fixed.size}`;
    this.file = path.join(dir, `${stem}.json`);
    this.tablesFile = path.join(dir, `${stem}.md`);
  }

  /**
   * Sets one scenario's figures (complete or, for a sized scenario, the sizes so far), checked
   * against its schema first: figures that do not fit never reach the file (the error stops the run).
   */
  set<K extends keyof Figures>(key: K, value: NonNullable<Figures[K]>): void {
    this.figures[key] = SCHEMAS[key].parse(value) as Figures[K];
  }

  running(scenario: string): void {
    this.outcome = { status: 'running', scenario };
  }

  finished(scenario: string): void {
    if (!this.measured.includes(scenario)) this.measured.push(scenario);
  }

  complete(): void {
    this.outcome = { status: 'complete' };
  }

  stopped(scenario: string, reason: string): void {
    this.outcome = { status: 'stopped', scenario, reason };
  }

  get status(): Outcome['status'] {
    return this.outcome.status;
  }

  /** The result as it stands. */
  result(): BenchResult {
    const doc = {
      ...this.fixed,
      ...this.figures,
      outcome: this.outcome,
      measured: [...this.measured],
      durationMs: Date.now() - this.started,
      machine: { ...this.fixed.machine, loadAvgEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    };
    return BenchResultSchema.parse({ ...doc, targets: targets(doc) });
  }

  /** Writes the JSON and the tables (each atomically); returns what was written. */
  write(): BenchResult {
    const r = this.result();
    fs.mkdirSync(this.dir, { recursive: true });
    atomicWrite(this.file, JSON.stringify(r, null, 2) + '\n');
    atomicWrite(this.tablesFile, renderTables(r));
    return r;
  }
}

function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
