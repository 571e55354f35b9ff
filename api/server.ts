/**
 * The one door through which people reach cases: a Fastify server whose routes are the inputs and
 * queries of workflows/messages.ts. Every request is authenticated (a bearer token verified against
 * its issuer, api/identity.ts) before anything else; every read and write of a case is written to
 * the audit log and fsynced before the answer leaves (onSend); refusals are RFC 9457 problems.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { DocumentService } from '../documents';
import type { AuditEntry, CaseBridgeStore } from '../platform/store';
import { CaseUnits } from './access';
import type { ChangeFeed } from './changes';
import { personDigest, type Person, type TokenVerifier } from './identity';
import type { LocalIssuer } from './local-issuer';
import type { ApiMetrics } from './metrics';
import { ApiProblem, kindOfStatus, problem, sendProblem } from './problems';
import { registerCaseRoutes } from './routes/cases';
import { registerInputRoutes } from './routes/inputs';
import { registerDocumentRoutes } from './routes/documents';
import { registerViewRoutes } from './routes/views';
import { registerIdentityRoutes } from './routes/identity';
import { registerAuditRoutes } from './routes/audit';
import { registerOpsRoutes } from './routes/ops';
import { registerQueueRoutes } from './routes/queue';
import { registerOAuthRoutes } from './routes/oauth';
import type { ApiSettings } from './settings';

/** What a handler learned about the access, for its audit line. */
export interface AuditNote {
  role?: string | null;
  caseId?: string;
  caseIds?: string[];
  requestId?: string;
  caseUnit?: string;
  updateId?: string;
  /** The document read or changed (documents/: an id, never content). */
  documentId?: string;
  /** The answer carried personal data (a document's file). */
  personalData?: boolean;
  /** Who, when the route authenticates by itself (the token endpoint). */
  subject?: string;
  name?: string;
  units?: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    person?: Person;
    authProblem?: ApiProblem;
    auditNote: AuditNote;
  }
  interface FastifyContextConfig {
    /** The kind of audit line the route writes; routes without one write none (health, docs, metrics). */
    audit?: AuditEntry['action'];
    /** false: no credential needed (health, discovery, the token endpoint, docs). */
    auth?: boolean;
  }
}

export interface ApiDeps {
  client: Client;
  taskQueue: string;
  homeCountry: string;
  /** The deployment's referral unit (CASEBRIDGE_REFERRAL_UNIT): a UK case opened in it is disseminated to a force. */
  referralUnit?: string;
  store: CaseBridgeStore;
  verifier: TokenVerifier;
  localIssuer?: LocalIssuer;
  settings: ApiSettings;
  metrics: ApiMetrics;
  log: Logger;
  /** The URL people reach this process at (redirects back from an identity provider). */
  publicUrl?: string;
  /** Where accepted inputs are announced (live pages); absent: nobody listens. */
  changes?: ChangeFeed;
  /** The document layer (documents/, the store under the data dir); without it the document routes are absent. */
  documents?: DocumentService;
}

/** Routes registered onto the API by a layer above it (the web app), after the API's own. */
export type ApiExtension = (app: FastifyInstance, ctx: ApiContext) => Promise<void>;

export interface ApiContext extends ApiDeps {
  units: CaseUnits;
  /** How long this request may wait for Temporal. */
  timeoutMs(req: FastifyRequest): number;
}

export type ZodApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** A header's value as one string (a repeated header: its first value). */
export function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

export async function buildApi(deps: ApiDeps, extend?: ApiExtension): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: 8 * 1024 * 1024,
    trustProxy: deps.settings.CASEBRIDGE_API_TRUST_PROXY,
    // Unknown query keys are refused by the schemas; ids are small.
    routerOptions: { maxParamLength: 300 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('person', undefined);
  app.decorateRequest('authProblem', undefined);
  app.decorateRequest('auditNote', undefined as unknown as AuditNote);

  const ctx: ApiContext = {
    ...deps,
    units: new CaseUnits(deps.client),
    timeoutMs: (req) => {
      const asked = Number(req.headers['casebridge-timeout-ms']);
      const max = deps.settings.CASEBRIDGE_API_TEMPORAL_TIMEOUT_MS;
      return Number.isInteger(asked) && asked >= 100 ? Math.min(asked, max) : max;
    },
  };

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CaseBridge API',
        version: '1',
        description:
          'The one door to CaseBridge cases. Every route but health, discovery and the token endpoint needs `Authorization: Bearer <token>` ' +
          'from the configured identity provider (or the local issuer: `casebridge login`). The actor of every input is the verified credential. ' +
          'Refusals are RFC 9457 problem details.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: false } });
  app.get('/openapi.json', { config: { auth: false }, schema: { hide: true } }, async () => app.swagger());

  await app.register(fastifyRateLimit, {
    global: true,
    hook: 'preHandler',
    max: deps.settings.CASEBRIDGE_API_RATE_LIMIT,
    timeWindow: '1 minute',
    keyGenerator: (req) => (req.person ? `p:${personDigest(req.person)}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, c) =>
      problem('rate-limited', `too many requests: at most ${c.max} per ${c.after}; try again later`, {}, { 'Retry-After': String(Math.ceil(c.ttl / 1000)) }),
  });

  app.addHook('onRequest', async (req, reply) => {
    req.auditNote = {};
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = BEARER.exec(header);
      if (!m)
        req.authProblem = problem(
          'unauthenticated',
          'the Authorization header must be `Bearer <token>`',
          {},
          { 'WWW-Authenticate': 'Bearer realm="casebridge"' },
        );
      else {
        try {
          req.person = await deps.verifier.verify(m[1]);
        } catch (err) {
          if (!(err instanceof ApiProblem)) throw err;
          req.authProblem = err;
        }
      }
    }
    // The docs (swagger-ui's own routes) are public: they show the contract, no case data.
    if (req.routeOptions.config.auth === false || req.routeOptions.url?.startsWith('/docs')) return;
    if (!req.person) {
      const p =
        req.authProblem ??
        problem(
          'unauthenticated',
          'no credential: send `Authorization: Bearer <token>` (`casebridge login NAME` gets one)',
          {},
          { 'WWW-Authenticate': 'Bearer realm="casebridge"' },
        );
      return sendProblem(reply, p);
    }
  });

  // The audit line is on disk before the answer leaves; if it cannot be written, the answer is withheld.
  app.addHook('onSend', async (req, reply, payload) => {
    const action = req.routeOptions.config.audit;
    if (!action) return payload;
    const n = req.auditNote ?? {};
    const person = req.person;
    const entry: AuditEntry = {
      at: new Date().toISOString(),
      subject: person?.id ?? n.subject ?? null,
      name: person?.name ?? n.name ?? null,
      role: n.role ?? null,
      units: person?.units ?? n.units ?? [],
      method: req.method,
      route: req.routeOptions.url ?? 'unknown',
      action,
      ...(n.caseId ? { caseId: n.caseId } : {}),
      ...(n.caseIds ? { caseIds: n.caseIds } : {}),
      ...(n.requestId ? { requestId: n.requestId } : {}),
      ...(n.caseUnit ? { caseUnit: n.caseUnit } : {}),
      ...(n.updateId ? { updateId: n.updateId } : {}),
      ...(n.documentId ? { documentId: n.documentId } : {}),
      ...(n.personalData ? { personalData: true } : {}),
      status: reply.statusCode,
    };
    try {
      await deps.store.audit.append(entry);
      return payload;
    } catch (err) {
      deps.log.error({ err, route: entry.route }, 'audit log write failed: answer withheld');
      const p = problem('unavailable', 'the audit log cannot be written; nothing is answered until it can', { reason: 'audit-unavailable' });
      void reply.code(p.status).type('application/problem+json');
      return JSON.stringify(p.body());
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    deps.metrics.requests.inc({ route, method: req.method, status: String(reply.statusCode) });
    deps.metrics.latency.observe({ route, method: req.method }, reply.elapsedTime / 1000);
    const kind = kindOfStatus(reply.statusCode);
    if (kind) deps.metrics.rejections.inc({ reason: kind });
    // An accepted input is in the case's history by now: open pages of the case hear of it at once.
    if (deps.changes && req.routeOptions.config.audit === 'write' && reply.statusCode === 200) {
      const n = req.auditNote ?? {};
      for (const caseId of n.caseId ? [n.caseId] : (n.caseIds ?? [])) deps.changes.publish({ caseId, unit: n.caseUnit ?? null, source: 'input' });
    }
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    let p: ApiProblem;
    if (err instanceof ApiProblem) p = err;
    else if (hasZodFastifySchemaValidationErrors(err)) {
      const v = err.validation[0];
      const issue = (v.params as { issue?: { code?: string; keys?: string[]; path?: PropertyKey[] } }).issue;
      const where = err.validationContext ?? 'body';
      let field = (issue?.path ?? []).map(String).join('.') || v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      let message = v.message ?? 'is invalid';
      const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys?.[0] : /^Unrecognized keys?: "([^"]+)"/.exec(message)?.[1];
      if (unknownKey !== undefined) {
        field = [field, unknownKey].filter(Boolean).join('.');
        message = ['actor', 'role', 'actorId'].includes(unknownKey)
          ? 'is not a field of this input: the actor and role come from your credential'
          : 'is not a field of this input';
      }
      const detail = `${field || where}: ${message}`;
      p = where === 'body' ? problem('invalid-field', detail, { field: field || 'body' }) : problem('bad-request', detail, { field: field || where });
    } else if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.statusCode === 400) {
      p = problem('bad-request', `body: ${err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'is empty' : 'is not valid JSON'}`, { field: 'body' });
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') p = problem('payload-too-large', 'body: larger than 8 MiB');
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      p = problem('unsupported-media-type', `body: content type ${req.headers['content-type'] ?? '(none)'} is not accepted here`);
    else if (err.statusCode === 429) p = problem('rate-limited', 'too many requests; try again later');
    else {
      deps.log.error({ err, route: req.routeOptions.url }, 'request failed');
      p = problem('internal', 'internal error (logged)');
    }
    return sendProblem(reply, p);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, problem('not-found', `no route ${req.method} ${req.routeOptions.url ?? ''}`.trim())));

  const zapp: ZodApp = app.withTypeProvider<ZodTypeProvider>();
  await app.register(async (scope) => registerCaseRoutes(scope.withTypeProvider<ZodTypeProvider>(), ctx));
  registerInputRoutes(zapp, ctx);
  const documents = deps.documents;
  if (documents) await app.register(async (scope) => registerDocumentRoutes(scope.withTypeProvider<ZodTypeProvider>(), ctx, documents));
  registerViewRoutes(zapp, ctx);
  registerIdentityRoutes(zapp, ctx);
  registerAuditRoutes(zapp, ctx);
  registerOpsRoutes(zapp, ctx);
  registerQueueRoutes(zapp, ctx);
  await app.register(async (scope) => registerOAuthRoutes(scope, ctx));
  if (extend) await app.register(async (scope) => extend(scope, ctx));
  return app;
}
