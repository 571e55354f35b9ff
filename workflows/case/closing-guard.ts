/**
 * A case never closes while a child's safeguarding is open beside it unless a person said why
 * (`closeWhileSafeguarding`): every way a case closes passes here first, and the coordinator is told
 * the case waits. Nothing to wait for — every case from before safeguarding existed — and it sends nothing.
 */
import { CLOSING_WAITS_FOR_SAFEGUARDING } from '../messages';
import type { Outcome } from '../vocabulary';
import { systems, type CaseContext } from './context';
import { openSafeguarding } from './record';

export async function closeGuard(ctx: CaseContext, outcome: Outcome): Promise<void> {
  const { state, rec } = ctx;
  const open = () => openSafeguarding(state);
  if (open().length === 0) return;
  // A referral disseminated to a force: the safeguarding goes on under its own workflow and is the force's case's to follow.
  const d = state.dissemination;
  if (outcome === 'DISSEMINATED' && d) {
    rec.log(
      'stage',
      `the child’s safeguarding (${open().join(', ')}) goes over to the force’s case ${d.forceCaseId}: this referral closes without waiting for it`,
    );
    return;
  }
  if (!state.closeWhileSafeguarding) {
    rec.log(
      'alert',
      `the case would close as ${outcome}, but a child’s safeguarding is open (${open().join(', ')}): it closes when that ends, or when a coordinator or manager says why it may close first (close-while-safeguarding)`,
    );
    rec.await(
      'coordinator',
      `${CLOSING_WAITS_FOR_SAFEGUARDING} (${open().join(', ')}) to end, or a person to say why the case may close as ${outcome} while it goes on`,
    );
    await ctx.sideStep(`closing-waits-for-safeguarding-${outcome.toLowerCase()}`, (c) =>
      systems.agency.alert(c, {
        to: 'coordinator',
        kind: 'closing-waits-for-safeguarding',
        message: `case ${ctx.caseId}: ready to close as ${outcome}, but a child’s safeguarding is open beside it`,
      }),
    );
    await ctx.waitUntil(() => open().length === 0 || state.closeWhileSafeguarding !== undefined);
  }
  const still = open();
  const why = state.closeWhileSafeguarding;
  if (still.length > 0 && why)
    rec.log('stage', `closing as ${outcome} while ${still.join(', ')} goes on beside the case: ${why.reason} (${why.actor}, ${why.role})`);
}
