/**
 * Simulated systems of the steps before the warrant: child protective services and local
 * authorities, victim identification (NCMEC CVIP, INTERPOL ICSE), and the law-enforcement portals of
 * the providers that assign IP addresses. Like the others: latency, transient failures, decisions
 * from the seed or the case's script, every request once in the ledger by its idempotency key. The
 * ledger keeps decisions and references only — never an IP address, a hash or an address.
 */
import { createHash } from 'node:crypto';
import {
  RejectedRequestError,
  type ChildProtectionPort,
  type IspLegalProcessPort,
  type KnownVictimMatch,
  type SubscriberAnswer,
  type VictimIdentificationPort,
} from '../ports';
import type { SimKit } from './cross-border';
import type { Ledger } from './ledger';
import { chance } from './random';

/** Documentation ranges (RFC 5737, RFC 3849) as the simulated registry knows them: who assigns them, and how. */
const REGISTRY: readonly { prefix: string; country: string; kind: 'fixed' | 'cgnat' }[] = [
  { prefix: '198.51.100.', country: 'US', kind: 'fixed' },
  { prefix: '203.0.113.', country: 'US', kind: 'cgnat' },
  { prefix: '192.0.2.', country: 'GB', kind: 'fixed' },
  { prefix: '2001:db8:', country: 'US', kind: 'fixed' },
];
/** Provider names per country: a fixed-line ISP and a mobile carrier behind carrier-grade NAT. */
const PROVIDERS: Readonly<Record<string, { fixed: string; cgnat: string }>> = {
  US: { fixed: 'ExampleNet Broadband', cgnat: 'Metro Mobile' },
  GB: { fixed: 'Albion Fibre', cgnat: 'Albion Mobile' },
};
const providerName = (country: string, kind: 'fixed' | 'cgnat') =>
  PROVIDERS[country]?.[kind] ?? `${kind === 'cgnat' ? 'Mobile' : 'Broadband'} ISP (${country})`;
const isCgnat = (provider: string) => Object.values(PROVIDERS).some((p) => p.cgnat === provider) || provider.startsWith('Mobile ISP');

/** Invented streets for invented subscribers: the address is made from the reference, never kept in the ledger. */
const STREETS = ['Maple Avenue', 'Oak Street', 'Elm Road', 'Birch Lane', 'Cedar Close', 'Willow Drive'];
const CITIES: Readonly<Record<string, { city: string; region: string }>> = {
  US: { city: 'Columbus', region: 'OH' },
  GB: { city: 'Leeds', region: 'West Yorkshire' },
};

interface ServedDecision {
  reference: string;
  answersAt: string;
  outcome: SubscriberAnswer['outcome'];
  reason?: string;
  country?: string;
}

export interface PreWarrantOptions {
  seed: string;
  emergencyRefusalRate: number;
  ledger: Ledger;
}

export function createPreWarrantSimulators(kit: SimKit, o: PreWarrantOptions) {
  const { call, ref, inDays, script } = kit;
  /** How many times process was served for a case (the n-th service takes the script's n-th response time). */
  const served = (caseId: string) => o.ledger.all({ caseId, system: 'isp', op: 'serve' }).length;

  const childProtection: ChildProtectionPort = {
    refer: (ctx, req) =>
      call('child-protection', 'refer', ctx, () => ({
        reference: ref(req.channel === 'cps-report' ? 'CPS' : 'LA', ctx),
        receivedAt: req.asOf,
      })),
    notifyPoliceProtection: async (ctx, req) => {
      await call('child-protection', 'notifyPoliceProtection', ctx, () => ({ told: req.reference }));
    },
  };

  const victimIdentification: VictimIdentificationPort = {
    matchKnownVictims: (ctx, req) =>
      call('victim-identification', 'matchKnownVictims', ctx, (): KnownVictimMatch => {
        if (script(ctx.caseId).victimMatch !== 'known-series' || req.hashes.length === 0) return { match: 'none' };
        return {
          match: 'known-series',
          seriesReference: ref(req.database === 'ncmec-cvip' ? 'CVIP-SERIES' : 'ICSE-SERIES', ctx),
          matchedFiles: req.hashes.length,
        };
      }),
    submitForIdentification: (ctx, req) =>
      call('victim-identification', 'submitForIdentification', ctx, () => ({ reference: ref(req.database === 'ncmec-cvip' ? 'CVIP' : 'ICSE', ctx) })),
  };

  const isp: IspLegalProcessPort = {
    lookup: (ctx, req) =>
      call('isp', 'lookup', ctx, () => {
        const entry = REGISTRY.find((r) => req.ipAddress.toLowerCase().startsWith(r.prefix));
        // Where the tip says the address geolocates wins over the range's default: the registry knows the assignee's country.
        const country = req.countryHint ?? entry?.country;
        if (!country) return { provider: null };
        return { provider: providerName(country, entry?.kind ?? 'fixed'), country };
      }),
    preserveLogs: (ctx, req) =>
      call('isp', 'preserveLogs', ctx, () => {
        if (script(ctx.caseId).ispPreservation === 'refuse')
          throw new RejectedRequestError('isp', `${req.provider} refused to preserve: the request named no account it can find`);
        return { reference: ref('ISP-PRES', ctx) };
      }),
    authorise: (ctx, req) =>
      call('isp', 'authorise', ctx, () =>
        script(ctx.caseId).commsDataAuthorisation === 'refuse'
          ? { authorised: false as const, reason: 'necessity and proportionality not shown for the data sought' }
          : {
              authorised: true as const,
              reference: ref(req.urgent ? 'DSO' : 'OCDA', ctx),
              authority: req.urgent ? 'designated senior officer (s.61A)' : 'OCDA (s.60A)',
            },
      ),
    serve: async (ctx, req) => {
      const n = served(ctx.caseId);
      const decision = await call('isp', 'serve', ctx, (): ServedDecision => {
        const s = script(ctx.caseId);
        const days = (s.subscriberResponseDays?.[n] ?? 0) * req.dayScale;
        const answersAt = inDays(req.asOf, days);
        const base = { reference: ref(`SUB-${req.instrument.split('-')[0].toUpperCase()}`, ctx), answersAt };
        const gone = req.logsKeptUntil !== undefined && !req.preserved && Date.parse(req.logsKeptUntil) < Date.parse(answersAt);
        const country = s.subscriberCountry;
        if (s.subscriber && s.subscriber !== 'identified') return { ...base, outcome: s.subscriber, reason: scriptedReason(s.subscriber) };
        if (req.instrument === 'emergency-2702c4') {
          const disclose = s.emergencyRecords ? s.emergencyRecords === 'disclose' : chance(o.seed, ctx.idempotencyKey) >= o.emergencyRefusalRate;
          if (!disclose) return { ...base, outcome: 'refused', reason: 'the provider does not believe in good faith that an emergency requires disclosure' };
        }
        if (gone)
          return {
            ...base,
            outcome: 'no-data',
            reason: `${req.provider} no longer holds the logs for that time: they were deleted under its retention before it answered`,
          };
        // A § 2703(d) order reaches the carrier's NAT translation logs, which tell the subscribers sharing the address apart.
        if (!s.subscriber && isCgnat(req.provider) && req.port === undefined && req.instrument !== 'court-order-2703d') {
          return {
            ...base,
            outcome: 'ambiguous',
            reason: `${req.provider} shares that address among many subscribers (carrier-grade NAT); a source port is needed to tell them apart`,
          };
        }
        return { ...base, outcome: 'identified', ...(country ? { country } : {}) };
      });
      return { reference: decision.reference, answersAt: decision.answersAt };
    },
    collect: async (ctx, req) => {
      const servedWith = o.ledger
        .all({ caseId: ctx.caseId, system: 'isp', op: 'serve' })
        .find((e) => (e.result as ServedDecision | undefined)?.reference === req.reference);
      const decision = servedWith?.result as ServedDecision | undefined;
      if (!decision) throw new RejectedRequestError('isp', `${req.provider} has no process with reference ${req.reference}`);
      if (Date.parse(req.asOf) < Date.parse(decision.answersAt) - 1_000)
        throw new RejectedRequestError('isp', `${req.provider} has not answered ${req.reference} yet (due ${decision.answersAt})`);
      const answer = await call('isp', 'collect', ctx, () => ({ outcome: decision.outcome, reason: decision.reason, country: decision.country }));
      if (answer.outcome !== 'identified') return { outcome: answer.outcome, reason: answer.reason ?? `${req.provider} answered ${answer.outcome}` };
      const country = answer.country ?? providerCountry(req.provider);
      const place = CITIES[country] ?? { city: 'Capital City', region: '' };
      const n = parseInt(createHash('sha256').update(req.reference).digest('hex').slice(0, 6), 16);
      const address = `${(n % 180) + 1} ${STREETS[n % STREETS.length]}, ${place.city}${place.region ? `, ${place.region}` : ''}`;
      return { outcome: 'identified', subscriber: { country, ...(place.region ? { region: place.region } : {}), city: place.city, address } };
    },
  };

  return { childProtection, victimIdentification, isp };
}

function providerCountry(provider: string): string {
  for (const [country, names] of Object.entries(PROVIDERS)) if (names.fixed === provider || names.cgnat === provider) return country;
  return /\(([A-Z]{2})\)$/.exec(provider)?.[1] ?? 'US';
}

function scriptedReason(outcome: 'no-data' | 'refused' | 'ambiguous'): string {
  switch (outcome) {
    case 'no-data':
      return 'the provider holds no logs for that address at that time';
    case 'refused':
      return 'the provider refused: the process does not meet its legal requirements';
    case 'ambiguous':
      return 'the address was shared by several subscribers at that time (carrier-grade NAT)';
  }
}
