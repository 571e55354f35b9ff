/**
 * The words a case is described in — its stages, outcomes, the parties it waits for, the roles people
 * act in — defined once for the workflows, the CLI, the API and the web app. Pure data.
 */
import { z } from 'zod';

export const STAGES = [
  'INTAKE',
  'TRIAGE',
  /**
   * UK: the NCA's referrals bureau (CEOP Command) graded the referral and passes it to a police force or a
   * regional unit (ROCU), whose own case investigates (../shared/LEGAL-PROCESS.md, the UK receiving side).
   */
  'DISSEMINATION',
  /** Who was behind the IP address: subscriber records from the provider before a jurisdiction rests on it. */
  'SUBSCRIBER_ID',
  'JURISDICTION',
  'EMERGENCY_DISCLOSURE',
  'FILE_REVIEW',
  // Legal process for the evidence, routed by where it is held (workflows/policy/routing.ts).
  'WARRANT',
  'WARRANT_EXECUTION',
  'CLOUD_ACT_ORDER',
  'EU_PRODUCTION_ORDER',
  'MLAT',
  /** Held in a country the policy tables have no route for: a liaison arranges the channel. */
  'FOREIGN_EVIDENCE',
  // Suspect action, routed by where the suspect is and what the treaty allows.
  'ARREST_WARRANT',
  'LOCAL_ARREST',
  'EXTRADITION',
  'TRANSFER_OF_PROCEEDINGS',
  // After the arrest (issue 15): the custody clocks, then the charging decision.
  /** Arrested (at home, or on arrival after extradition): US first appearance and detention; UK PACE detention. */
  'CUSTODY',
  /** US: the prosecution decision and the indictment; UK: on pre-charge bail awaiting the CPS's charging decision. */
  'CHARGING',
  'NEEDS_ATTENTION',
  'CLOSED',
] as const;
export const StageSchema = z.enum(STAGES);
export type Stage = z.infer<typeof StageSchema>;

/**
 * UNRESOLVED: closed by a coordinator from NEEDS_ATTENTION, when the failed step cannot be completed.
 * EXTRADITED: surrendered and arrested on arrival. TRANSFERRED: prosecuted abroad. REFUSED: a foreign
 * state refused (the reason names the ground). RELEASED: let go from provisional arrest when the
 * formal request came too late. DISCHARGED: not surrendered within the window after the final order.
 * ARRESTED / EXTRADITED close only cases from before the post-arrest stages (or started to end at the arrest).
 * After the arrest: CHARGED (UK: charged on the CPS's decision), INDICTED (US: the grand jury returned an
 * indictment), NO_FURTHER_ACTION (UK), RELEASED_UNDER_INVESTIGATION (UK: released without bail, the
 * investigation goes on), DECLINED (US: the prosecutor declined, Justice Manual 9-27.220), REFERRED (US:
 * a federal or state partner accepted the prosecution). DISSEMINATED (UK: the NCA's referrals bureau passed
 * the referral to a force or regional unit; the force's own case, linked both ways, investigates).
 */
export const OUTCOMES = [
  'ARRESTED',
  'EXTRADITED',
  'TRANSFERRED',
  'REFUSED',
  'RELEASED',
  'DISCHARGED',
  'NO_ACTION',
  'WITHDRAWN',
  'DUPLICATE',
  'UNRESOLVED',
  'CHARGED',
  'INDICTED',
  'NO_FURTHER_ACTION',
  'RELEASED_UNDER_INVESTIGATION',
  'DECLINED',
  'REFERRED',
  'DISSEMINATED',
] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

/** Who a case or a request waits for. `foreign-authority`: a foreign state's answer, which a liaison records. */
export const PARTIES = [
  'coordinator',
  'manager',
  'liaison',
  'analyst',
  'court',
  'provider',
  'agency',
  'assessment',
  'central-authority',
  'translation',
  'diplomatic',
  'foreign-authority',
  /** Child protective services (US) or the local authority's children's social care (UK). */
  'child-protection',
  /** NCMEC's Child Victim Identification Program or INTERPOL's ICSE database. */
  'victim-identification',
] as const;
export type Party = (typeof PARTIES)[number];

/** The roles in which people act on a case (the timeline records one with every human input). */
export const ROLES = ['coordinator', 'liaison', 'manager', 'analyst'] as const;
export const RoleSchema = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` });
export type Role = z.infer<typeof RoleSchema>;

/**
 * Every role a credential may carry: the case roles, plus `operator` (runs the deployment: health,
 * metrics; reads no case) and `auditor` (exports the access log; reads no case).
 */
export const PERSON_ROLES = [...ROLES, 'operator', 'auditor'] as const;
export const PersonRoleSchema = z.enum(PERSON_ROLES);
export type PersonRole = z.infer<typeof PersonRoleSchema>;

/**
 * A unit code (team, force, task force): an organisational identifier, never personal data. It
 * reaches visibility queries, so only these characters.
 */
export const UnitCodeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be a unit code (letters, digits, . _ -; up to 64)' });

export const TIMELINE_KINDS = ['stage', 'request', 'response', 'input', 'deadline', 'alert', 'note', 'link'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
