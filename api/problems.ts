/**
 * Errors as RFC 9457 problem details (`application/problem+json`). Every refusal says what was wrong
 * and, for a bad field, its path; none changes anything. `type` is a stable URI per kind of problem,
 * which clients and metrics key on.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

export const PROBLEM_KINDS = {
  'bad-request': { status: 400, title: 'Bad request' },
  unauthenticated: { status: 401, title: 'No valid credential' },
  forbidden: { status: 403, title: 'Not allowed for this role' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'The case does not accept this now' },
  'payload-too-large': { status: 413, title: 'Request too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'invalid-field': { status: 422, title: 'A field is invalid' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  /** A stored document failed its integrity check (altered or moved at rest): it is never served. */
  tampered: { status: 500, title: 'A stored document failed its integrity check' },
  unavailable: { status: 503, title: 'Temporal or a worker is unavailable' },
} as const;
export type ProblemKind = keyof typeof PROBLEM_KINDS;

export const problemType = (kind: ProblemKind) => `https://casebridge.invalid/problems/${kind}`;

export const ProblemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    /** The field at fault (a JSON path such as `suspectCountry` or `tip.files`). */
    field: z.string().optional(),
    caseId: z.string().optional(),
    /** The case's stage when it refused an input (409). */
    stage: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof ProblemSchema>;

export class ApiProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
  get status(): number {
    return PROBLEM_KINDS[this.kind].status;
  }
  body(): Problem {
    return { type: problemType(this.kind), title: PROBLEM_KINDS[this.kind].title, status: this.status, detail: this.detail, ...this.extra };
  }
}

export const problem = (kind: ProblemKind, detail: string, extra?: Record<string, unknown>, headers?: Record<string, string>) =>
  new ApiProblem(kind, detail, extra, headers);

export function sendProblem(reply: FastifyReply, p: ApiProblem): FastifyReply {
  for (const [k, v] of Object.entries(p.headers)) void reply.header(k, v);
  return reply.code(p.status).type('application/problem+json').send(JSON.stringify(p.body()));
}

/** `field: message` → the field, when the reason starts with one (validators name the field first). */
export function fieldOf(reason: string): string | undefined {
  return /^([A-Za-z][\w.]*): /.exec(reason)?.[1];
}

/** The kind of problem an answer's status stands for (metrics' rejection reasons); undefined for success. */
export function kindOfStatus(status: number): ProblemKind | undefined {
  if (status < 400) return undefined;
  return (Object.entries(PROBLEM_KINDS).find(([, k]) => k.status === status)?.[0] as ProblemKind | undefined) ?? (status >= 500 ? 'internal' : 'bad-request');
}
