/**
 * How long each external system is given, and how it is retried. A rejection (RejectedRequest) is
 * never retried. When attempts run out the case moves to NEEDS_ATTENTION with the reason, from which a
 * coordinator retries the step or closes the case: never endless retries, never a silent stall.
 */
import type { ActivityOptions } from '@temporalio/workflow';

const NON_RETRYABLE = ['RejectedRequest'];
/**
 * Every call heartbeats while in flight (activities/index.ts): a worker that dies mid-call is noticed
 * after this long, not after the system's start-to-close timeout.
 */
const HEARTBEAT = '20s';

export type SystemName =
  | 'assessment'
  | 'provider'
  | 'court'
  | 'agency'
  | 'centralAuthority'
  | 'diplomatic'
  | 'foreignPartner'
  | 'orders'
  | 'translation'
  | 'childProtection'
  | 'victimIdentification'
  | 'isp'
  | 'documents';

export const SYSTEM_ACTIVITY_OPTIONS: Record<SystemName, ActivityOptions> = {
  // In-house service: fast and usually up.
  assessment: {
    startToCloseTimeout: '30s',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // Provider portals rate-limit and go down for maintenance: back off further, for longer.
  provider: {
    startToCloseTimeout: '2m',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '15m', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // Court e-filing: slow, office hours; a filing must not be abandoned quickly.
  court: {
    startToCloseTimeout: '5m',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '30m', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  agency: {
    startToCloseTimeout: '1m',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // The central authority's case system: an internal government service, office hours.
  centralAuthority: {
    startToCloseTimeout: '5m',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '30m', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // Diplomatic transmission goes through the State Department's systems and embassies: slow, and a
  // note must not be given up on within hours — retry for about a day.
  diplomatic: {
    startToCloseTimeout: '10m',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '1m', backoffCoefficient: 2, maximumInterval: '2h', maximumAttempts: 16, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // The 24/7 network is staffed around the clock but spans time zones and links.
  foreignPartner: {
    startToCloseTimeout: '2m',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '15m', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // EU decentralised IT system (e-CODEX) and CLOUD Act order gateways: machine-to-machine, usually up.
  orders: {
    startToCloseTimeout: '2m',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // Child protective services and local authorities: a referral must get through; their intake runs around the clock but its systems go down.
  childProtection: {
    startToCloseTimeout: '2m',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10m', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // NCMEC CVIP / INTERPOL ICSE: national services, machine to machine.
  victimIdentification: {
    startToCloseTimeout: '5m',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '30m', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // ISPs' law-enforcement portals: like providers', rate-limited and sometimes down for maintenance.
  isp: {
    startToCloseTimeout: '2m',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '15m', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // A translation service can take hours for a long request.
  translation: {
    startToCloseTimeout: '4h',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '30s', backoffCoefficient: 2, maximumInterval: '1h', maximumAttempts: 8, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // CaseBridge's own document generator and store on the data dir: local, fast; a full or locked disk clears in minutes.
  documents: {
    startToCloseTimeout: '1m',
    heartbeatTimeout: HEARTBEAT,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
  },
};
