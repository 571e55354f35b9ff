/**
 * Simulated court, provider, agency and assessment systems: realistic latency, transient failures,
 * and decisions that are deterministic from a seed — or scripted per case, so tests and the demo can
 * walk a chosen path. They sit behind the same ports a real integration implements.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { escalationReason, tipFlags, viralOrMemeReason, type Tip } from '../../workflows/tip';
import {
  RejectedRequestError,
  TransientSystemError,
  type AgencyPort,
  type AssessmentPort,
  type CallContext,
  type CourtPort,
  type ExternalSystems,
  type ProviderPort,
} from '../ports';
import { createCrossBorderSimulators } from './cross-border';
import { createPreWarrantSimulators } from './pre-warrant';
import { CaseScriptSchema, type CaseScript } from './script';
import { scriptFromDirectives, tipDirectives, TipScripts } from './tip-directives';
import { Ledger } from './ledger';
import { chance } from './random';

export { CaseScriptSchema, type CaseScript } from './script';

export const SimulatorOptionsSchema = z.object({
  seed: z.string().default('casebridge'),
  /** Latency of each call, uniformly between min and max, in milliseconds. */
  latencyMs: z.object({ min: z.number().min(0), max: z.number().min(0) }).default({ min: 0, max: 0 }),
  /** Share of calls that fail before reaching the system (0 to 1). */
  transientFailureRate: z.number().min(0).max(1).default(0),
  /**
   * The most attempts of one call (one idempotency key) an outage may fail in this process; unset, each
   * attempt fails independently. Bounds the tail a test waits through (12 court retries from 10 s take hours).
   */
  maxFailuresPerCall: z.number().int().min(0).optional(),
  /** The ledger file; without one the ledger lives in memory only. */
  ledgerPath: z.string().optional(),
  /** Scripted paths by case id. */
  scripts: z.record(z.string(), CaseScriptSchema).default({}),
  /** The home country (where the agency sits). */
  homeCountry: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('US'),
  /** Share of search-warrant applications a court denies when not scripted. */
  warrantDenialRate: z.number().min(0).max(1).default(0.1),
  /** Share of emergency disclosure requests a provider refuses when not scripted. */
  emergencyRefusalRate: z.number().min(0).max(1).default(0.2),
});
export type SimulatorOptions = z.input<typeof SimulatorOptionsSchema>;

export interface SimulatedSystems extends ExternalSystems {
  ledger: Ledger;
  /** Calls that failed transiently (before reaching the system), for tests and benchmarks. */
  transientFailures(): number;
  /** Scripts (or re-scripts) a case's path from now on. */
  setScript(caseId: string, script: CaseScript): void;
}

const DAY_MS = 86_400_000;

/** Tips inside cases started before NCMEC intake tagged viral content with free-text report annotations. */
function legacyViralReason(tip: Tip): string | undefined {
  const annotations = (tip.incidentSummary.reportAnnotations as readonly string[]).map((a) => a.toLowerCase());
  return annotations.some((a) => a.includes('viral') || a.includes('meme')) ? 'content shared in outrage or as a meme (viral): not criminal' : undefined;
}

export function createSimulatedSystems(input: SimulatorOptions = {}): SimulatedSystems {
  const opts = SimulatorOptionsSchema.parse(input);
  const tipScripts = new TipScripts(TipScripts.besideLedger(opts.ledgerPath));
  const ledger = new Ledger(opts.ledgerPath);
  let transientFailures = 0;
  const failuresByKey = new Map<string, number>();
  const scripts = new Map(Object.entries(opts.scripts));
  // Scripts sample tips asked for, kept in the ledger so a restarted worker follows the same path;
  // a configured script's keys win over the tip's.
  const script = (caseId: string): CaseScript => ({ ...tipScripts.get(caseId), ...scripts.get(caseId) });

  /**
   * One call to a system: it may fail before arriving; once it arrives it is decided once, recorded,
   * and every later call with the same key gets the recorded answer.
   */
  async function call<T>(system: string, op: string, ctx: CallContext, decide: () => T): Promise<T> {
    const { min, max } = opts.latencyMs;
    if (max > 0) await new Promise((r) => setTimeout(r, min + Math.random() * (max - min)));
    const slow = script(ctx.caseId).delayOps?.[`${system}.${op}`];
    if (slow) await new Promise((r) => setTimeout(r, slow));
    const failedBefore = failuresByKey.get(ctx.idempotencyKey) ?? 0;
    const mayFail = opts.maxFailuresPerCall === undefined || failedBefore < opts.maxFailuresPerCall;
    if (opts.transientFailureRate > 0 && mayFail && Math.random() < opts.transientFailureRate) {
      transientFailures++;
      failuresByKey.set(ctx.idempotencyKey, failedBefore + 1);
      throw new TransientSystemError(system, `${system} did not answer (simulated outage)`);
    }
    const known = ledger.get(ctx.idempotencyKey);
    if (known) {
      ledger.duplicatesAnswered++;
      if (known.rejected !== undefined) throw new RejectedRequestError(system, known.rejected);
      return known.result as T;
    }
    const base = { key: ctx.idempotencyKey, system, op, caseId: ctx.caseId, at: new Date().toISOString() };
    if (script(ctx.caseId).rejectOps?.includes(`${system}.${op}`)) {
      const rejected = `${system} rejected ${op}: the request is not acceptable to the receiving system`;
      ledger.record({ ...base, rejected });
      throw new RejectedRequestError(system, rejected);
    }
    let result: T;
    try {
      result = decide();
    } catch (err) {
      if (err instanceof RejectedRequestError) ledger.record({ ...base, rejected: err.message });
      throw err;
    }
    ledger.record({ ...base, result });
    return result;
  }

  const ref = (prefix: string, ctx: CallContext): string => `${prefix}-${Math.floor(chance(opts.seed, ctx.idempotencyKey) * 1e9)}`;
  // Dates are counted from the caller's `asOf` (the case's own clock), not this process's clock.
  const inDays = (asOf: string, days: number): string => new Date(Date.parse(asOf) + days * DAY_MS).toISOString();
  const digest = (id: string): string => createHash('sha256').update(`${opts.seed}:${id}`).digest('hex').slice(0, 16);

  const openCases = new Map<string, Set<string>>();
  for (const e of ledger.all({ system: 'assessment', op: 'deconflict' })) {
    openCases.set(e.caseId, new Set((e.result as { identifiers: string[] }).identifiers));
  }
  for (const e of ledger.all({ system: 'assessment', op: 'closeInIndex' })) openCases.delete(e.caseId);

  const assessment: AssessmentPort = {
    assess: (ctx, tip: Tip) =>
      call('assessment', 'assess', ctx, () => {
        let fromTip: CaseScript;
        try {
          fromTip = scriptFromDirectives(tipDirectives(tip));
        } catch (err) {
          throw new RejectedRequestError('assessment', (err as Error).message);
        }
        if (Object.keys(fromTip).length > 0) {
          tipScripts.set(ctx.caseId, fromTip);
        }
        const s = script(ctx.caseId);
        const viral = viralOrMemeReason(tip) ?? legacyViralReason(tip);
        const located =
          tip.personOrUserReported.ipCaptureEvent.find((e) => !e.possibleProxy && e.countryCode)?.countryCode ??
          tip.personOrUserReported.estimatedLocation?.countryCode ??
          null;
        const criminal = s.criminal ?? viral === undefined;
        // Content analysis of the chats a tip carries, in miniature: a meeting or threats spoken of in the provider's notes.
        const notes = tip.additionalInfo ?? '';
        const indicators = s.contentIndicators ?? [
          ...(/\bmeet(ing)?\b/i.test(notes) ? ['planned-meeting'] : []),
          ...(/\bthreat/i.test(notes) ? ['threats'] : []),
        ];
        return {
          criminal,
          ...(criminal ? {} : { noActionReason: s.noActionReason ?? viral ?? 'content shared in outrage or as a meme (viral): not criminal' }),
          priority: s.priority ?? tip.priority ?? (escalationReason(tip.incidentSummary) !== undefined ? 1 : 2),
          suspectCountry: s.suspectCountry === undefined ? located : s.suspectCountry,
          dataCountry: tip.reporter.dataCountry,
          flags: tipFlags(tip),
          ...(indicators.length ? { indicators } : {}),
        };
      }),
    deconflict: async (ctx, identifiers) => {
      const { linkedCaseIds } = await call('assessment', 'deconflict', ctx, () => {
        const mine = new Set(identifiers.map(digest));
        const linked = [...openCases.entries()]
          .filter(([caseId, ids]) => caseId !== ctx.caseId && [...ids].some((id) => mine.has(id)))
          .map(([caseId]) => caseId);
        // Identifiers are personal data: the ledger and the index keep only their digests.
        return { linkedCaseIds: linked, identifiers: [...mine] };
      });
      openCases.set(ctx.caseId, new Set(identifiers.map(digest)));
      return { linkedCaseIds };
    },
    closeInIndex: async (ctx) => {
      await call('assessment', 'closeInIndex', ctx, () => ({ closed: true }));
      openCases.delete(ctx.caseId);
    },
  };

  const provider: ProviderPort = {
    requestPreservation: (ctx, req) =>
      call('provider', 'requestPreservation', ctx, () => {
        if (script(ctx.caseId).preservation === 'refuse') throw new RejectedRequestError('provider', `${req.provider} refused to preserve: no such account`);
        return { reference: ref('PRES', ctx), expiresAt: inDays(req.asOf, req.periodDays) };
      }),
    renewPreservation: (ctx, req) =>
      call('provider', 'renewPreservation', ctx, () => {
        if (script(ctx.caseId).renewal === 'refuse')
          throw new RejectedRequestError('provider', `${req.provider} refused to renew preservation ${req.reference}`);
        return { reference: req.reference, expiresAt: inDays(req.asOf, req.periodDays) };
      }),
    releasePreservation: async (ctx, req) => {
      await call('provider', 'releasePreservation', ctx, () => ({ released: req.reference }));
    },
    requestEmergencyDisclosure: (ctx) =>
      call('provider', 'requestEmergencyDisclosure', ctx, () => {
        const scripted = script(ctx.caseId).emergencyDisclosure;
        const disclose = scripted ? scripted === 'disclose' : chance(opts.seed, ctx.idempotencyKey) >= opts.emergencyRefusalRate;
        return disclose
          ? { disclosed: true }
          : { disclosed: false, reason: 'the provider does not believe in good faith that an emergency requires disclosure' };
      }),
    serveWarrant: (ctx, req) => call('provider', 'serveWarrant', ctx, () => ({ evidenceId: `EV-${req.warrantId}` })),
  };

  const court: CourtPort = {
    applyForSearchWarrant: (ctx, req) =>
      call('court', 'applyForSearchWarrant', ctx, () => {
        const scripted = script(ctx.caseId).searchWarrants?.[req.application - 1];
        const grant = scripted ? scripted === 'grant' : chance(opts.seed, ctx.idempotencyKey) >= opts.warrantDenialRate;
        return grant
          ? { granted: true as const, warrantId: ref('SW', ctx) }
          : { granted: false as const, reason: 'insufficient probable cause in the affidavit' };
      }),
    applyForArrestWarrant: (ctx) =>
      call('court', 'applyForArrestWarrant', ctx, () =>
        script(ctx.caseId).arrestWarrant === 'deny'
          ? { granted: false as const, reason: 'insufficient evidence linking the suspect to the account' }
          : { granted: true as const, warrantId: ref('AW', ctx) },
      ),
    applyForRecordsOrder: (ctx) =>
      call('court', 'applyForRecordsOrder', ctx, () =>
        script(ctx.caseId).recordsOrder === 'deny'
          ? { granted: false as const, reason: 'the facts stated do not show the records are relevant and material to the investigation' }
          : { granted: true as const, warrantId: ref('ORD-2703D', ctx) },
      ),
    fileWarrantReturn: (ctx, req) => call('court', 'fileWarrantReturn', ctx, () => ({ reference: ref(`RET-${req.warrantId}`, ctx) })),
  };

  const agency: AgencyPort = {
    scheduleWarrantExecution: (ctx, req) =>
      call('agency', 'scheduleWarrantExecution', ctx, () => ({
        scheduledFor: inDays(req.asOf, (script(ctx.caseId).executionDelaysDays?.[req.application - 1] ?? 1) * req.dayScale),
      })),
    searchPremises: (ctx, req) => call('agency', 'searchPremises', ctx, () => ({ evidenceId: `EV-${req.warrantId}`, itemsSeized: 3 })),
    reviewFiles: (ctx, req) => call('agency', 'reviewFiles', ctx, () => ({ reviewed: req.fileIds.length })),
    arrest: (ctx) =>
      call('agency', 'arrest', ctx, () => ({
        arrestedAt: new Date().toISOString(),
        ...(script(ctx.caseId).arrest === 'warrantless' ? { warrantless: true } : {}),
      })),
    alert: async (ctx, req) => {
      await call('agency', 'alert', ctx, () => ({ to: req.to, kind: req.kind }));
    },
    withdrawRequest: async (ctx, req) => {
      await call('agency', 'withdrawRequest', ctx, () => ({ requestId: req.requestId, kind: req.kind }));
    },
    draftDocument: (ctx, req) =>
      call('agency', 'draftDocument', ctx, () => ({ documentId: `DOC-${req.documentKind}-${ref('D', ctx)}-r${req.round}`, language: 'en' })),
  };

  return {
    assessment,
    provider,
    court,
    agency,
    ...createCrossBorderSimulators({ call, ref, inDays, script }),
    ...createPreWarrantSimulators({ call, ref, inDays, script }, { seed: opts.seed, emergencyRefusalRate: opts.emergencyRefusalRate, ledger }),
    ledger,
    transientFailures: () => transientFailures,
    setScript: (caseId, s) => void scripts.set(caseId, CaseScriptSchema.parse(s)),
  };
}
