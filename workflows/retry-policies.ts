/**
 * How long each external system is given, and how it is retried. A rejection (RejectedRequest) is
 * never retried. When attempts run out the case moves to NEEDS_ATTENTION with the reason, from which a
 * coordinator retries the step or closes the case: never endless retries, never a silent stall.
 */
import type { ActivityOptions } from '@temporalio/workflow';

const NON_RETRYABLE = ['RejectedRequest'];

export type SystemName = 'assessment' | 'provider' | 'court' | 'agency';

export const SYSTEM_ACTIVITY_OPTIONS: Record<SystemName, ActivityOptions> = {
  // In-house service: fast and usually up.
  assessment: {
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // Provider portals rate-limit and go down for maintenance: back off further, for longer.
  provider: {
    startToCloseTimeout: '2m',
    retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '15m', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  // Court e-filing: slow, office hours; a filing must not be abandoned quickly.
  court: {
    startToCloseTimeout: '5m',
    retry: { initialInterval: '10s', backoffCoefficient: 2, maximumInterval: '30m', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
  },
  agency: {
    startToCloseTimeout: '1m',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE },
  },
};
