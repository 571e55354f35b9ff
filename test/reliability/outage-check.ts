/**
 * Six cases waiting in JURISDICTION, a note accepted on each, then `outage` (the server or its
 * database down and back): every case, its deadline, its note and its reminder timer survive, each
 * resolves to ARRESTED, and no external call was made twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startCase } from '../../client/cases';
import { caseWorkflow } from '../../workflows/case';
import { addNote, resolveJurisdiction, statusQuery, timelineQuery } from '../../workflows/messages';
import { TipSchema } from '../../workflows/tip';
import { createDocumentLayer } from '../../documents';
import { documentDesk } from '../case/document-desk';
import { waitFor } from '../harness/wait';
import type { Cluster } from './cluster';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'tips');

/** `run` (0–9) keeps report numbers of the outages one process runs apart: they are made in the same second. */
export async function outageKeepsEverything(c: Cluster, tag: string, run: number, outage: () => Promise<void>): Promise<void> {
  const w = c.startWorker();
  await c.workerReady(w);
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const raw = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'jurisdiction-unresolved.json'), 'utf8'));
    raw.ncmecReportNumber = `${String(Date.now()).slice(-6)}${run}${i}`;
    raw.personOrUserReported.espIdentifier = `user-${raw.ncmecReportNumber}`;
    ids.push((await startCase(c.client, TipSchema.parse(raw), { taskQueue: c.taskQueue, profile: 'demo', endAtArrest: true })).caseId);
  }
  const handles = ids.map((id) => c.client.workflow.getHandle<typeof caseWorkflow>(id));
  await waitFor(
    async () => ((await Promise.all(handles.map((h) => h.query(statusQuery)))).every((s) => s.stage === 'JURISDICTION') ? true : undefined),
    60_000,
  );
  const deadlinesBefore = await Promise.all(
    handles.map(async (h) => (await h.query(statusQuery)).deadlines.filter((d) => d.name.startsWith('jurisdiction-escalation'))),
  );
  // Accepted inputs just before the outage: a note on each case.
  for (const h of handles) await h.executeUpdate(addNote, { args: [{ actor: 'A. Coordinator', role: 'coordinator', text: `before the ${tag}` }] });

  await outage();
  // A new client for the new server process; the worker reconnects on its own.
  const again = ids.map((id) => c.client.workflow.getHandle<typeof caseWorkflow>(id));
  expect(w.child.exitCode).toBeNull();

  for (const [i, h] of again.entries()) {
    const status = await waitFor(() => h.query(statusQuery), 60_000);
    // The escalation deadline is the same instant it was before the outage (unless it already fired).
    const escalation = status.deadlines.filter((d) => d.name.startsWith('jurisdiction-escalation'));
    if (escalation.length) expect(escalation).toEqual(deadlinesBefore[i]);
    const timeline = await h.query(timelineQuery);
    expect(timeline.filter((e) => e.kind === 'note').map((e) => e.detail)).toEqual([`before the ${tag}`]);
  }
  // The 2-day reminder (2 s in the demo profile) fired for every case, across the outage.
  await waitFor(
    async () =>
      (await Promise.all(again.map((h) => h.query(timelineQuery)))).every((t) => t.some((e) => e.detail.startsWith('reminder sent'))) ? true : undefined,
    60_000,
  );
  for (const h of again) await h.executeUpdate(resolveJurisdiction, { args: [{ actor: 'A. Coordinator', role: 'coordinator', suspectCountry: 'US' }] });
  // The warrant papers each case then waits for are completed and approved at the desk (the worker's document store).
  const desk = documentDesk(c.client, createDocumentLayer({ CASEBRIDGE_DATA_DIR: c.dir }).service, new Set(ids));
  desk.start(250);
  const results = await Promise.all(again.map((h) => h.result())).finally(() => desk.stop());
  expect(results.map((r) => r.outcome)).toEqual(ids.map(() => 'ARRESTED'));
  const keys = c.ledgerLines().map((l) => l.key);
  expect(keys.length).toBe(new Set(keys).size);
}
