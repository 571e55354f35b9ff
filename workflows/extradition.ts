/**
 * Extradition (Criminal Resource Manual 602), one child workflow per request: the central authority
 * opens it → a provisional arrest for urgent cases, after which the formal request must be presented
 * within the treaty's window or the person is released → the formal request, cleared by the central
 * authority, translated where needed and presented by diplomatic note → the foreign proceedings as
 * liaisons record them (hearing, order, appeal, refusal; UK Part 2 as the model) → surrender within
 * the window after the final order, else the person is discharged.
 */
import type { RequestSummary } from './messages';
import { INSTRUMENTS, provisionalArrestWindow } from './policy';
import { ChildRequest, activities, type ChildInput } from './requests/child';

export interface ExtraditionInput extends ChildInput {
  /** Urgent: ask for a provisional arrest before the formal request. */
  provisionalArrest: boolean;
  arrestWarrantId: string;
}

export async function extraditionWorkflow(input: ExtraditionInput): Promise<RequestSummary> {
  const r = new ChildRequest(input, 'extradition', 'OPENED', 'central-authority', new Date().toISOString());
  const { appealNotice, surrender, followUpEvery } = INSTRUMENTS.extradition;
  const formalWindow = provisionalArrestWindow(input.country);
  let heldAt: number | undefined;
  const formalDue = () => (heldAt === undefined ? undefined : heldAt + r.ms(formalWindow.value));

  /** The deadline each state of the proceedings starts, set before the change is reported. */
  const startDeadlines = () => {
    if (r.status === 'HELD' && heldAt === undefined) {
      heldAt = Date.now();
      r.setDeadline('formal-request', formalDue()!, formalWindow);
    }
    if (r.status === 'ORDERED') r.setDeadline('appeal-notice', Date.now() + r.ms(appealNotice.value), appealNotice);
    if (r.status === 'APPEAL_FILED') r.clearDeadline('appeal-notice');
    if (r.status === 'FINAL') {
      r.clearDeadline('appeal-notice');
      r.setDeadline('surrender', Date.now() + r.ms(surrender.value), surrender);
    }
  };
  r.acceptResponses(startDeadlines);

  try {
    await r.note(
      'request',
      `${input.requestId}: extradition from ${input.country} opened with the central authority under arrest warrant ${input.arrestWarrantId}`,
    );
    if (input.provisionalArrest) {
      await r.paper('provisional-arrest-request', 'provisional-arrest');
      const pa = await r.call('provisional-arrest', (ctx) =>
        activities.centralAuthority.requestProvisionalArrest(ctx, { requestId: input.requestId, country: input.country, asOf: new Date().toISOString() }),
      );
      await r.system(
        'provisional-arrest-requested',
        `provisional arrest requested from ${input.country} (${pa.reference}); once arrested, the formal request is due within ${formalWindow.value.days} days (${formalWindow.source})`,
        { reference: pa.reference },
      );
    }

    // The formal request, prepared while the foreign police look for the suspect.
    const prepared = await r.clearAndTranslate('extradition-request', 'extradition', 1, formalDue);
    const due = formalDue();
    if (!prepared || (due !== undefined && Date.now() >= due)) {
      r.clearDeadline('formal-request');
      const why = `no formal request within ${formalWindow.value.days} days of the provisional arrest (${formalWindow.source})`;
      await r.system('released', `released from provisional arrest: ${why}`, { reason: why });
      return r.end();
    }
    await r.paper('diplomatic-note', 'formal-request');
    const note = await r.call('formal-request', (ctx) =>
      activities.diplomatic.transmitDiplomaticNote(ctx, {
        requestId: input.requestId,
        country: input.country,
        documentKind: 'extradition-request',
        document: prepared.document,
        asOf: new Date().toISOString(),
      }),
    );
    r.clearDeadline('formal-request');
    await r.system('formal-request-sent', `formal extradition request presented to ${input.country} by diplomatic note ${note.noteReference}`, {
      reference: note.noteReference,
      actor: 'system:diplomatic',
    });

    // The foreign proceedings, as liaisons record them; the law's windows run on their own.
    while (!r.terminal()) {
      const at = r.status;
      if (at === 'ORDERED') {
        const appealed = await r.waitWithFollowUps(
          () => r.status !== 'ORDERED',
          followUpEvery,
          'an appeal or the order becoming final',
          r.deadline('appeal-notice'),
        );
        if (!appealed) {
          r.clearDeadline('appeal-notice');
          await r.system('order-final', `no notice of appeal within ${appealNotice.value.days} days (${appealNotice.source}): the extradition order is final`);
          startDeadlines();
          await r.note('deadline', `${input.requestId}: surrender due within ${surrender.value.days} days of the final order (${surrender.source})`);
        }
      } else if (at === 'FINAL') {
        const done = await r.waitWithFollowUps(() => r.status !== 'FINAL', followUpEvery, 'the surrender to be arranged', r.deadline('surrender'));
        r.clearDeadline('surrender');
        if (!done) {
          const why = `not surrendered within ${surrender.value.days} days of the final order (${surrender.source})`;
          await r.system('discharged', `${why}: the person is discharged`, { reason: why });
        }
      } else {
        await r.waitWithFollowUps(() => r.status !== at, followUpEvery, 'the foreign extradition proceedings');
      }
    }
    return r.end();
  } catch (err) {
    return r.endAfter(err);
  }
}
