/**
 * The NCMEC intake's rate: one `<receivedReports>` file of N reports (default 10,000), read three
 * ways in the same run, each printed as reports/s beside the first as the baseline:
 *
 *   1. parse: read once as a stream, validated and mapped to tips, nothing started (the baseline);
 *   2. parse, checked whole first: the file is re-readable, so it is checked for well-formedness
 *      before any report is given out (what the drop folder and byte uploads do);
 *   3. parse + start: every report opened as a case on the product's embedded dev server (a fresh
 *      SQLite file, no worker: the cases wait for one), through `startCases` with back-pressure.
 *
 *   node dist/bench/ncmec-intake.js [--reports N] [--concurrency C]
 *
 * Also prints the heap growth of each run, sampled every 1,000 reports (after GC when node runs with
 * --expose-gc, as `make bench-intake` does; without it the figure includes garbage). Never fails on
 * a figure: exit 1 means the harness broke, 2 a bad argument.
 */
import { parseFlags } from './args';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection, Client } from '@temporalio/client';
import { z } from 'zod';
import { startCase } from '../client/cases';
import { readIntakeFile, type IntakeEntry } from '../intake/ncmec';
import { startCases } from '../intake/start-cases';
import { loadConfig } from '../platform/config';
import { caseBridgeDataConverter } from '../platform/connection';
import { freePort } from '../platform/free-port';
import { createLogger } from '../platform/logger';
import { startEmbeddedServer } from '../worker/embedded-server';
import { writeSampleBatch } from './ncmec-sample';

const ArgsSchema = z
  .object({
    reports: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    concurrency: z.coerce.number().int().min(1).max(256).default(16),
  })
  .strict();

const parseArgs = (argv: string[]) => parseFlags(argv, ArgsSchema);

const gc = (globalThis as { gc?: () => void }).gc;
const heap = (): number => {
  gc?.();
  return process.memoryUsage().heapUsed;
};

interface Figure {
  name: string;
  reports: number;
  seconds: number;
  peakHeapGrowthMb: number;
}

async function measure(name: string, run: (each: () => void) => Promise<void>): Promise<Figure> {
  const base = heap();
  let peak = 0;
  let reports = 0;
  const t0 = process.hrtime.bigint();
  await run(() => {
    if (++reports % 1000 === 0) peak = Math.max(peak, heap() - base);
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  peak = Math.max(peak, heap() - base);
  return { name, reports, seconds, peakHeapGrowthMb: peak / 1048576 };
}

function mustBeTip(e: IntakeEntry): void {
  if (!('tip' in e)) throw new Error(`sample report ${e.position} refused: ${e.error}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-intake-bench-'));
  const file = path.join(dir, 'batch.xml');
  const log = createLogger({ level: 'warn', name: 'bench' });
  let server: Awaited<ReturnType<typeof startEmbeddedServer>> | undefined;
  let connection: Connection | undefined;
  try {
    await writeSampleBatch(file, args.reports, 500_000_000);
    const size = fs.statSync(file).size;
    const figures: Figure[] = [];
    figures.push(
      await measure('parse (stream, read once)', async (each) => {
        for await (const e of readIntakeFile('batch.xml', fs.createReadStream(file))) {
          mustBeTip(e);
          each();
        }
      }),
    );
    figures.push(
      await measure('parse, checked whole first', async (each) => {
        for await (const e of readIntakeFile('batch.xml', () => fs.createReadStream(file))) {
          mustBeTip(e);
          each();
        }
      }),
    );

    const config = loadConfig();
    server = await startEmbeddedServer({
      cliPath: config.TEMPORAL_CLI_PATH,
      dataDir: path.join(dir, 'server'),
      port: await freePort(),
      uiPort: 0,
      namespace: 'default',
      retentionDays: 1,
      logger: log,
    });
    connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: 'default', dataConverter: caseBridgeDataConverter() });
    figures.push(
      await measure(`parse + start (dev server, ${args.concurrency} in flight)`, async (each) => {
        const start = (tip: Parameters<typeof startCase>[1]) => startCase(client, tip, { taskQueue: 'intake-bench' });
        for await (const o of startCases(
          readIntakeFile('batch.xml', () => fs.createReadStream(file)),
          start,
          { concurrency: args.concurrency },
        )) {
          if (!('caseId' in o) || o.status !== 'started') throw new Error(`report ${o.position} did not start: ${JSON.stringify(o)}`);
          each();
        }
      }),
    );

    const base = figures[0].reports / figures[0].seconds;
    process.stdout.write(
      `NCMEC intake: ${args.reports} reports in one file (${(size / 1048576).toFixed(1)} MB), ${os.cpus().length} cores, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}${gc ? '' : ' (heap without --expose-gc: rough)'}\n\n`,
    );
    process.stdout.write(`| run | reports | s | reports/s | vs parse | heap growth |\n|---|---:|---:|---:|---:|---:|\n`);
    for (const f of figures) {
      const rate = f.reports / f.seconds;
      process.stdout.write(
        `| ${f.name} | ${f.reports} | ${f.seconds.toFixed(1)} | ${rate.toFixed(0)} | ${(rate / base).toFixed(2)}× | ${f.peakHeapGrowthMb.toFixed(1)} MB |\n`,
      );
    }
  } finally {
    await connection?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench: ${err.message}\n`);
  process.exit(err.message.startsWith('--') || err.message.startsWith('unexpected argument') ? 2 : 1);
});
