/**
 * External requests as state machines, one table per kind. A request's status only ever moves along
 * a row of its kind's table; the row says who may move it (the system that answered an activity, a
 * liaison or a coordinator recording a response by hand) and what the response must carry (a
 * reference, a refusal ground). Adding a request kind means adding a table here: the generic
 * `respond` update, its validation, the timeline entries, the status query and the withdrawal
 * compensation all read these tables and need no new plumbing.
 *
 * Pure data and pure functions: imported by workflows (bundled into the sandbox) and by clients.
 */
import type { Party, Role } from '../vocabulary';
import { APPEAL_DECISIONS, CLOUD_ACT_OBJECTIONS, EU_ORDER_REFUSAL_GROUNDS, EXTRADITION_REFUSAL_GROUNDS, REFUSAL_GROUNDS } from './grounds';
import { PRE_WARRANT_MACHINES } from './pre-warrant-machines';

/** Who moves a request along a transition. `system`: the workflow, from an activity's answer. */
export type Mover = 'system' | Role;

export interface Transition {
  /** The statuses this transition leaves from. */
  from: readonly string[];
  /** The outcome as a person records it (`casebridge respond --outcome …`), or the system's event. */
  outcome: string;
  to: string;
  by: readonly Mover[];
  /** What the response must carry. */
  requires?: readonly ('reason' | 'reference')[];
  /** When `reason` is required: the grounds it must be one of. */
  grounds?: readonly string[];
  /** Who the request waits for afterwards; `null` when nobody (terminal) — defaults to unchanged. */
  awaiting?: Party | null;
  /** Where the decision decides the next status (an appeal upheld or quashed): reason → status. */
  toByReason?: Readonly<Record<string, string>>;
}

/** The status a transition leads to, given the response's reason. */
export function targetOf(t: Transition, reason?: string): string {
  return (reason !== undefined && t.toByReason?.[reason]) || t.to;
}

export interface RequestMachine {
  /** What the request is, in words (status output, `respond --help`). */
  description: string;
  /**
   * Which workflow takes the request's responses: the case itself, or the child workflow that runs
   * it, whose id is the request id. A client routes a response from the request id alone.
   */
  runBy: 'case' | 'own-workflow';
  /** Who answers a request just sent. */
  answeredBy: Party;
  /** Statuses in which the request is settled: nothing more is expected of anyone. */
  terminal: readonly string[];
  transitions: readonly Transition[];
}

export * from './grounds';
export { ENQUIRY_OUTCOMES, PROTECTION_ENDINGS, REFERRAL_DECISIONS, STRATEGY_DECISIONS } from './pre-warrant-machines';

/** Most requests start here when they are sent (an MLAT starts DRAFTING, an extradition OPENED). */
export const SENT = 'SENT';
/** Set by the withdrawal compensation on every request its kind lets a case withdraw. */
export const WITHDRAWN = 'WITHDRAWN';

/** A request generated with its document and held until a person approves it (patch documents-for-every-request). */
export const AWAITING_APPROVAL = 'AWAITING_APPROVAL';

/** The rows of a request held in AWAITING_APPROVAL: sent once its document is approved, or withdrawn unsent. */
function beforeSending(answeredBy: Party): readonly Transition[] {
  return [
    { from: [AWAITING_APPROVAL], outcome: 'approved-and-sent', to: SENT, by: ['system'], awaiting: answeredBy },
    { from: [AWAITING_APPROVAL], outcome: 'withdrawn', to: WITHDRAWN, by: ['system'], awaiting: null },
  ];
}

export const REQUEST_MACHINES = {
  /** § 2703(f) / Budapest Art. 29 / EU preservation order: run by the preservation child workflow. */
  preservation: {
    description: 'preservation of the suspect’s data at the provider, beside the case',
    runBy: 'case', // no person answers it: the case refuses a response with the reason
    answeredBy: 'provider',
    terminal: ['RELEASED', 'LAPSED', 'REFUSED'],
    transitions: [
      { from: [SENT, 'REQUESTED'], outcome: 'preserved', to: 'PRESERVED', by: ['system'], awaiting: null },
      { from: [SENT, 'REQUESTED'], outcome: 'refused', to: 'REFUSED', by: ['system'], awaiting: null },
      { from: ['PRESERVED', 'RENEWED'], outcome: 'renewed', to: 'RENEWED', by: ['system'] },
      { from: [SENT, 'REQUESTED', 'PRESERVED', 'RENEWED'], outcome: 'released', to: 'RELEASED', by: ['system'], awaiting: null },
      { from: ['PRESERVED', 'RENEWED'], outcome: 'lapsed', to: 'LAPSED', by: ['system'], awaiting: null },
    ],
  },
  /** § 2702(b)(8): the provider may disclose in an emergency, or refuse. */
  'emergency-disclosure': {
    description: 'emergency disclosure by the provider under § 2702(b)(8)',
    runBy: 'case',
    answeredBy: 'provider',
    terminal: ['DISCLOSED', 'REFUSED', WITHDRAWN],
    transitions: [
      { from: [SENT], outcome: 'disclosed', to: 'DISCLOSED', by: ['system'], awaiting: null },
      { from: [SENT], outcome: 'refused', to: 'REFUSED', by: ['system'], awaiting: null },
      { from: [SENT], outcome: 'withdrawn', to: WITHDRAWN, by: ['system'], awaiting: null },
    ],
  },
  /** § 2703(a) search warrant: applied for, decided, executed within 14 days or expired. */
  'search-warrant': {
    description: 'search warrant for content (§ 2703(a)), executed within Rule 41’s window',
    runBy: 'case',
    answeredBy: 'court',
    terminal: ['DENIED', 'EXECUTED', 'EXPIRED', WITHDRAWN],
    transitions: [
      { from: [SENT], outcome: 'granted', to: 'GRANTED', by: ['system'], awaiting: 'agency' },
      { from: [SENT], outcome: 'denied', to: 'DENIED', by: ['system'], awaiting: null },
      { from: ['GRANTED'], outcome: 'executed', to: 'EXECUTED', by: ['system'], awaiting: null },
      { from: ['GRANTED'], outcome: 'expired', to: 'EXPIRED', by: ['system'], awaiting: null },
      { from: [SENT, 'GRANTED'], outcome: 'withdrawn', to: WITHDRAWN, by: ['system'], awaiting: null },
      ...beforeSending('court'),
    ],
  },
  /** A domestic arrest warrant. Not withdrawn on withdrawal: an unexecuted arrest warrant is recalled by the court. */
  'arrest-warrant': {
    description: 'arrest warrant from the court',
    runBy: 'case',
    answeredBy: 'court',
    terminal: ['GRANTED', 'DENIED'],
    transitions: [
      { from: [SENT], outcome: 'granted', to: 'GRANTED', by: ['system'], awaiting: null },
      { from: [SENT], outcome: 'denied', to: 'DENIED', by: ['system'], awaiting: null },
    ],
  },
  /**
   * Evidence held in a country CaseBridge has no route for (not in the policy tables): the liaison
   * arranges a channel by hand (the 24/7 network, a foreign partner) and records the answers.
   */
  'foreign-evidence': {
    description: 'evidence held abroad, requested through a channel a liaison arranged',
    runBy: 'case',
    answeredBy: 'liaison',
    terminal: ['PRODUCED', 'REFUSED', WITHDRAWN],
    transitions: [
      { from: [SENT], outcome: 'acknowledged', to: 'ACKNOWLEDGED', by: ['liaison'], requires: ['reference'] },
      { from: [SENT, 'ACKNOWLEDGED'], outcome: 'produced', to: 'PRODUCED', by: ['liaison'], requires: ['reference'], awaiting: null },
      { from: [SENT, 'ACKNOWLEDGED'], outcome: 'refused', to: 'REFUSED', by: ['liaison'], requires: ['reason'], grounds: REFUSAL_GROUNDS, awaiting: null },
      { from: [SENT, 'ACKNOWLEDGED'], outcome: 'withdrawn', to: WITHDRAWN, by: ['system'], awaiting: null },
    ],
  },
  /** A direct order to a provider under a CLOUD Act executive agreement (US–UK): produced, or objected to. */
  'cloud-act-order': {
    description: 'direct production order to a provider under a CLOUD Act executive agreement',
    runBy: 'case',
    answeredBy: 'provider',
    terminal: ['PRODUCED', 'REFUSED', WITHDRAWN],
    transitions: [
      { from: [SENT], outcome: 'produced', to: 'PRODUCED', by: ['liaison'], requires: ['reference'], awaiting: null },
      { from: [SENT], outcome: 'refused', to: 'REFUSED', by: ['liaison'], requires: ['reason'], grounds: CLOUD_ACT_OBJECTIONS, awaiting: null },
      { from: [SENT], outcome: 'withdrawn', to: WITHDRAWN, by: ['system'], awaiting: null },
      ...beforeSending('provider'),
    ],
  },
  /**
   * EU production order (Reg. 2023/1543): the provider produces within 10 days (8 hours in an
   * emergency); the enforcing state may still raise a ground for refusal within its window, after
   * which the evidence is confirmed usable.
   */
  'eu-production-order': {
    description: 'EU production order to a provider (Regulation (EU) 2023/1543)',
    runBy: 'case',
    answeredBy: 'provider',
    terminal: ['CONFIRMED', 'REFUSED', WITHDRAWN],
    transitions: [
      { from: [SENT], outcome: 'produced', to: 'PRODUCED', by: ['liaison'], requires: ['reference'], awaiting: 'foreign-authority' },
      { from: [SENT, 'PRODUCED'], outcome: 'refused', to: 'REFUSED', by: ['liaison'], requires: ['reason'], grounds: EU_ORDER_REFUSAL_GROUNDS, awaiting: null },
      { from: ['PRODUCED'], outcome: 'refusal-window-closed', to: 'CONFIRMED', by: ['system'], awaiting: null },
      { from: [SENT, 'PRODUCED'], outcome: 'withdrawn', to: WITHDRAWN, by: ['system'], awaiting: null },
      ...beforeSending('provider'),
    ],
  },
  /**
   * After the arrest (US): the prosecution referred to a state or federal partner (Justice Manual
   * 9-27.220, 9-27.240). The partner's answer is recorded by a liaison or the coordinator: it accepts
   * the prosecution (the case closes as REFERRED) or declines it (the prosecution is decided again).
   */
  'prosecution-referral': {
    description: 'prosecution referred to a state or federal partner',
    runBy: 'case',
    answeredBy: 'agency',
    terminal: ['ACCEPTED', 'DECLINED', WITHDRAWN],
    transitions: [
      { from: [SENT], outcome: 'acknowledged', to: 'ACKNOWLEDGED', by: ['liaison', 'coordinator'], requires: ['reference'] },
      { from: [SENT, 'ACKNOWLEDGED'], outcome: 'accepted', to: 'ACCEPTED', by: ['liaison', 'coordinator'], requires: ['reference'], awaiting: null },
      { from: [SENT, 'ACKNOWLEDGED'], outcome: 'declined', to: 'DECLINED', by: ['liaison', 'coordinator'], requires: ['reason'], awaiting: null },
      { from: [SENT, 'ACKNOWLEDGED'], outcome: 'withdrawn', to: WITHDRAWN, by: ['system'], awaiting: null },
    ],
  },
  /**
   * A mutual legal assistance request (CRM 276), run by its own child workflow: drafted from the
   * case, reviewed by the central authority (which may send it back with edits), translated where
   * the languages differ, transmitted through the diplomatic channel, then answered by the foreign
   * central authority — recorded by liaisons.
   */
  mlat: {
    description: 'mutual legal assistance request through the central authorities (MLAT)',
    runBy: 'own-workflow',
    answeredBy: 'foreign-authority',
    terminal: ['EXECUTED', 'REFUSED', WITHDRAWN],
    transitions: [
      // A generated request or supplement waits for a liaison's or a manager's approval before the central authority sees it.
      { from: ['DRAFTING', 'MORE_INFO_REQUESTED'], outcome: 'awaiting-approval', to: 'AWAITING_APPROVAL', by: ['system'], awaiting: 'liaison' },
      {
        from: ['DRAFTING', 'MORE_INFO_REQUESTED', 'AWAITING_APPROVAL'],
        outcome: 'submitted-for-review',
        to: 'IN_REVIEW',
        by: ['system'],
        awaiting: 'central-authority',
      },
      { from: ['IN_REVIEW'], outcome: 'edits-requested', to: 'DRAFTING', by: ['system'], awaiting: 'agency' },
      { from: ['IN_REVIEW'], outcome: 'cleared', to: 'CLEARED', by: ['system'], awaiting: 'translation' },
      { from: ['CLEARED'], outcome: 'translated', to: 'TRANSLATED', by: ['system'], awaiting: 'diplomatic' },
      { from: ['CLEARED', 'TRANSLATED'], outcome: 'transmitted', to: 'TRANSMITTED', by: ['system'], awaiting: 'foreign-authority' },
      { from: ['TRANSMITTED'], outcome: 'acknowledged', to: 'ACKNOWLEDGED', by: ['liaison'], requires: ['reference'] },
      {
        from: ['TRANSMITTED', 'ACKNOWLEDGED', 'PARTIALLY_EXECUTED'],
        outcome: 'more-information-requested',
        to: 'MORE_INFO_REQUESTED',
        by: ['liaison'],
        awaiting: 'agency',
      },
      {
        from: ['TRANSMITTED', 'ACKNOWLEDGED', 'PARTIALLY_EXECUTED'],
        outcome: 'partially-executed',
        to: 'PARTIALLY_EXECUTED',
        by: ['liaison'],
        requires: ['reference'],
      },
      {
        from: ['TRANSMITTED', 'ACKNOWLEDGED', 'PARTIALLY_EXECUTED'],
        outcome: 'executed',
        to: 'EXECUTED',
        by: ['liaison'],
        requires: ['reference'],
        awaiting: null,
      },
      {
        from: ['TRANSMITTED', 'ACKNOWLEDGED', 'PARTIALLY_EXECUTED', 'MORE_INFO_REQUESTED'],
        outcome: 'refused',
        to: 'REFUSED',
        by: ['liaison'],
        requires: ['reason'],
        grounds: REFUSAL_GROUNDS,
        awaiting: null,
      },
      {
        from: [
          'DRAFTING',
          'AWAITING_APPROVAL',
          'IN_REVIEW',
          'CLEARED',
          'TRANSLATED',
          'TRANSMITTED',
          'ACKNOWLEDGED',
          'PARTIALLY_EXECUTED',
          'MORE_INFO_REQUESTED',
        ],
        outcome: 'withdrawn',
        to: WITHDRAWN,
        by: ['system'],
        awaiting: null,
      },
    ],
  },
  /**
   * Extradition (CRM 602), run by its own child workflow: an optional provisional arrest, the formal
   * request by diplomatic note within the treaty's window, the foreign proceedings as liaisons record
   * them (UK Part 2 as the model), and surrender within the window after the final order.
   */
  extradition: {
    description: 'extradition request to the state where the suspect is',
    runBy: 'own-workflow',
    answeredBy: 'foreign-authority',
    terminal: ['SURRENDERED', 'REFUSED', 'RELEASED', 'DISCHARGED', WITHDRAWN],
    transitions: [
      { from: ['OPENED'], outcome: 'provisional-arrest-requested', to: 'PROVISIONAL_ARREST_REQUESTED', by: ['system'], awaiting: 'foreign-authority' },
      { from: ['PROVISIONAL_ARREST_REQUESTED'], outcome: 'provisionally-arrested', to: 'HELD', by: ['liaison'], awaiting: 'central-authority' },
      { from: ['HELD'], outcome: 'released', to: 'RELEASED', by: ['system'], awaiting: null },
      {
        from: ['OPENED', 'PROVISIONAL_ARREST_REQUESTED', 'HELD'],
        outcome: 'formal-request-sent',
        to: 'FORMAL_REQUEST_SENT',
        by: ['system'],
        awaiting: 'foreign-authority',
      },
      { from: ['FORMAL_REQUEST_SENT', 'HEARING_SCHEDULED'], outcome: 'hearing-scheduled', to: 'HEARING_SCHEDULED', by: ['liaison'] },
      { from: ['FORMAL_REQUEST_SENT', 'HEARING_SCHEDULED'], outcome: 'extradition-ordered', to: 'ORDERED', by: ['liaison'] },
      { from: ['ORDERED'], outcome: 'appeal-filed', to: 'APPEAL_FILED', by: ['liaison'] },
      { from: ['ORDERED'], outcome: 'order-final', to: 'FINAL', by: ['system'] },
      {
        from: ['APPEAL_FILED'],
        outcome: 'appeal-decided',
        to: 'FINAL',
        by: ['liaison'],
        requires: ['reason'],
        grounds: APPEAL_DECISIONS,
        toByReason: { 'order-upheld': 'FINAL', 'order-quashed': 'REFUSED' },
      },
      {
        from: ['FORMAL_REQUEST_SENT', 'HEARING_SCHEDULED', 'ORDERED'],
        outcome: 'refused',
        to: 'REFUSED',
        by: ['liaison'],
        requires: ['reason'],
        grounds: EXTRADITION_REFUSAL_GROUNDS,
        awaiting: null,
      },
      { from: ['FINAL'], outcome: 'surrendered', to: 'SURRENDERED', by: ['liaison'], awaiting: null },
      { from: ['FINAL'], outcome: 'discharged', to: 'DISCHARGED', by: ['system'], awaiting: null },
      {
        from: ['OPENED', 'PROVISIONAL_ARREST_REQUESTED', 'HELD', 'FORMAL_REQUEST_SENT', 'HEARING_SCHEDULED', 'ORDERED', 'APPEAL_FILED', 'FINAL'],
        outcome: 'withdrawn',
        to: WITHDRAWN,
        by: ['system'],
        awaiting: null,
      },
    ],
  },
  /** Transfer of proceedings (aut dedere aut judicare): the case file goes to the foreign prosecutor. */
  'transfer-of-proceedings': {
    description: 'transfer of proceedings to the prosecutor of the state where the suspect is',
    runBy: 'case',
    answeredBy: 'foreign-authority',
    terminal: ['CONCLUDED', 'DECLINED', WITHDRAWN],
    transitions: [
      { from: [SENT], outcome: 'accepted', to: 'ACCEPTED', by: ['liaison'], requires: ['reference'] },
      { from: [SENT], outcome: 'declined', to: 'DECLINED', by: ['liaison'], requires: ['reason'], awaiting: null },
      { from: ['ACCEPTED'], outcome: 'prosecution-concluded', to: 'CONCLUDED', by: ['liaison'], requires: ['reason'], awaiting: null },
      { from: [SENT, 'ACCEPTED'], outcome: 'withdrawn', to: WITHDRAWN, by: ['system'], awaiting: null },
      ...beforeSending('foreign-authority'),
    ],
  },
  // A child's safeguarding and subscriber identification (./pre-warrant-machines.ts).
  ...PRE_WARRANT_MACHINES,
} as const satisfies Record<string, RequestMachine>;

export type RequestKind = keyof typeof REQUEST_MACHINES;
export const REQUEST_KINDS = Object.keys(REQUEST_MACHINES) as RequestKind[];

/** Every outcome a person may record, over all kinds (for the payload schema and `respond --help`). */
export const RESPONSE_OUTCOMES: readonly string[] = [
  ...new Set(
    Object.values(REQUEST_MACHINES).flatMap((m: RequestMachine) => m.transitions.filter((t) => t.by.some((b) => b !== 'system')).map((t) => t.outcome)),
  ),
];

export function machineFor(kind: string): RequestMachine | undefined {
  return (REQUEST_MACHINES as Record<string, RequestMachine>)[kind];
}

export function isTerminal(kind: string, status: string): boolean {
  return machineFor(kind)?.terminal.includes(status) ?? false;
}

/** The request as the machine sees it. */
export interface RequestState {
  requestId: string;
  kind: string;
  status: string;
}

/** A response as a person records it. */
export interface ResponseInput {
  outcome: string;
  role: Role;
  reason?: string | undefined;
  reference?: string | undefined;
}

/** The outcomes `who` may record on `request` now. */
export function allowedOutcomes(request: RequestState, who: Mover): string[] {
  const machine = machineFor(request.kind);
  if (!machine) return [];
  return machine.transitions.filter((t) => t.from.includes(request.status) && t.by.includes(who)).map((t) => t.outcome);
}

/**
 * The transition a person's response makes, or why it is not accepted (a sentence naming the field
 * at fault). Pure: validators call it and change nothing.
 */
export function checkResponse(request: RequestState, r: ResponseInput): { ok: true; transition: Transition } | { ok: false; reason: string } {
  const machine = machineFor(request.kind);
  if (!machine) return { ok: false, reason: `requestId: request ${request.requestId} has unknown kind ${request.kind}` };
  const byOutcome = machine.transitions.filter((t) => t.outcome === r.outcome);
  const human = byOutcome.filter((t) => t.by.some((b) => b !== 'system'));
  if (human.length === 0) {
    const open = allowedOutcomes(request, 'liaison').concat(allowedOutcomes(request, 'coordinator'));
    // Only where no person ever records anything on this kind (its answers come from a system).
    const who = machine.transitions.some((t) => t.by.some((b) => b !== 'system')) ? '' : ` (its answers come from the ${machine.answeredBy}'s system)`;
    return {
      ok: false,
      reason: `outcome: '${r.outcome}' cannot be recorded on a ${request.kind} request${who}; ${open.length ? `allowed now: ${[...new Set(open)].join(', ')}` : 'it takes no response from a person'}`,
    };
  }
  const fromHere = human.find((t) => t.from.includes(request.status));
  if (!fromHere) {
    const open = [...new Set(allowedOutcomes(request, r.role))];
    return {
      ok: false,
      reason: `outcome: request ${request.requestId} is ${request.status}; '${r.outcome}' is not allowed in that state${open.length ? ` (allowed: ${open.join(', ')})` : isTerminal(request.kind, request.status) ? ' (it is settled)' : ''}`,
    };
  }
  if (!fromHere.by.includes(r.role)) {
    const a = (role: string) => (/^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`);
    return {
      ok: false,
      reason: `role: ${fromHere.by
        .filter((b) => b !== 'system')
        .map(a)
        .join(' or ')} records '${r.outcome}' on a ${request.kind} request, not ${a(r.role)}`,
    };
  }
  for (const field of fromHere.requires ?? []) {
    if (!r[field])
      return {
        ok: false,
        reason: `${field}: '${r.outcome}' on a ${request.kind} request needs a ${field}${field === 'reason' && fromHere.grounds ? ` (one of ${fromHere.grounds.join(', ')})` : ''}`,
      };
  }
  if (fromHere.grounds && r.reason !== undefined && !fromHere.grounds.includes(r.reason)) {
    return { ok: false, reason: `reason: '${r.reason}' is not a ground for '${r.outcome}'; one of ${fromHere.grounds.join(', ')}` };
  }
  return { ok: true, transition: fromHere };
}

/** The system's own transition to `to` (an activity answered), or undefined when the table has none. */
export function systemTransition(request: RequestState, to: string): Transition | undefined {
  return machineFor(request.kind)?.transitions.find((t) => t.to === to && t.from.includes(request.status) && t.by.includes('system'));
}

/** The system's own transition by its outcome name (`transmitted`, `order-final`), from the request's status. */
export function systemOutcome(request: RequestState, outcome: string): Transition | undefined {
  return machineFor(request.kind)?.transitions.find((t) => t.outcome === outcome && t.from.includes(request.status) && t.by.includes('system'));
}
