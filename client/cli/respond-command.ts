/**
 * `casebridge respond`: a liaison (or a coordinator, where a request kind allows) records the other
 * side's answer to a request — a foreign authority, a partner, a court abroad. One command for every
 * kind of request: the kinds, their outcomes, who may record them and the grounds a refusal must
 * give all come from the request tables in workflows/requests.ts (re-exported by workflows/messages),
 * so a new kind of request needs nothing here, and `respond --help` lists what the tables say.
 */
import type { Command } from 'commander';
import { ACTOR_KEYS, RespondSchema } from '../../workflows/messages';
import { requestPathId } from '../../workflows/requests/ids';
import { REFUSAL_GROUNDS, REQUEST_MACHINES } from '../../workflows/requests/machines';
import type { RequestMachine, Transition } from '../../workflows/requests/machines';
import { CaseIdSchema, arg, payload } from './args';
import { badInput } from './errors';
import { table } from './output';
import { sendResponse, withTimeout, type Timed } from './session';

const FLAGS = { requestId: '--request', outcome: '--outcome', reason: '--reason', reference: '--reference', note: '--note' };

const byPerson = (t: Transition) => t.by.some((b) => b !== 'system');

/** The outcomes a person records, per request kind, with the grounds each refusal must name. */
export function respondHelp(): string {
  const machines = Object.entries(REQUEST_MACHINES as Record<string, RequestMachine>);
  const answered = machines.filter(([, m]) => m.transitions.some(byPerson));
  const rows = answered.flatMap(([kind, m]) =>
    m.transitions
      .filter(byPerson)
      .map((t) => [
        kind,
        t.outcome,
        t.from.join('|'),
        t.to,
        t.by.filter((b) => b !== 'system').join('|'),
        (t.requires ?? []).map((f) => (f === 'reason' && t.grounds ? '--reason GROUND' : `--${f}`)).join(' ') || '-',
      ]),
  );
  // Ground lists shared by several outcomes are printed once.
  const groundLists = new Map<readonly string[], string[]>();
  for (const [kind, m] of answered) {
    for (const t of m.transitions.filter(byPerson)) if (t.grounds) groundLists.set(t.grounds, [...(groundLists.get(t.grounds) ?? []), `${kind} ${t.outcome}`]);
  }
  if (groundLists.size === 0) groundLists.set(REFUSAL_GROUNDS, ['refusals']);
  const systemOnly = machines.filter(([, m]) => !m.transitions.some(byPerson)).map(([kind]) => kind);
  return [
    '',
    'Outcomes, by request kind (a request only moves from the statuses listed; see `casebridge case status CASE_ID`):',
    table(['kind', 'outcome', 'from', 'to', 'by', 'needs'], rows),
    ...[...groundLists].map(([grounds, uses]) => `\nGrounds for --reason (${uses.join(', ')}):\n  ${grounds.join('\n  ')}`),
    systemOnly.length ? `\nAnswered by their systems, not by hand: ${systemOnly.join(', ')}.` : '',
    '\nExample (as the liaison logged in with `casebridge login`):\n  casebridge respond case-190000007 --request foreign-evidence-1 --outcome acknowledged --reference MLA-2026-114',
  ].join('\n');
}

export function registerRespondCommand(program: Command): void {
  withTimeout(program.command('respond'))
    .description('liaison: record the other side’s response to a request (acknowledged, produced, refused with a ground, …)')
    .argument('<CASE_ID>')
    .requiredOption('--request <REQUEST_ID>', 'the request answered: its id from the case status (the part after CASE_ID/ is enough)')
    .requiredOption('--outcome <outcome>', 'what the other side answered (see below)')
    .option('--reason <ground>', 'a refusal ground where the outcome needs one, otherwise the reason in words')
    .option('--reference <ref>', 'the other side’s reference: order, note or evidence number')
    .option('--note <text>', 'anything else worth keeping in the timeline')
    .addHelpText('after', respondHelp)
    .action(async (id: string, o: Timed & { request: string; outcome: string; reason?: string; reference?: string; note?: string }) => {
      // A request id without its case prefix (`foreign-evidence-1`) is the case's own request; paths carry the short form.
      const caseId = arg(CaseIdSchema, id, 'CASE_ID');
      // A whole id of another case is a track handed over to this one (a referral's safeguarding): the API checks the case lists it.
      const requestId = o.request.includes('/') ? o.request : `${caseId}/${o.request}`;
      if (!requestId.startsWith('case-')) throw badInput(`--request: ${o.request} is not a request of case ${caseId}`);
      const u = payload(RespondSchema.omit(ACTOR_KEYS), { requestId, outcome: o.outcome, reason: o.reason, reference: o.reference, note: o.note }, FLAGS);
      const { requestId: _full, ...body } = u;
      await sendResponse(id, o, requestPathId(caseId, requestId), body, FLAGS);
    });
}
