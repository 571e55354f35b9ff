/**
 * What a namespace must have before CaseBridge runs cases in it, checked where a worker starts and
 * made so where an operator prepares one (`make cluster-up`, `node dist/worker/prepare-namespace.js`).
 *
 * Why a worker refuses rather than warns: a case whose search attributes are not registered fails
 * every workflow task with BadSearchAttributes while `start` still answers "started" (seen on the
 * real server, TEMPORAL-NOTES), and a retention shorter than CaseBridge's erases closed cases'
 * histories, which are the record of who did what. Both are found only by someone reading worker
 * logs; a worker that will not start is found at once.
 */
import type { WorkflowService, OperatorService } from '@temporalio/client';
import Long from 'long';
import { ALL_SEARCH_ATTRIBUTES, CaseStage } from '../workflows/search-attributes';
import { INDEXED_TYPE, registerSearchAttributes } from './search-attributes';

/** What this module asks of a connection: the client's Connection and the worker's NativeConnection both have it. */
export interface NamespaceAdmin {
  workflowService: WorkflowService;
  operatorService: OperatorService;
}

const GRPC = { NOT_FOUND: 5, PERMISSION_DENIED: 7, UNIMPLEMENTED: 12, UNAUTHENTICATED: 16, INVALID_ARGUMENT: 3 } as const;
const SECONDS_PER_DAY = 24 * 3600;
const TYPE_NAMES = Object.fromEntries(Object.entries(INDEXED_TYPE).map(([name, indexed]) => [indexed, name])) as Record<number, string>;

function grpcCode(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

/** The namespace's retention in days, or undefined when the namespace does not exist. */
async function retentionDays(connection: NamespaceAdmin, namespace: string): Promise<number | undefined> {
  try {
    const described = await connection.workflowService.describeNamespace({ namespace });
    return Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0) / SECONDS_PER_DAY;
  } catch (err) {
    if (grpcCode(err) === GRPC.NOT_FOUND) return undefined;
    throw err;
  }
}

/**
 * The custom search attributes by name and type. Temporal Cloud refuses the operator service; there
 * each attribute is asked of visibility instead (a query naming an unknown attribute is refused),
 * which proves it exists but not its type.
 */
async function customAttributes(connection: NamespaceAdmin, namespace: string): Promise<Map<string, string | undefined>> {
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return new Map(Object.entries(customAttributes ?? {}).map(([name, type]) => [name, TYPE_NAMES[type]]));
  } catch (err) {
    const code = grpcCode(err);
    if (code !== GRPC.PERMISSION_DENIED && code !== GRPC.UNAUTHENTICATED && code !== GRPC.UNIMPLEMENTED) throw err;
  }
  const found = new Map<string, string | undefined>();
  for (const key of ALL_SEARCH_ATTRIBUTES) {
    try {
      await connection.workflowService.countWorkflowExecutions({ namespace, query: `${key.name} IS NULL` });
      found.set(key.name, undefined);
    } catch (err) {
      if (grpcCode(err) !== GRPC.INVALID_ARGUMENT) throw err;
    }
  }
  return found;
}

/** Everything the namespace lacks, each as a sentence an operator can act on; empty when it is ready. */
export async function namespaceProblems(connection: NamespaceAdmin, namespace: string, requiredRetentionDays: number): Promise<string[]> {
  const retention = await retentionDays(connection, namespace);
  if (retention === undefined) return [`namespace ${namespace} does not exist`];
  const problems: string[] = [];
  if (retention < requiredRetentionDays) {
    problems.push(
      `namespace ${namespace} keeps closed workflows ${retention} days, shorter than CASEBRIDGE_RETENTION_DAYS (${requiredRetentionDays}): closed cases' histories would be erased`,
    );
  }
  const attributes = await customAttributes(connection, namespace);
  const missing: string[] = [];
  for (const key of ALL_SEARCH_ATTRIBUTES) {
    if (!attributes.has(key.name)) missing.push(`${key.name} (${key.type})`);
    else {
      const type = attributes.get(key.name);
      if (type !== undefined && type !== key.type) problems.push(`search attribute ${key.name} is registered as ${type}, CaseBridge needs ${key.type}`);
    }
  }
  if (missing.length > 0) problems.push(`namespace ${namespace} lacks CaseBridge's search attributes ${missing.join(', ')}`);
  return problems;
}

/** Thrown by `requireNamespaceReady`: its message names every problem and how to mend them. */
export class NamespaceNotReadyError extends Error {
  constructor(
    readonly namespace: string,
    readonly problems: string[],
  ) {
    super(
      `CaseBridge will not run cases in namespace ${namespace}: ${problems.join('; ')}. ` +
        `Prepare it with \`node dist/worker/prepare-namespace.js\` (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, CASEBRIDGE_RETENTION_DAYS), ` +
        `or on Temporal Cloud set the retention and add the search attributes in its console.`,
    );
    this.name = 'NamespaceNotReadyError';
  }
}

export async function requireNamespaceReady(connection: NamespaceAdmin, namespace: string, requiredRetentionDays: number): Promise<void> {
  const problems = await namespaceProblems(connection, namespace, requiredRetentionDays);
  if (problems.length > 0) throw new NamespaceNotReadyError(namespace, problems);
}

/**
 * Creates the namespace when absent, raises a shorter retention (never lowers a longer one: an
 * operator's longer choice stands), registers the missing search attributes, and returns once a
 * query by a CaseBridge attribute answers: a new namespace is not usable for a second or two.
 */
export async function prepareNamespace(connection: NamespaceAdmin, namespace: string, days: number, opts: { readyTimeoutMs?: number } = {}): Promise<void> {
  const ttl = { seconds: Long.fromNumber(days * SECONDS_PER_DAY) };
  const retention = await retentionDays(connection, namespace);
  if (retention === undefined) {
    try {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: ttl });
    } catch (err) {
      // Two preparers at once: the other one created it.
      if (!/already exists|already registered/i.test(String((err as Error).message))) throw err;
    }
  } else if (retention < days) {
    await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: ttl } });
  }
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    try {
      await registerSearchAttributes(connection, namespace);
      await connection.workflowService.countWorkflowExecutions({ namespace, query: `${CaseStage.name} = 'ready'` });
      return;
    } catch (err) {
      // A namespace just registered answers "not found" for a moment; attributes just added are not
      // yet in the frontend's cache. Both pass; anything else past the deadline is reported.
      if (Date.now() > deadline) throw new Error(`namespace ${namespace} was not ready within ${(opts.readyTimeoutMs ?? 60_000) / 1000} s: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
