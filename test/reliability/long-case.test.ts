/**
 * A long case: 5,000 human inputs over simulated years. It stays within Temporal's history limits by
 * continuing as new, and still answers status and timeline in full.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startCase } from '../../client/cases';
import { caseWorkflow } from '../../workflows/case';
import { addNote, statusQuery, timelineQuery } from '../../workflows/messages';
import { TipSchema } from '../../workflows/tip';
import { waitFor } from '../harness/wait';
import { Cluster } from './cluster';

const NOTES = 5_000;
const IN_FLIGHT = 8; // Temporal allows 10 updates in flight per workflow

describe('a long case', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = new Cluster();
    await c.startServer();
  });
  afterAll(async () => {
    await c?.teardown();
  });

  it(`takes ${NOTES} updates through continue-as-new and still answers in full`, async () => {
    const w = c.startWorker();
    await c.workerReady(w);
    const raw = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'fixtures', 'tips', 'jurisdiction-unresolved.json'), 'utf8'));
    raw.ncmecReportNumber = String(Date.now()).slice(-10);
    // Standard profile: the case waits for a coordinator, as real cases do for months.
    const { caseId } = await startCase(c.client, TipSchema.parse(raw), { taskQueue: c.taskQueue });
    const h = c.client.workflow.getHandle<typeof caseWorkflow>(caseId);
    await waitFor(async () => ((await h.query(statusQuery)).stage === 'JURISDICTION' ? true : undefined), 60_000);
    const firstRun = (await h.describe()).runId;

    let next = 1;
    const sender = async () => {
      while (next <= NOTES) {
        const i = next++;
        await h.executeUpdate(addNote, { args: [{ actor: 'A. Coordinator', role: 'coordinator', text: `note ${i}` }] });
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender));

    const timeline = await h.query(timelineQuery);
    const notes = timeline.filter((e) => e.kind === 'note').map((e) => Number(e.detail.slice(5)));
    expect(notes.length).toBe(NOTES);
    expect([...notes].sort((a, b) => a - b)).toEqual(Array.from({ length: NOTES }, (_, i) => i + 1));
    const compactions = timeline.filter((e) => e.detail.startsWith('history compacted')).length;
    expect(compactions).toBeGreaterThanOrEqual(2); // 2,000 updates per run at most: it must have moved on
    const described = await h.describe();
    expect(described.runId).not.toBe(firstRun);
    expect(described.historyLength).toBeLessThan(10_240); // below even the warning threshold
    const status = await h.query(statusQuery);
    expect(status).toMatchObject({ stage: 'JURISDICTION', awaiting: expect.stringMatching(/coordinator|manager/) });
    expect(status.deadlines.map((d) => d.name)).toContain('provider-retention');
  });
});
