/**
 * For operators: liveness, readiness (Temporal reachable and a worker polling the task queue) and
 * Prometheus metrics (an operator's credential).
 */
import { temporal } from '@temporalio/proto';
import { roleFor } from '../access';
import { header, type ApiContext, type ZodApp } from '../server';
import { within } from '../temporal';

const { TaskQueueType } = temporal.api.enums.v1;

export function registerOpsRoutes(app: ZodApp, ctx: ApiContext): void {
  app.get('/healthz', { config: { auth: false }, schema: { summary: 'the process is up', tags: ['operations'], security: [] } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    { config: { auth: false }, schema: { summary: 'Temporal reachable and a worker polling the task queue', tags: ['operations'], security: [] } },
    async (_req, reply) => {
      const checks: Record<string, string> = {};
      try {
        const res = await within(ctx.client, 5_000, () =>
          ctx.client.workflowService.describeTaskQueue({
            namespace: ctx.client.options.namespace,
            taskQueue: { name: ctx.taskQueue },
            taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
          }),
        );
        checks.temporal = 'ok';
        checks.worker = (res.pollers ?? []).length > 0 ? 'ok' : `no worker polls task queue ${ctx.taskQueue}`;
      } catch {
        checks.temporal = 'unreachable';
        checks.worker = 'unknown';
      }
      const ready = Object.values(checks).every((c) => c === 'ok');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
    },
  );

  app.get('/metrics', { schema: { summary: 'Prometheus metrics (an operator’s credential)', tags: ['operations'] } }, async (req, reply) => {
    roleFor(req.person!, 'metrics', header(req, 'casebridge-role'));
    return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
}
