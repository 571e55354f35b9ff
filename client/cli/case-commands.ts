/**
 * `casebridge case …`: opening cases from tips, reading a case, and the coordinators' inputs, all
 * through the API with the stored login: the person acting is the one logged in (`--as ROLE` picks
 * among their roles). Every input is an update the case validates against its current stage.
 */
import type { Command } from 'commander';
import {
  ACTOR_KEYS,
  AddNoteSchema,
  AmendAndReapplySchema,
  CloseCaseSchema,
  ResolveJurisdictionSchema,
  RetryStepSchema,
  WithdrawSchema,
  type CaseStatus,
  type TimelineEntry,
} from '../../workflows/messages';
import { PolicyProfileSchema } from '../../workflows/policy';
import { TipSourceError, parseTips, tipWhere } from '../../intake/tips';
import { detectIntakeFormat } from '../../intake/ncmec';
import { TipSchema } from '../../workflows/tip';
import path from 'node:path';
import { ApiRefusal } from '../api-client';
import { CountryArgSchema, ProfileArgSchema, UnitSchema, arg, optionalArg, payload } from './args';
import { statusText, timelineRows, timelineText } from './case-text';
import { CliError, EXIT, badInput } from './errors';
import { print } from './output';
import { api, readCase, sendInput, withCommon, withTimeout, type Common, type Timed } from './session';
import { readTipBytes } from './tip-input';

interface StartResult {
  format: 'json' | 'array' | 'ndjson' | 'ncmec-xml' | 'ncmec-zip';
  results: (
    { position: number; line: number; caseId: string; status: 'started' | 'exists' } | { position: number; line: number; source?: string; error: string }
  )[];
}

/** Where an entry of the file is, as an error names it: a tip of a JSON file, or an NCMEC report (and its ZIP entry). */
function entryWhere(r: { position: number; line: number; source?: string }, format: StartResult['format']): string {
  if (format === 'ncmec-xml' || format === 'ncmec-zip') return `report ${r.position} (${r.source ? `${r.source}, ` : ''}line ${r.line})`;
  return tipWhere(r, format);
}

export function registerCaseCommands(program: Command): void {
  const caseCmd = program.command('case').description('open, inspect and steer cases (coordinators)');

  withCommon(caseCmd.command('start'))
    .description(
      'open a case per tip (one JSON tip, a JSON array, NDJSON, or NCMEC reports: XML or a ZIP of a report with its file details); a re-submitted tip reports "exists" and starts nothing',
    )
    .requiredOption('--tip <file>', 'tip file, or - for standard input')
    .option('--report-number <number>', 'NCMEC XML only: the report number NCMEC assigned, when the file does not carry it')
    .option('--profile <profile>', `policy profile: ${PolicyProfileSchema.options.join(', ')} (demo: a policy day lasts a second)`, 'standard')
    .option('--unit <unit>', 'the unit that opens (and owns) the cases, when your login carries several')
    .option('--as <role>', 'the role to act in, when your login carries several')
    .addHelpText(
      'after',
      '\nPrints "CASE_ID  started|exists" per tip (--json: [{"caseId","status"}]). An invalid tip is named by its\n' +
        'position, line and field on standard error and starts nothing; the valid ones are still started, then the exit code is 2.\n' +
        'A case id is printed only once Temporal has recorded the start: an accepted tip is never lost.',
    )
    .action(async (o: Common & { tip: string; profile: string; unit?: string; as?: string; reportNumber?: string }) => {
      const profile = arg(ProfileArgSchema, o.profile, '--profile');
      const unit = optionalArg(UnitSchema, o.unit, '--unit');
      const reportNumber = optionalArg(TipSchema.shape.ncmecReportNumber, o.reportNumber, '--report-number');
      const bytes = await readTipBytes(o.tip);
      const kind = detectIntakeFormat(o.tip, bytes.subarray(0, 256));
      const ncmec = kind === 'xml' || kind === 'zip';
      if (reportNumber && !ncmec) throw badInput('--report-number: only for NCMEC XML reports (a JSON tip carries its ncmecReportNumber)');
      // Parsed here too, so a file that is not tips at all is named by its flag before anything is sent.
      let format: StartResult['format'] = kind === 'zip' ? 'ncmec-zip' : 'ncmec-xml';
      if (!ncmec) {
        try {
          format = parseTips(bytes.toString('utf8')).format;
        } catch (err) {
          if (err instanceof TipSourceError) throw badInput(`--tip: ${err.message}`);
          throw err;
        }
      }
      const query = new URLSearchParams({
        profile,
        ...(unit ? { unit } : {}),
        ...(ncmec ? { name: path.basename(o.tip) } : {}),
        ...(reportNumber ? { reportNumber } : {}),
      });
      let answer: StartResult;
      let failed: CliError | undefined;
      try {
        answer = await api().call<StartResult>('POST', `/cases?${query.toString()}`, {
          raw: ncmec ? bytes : bytes.toString('utf8'),
          contentType: ncmec ? (kind === 'zip' ? 'application/zip' : 'application/xml') : format === 'ndjson' ? 'application/x-ndjson' : 'application/json',
          // A large batch is one request: wait as long as it takes (the API bounds each start).
          timeoutMs: 300_000,
          headers: o.as ? { 'casebridge-role': o.as } : {},
        });
      } catch (err) {
        // A batch stopped part-way (Temporal unreachable): what started is reported, then the failure.
        if (!(err instanceof ApiRefusal) || !Array.isArray(err.problem.results)) throw err;
        answer = { format: format, results: err.problem.results as StartResult['results'] };
        failed = err;
      }
      const results: { caseId: string; status: 'started' | 'exists' }[] = [];
      let invalid = 0;
      for (const r of answer.results) {
        if ('error' in r) {
          invalid++;
          process.stderr.write(`casebridge: ${entryWhere(r, answer.format)}: ${r.error}\n`);
          continue;
        }
        results.push({ caseId: r.caseId, status: r.status });
        if (!o.json) process.stdout.write(`${r.caseId}  ${r.status}\n`);
      }
      if (o.json) print(true, results, () => '');
      if (failed) throw failed;
      if (invalid > 0) process.exitCode = EXIT.badInput;
    });

  withTimeout(caseCmd.command('status'))
    .description('where a case stands: stage, outcome, what it waits for and from whom, deadlines, requests')
    .argument('<CASE_ID>')
    .action(async (id: string, o: Timed) => {
      const status = await readCase<CaseStatus>(id, 'status', o);
      print(!!o.json, status, () => statusText(status));
    });

  withTimeout(caseCmd.command('timeline'))
    .description('the case’s audit trail in order: stages, requests, responses, human inputs (--json: [{at, kind, stage, actor, actorId?, role?, detail}])')
    .argument('<CASE_ID>')
    .action(async (id: string, o: Timed) => {
      const timeline = await readCase<TimelineEntry[]>(id, 'timeline', o);
      print(!!o.json, timelineRows(timeline), () => timelineText(timeline));
    });

  const input = (name: string, description: string) => withTimeout(caseCmd.command(name)).description(description).argument('<CASE_ID>');

  input('resolve-jurisdiction', 'say where the suspect is (and, if not where the provider said, where the data is)')
    .requiredOption('--suspect-country <CC>', 'ISO 3166-1 alpha-2 code, e.g. US')
    .option('--data-country <CC>', 'where the data is held, if not where the provider said')
    .option('--reason <text>', 'what the decision rests on')
    .action(async (id: string, o: Timed & { suspectCountry: string; dataCountry?: string; reason?: string }) => {
      const flags = { suspectCountry: '--suspect-country', dataCountry: '--data-country', reason: '--reason' };
      const u = payload(
        ResolveJurisdictionSchema.omit(ACTOR_KEYS),
        {
          suspectCountry: arg(CountryArgSchema, o.suspectCountry, '--suspect-country'),
          dataCountry: optionalArg(CountryArgSchema, o.dataCountry, '--data-country'),
          reason: o.reason,
        },
        flags,
      );
      await sendInput(id, o, 'resolve-jurisdiction', u, flags, () => `jurisdiction resolved (suspect in ${u.suspectCountry})`);
    });

  input('note', 'add a note to the case’s timeline (any stage while the case is open)')
    .requiredOption('--text <text>', 'the note')
    .action(async (id: string, o: Timed & { text: string }) => {
      const flags = { text: '--text' };
      await sendInput(id, o, 'notes', payload(AddNoteSchema.omit(ACTOR_KEYS), { text: o.text }, flags), flags, () => 'note added');
    });

  input('withdraw', 'close the case as WITHDRAWN: outstanding requests are withdrawn and preservation released')
    .requiredOption('--reason <text>', 'why the case is withdrawn')
    .action(async (id: string, o: Timed & { reason: string }) => {
      const flags = { reason: '--reason' };
      await sendInput(id, o, 'withdraw', payload(WithdrawSchema.omit(ACTOR_KEYS), { reason: o.reason }, flags), flags, () => 'withdrawal accepted');
    });

  input('amend-reapply', 'after a denied or expired search warrant, file an amended application (as many as the policy allows)')
    .requiredOption('--amendment <text>', 'what the amended application changes')
    .action(async (id: string, o: Timed & { amendment: string }) => {
      const flags = { amendment: '--amendment' };
      await sendInput(
        id,
        o,
        'amend-reapply',
        payload(AmendAndReapplySchema.omit(ACTOR_KEYS), { amendment: o.amendment }, flags),
        flags,
        () => 'amended application accepted',
      );
    });

  input('retry', 'retry the step a case in NEEDS_ATTENTION is stuck on')
    .option('--reason <text>', 'what changed since it failed')
    .action(async (id: string, o: Timed & { reason?: string }) => {
      const flags = { reason: '--reason' };
      await sendInput(id, o, 'retry', payload(RetryStepSchema.omit(ACTOR_KEYS), { reason: o.reason }, flags), flags, () => 'retry accepted');
    });

  input('close', 'close a case in NEEDS_ATTENTION whose failed step cannot be completed (outcome UNRESOLVED); compensations run as for a withdrawal')
    .requiredOption('--reason <text>', 'why the step cannot be completed')
    .action(async (id: string, o: Timed & { reason: string }) => {
      const flags = { reason: '--reason' };
      await sendInput(id, o, 'close', payload(CloseCaseSchema.omit(ACTOR_KEYS), { reason: o.reason }, flags), flags, () => 'closure accepted');
    });
}
