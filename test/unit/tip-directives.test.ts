/** Sample tips steering the simulated systems: parsed strictly, recorded, and followed after a restart. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSimulatedSystems } from '../../activities/simulators';
import { scriptFromDirectives, tipDirectives } from '../../activities/simulators/tip-directives';
import { TipSchema, type Tip } from '../../workflows/tip';

const tip = (directives: string[]) =>
  TipSchema.parse({
    ...JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'tips', 'warrant-denied.json'), 'utf8')),
    incidentSummary: {
      incidentType: 'Child Pornography (possession, manufacture, and distribution)',
      incidentDateTime: '2026-10-30T21:14:00Z',
    },
    simulatorDirectives: directives,
  });

describe('tip directives for the simulators', () => {
  it('reads casebridge-sim directives into a script, and names a bad one', () => {
    expect(
      scriptFromDirectives(['casebridge-sim:searchWarrants=deny,grant', 'casebridge-sim:executionDelaysDays=0,20', 'casebridge-sim:arrestWarrant=deny']),
    ).toEqual({
      searchWarrants: ['deny', 'grant'],
      executionDelaysDays: [0, 20],
      arrestWarrant: 'deny',
    });
    expect(scriptFromDirectives([])).toEqual({});
    expect(() => scriptFromDirectives(['casebridge-sim:searchWarrants=maybe'])).toThrow(/casebridge-sim:searchWarrants\.0: /);
    expect(() => scriptFromDirectives(['casebridge-sim:courtMood=grumpy'])).toThrow(/courtMood/);
  });

  it('a new tip carries directives in simulatorDirectives only; a tip from a running case may carry them among its report annotations', () => {
    expect(
      TipSchema.safeParse({ ...tip([]), incidentSummary: { ...tip([]).incidentSummary, reportAnnotations: ['casebridge-sim:priority=1'] } }).error?.issues[0],
    ).toMatchObject({
      path: ['incidentSummary', 'reportAnnotations', 0],
      message: 'simulator directives are not NCMEC report annotations: put them in simulatorDirectives',
    });
    // As recorded in a case's history before NCMEC intake: never re-parsed, read as it is.
    const recorded = {
      ...tip([]),
      simulatorDirectives: undefined,
      incidentSummary: { ...tip([]).incidentSummary, reportAnnotations: ['Viral', 'casebridge-sim:priority=1'] },
    };
    expect(tipDirectives(recorded as unknown as Tip)).toEqual(['casebridge-sim:priority=1']);
    expect(tipDirectives(tip(['casebridge-sim:priority=3']))).toEqual(['casebridge-sim:priority=3']);
  });

  it('the court follows the tip, also after a restart of the simulators (the script is kept beside the ledger, not in it)', async () => {
    const ledgerPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-sim-')), 'ledger.jsonl');
    const ctx = (step: string) => ({ caseId: 'case-190000010', idempotencyKey: `case-190000010/${step}` });
    const first = createSimulatedSystems({ ledgerPath, warrantDenialRate: 0 });
    await first.assessment.assess(ctx('assess'), tip(['casebridge-sim:searchWarrants=deny,grant']));
    expect(await first.court.applyForSearchWarrant(ctx('search-warrant-1'), { application: 1, fileIds: ['f'] })).toMatchObject({ granted: false });
    expect(first.ledger.all().map((e) => e.op)).toEqual(['assess', 'applyForSearchWarrant']);
    expect(fs.readFileSync(ledgerPath, 'utf8').trim().split('\n')).toHaveLength(2);
    const restarted = createSimulatedSystems({ ledgerPath, warrantDenialRate: 1 });
    expect(await restarted.court.applyForSearchWarrant(ctx('search-warrant-2'), { application: 2, fileIds: ['f'] })).toMatchObject({ granted: true });
    await expect(restarted.assessment.assess({ caseId: 'case-2', idempotencyKey: 'case-2/assess' }, tip(['casebridge-sim:priority=7']))).rejects.toThrow(
      /casebridge-sim:priority/,
    );
  });
});
