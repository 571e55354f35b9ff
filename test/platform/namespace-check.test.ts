/**
 * The worker refuses a namespace that would fail cases quietly (TEMPORAL-NOTES: missing search
 * attributes make every workflow task fail while `start` says "started"; a short retention erases
 * closed cases), and `prepareNamespace` makes one it accepts. On a real dev server, with the built
 * worker process, as an operator would start it.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import Long from 'long';
import { namespaceProblems, prepareNamespace } from '../../worker/namespace';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { startDevServer } from '../harness/servers';
import { waitFor } from '../harness/wait';

const ROOT = path.resolve(__dirname, '..', '..');
const REQUIRED_DAYS = 3650;

function startWorker(address: string, namespace: string) {
  let out = '';
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'worker', 'main.js')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      CASEBRIDGE_RETENTION_DAYS: String(REQUIRED_DAYS),
      CASEBRIDGE_TASK_QUEUE: 'namespace-check',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, output: () => out };
}

describe('the namespace a worker runs cases in', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startDevServer();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('is refused without the search attributes and the retention, and accepted once prepared', async () => {
    const namespace = 'bare-' + Date.now().toString(36);
    await env.connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(24 * 3600) } });
    await waitFor(async () => ((await namespaceProblems(env.connection, namespace, REQUIRED_DAYS).catch(() => [])).length > 0 ? true : undefined), 30_000);

    const problems = await namespaceProblems(env.connection, namespace, REQUIRED_DAYS);
    expect(problems.join('\n')).toMatch(/keeps closed workflows 1 days, shorter than CASEBRIDGE_RETENTION_DAYS \(3650\)/);
    for (const key of ALL_SEARCH_ATTRIBUTES) expect(problems.join('\n')).toContain(key.name);

    const address = `${env.address}`;
    const refused = startWorker(address, namespace);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain(`will not run cases in namespace ${namespace}`);
    expect(refused.output()).toContain('lacks CaseBridge');
    expect(refused.output()).not.toContain('worker started');

    expect(await namespaceProblems(env.connection, 'no-such-namespace', REQUIRED_DAYS)).toEqual(['namespace no-such-namespace does not exist']);

    await prepareNamespace(env.connection, namespace, REQUIRED_DAYS);
    expect(await namespaceProblems(env.connection, namespace, REQUIRED_DAYS)).toEqual([]);
    const described = await env.connection.workflowService.describeNamespace({ namespace });
    expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(REQUIRED_DAYS * 24 * 3600);

    const accepted = startWorker(address, namespace);
    try {
      await waitFor(async () => (accepted.output().includes('worker started') ? true : undefined), 60_000);
    } finally {
      accepted.child.kill('SIGTERM');
      await accepted.exited;
    }
  });

  it('is created and prepared by the operator’s entry point, and a second run changes nothing', async () => {
    const namespace = 'fresh-' + Date.now().toString(36);
    const prepare = () =>
      spawnSync(process.execPath, [path.join(ROOT, 'dist', 'worker', 'prepare-namespace.js')], {
        env: { ...process.env, TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: namespace, CASEBRIDGE_RETENTION_DAYS: String(REQUIRED_DAYS) },
        encoding: 'utf8',
        timeout: 90_000,
      });
    const first = prepare();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`namespace ${namespace} is ready`);
    expect(await namespaceProblems(env.connection, namespace, REQUIRED_DAYS)).toEqual([]);
    expect(prepare().status).toBe(0);
  });
});
