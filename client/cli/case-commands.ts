/**
 * `casebridge case …`: opening cases from tips, reading a case, and the coordinators' inputs. Every
 * input is an update the case workflow validates against its current stage (workflows/case.ts).
 */
import type { Command } from 'commander';
import {
  AddNoteSchema,
  AmendAndReapplySchema,
  CloseCaseSchema,
  ResolveJurisdictionSchema,
  RetryStepSchema,
  ROLES,
  WithdrawSchema,
  addNote,
  amendAndReapply,
  closeCase,
  resolveJurisdiction,
  retryStep,
  statusQuery,
  timelineQuery,
  withdraw,
} from '../../workflows/messages';
import { PolicyProfileSchema } from '../../workflows/policy';
import { startCase } from '../cases';
import { loadConfig } from '../config';
import { CountryArgSchema, ProfileArgSchema, arg, optionalArg, payload } from './args';
import { statusText, timelineRows, timelineText } from './case-text';
import { CliError, EXIT, toCliError } from './errors';
import { print } from './output';
import { queryCase, sendInput, temporal, withCommon, withTimeout, type Common, type Timed } from './session';
import { parseTips, readTipSource } from './tip-input';

const ROLE_HELP = `the role you act in: ${ROLES.join(', ')} (the case says which roles may give this input)`;

/** The flags of the fields every input carries. */
const ACTOR_FLAGS = { actor: '--actor', role: '--role' };

interface Actor {
  actor: string;
  role: string;
}

export function registerCaseCommands(program: Command): void {
  const caseCmd = program.command('case').description('open, inspect and steer cases (coordinators)');

  withCommon(caseCmd.command('start'))
    .description('open a case per tip (one JSON tip, a JSON array, or NDJSON); a re-submitted tip reports "exists" and starts nothing')
    .requiredOption('--tip <file>', 'tip file, or - for standard input')
    .option('--profile <profile>', `policy profile: ${PolicyProfileSchema.options.join(', ')} (demo: a policy day lasts a second)`, 'standard')
    .addHelpText(
      'after',
      '\nPrints "CASE_ID  started|exists" per tip (--json: [{"caseId","status"}]). An invalid tip is named by its\n' +
        'position and field on standard error and starts nothing; the valid ones are still started, then the exit code is 2.\n' +
        'A case id is printed only once Temporal has recorded the start: an accepted tip is never lost.',
    )
    .action(async (o: Common & { tip: string; profile: string }) => {
      const profile = arg(ProfileArgSchema, o.profile, '--profile');
      const entries = parseTips(await readTipSource(o.tip));
      const config = loadConfig();
      const results: { caseId: string; status: 'started' | 'exists' }[] = [];
      let invalid = 0;
      let failed: CliError | undefined;
      for (const e of entries) {
        if ('error' in e) {
          invalid++;
          process.stderr.write(`casebridge: tip ${e.position}: ${e.error}\n`);
          continue;
        }
        try {
          const r = await startCase(await temporal(), e.tip, { taskQueue: config.CASEBRIDGE_TASK_QUEUE, profile, homeCountry: config.CASEBRIDGE_HOME_COUNTRY });
          results.push(r);
          if (!o.json) process.stdout.write(`${r.caseId}  ${r.status}\n`);
        } catch (err) {
          const cause = toCliError(err);
          failed = new CliError(`tip ${e.position}${e.position < entries.length ? ' and the tips after it' : ''}: not started: ${cause.message}`, cause.exitCode);
          break;
        }
      }
      if (o.json) print(true, results, () => '');
      if (failed) throw failed;
      if (invalid > 0) process.exitCode = EXIT.badInput;
    });

  withTimeout(caseCmd.command('status'))
    .description('where a case stands: stage, outcome, what it waits for and from whom, deadlines, requests')
    .argument('<CASE_ID>')
    .action(async (id: string, o: Timed) => {
      const { value: status } = await queryCase(id, o, (h) => h.query(statusQuery));
      print(!!o.json, status, () => statusText(status));
    });

  withTimeout(caseCmd.command('timeline'))
    .description('the case’s audit trail in order: stages, requests, responses, human inputs (--json: [{at, kind, stage, actor, detail}])')
    .argument('<CASE_ID>')
    .action(async (id: string, o: Timed) => {
      const { value: timeline } = await queryCase(id, o, (h) => h.query(timelineQuery));
      print(!!o.json, timelineRows(timeline), () => timelineText(timeline));
    });

  const input = (name: string, description: string) =>
    withTimeout(caseCmd.command(name))
      .description(description)
      .argument('<CASE_ID>')
      .requiredOption('--actor <name>', 'who you are (recorded in the timeline)')
      .option('--role <role>', ROLE_HELP, 'coordinator');

  input('resolve-jurisdiction', 'say where the suspect is (and, if not where the provider said, where the data is)')
    .requiredOption('--suspect-country <CC>', 'ISO 3166-1 alpha-2 code, e.g. US')
    .option('--data-country <CC>', 'where the data is held, if not where the provider said')
    .option('--reason <text>', 'what the decision rests on')
    .action(async (id: string, o: Timed & Actor & { suspectCountry: string; dataCountry?: string; reason?: string }) => {
      const flags = { ...ACTOR_FLAGS, suspectCountry: '--suspect-country', dataCountry: '--data-country', reason: '--reason' };
      const u = payload(
        ResolveJurisdictionSchema,
        {
          actor: o.actor,
          role: o.role,
          suspectCountry: arg(CountryArgSchema, o.suspectCountry, '--suspect-country'),
          dataCountry: optionalArg(CountryArgSchema, o.dataCountry, '--data-country'),
          reason: o.reason,
        },
        flags,
      );
      await sendInput(id, o, resolveJurisdiction, u, flags, () => `jurisdiction resolved (suspect in ${u.suspectCountry})`);
    });

  input('note', 'add a note to the case’s timeline (any stage while the case is open)')
    .requiredOption('--text <text>', 'the note')
    .action(async (id: string, o: Timed & Actor & { text: string }) => {
      const flags = { ...ACTOR_FLAGS, text: '--text' };
      const u = payload(AddNoteSchema, { actor: o.actor, role: o.role, text: o.text }, flags);
      await sendInput(id, o, addNote, u, flags, () => 'note added');
    });

  input('withdraw', 'close the case as WITHDRAWN: outstanding requests are withdrawn and preservation released')
    .requiredOption('--reason <text>', 'why the case is withdrawn')
    .action(async (id: string, o: Timed & Actor & { reason: string }) => {
      const flags = { ...ACTOR_FLAGS, reason: '--reason' };
      const u = payload(WithdrawSchema, { actor: o.actor, role: o.role, reason: o.reason }, flags);
      await sendInput(id, o, withdraw, u, flags, () => 'withdrawal accepted');
    });

  input('amend-reapply', 'after a denied or expired search warrant, file an amended application (as many as the policy allows)')
    .requiredOption('--amendment <text>', 'what the amended application changes')
    .action(async (id: string, o: Timed & Actor & { amendment: string }) => {
      const flags = { ...ACTOR_FLAGS, amendment: '--amendment' };
      const u = payload(AmendAndReapplySchema, { actor: o.actor, role: o.role, amendment: o.amendment }, flags);
      await sendInput(id, o, amendAndReapply, u, flags, () => 'amended application accepted');
    });

  input('retry', 'retry the step a case in NEEDS_ATTENTION is stuck on')
    .option('--reason <text>', 'what changed since it failed')
    .action(async (id: string, o: Timed & Actor & { reason?: string }) => {
      const flags = { ...ACTOR_FLAGS, reason: '--reason' };
      const u = payload(RetryStepSchema, { actor: o.actor, role: o.role, reason: o.reason }, flags);
      await sendInput(id, o, retryStep, u, flags, () => 'retry accepted');
    });

  input('close', 'close a case in NEEDS_ATTENTION whose failed step cannot be completed (outcome UNRESOLVED); compensations run as for a withdrawal')
    .requiredOption('--reason <text>', 'why the step cannot be completed')
    .action(async (id: string, o: Timed & Actor & { reason: string }) => {
      const flags = { ...ACTOR_FLAGS, reason: '--reason' };
      const u = payload(CloseCaseSchema, { actor: o.actor, role: o.role, reason: o.reason }, flags);
      await sendInput(id, o, closeCase, u, flags, () => 'closure accepted');
    });
}
