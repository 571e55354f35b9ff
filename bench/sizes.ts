/**
 * How big each scenario runs. `full` is what issue 7 names (200 and 1,000 cases per path; 1,000 and
 * 10,000 open cases); `small` is the same shape at a tenth of the open cases, for a laptop; `tiny`
 * runs in well under a minute and exists to keep the harness working in CI (its figures mean
 * nothing: to stay short it runs the throughput paths side by side and the two memory workers at once).
 */
import type { PathName } from './cases';
import { PATHS } from './cases';

export const SIZES = ['tiny', 'small', 'full'] as const;
export type SizeName = (typeof SIZES)[number];

export interface SizePlan {
  throughput: { paths: readonly PathName[]; sizes: number[]; startConcurrency: number; readConcurrency: number; parallelPaths?: boolean };
  openCases: { sizes: number[]; answer: number; startConcurrency: number };
  stalledView: { samples: number; naiveSamples: number; naiveConcurrency: number; paceMs: number };
  roundTrip: { samples: number; gapMs: number };
  memory: { maxOldSpaceMb: number; maxCache: number; loadConcurrency: number; parallelKinds?: boolean };
  replay: { targetEvents: number; repeats: number };
}

export const PLANS: Record<SizeName, SizePlan> = {
  tiny: {
    throughput: { paths: PATHS, sizes: [2], startConcurrency: 20, readConcurrency: 8, parallelPaths: true },
    openCases: { sizes: [8, 20], answer: 4, startConcurrency: 20 },
    stalledView: { samples: 5, naiveSamples: 2, naiveConcurrency: 16, paceMs: 150 },
    roundTrip: { samples: 5, gapMs: 100 },
    memory: { maxOldSpaceMb: 1024, maxCache: 1_000, loadConcurrency: 16, parallelKinds: true },
    replay: { targetEvents: 300, repeats: 3 },
  },
  small: {
    throughput: { paths: PATHS, sizes: [20, 100], startConcurrency: 20, readConcurrency: 16 },
    openCases: { sizes: [100, 1_000], answer: 20, startConcurrency: 20 },
    stalledView: { samples: 30, naiveSamples: 3, naiveConcurrency: 16, paceMs: 150 },
    roundTrip: { samples: 50, gapMs: 250 },
    memory: { maxOldSpaceMb: 4096, maxCache: 2_000, loadConcurrency: 16 },
    replay: { targetEvents: 2_000, repeats: 10 },
  },
  full: {
    throughput: { paths: PATHS, sizes: [200, 1_000], startConcurrency: 20, readConcurrency: 16 },
    openCases: { sizes: [1_000, 10_000], answer: 50, startConcurrency: 20 },
    stalledView: { samples: 100, naiveSamples: 3, naiveConcurrency: 16, paceMs: 150 },
    roundTrip: { samples: 200, gapMs: 250 },
    // 20,000 cached workflows (10,000 cases and their children) at about 1 MB each would not fit
    // beside the rest of a 24 GB machine: the larger setting stops at 6,000.
    memory: { maxOldSpaceMb: 10_240, maxCache: 6_000, loadConcurrency: 16 },
    replay: { targetEvents: 3_800, repeats: 20 },
  },
};
