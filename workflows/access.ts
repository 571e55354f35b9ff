/**
 * Who may give which input to a case: one table, read by the case's update validators (which are
 * the last word) and by the API, which refuses a role before it reaches Temporal (403). Responses to
 * requests are decided per request kind and state by the request machines (requests/machines.ts);
 * here only the roles that may ever respond.
 */
import { APPROVING_ROLES } from './documents/kinds';
import { RESPONDING_ROLES } from './requests/ids';
import type { Role } from './vocabulary';

export interface InputRule {
  roles: readonly Role[];
  /** What the input does, as the refusal says it: "a coordinator or a manager resolves jurisdiction". */
  does: string;
}

export const INPUT_RULES = {
  resolveJurisdiction: { roles: ['coordinator', 'manager'], does: 'resolves jurisdiction' },
  amendAndReapply: { roles: ['coordinator'], does: 'amends and reapplies for a warrant' },
  addNote: { roles: ['coordinator', 'liaison', 'manager', 'analyst'], does: 'adds a note' },
  withdraw: { roles: ['coordinator', 'manager'], does: 'withdraws a case' },
  retryStep: { roles: ['coordinator'], does: 'retries a failed step' },
  closeCase: { roles: ['coordinator', 'manager'], does: 'closes a case' },
  respond: { roles: RESPONDING_ROLES, does: 'records a response to a request' },
  /** Per document kind the approvers are fewer (workflows/documents/kinds.ts): the validator decides. */
  approveDocument: { roles: APPROVING_ROLES, does: 'approves a document' },
  reviseDocument: { roles: ['coordinator', 'liaison', 'manager'], does: 'uploads a revised document' },
  // Before the warrant (issue 14).
  assessDanger: { roles: ['analyst', 'manager'], does: 'grades the danger to a child' },
  reportChildAtRisk: { roles: ['coordinator', 'analyst', 'manager'], does: 'reports a child identified or at risk' },
  closeWhileSafeguarding: { roles: ['coordinator', 'manager'], does: 'lets a case close while a child’s safeguarding goes on' },
  /** UK: the NCA's referrals bureau passes a graded referral to a force or regional unit. */
  disseminate: { roles: ['analyst', 'manager'], does: 'disseminates a referral to a force' },
  requestRecordsOrder: { roles: ['coordinator'], does: 'applies for a § 2703(d) order' },
  returnWarrant: { roles: ['coordinator'], does: 'returns a search warrant with its inventory' },
  extendReview: { roles: ['coordinator'], does: 'records a court’s extension of the off-site review' },
  completeReview: { roles: ['coordinator'], does: 'records the off-site review complete' },
  // After the arrest (issue 15). CaseBridge has no prosecutor, custody-officer or police-rank roles: the
  // coordinator records what the court, the prosecutor and an inspector did; the manager stands for a
  // superintendent (workflows/case/post-arrest-inputs.ts checks each authority's role).
  recordCourtEvent: { roles: ['coordinator'], does: 'records a court’s event after the arrest' },
  excludeDelay: { roles: ['coordinator', 'manager'], does: 'records delay the Speedy Trial Act excludes' },
  decideProsecution: { roles: ['coordinator', 'manager'], does: 'records the prosecution decision' },
  reviewDetention: { roles: ['coordinator', 'manager'], does: 'records a review of detention' },
  extendDetention: { roles: ['coordinator', 'manager'], does: 'records an extension of detention' },
  chargingDecision: { roles: ['coordinator', 'manager'], does: 'records the charging decision' },
  extendBail: { roles: ['coordinator', 'manager'], does: 'records an extension of pre-charge bail' },
} as const satisfies Record<string, InputRule>;

export type CaseInputName = keyof typeof INPUT_RULES;

const article = (role: string) => (/^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`);

/** Why `role` may not give `input`, as `role: …` (the field at fault first), or undefined when it may. */
export function roleRefusal(input: CaseInputName, role: Role): string | undefined {
  const rule: InputRule = INPUT_RULES[input];
  if (rule.roles.includes(role)) return undefined;
  const who = rule.roles.length === 1 ? `only ${article(rule.roles[0])}` : rule.roles.map(article).join(' or ');
  return `role: ${who} ${rule.does}`;
}
