/**
 * 10,000 reports in one file start without being held in memory: the heap (after GC, sampled every
 * 500 reports, in a process of its own) grows by a few MB while the reports start on the dev server,
 * against tens of MB when the same reports are all kept. Memory, never time, is asserted.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { writeSampleBatch } from '../../bench/ncmec-sample';
import { ROOT } from '../cli/cli-process';
import { startDevServer } from '../harness/servers';

const N = 10_000;
const CONCURRENCY = 16;

/** Runs in a child (`node --expose-gc`): reads the file through the product's intake, from dist/. */
const PROBE = `
const fs = require('node:fs');
const [mode, file] = process.argv.slice(1);
const { readIntakeFile } = require(${JSON.stringify(path.join(ROOT, 'dist', 'intake', 'ncmec'))});
const { startCases } = require(${JSON.stringify(path.join(ROOT, 'dist', 'intake', 'start-cases'))});
const { startCase } = require(${JSON.stringify(path.join(ROOT, 'dist', 'client', 'cases'))});
const { connectClient } = require(${JSON.stringify(path.join(ROOT, 'dist', 'platform', 'connection'))});
const heap = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed; };
(async () => {
  const client = mode === 'start' ? await connectClient() : undefined;
  const base = heap();
  let peak = 0, count = 0, parsed = 0, started = 0, maxAhead = 0;
  const held = [];
  async function* counted() {
    for await (const e of readIntakeFile('batch.xml', () => fs.createReadStream(file))) {
      parsed++;
      maxAhead = Math.max(maxAhead, parsed - started);
      yield e;
    }
  }
  const sample = () => { if (++count % 500 === 0) peak = Math.max(peak, heap() - base); };
  if (mode === 'hold') {
    for await (const e of counted()) { if (!e.tip) throw new Error(e.error); held.push(e); started++; sample(); }
  } else {
    const start = (tip) => startCase(client, tip, { taskQueue: 'intake-memory' }).then((r) => { started++; return r; });
    for await (const o of startCases(counted(), start, { concurrency: ${CONCURRENCY} })) { if (o.status !== 'started') throw new Error(JSON.stringify(o)); sample(); }
  }
  peak = Math.max(peak, heap() - base);
  process.stdout.write(JSON.stringify({ count, held: held.length, peakGrowth: peak, maxAhead }));
  process.exit(0);
})().catch((err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); });
`;

interface Probe {
  count: number;
  held: number;
  peakGrowth: number;
  maxAhead: number;
}

function probe(mode: 'hold' | 'start', file: string, env: NodeJS.ProcessEnv): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=512', '-e', PROBE, mode, file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Probe) : reject(new Error(`probe ${mode} exited ${code}: ${err}`))));
  });
}

describe('a batch of 10,000 reports streams', () => {
  let env: TestWorkflowEnvironment | undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-stream-'));
  const file = path.join(tmp, 'batch.xml');

  beforeAll(async () => {
    env = await startDevServer();
    // About 3 kB a report, 30 MB in all: kept whole, that is far more than one report's worth.
    await writeSampleBatch(file, N, 300_000_000, { additionalInfo: 'The provider saw the upload in a shared album. '.repeat(40), files: 3 });
  });
  afterAll(async () => {
    await env?.teardown();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('starting every report on the dev server grows the heap by a fraction of what holding them does; reading runs a bounded way ahead of the starts', async () => {
    const childEnv = { ...process.env, TEMPORAL_ADDRESS: env!.address, TEMPORAL_NAMESPACE: 'default', CASEBRIDGE_LOG_LEVEL: 'warn' };
    const held = await probe('hold', file, childEnv);
    const streamed = await probe('start', file, childEnv);
    expect(held).toMatchObject({ count: N, held: N });
    expect(streamed).toMatchObject({ count: N, held: 0 });
    // Every report is a case on the server.
    expect((await env!.client.workflow.count(`WorkflowType = 'caseWorkflow'`)).count).toBe(N);
    // Kept whole, 10,000 tips take tens of MB; streamed, the heap stays within a few MB of where it began.
    expect(held.peakGrowth).toBeGreaterThan(40 * 1024 * 1024);
    expect(streamed.peakGrowth).toBeLessThan(16 * 1024 * 1024);
    expect(streamed.peakGrowth).toBeLessThan(held.peakGrowth / 4);
    // Back-pressure: the reader is never more than a chunk's worth of reports ahead of the starts.
    expect(streamed.maxAhead).toBeLessThanOrEqual(CONCURRENCY + 64);
    process.stdout.write(
      `streaming: held ${(held.peakGrowth / 1048576).toFixed(1)} MB, streamed ${(streamed.peakGrowth / 1048576).toFixed(1)} MB, read ahead at most ${streamed.maxAhead}\n`,
    );
  }, 600_000);
});
