/**
 * The values no source gives a number for ("not found" in LEGAL-PROCESS.md): a deployment must set
 * them, and there is no default. They come from the deployment's policy file (CASEBRIDGE_POLICY_FILE,
 * checked against this schema when the worker starts); a case reads them through an activity, so the
 * value it acted on is in its history. A value left unset is never guessed: the case says so in its
 * timeline and goes on without that deadline.
 */
import { z } from 'zod';

const Days = z.number().int().positive().max(3650);
/** Where the deployment took the value from (a provider's law-enforcement guide, a court's practice, gov.uk). */
const Source = z.string().trim().min(1, { message: 'must say where the value comes from' }).max(500);
const IsoDay = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

export const DeploymentPolicySchema = z
  .object({
    /**
     * How long each provider keeps the logs that say which subscriber had an IP address (by the
     * provider's name as the IP registry gives it). No US retention mandate for IP logs; 30 days was
     * common [S]: never assumed.
     */
    providerLogRetention: z.record(z.string().trim().min(1).max(200), z.object({ days: Days, source: Source }).strict()).default({}),
    /** Public holidays on which a UK working day does not count (England and Wales unless the deployment says otherwise). */
    ukBankHolidays: z
      .object({ dates: z.array(IsoDay), source: Source })
      .strict()
      .optional(),
    /** Fed. R. Crim. P. 41(f)(1)(D): the warrant is returned "promptly" with the inventory — how many days this deployment means by it. */
    warrantReturn: z.object({ days: Days, source: Source }).strict().optional(),
    /** Fed. R. Crim. P. 41(e)(2)(B): the off-site review of seized electronic data within a reasonable time (a court may extend it). */
    offSiteReview: z.object({ days: Days, source: Source }).strict().optional(),
    /** Fed. R. Crim. P. 5(a): the arrested person before a magistrate judge "without unnecessary delay" — how many hours this deployment allows. */
    initialAppearance: z
      .object({ hours: z.number().int().positive().max(240), source: Source })
      .strict()
      .optional(),
  })
  .strict();
export type DeploymentPolicy = z.infer<typeof DeploymentPolicySchema>;

/** What each setting is, for the worker's start-up warnings and the timeline line when it is missing. */
export const DEPLOYMENT_SETTINGS: Record<keyof DeploymentPolicy, string> = {
  providerLogRetention: 'each provider’s IP log retention (no US retention mandate; 30 days was common [S])',
  ukBankHolidays: 'the UK bank holidays working days skip (a calendar no source here gives)',
  warrantReturn: 'the days Rule 41(f)(1)(D) "promptly" allows for the warrant’s return',
  offSiteReview: 'the days Rule 41(e)(2)(B) allows the off-site review of seized electronic data before a court extends it',
  initialAppearance: 'the hours Rule 5(a) "without unnecessary delay" allows before the initial appearance',
};

/** The line a case writes when it needs a setting the deployment has not made. */
export function notConfigured(setting: keyof DeploymentPolicy, detail = ''): string {
  return `no deployment policy for ${DEPLOYMENT_SETTINGS[setting]}${detail ? ` (${detail})` : ''}: set ${setting} in CASEBRIDGE_POLICY_FILE; no default is assumed`;
}
