/**
 * Who may do what through the API, before anything reaches Temporal: the case inputs by the table
 * the workflow's validators enforce (workflows/access.ts), the rest (reading a case, opening cases,
 * the managers' views, the audit export, metrics) by the table below. Need to know: a case of
 * another unit is answered exactly as an unknown case.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { INPUT_RULES, roleRefusal, type CaseInputName } from '../workflows/access';
import { CaseUnit } from '../workflows/search-attributes';
import { ROLES, type PersonRole, type Role } from '../workflows/vocabulary';
import { CASE_WORKFLOW_TYPE } from '../client/views';
import type { Person } from './identity';
import { problem } from './problems';

/** Who may do what besides the case inputs. Operators and auditors read no case. */
export const ACCESS_RULES = {
  read: { roles: ROLES, does: 'reads a case' },
  start: { roles: ['coordinator'], does: 'opens cases from tips' },
  views: { roles: ['manager'], does: 'reads the managers’ views' },
  queue: { roles: ROLES, does: 'reads the queue of cases waiting for their role' },
  auditExport: { roles: ['manager', 'auditor'], does: 'exports the audit log' },
  metrics: { roles: ['operator'], does: 'reads the metrics' },
} as const satisfies Record<string, { roles: readonly PersonRole[]; does: string }>;
export type AccessName = keyof typeof ACCESS_RULES;

const article = (role: string) => (/^[aeiou]/.test(role) ? `an ${role}` : `a ${role}`);

function refusal(roles: readonly string[], does: string): string {
  const who = roles.length === 1 ? `only ${article(roles[0])}` : roles.map(article).join(' or ');
  return `role: ${who} ${does}`;
}

/**
 * The role the person acts in: `requested` (their choice, e.g. `casebridge --as`) if their credential
 * carries it and it may; otherwise the first allowed role they hold, in the rule's order. 403 when none.
 */
export function chooseRole<R extends PersonRole>(person: Person, allowed: readonly R[], refuse: (role: PersonRole) => string, requested?: string): R {
  if (requested !== undefined) {
    if (!(person.roles as string[]).includes(requested))
      throw problem('forbidden', `role: your credential does not carry the role ${requested}`, { field: 'role' });
    if (!(allowed as readonly string[]).includes(requested)) throw problem('forbidden', refuse(requested as PersonRole), { field: 'role' });
    return requested as R;
  }
  const role = allowed.find((r) => person.roles.includes(r));
  if (!role) throw problem('forbidden', refuse(person.roles[0] ?? 'analyst'), { field: 'role' });
  return role;
}

export function roleForInput(person: Person, input: CaseInputName, requested?: string): Role {
  return chooseRole(
    person,
    INPUT_RULES[input].roles as readonly Role[],
    (r) => ((ROLES as readonly string[]).includes(r) ? roleRefusal(input, r as Role)! : refusal(INPUT_RULES[input].roles, INPUT_RULES[input].does)),
    requested,
  );
}

export function roleFor(person: Person, what: AccessName, requested?: string): PersonRole {
  const rule = ACCESS_RULES[what];
  return chooseRole(person, rule.roles, () => refusal(rule.roles, rule.does), requested);
}

/** A case's owning unit, from its CaseUnit search attribute; cached (a case's unit never changes). */
export class CaseUnits {
  private cache = new Map<string, string | null>();
  constructor(
    private readonly client: Client,
    private readonly max = 50_000,
  ) {}

  /** The unit, null for a case without one, undefined for no such case. */
  async of(caseId: string): Promise<string | null | undefined> {
    const hit = this.cache.get(caseId);
    if (hit !== undefined) return hit;
    let unit: string | null;
    try {
      const d = await this.client.workflow.getHandle(caseId).describe();
      if (d.type !== CASE_WORKFLOW_TYPE) return undefined;
      unit = d.typedSearchAttributes.get(CaseUnit) ?? null;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
    if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(caseId, unit);
    return unit;
  }

  /**
   * The case's unit if the person may see it; otherwise 404, worded as for an unknown case, so
   * nobody learns that another unit's case exists. A case without a unit is seen by nobody.
   */
  async visible(person: Person, caseId: string): Promise<string> {
    const unit = await this.of(caseId);
    if (!unit || !person.units.includes(unit)) throw problem('not-found', `case ${caseId} not found`, { caseId });
    return unit;
  }
}
