/**
 * Prometheus metrics: requests and latencies by route pattern, refusals by reason (the problem's
 * kind), and open cases by stage (counted through visibility at scrape time). Labels hold route
 * patterns, methods, status codes, problem kinds and stages only: never a case id, a name or tip content.
 */
import type { Client } from '@temporalio/client';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CaseStage } from '../workflows/search-attributes';
import { STAGES } from '../workflows/vocabulary';
import { CASE_WORKFLOW_TYPE } from '../client/views';

export interface ApiMetrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  latency: Histogram<'route' | 'method'>;
  rejections: Counter<'reason'>;
}

export function createMetrics(client: Client): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'casebridge_api_' });
  const requests = new Counter({
    name: 'casebridge_api_requests_total',
    help: 'HTTP requests answered',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'casebridge_api_request_duration_seconds',
    help: 'time to answer, by route',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const rejections = new Counter({
    name: 'casebridge_api_rejections_total',
    help: 'requests refused, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'casebridge_open_cases',
    help: 'open cases by stage (visibility)',
    labelNames: ['stage'] as const,
    registers: [registry],
    async collect() {
      const counts = await Promise.all(
        STAGES.filter((s) => s !== 'CLOSED').map(async (stage) => {
          const q = `WorkflowType = '${CASE_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND ${CaseStage.name} = '${stage}'`;
          return [stage, (await client.workflow.count(q)).count] as const;
        }),
      );
      for (const [stage, n] of counts) this.set({ stage }, n);
    },
  });
  return { registry, requests, latency, rejections };
}
