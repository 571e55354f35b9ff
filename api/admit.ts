/**
 * What every route that touches a case checks before Temporal hears of it, in one place: the role
 * the credential carries (403), then need to know — the case's unit among the person's (404, worded
 * as for an unknown case) — each noted for the audit line. The actor an input records is the
 * verified person, never a field of the request.
 */
import type { FastifyRequest } from 'fastify';
import type { CaseInputName } from '../workflows/access';
import { roleFor, roleForInput } from './access';
import { personDigest, type Person } from './identity';
import { header, type ApiContext } from './server';
import { temporalProblem } from './temporal';

/** The update id for an Idempotency-Key, per person: two people's keys never collide. */
function updateIdFor(req: FastifyRequest, person: Person): string | undefined {
  const key = header(req, 'idempotency-key');
  return key === undefined ? undefined : `api:${personDigest(person)}:${key}`;
}

async function needToKnow(ctx: ApiContext, req: FastifyRequest, person: Person, caseId: string): Promise<void> {
  req.auditNote.caseId = caseId;
  req.auditNote.caseUnit = await ctx.units.visible(person, caseId).catch((err: unknown) => {
    throw temporalProblem(err, caseId);
  });
}

/** A read of a case: a role that reads, and the case in one of the person's units. */
export async function admitRead(ctx: ApiContext, req: FastifyRequest, caseId: string): Promise<void> {
  const person = req.person!;
  req.auditNote.role = roleFor(person, 'read', header(req, 'casebridge-role'));
  await needToKnow(ctx, req, person, caseId);
}

/** An input to a case: the role the input's rule names, the case in one of the person's units, the update id from Idempotency-Key. */
export async function admitInput(ctx: ApiContext, req: FastifyRequest, caseId: string, input: CaseInputName) {
  const person = req.person!;
  const role = roleForInput(person, input, header(req, 'casebridge-role'));
  req.auditNote.role = role;
  await needToKnow(ctx, req, person, caseId);
  const updateId = updateIdFor(req, person);
  if (updateId) req.auditNote.updateId = updateId;
  return { person, role, updateId, actor: { actor: person.name, actorId: person.id, role } };
}
