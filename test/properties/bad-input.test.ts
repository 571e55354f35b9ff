/**
 * Property-based bad input (fast-check, fixed seed so a failure replays): random and malformed tips
 * and update payloads are rejected with a message naming a field, never crash the worker, and never
 * change a case.
 */
import fc from 'fast-check';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TipSchema, describeIssues } from '../../workflows/tip';
import { addNote, amendAndReapply, resolveJurisdiction, retryStep, withdraw } from '../../workflows/messages';
import { fixtureTip, startCaseEnv, uniqueReport, type CaseEnv } from '../case/case-env';
import { waitFor } from '../harness/wait';

const SEED = 20261123;
const validTip = fixtureTip('domestic-arrest');

/** A valid tip with one field replaced by an arbitrary value, or removed. */
const mutatedTip = fc
  .tuple(
    fc.constantFrom('ncmecReportNumber', 'incidentSummary', 'reporter', 'personOrUserReported', 'files', 'priority', 'victim'),
    fc.oneof(fc.anything(), fc.constant(undefined), fc.string(), fc.integer(), fc.constant(null)),
  )
  .map(([field, value]) => ({ ...validTip, [field]: value }));

describe('bad input, generated', () => {
  it('the tip schema rejects arbitrary values and broken tips with a field-naming message, never throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), mutatedTip), (input) => {
        const parsed = TipSchema.safeParse(input);
        if (parsed.success) return; // e.g. a mutation to an optional field's valid value
        const lines = describeIssues(parsed.error);
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) expect(line).toMatch(/^[\w.()]+: \S/);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  describe('update payloads against a running case', () => {
    let ce: CaseEnv;
    beforeAll(async () => {
      ce = await startCaseEnv();
    });
    afterAll(async () => {
      await ce?.teardown();
    });

    it('rejects every malformed payload before it reaches history, and the case carries on', async () => {
      const tip = fixtureTip('jurisdiction-unresolved', (t) => void (t.ncmecReportNumber = uniqueReport()));
      const h = await ce.open(tip);
      await waitFor(async () => ((await ce.status(h)).stage === 'JURISDICTION' ? true : undefined));
      // Let preservation report in first: its own news is not what this test is about.
      await waitFor(async () => ((await ce.status(h)).preservation?.state === 'PRESERVED' ? true : undefined));
      const before = await ce.timeline(h);
      const accepted = async () =>
        (await h.fetchHistory()).events?.filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED).length ??
        0;
      const acceptedBefore = await accepted();

      // Payloads that can never be valid: no actor, or an actor that is not a string.
      const badPayload = fc.oneof(
        fc.anything(),
        fc.record({ actor: fc.oneof(fc.integer(), fc.constant(''), fc.constant(null)), role: fc.string(), text: fc.anything() }),
        fc.dictionary(fc.string(), fc.anything()).filter((d) => typeof d.actor !== 'string'),
      );
      const updates = [resolveJurisdiction, amendAndReapply, addNote, withdraw, retryStep];
      const samples = fc.sample(fc.tuple(fc.constantFrom(...updates), badPayload), { seed: SEED, numRuns: 60 });
      for (const [update, payload] of samples) {
        const err = await h.executeUpdate(update as typeof addNote, { args: [payload as never] }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
        expect(String((err as WorkflowUpdateFailedError).cause?.message)).toMatch(/^[\w.()]+: \S|closed|stage|role/);
      }
      // Nothing reached the case: same timeline, and no update was accepted into history.
      expect(await ce.timeline(h)).toEqual(before);
      expect(await accepted()).toBe(acceptedBefore);
      // And the case still works.
      await h.executeUpdate(resolveJurisdiction, { args: [{ actor: 'A. Coordinator', role: 'coordinator', suspectCountry: 'US' }] });
      expect(await ce.finish(h)).toMatchObject({ outcome: 'ARRESTED' });
    });
  });
});
