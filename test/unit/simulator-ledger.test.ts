/** The simulators' ledger: one record per idempotency key, kept across a restart of the worker. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSimulatedSystems } from '../../activities/simulators';
import { readLedgerFile } from '../../activities/simulators/ledger';
import { RejectedRequestError, TransientSystemError } from '../../activities/ports';

describe('simulated systems', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebridge-ledger-'));
  const ledgerPath = path.join(dir, 'ledger.jsonl');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers a repeated key from the record, also after a restart, and records it once', async () => {
    const ctx = { caseId: 'case-1', idempotencyKey: 'case-1/search-warrant-1' };
    const first = createSimulatedSystems({ ledgerPath, seed: 's' });
    const a = await first.court.applyForSearchWarrant(ctx, { application: 1, fileIds: ['f'] });
    const again = await first.court.applyForSearchWarrant(ctx, { application: 1, fileIds: ['f'] });
    expect(again).toEqual(a);
    expect(first.ledger.duplicatesAnswered).toBe(1);

    const restarted = createSimulatedSystems({ ledgerPath, seed: 'another seed' });
    expect(await restarted.court.applyForSearchWarrant(ctx, { application: 1, fileIds: ['f'] })).toEqual(a);
    expect(readLedgerFile(ledgerPath).filter((e) => e.key === ctx.idempotencyKey)).toHaveLength(1);
  });

  it('decides the same way from the same seed and key, and differently across keys', async () => {
    const decisions = async (seed: string) => {
      const sys = createSimulatedSystems({ seed, warrantDenialRate: 0.5 });
      const out: boolean[] = [];
      for (let i = 0; i < 40; i++) {
        const d = await sys.court.applyForSearchWarrant({ caseId: `c${i}`, idempotencyKey: `c${i}/w` }, { application: 1, fileIds: [] });
        out.push(d.granted);
      }
      return out;
    };
    const x = await decisions('seed-a');
    expect(await decisions('seed-a')).toEqual(x);
    expect(x.filter(Boolean).length).toBeGreaterThan(5);
    expect(x.filter((g) => !g).length).toBeGreaterThan(5);
  });

  it('fails transiently before a request arrives (nothing recorded) and rejects for good when scripted', async () => {
    const sys = createSimulatedSystems({ transientFailureRate: 1 });
    await expect(sys.agency.arrest({ caseId: 'c', idempotencyKey: 'c/arrest' }, { arrestWarrantId: 'AW' })).rejects.toBeInstanceOf(TransientSystemError);
    expect(sys.ledger.all()).toEqual([]);
    expect(sys.transientFailures()).toBe(1);

    const scripted = createSimulatedSystems({ scripts: { c: { rejectOps: ['agency.arrest'] } } });
    const ctx = { caseId: 'c', idempotencyKey: 'c/arrest' };
    await expect(scripted.agency.arrest(ctx, { arrestWarrantId: 'AW' })).rejects.toBeInstanceOf(RejectedRequestError);
    // The same key is rejected the same way, from the record.
    scripted.setScript('c', {});
    await expect(scripted.agency.arrest(ctx, { arrestWarrantId: 'AW' })).rejects.toBeInstanceOf(RejectedRequestError);
    expect(scripted.ledger.all()).toHaveLength(1);
  });

  it('an outage bounded per call fails that many attempts of a key, then lets it through; other keys fail on their own', async () => {
    const sys = createSimulatedSystems({ transientFailureRate: 1, maxFailuresPerCall: 2 });
    const ctx = { caseId: 'c', idempotencyKey: 'c/arrest' };
    await expect(sys.agency.arrest(ctx, { arrestWarrantId: 'AW' })).rejects.toBeInstanceOf(TransientSystemError);
    await expect(sys.agency.arrest(ctx, { arrestWarrantId: 'AW' })).rejects.toBeInstanceOf(TransientSystemError);
    const arrested = await sys.agency.arrest(ctx, { arrestWarrantId: 'AW' });
    expect(sys.ledger.all()).toHaveLength(1);
    expect(await sys.agency.arrest(ctx, { arrestWarrantId: 'AW' })).toEqual(arrested);
    await expect(sys.agency.arrest({ caseId: 'd', idempotencyKey: 'd/arrest' }, { arrestWarrantId: 'AW' })).rejects.toBeInstanceOf(TransientSystemError);
    expect(sys.transientFailures()).toBe(3);
  });

  it('keeps suspect identifiers out of the ledger file (digests only)', async () => {
    const file = path.join(dir, 'deconflict.jsonl');
    const sys = createSimulatedSystems({ ledgerPath: file });
    await sys.assessment.deconflict({ caseId: 'c1', idempotencyKey: 'c1/deconflict' }, ['screen:nightowl_77']);
    const second = await sys.assessment.deconflict({ caseId: 'c2', idempotencyKey: 'c2/deconflict' }, ['screen:nightowl_77']);
    expect(second.linkedCaseIds).toEqual(['c1']);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('nightowl');
    // The index survives a restart.
    const restarted = createSimulatedSystems({ ledgerPath: file });
    expect((await restarted.assessment.deconflict({ caseId: 'c3', idempotencyKey: 'c3/deconflict' }, ['screen:nightowl_77'])).linkedCaseIds).toEqual([
      'c1',
      'c2',
    ]);
  });
});
