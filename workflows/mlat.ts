/**
 * A mutual legal assistance request (Criminal Resource Manual 276), one child workflow per request:
 * drafted from the case → reviewed and cleared by the central authority (which may return edits) →
 * translated where the languages differ → transmitted by diplomatic note → the foreign central
 * authority's answers, recorded by liaisons, with follow-up reminders and one escalation from policy.
 * More information requested → a supplement goes the same way (review, translation, transmission).
 */
import type { RequestSummary } from './messages';
import { INSTRUMENTS } from './policy';
import { ChildRequest, activities, type ChildInput } from './requests/child';

export type MlatInput = ChildInput;

/** The foreign side has answered for good, or wants more information. */
const ANSWERED = ['EXECUTED', 'REFUSED', 'MORE_INFO_REQUESTED'];

export async function mlatWorkflow(input: MlatInput): Promise<RequestSummary> {
  const r = new ChildRequest(input, 'mlat', 'DRAFTING', 'agency', new Date().toISOString());
  r.acceptResponses();
  const { followUpEvery, escalateAfter } = INSTRUMENTS.mlat;
  try {
    let round = 1;
    let escalated = false;
    for (let transmission = 1; ; transmission++) {
      const documentKind = transmission === 1 ? 'mlat-request' : 'mlat-supplement';
      // Drafting and review by the central authority; translation where the languages differ.
      const cleared = (await r.clearAndTranslate(documentKind, 'mlat', round, undefined, transmission === 1 ? 1 : transmission - 1))!;
      round += cleared.rounds;

      // Transmission through the diplomatic channel, under the foreign ministry's note.
      await r.paper('diplomatic-note', `transmit-${transmission}`, transmission);
      const note = await r.call(`transmit-${transmission}`, (ctx) =>
        activities.diplomatic.transmitDiplomaticNote(ctx, {
          requestId: input.requestId,
          country: input.country,
          documentKind,
          document: cleared.document,
          asOf: new Date().toISOString(),
        }),
      );
      if (transmission === 1) r.setDeadline('escalation', Date.now() + r.ms(escalateAfter.value), escalateAfter);
      await r.system('transmitted', `${documentKind} transmitted to the ${input.country} central authority by diplomatic note ${note.noteReference}`, {
        reference: r.request.reference ?? note.noteReference,
        actor: 'system:diplomatic',
      });

      // Waiting for the foreign central authority: reminders to the liaison, one escalation to a manager.
      for (;;) {
        const escalateAt = r.deadline('escalation');
        const answered = await r.waitWithFollowUps(
          () => ANSWERED.includes(r.status),
          followUpEvery,
          'no answer yet from the foreign central authority',
          escalateAt,
        );
        if (answered) break;
        if (!escalated && escalateAt !== undefined && Date.now() >= escalateAt) {
          escalated = true;
          r.clearDeadline('escalation');
          await r.call('escalation', (ctx) =>
            activities.agency.alert(ctx, {
              to: 'manager',
              kind: 'mlat-escalation',
              message: `case ${input.caseId}: ${input.requestId} unanswered after ${escalateAfter.value.days} days`,
            }),
          );
          await r.note('alert', `${input.requestId} escalated to a manager: unanswered after ${escalateAfter.value.days} days (${escalateAfter.source})`);
        }
      }
      if (r.status !== 'MORE_INFO_REQUESTED') break;
      // A supplement: drafted and reviewed again from here.
    }
    // The case drops a settled request's deadlines when it hears of the settlement.
    return r.end();
  } catch (err) {
    return r.endAfter(err);
  }
}
