/**
 * Sample tips may steer the simulated systems down a chosen path (a court that denies, a provider
 * that refuses) with directives of the form `casebridge-sim:KEY=VALUE`, e.g.
 * `casebridge-sim:searchWarrants=deny,grant`, in the tip's `simulatorDirectives` (a CaseBridge field,
 * not an NCMEC one; an NCMEC XML report carries them in its `<receivedReport>` envelope). Tips inside
 * cases started before that field existed carry them among their `reportAnnotations`: both are read.
 * Only the simulators read them; a real system ignores them. A script given by configuration for the
 * same case wins over the tip's directives.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CaseScriptSchema, type CaseScript } from './script';

export const DIRECTIVE_PREFIX = 'casebridge-sim:';

const LISTS = new Set([
  'searchWarrants',
  'executionDelaysDays',
  'centralAuthorityReviews',
  'centralAuthorityReviewDays',
  'rejectOps',
  'contentIndicators',
  'subscriberResponseDays',
]);
const NUMBERS = new Set(['priority', 'executionDelaysDays', 'centralAuthorityReviewDays', 'subscriberResponseDays']);

/** The directives a tip carries, in either place (see above). */
export function tipDirectives(tip: { simulatorDirectives?: readonly string[]; incidentSummary: { reportAnnotations?: readonly string[] } }): string[] {
  const legacy = (tip.incidentSummary.reportAnnotations ?? []).filter((a) => a.startsWith(DIRECTIVE_PREFIX));
  return [...legacy, ...(tip.simulatorDirectives ?? [])];
}

/** The script a tip's directives ask for (empty when none); a malformed directive is an error naming it. */
export function scriptFromDirectives(directives: readonly string[]): CaseScript {
  const raw: Record<string, unknown> = {};
  for (const a of directives) {
    if (!a.startsWith(DIRECTIVE_PREFIX)) continue;
    const m = /^([A-Za-z]+)=(.*)$/.exec(a.slice(DIRECTIVE_PREFIX.length));
    if (!m) throw new Error(`directive '${a}': expected ${DIRECTIVE_PREFIX}KEY=VALUE`);
    const [, key, value] = m as unknown as [string, string, string];
    const scalar = (v: string): unknown => (NUMBERS.has(key) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v === 'null' ? null : v);
    raw[key] = LISTS.has(key) ? value.split(',').filter(Boolean).map(scalar) : scalar(value);
  }
  const parsed = CaseScriptSchema.strict().safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`directive ${DIRECTIVE_PREFIX}${issue.path.join('.') || (issue as z.core.$ZodIssueUnrecognizedKeys).keys?.join(',')}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * The scripts sample tips asked for, by case id, kept durably beside the ledger (not in it: the
 * ledger holds requests received, one line each) so a restarted worker follows the same path.
 */
export class TipScripts {
  private readonly scripts = new Map<string, CaseScript>();

  constructor(private readonly file?: string) {
    if (file && fs.existsSync(file)) {
      for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const { caseId, script } = JSON.parse(line) as { caseId: string; script: CaseScript };
          this.scripts.set(caseId, script);
        } catch {
          // A line torn by a crash: the assessment that wrote it was retried and wrote it again.
        }
      }
    }
  }

  /** The file beside a ledger file. */
  static besideLedger(ledgerPath: string | undefined): string | undefined {
    return ledgerPath ? path.join(path.dirname(ledgerPath), `${path.basename(ledgerPath, '.jsonl')}.tip-scripts.jsonl`) : undefined;
  }

  get(caseId: string): CaseScript | undefined {
    return this.scripts.get(caseId);
  }

  set(caseId: string, script: CaseScript): void {
    if (JSON.stringify(this.scripts.get(caseId)) === JSON.stringify(script)) return;
    if (this.file) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const fd = fs.openSync(this.file, 'a');
      try {
        fs.writeSync(fd, JSON.stringify({ caseId, script }) + '\n');
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    this.scripts.set(caseId, script);
  }
}
