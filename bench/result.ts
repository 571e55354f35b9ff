/**
 * The shape of a bench result file (bench/results/*.json). The schema is the type: scenarios build
 * these objects, the CI test parses the file a tiny run wrote with them.
 */
import { z } from 'zod';

const nonNeg = z.number().finite().min(0);
const pos = z.number().finite().positive();

export const LatencySchema = z.object({
  samples: z.number().int().positive(),
  p50Ms: nonNeg,
  p95Ms: nonNeg,
  minMs: nonNeg,
  maxMs: nonNeg,
  meanMs: nonNeg,
});

/** Samples that failed (counted, left out of the figure) and retries made where a retry is honest (bench/samples.ts). */
export const FailuresSchema = z.object({
  failed: z.number().int().min(0),
  retried: z.number().int().min(0),
  /** The first few, each with the error Temporal answered and how long the sample had run. */
  reasons: z.array(z.string()),
});

export const WorkProfileSchema = z.object({
  events: z.number().int().min(0),
  workflowTasks: z.number().int().min(0),
  activityTasks: z.number().int().min(0),
  activities: z.number().int().min(0),
  timersFired: z.number().int().min(0),
  timersCancelled: z.number().int().min(0),
  timersPending: z.number().int().min(0),
  updates: z.number().int().min(0),
  signalsReceived: z.number().int().min(0),
  signalsSent: z.number().int().min(0),
  children: z.number().int().min(0),
  searchAttributeUpserts: z.number().int().min(0),
  firstEventAt: z.number(),
  lastEventAt: z.number(),
});

export const BatchSchema = z.object({
  workflows: z.number().int().positive(),
  /** Workflows of the batch that failed (a case workflow failing is a product bug the bench found); the first few reasons. */
  failed: z.number().int().min(0),
  failures: z.array(z.string()),
  /** From the first event of the first workflow to the last event of the last (server clock), children included. */
  spanMs: pos,
  casesPerSec: pos,
  workflowTasks: z.number().int().positive(),
  activityTasks: z.number().int().min(0),
  tasksPerSec: pos,
  eventsPerCase: pos,
  /** CPU time per case over the batch (submitting to the last history read excluded): the dev server's, and the bench process's (worker, client, drivers). */
  serverCpuMsPerCase: nonNeg,
  benchCpuMsPerCase: nonNeg,
  /** Load average (1 min) before and after the batch: other work on the machine shows here. */
  loadBefore: nonNeg,
  loadAfter: nonNeg,
});

export const ThroughputSchema = z.object({
  profile: z.literal('demo'),
  paths: z.array(
    z.object({
      path: z.string(),
      story: z.string(),
      /** One case and one bare workflow of this path, children included: the work each does. */
      perCase: z.object({ case: WorkProfileSchema, bare: WorkProfileSchema }),
      /** A cross-border path: what the bench's liaison recorded on the calibrating case's requests, `<kind> <outcome>` in order. */
      liaison: z.array(z.string()).optional(),
      runs: z.array(
        z.object({
          n: z.number().int().positive(),
          order: z.enum(['case-first', 'bare-first']),
          case: BatchSchema,
          bare: BatchSchema,
          /** case cases/s ÷ bare cases/s. */
          ratio: pos,
        }),
      ),
    }),
  ),
});

export const StalledViewSchema = z.object({
  method: z.string(),
  sizes: z.array(
    z.object({
      openCases: z.number().int().positive(),
      /** Cases in the answer (the same at every size: the answer is fixed, the population grows). */
      answer: z.number().int().positive(),
      stalled: LatencySchema,
      deadlines: LatencySchema,
      naive: LatencySchema,
      /** The naive way returned exactly the same cases as the views. */
      naiveAgrees: z.boolean(),
      naiveOverStalled: pos,
      naiveOverDeadlines: pos,
      populateMs: pos,
      /** View calls and naive sweeps that failed or returned other cases than the fixed answer: left out of the latencies. */
      failures: z.object({ stalled: FailuresSchema, deadlines: FailuresSchema, naive: FailuresSchema }),
    }),
  ),
  /** p50 at the largest size ÷ p50 at the smallest. */
  stalledGrowth: pos,
  deadlinesGrowth: pos,
});

export const RoundTripSchema = z.object({
  update: z.string(),
  method: z.string(),
  case: LatencySchema,
  bare: LatencySchema,
  /** The two halves of each round trip: the update until it returns, then the query. */
  parts: z.object({ caseUpdate: LatencySchema, caseQuery: LatencySchema, bareUpdate: LatencySchema, bareQuery: LatencySchema }),
  ratioP50: pos,
  ratioP95: pos,
  /** Round trips that failed (the update or the reads after it): left out, never retried (a retry's time is not a round trip's). */
  failures: z.object({ case: FailuresSchema, bare: FailuresSchema }),
});

export const MemoryFiguresSchema = z.object({
  idle: z.object({ rssBytes: pos, heapUsedBytes: pos }),
  cached: z.object({ rssBytes: pos, heapUsedBytes: pos, cachedWorkflows: z.number().int().min(0) }),
  evicted: z.object({ rssBytes: pos, heapUsedBytes: pos, cachedWorkflows: z.number().int().min(0) }),
  /** (cached − idle) ÷ cases held in the cache (a case counts with its child). */
  heapPerCaseBytes: z.number().finite(),
  rssPerCaseBytes: z.number().finite(),
  loadMs: pos,
  /** Each load query (status, then the child's), successful ones only: how long the worker took to replay a workflow into its cache. */
  loadQuery: LatencySchema,
  /** Load queries that failed after their retries (the workflow stays out of the cache, which `cachedWorkflows` shows). */
  loadFailures: FailuresSchema,
});

export const MemorySchema = z.object({
  method: z.string(),
  sizes: z.array(
    z.object({
      openCases: z.number().int().positive(),
      settings: z.array(
        z.object({
          maxCachedWorkflows: z.number().int().positive(),
          case: MemoryFiguresSchema,
          bare: MemoryFiguresSchema,
          /** case heap per case ÷ bare heap per case. */
          heapRatio: z.number().finite(),
        }),
      ),
    }),
  ),
  /** JSON size of a parked case's record (status + timeline), for reading the heap figures. */
  caseRecordBytes: pos,
});

export const ReplaySchema = z.object({
  method: z.string(),
  /** `failures`: replays that failed (left out); a replay is deterministic, so never retried. */
  case: z.object({ events: z.number().int().positive(), replay: LatencySchema, failures: FailuresSchema }),
  bare: z.object({ events: z.number().int().positive(), replay: LatencySchema, failures: FailuresSchema }),
  ratioP50: pos,
  /** Writing the two histories (updates with fixed ids, so a retry is applied once). */
  setup: FailuresSchema,
});

export const TargetSchema = z.object({
  name: z.string(),
  target: z.string(),
  measured: z.string(),
  met: z.boolean().nullable(),
});

/**
 * Where the run stands. The file is rewritten after each scenario (and each open-cases size), so a
 * run that stops keeps what it measured: `running` is a run still going, or one that died without
 * a word (killed); `stopped` names the scenario and why.
 */
export const OutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('running'), scenario: z.string().nullable() }),
  z.object({ status: z.literal('complete') }),
  z.object({ status: z.literal('stopped'), scenario: z.string(), reason: z.string() }),
]);

export const BenchResultSchema = z.object({
  /** 2: written as the run goes, with `outcome` and failed samples (files of schema 1 were written once, at the end). */
  schema: z.literal(2),
  outcome: OutcomeSchema,
  /** Test-only failure injection in force (bench/inject.ts); empty in every real run. */
  injected: z.array(z.string()),
  date: z.string(),
  command: z.string(),
  size: z.enum(['tiny', 'small', 'full']),
  scenarios: z.array(z.string()),
  /** Scenarios measured to the end, in the order they finished. */
  measured: z.array(z.string()),
  /** So far, while the run is going. */
  durationMs: nonNeg,
  machine: z.object({
    cpuModel: z.string(),
    cores: z.number().int().positive(),
    memoryBytes: pos,
    os: z.string(),
    loadAvgStart: z.array(nonNeg),
    /** At the last write. */
    loadAvgEnd: z.array(nonNeg),
  }),
  versions: z.object({ node: z.string(), temporalCli: z.string(), sdk: z.string() }),
  server: z.string(),
  /** Modules the case bundle shared across workflows (a tuning experiment; empty = as the product builds it). */
  casePreloadModules: z.array(z.string()),
  throughput: ThroughputSchema.optional(),
  stalledView: StalledViewSchema.optional(),
  roundTrip: RoundTripSchema.optional(),
  memory: MemorySchema.optional(),
  replay: ReplaySchema.optional(),
  targets: z.array(TargetSchema),
});

export type Latency = z.infer<typeof LatencySchema>;
export type Failures = z.infer<typeof FailuresSchema>;
export type WorkProfile = z.infer<typeof WorkProfileSchema>;
export type Batch = z.infer<typeof BatchSchema>;
export type ThroughputResult = z.infer<typeof ThroughputSchema>;
export type StalledViewResult = z.infer<typeof StalledViewSchema>;
export type RoundTripResult = z.infer<typeof RoundTripSchema>;
export type MemoryFigures = z.infer<typeof MemoryFiguresSchema>;
export type MemoryResult = z.infer<typeof MemorySchema>;
export type ReplayResult = z.infer<typeof ReplaySchema>;
export type Target = z.infer<typeof TargetSchema>;
export type Outcome = z.infer<typeof OutcomeSchema>;
export type BenchResult = z.infer<typeof BenchResultSchema>;
