#!/usr/bin/env node
/**
 * `casebridge`: the command line for coordinators, liaisons, managers and operators. Command names,
 * flags, JSON shapes and exit codes are a contract other teams script against (see README).
 */
import { Command, CommanderError, Option } from 'commander';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { loadConfig } from './config';
import { connectClient } from './connection';
import { startCase } from './cases';
import { logger } from './logger';
import { ActorSchema, CaseIdSchema, CountryArgSchema, DurationSchema, PartyArgSchema, PriorityArgSchema, StageArgSchema, arg, optionalArg } from './cli/args';
import { CliError, EXIT, badInput, toCliError } from './cli/errors';
import { dueDeadlines, listCases, stalledCases, type CaseFilter } from './cli/manager-views';
import { formatIdle, print, table } from './cli/output';
import { parseTips, readTipSource } from './cli/tip-input';
import {
  addNote,
  amendAndReapply,
  resolveJurisdiction,
  retryStep,
  statusQuery,
  timelineQuery,
  withdraw,
  type CaseStatus,
} from '../workflows/messages';

interface Common {
  json?: boolean;
  debug?: boolean;
}

let client: Client | undefined;
async function temporal(): Promise<Client> {
  client ??= await connectClient();
  return client;
}

async function caseHandle(caseIdArg: string): Promise<{ caseId: string; handle: WorkflowHandle }> {
  const caseId = arg(CaseIdSchema, caseIdArg, 'CASE_ID');
  const handle = (await temporal()).workflow.getHandle(caseId);
  return { caseId, handle };
}

function statusText(s: CaseStatus): string {
  const lines = [
    `case      ${s.caseId}`,
    `suspect   ${s.suspect.screenName ?? '-'} (${s.suspect.espIdentifier})${s.suspect.ipAddresses.length ? `  IP ${s.suspect.ipAddresses.join(', ')}` : ''}`,
    `stage     ${s.stage}${s.outcome ? ` (${s.outcome}: ${s.outcomeReason})` : ''}`,
    `priority  ${s.priority ?? '-'}    suspect in ${s.suspectCountry ?? 'unknown'}    data in ${s.dataCountry ?? 'unknown'}`,
    `awaiting  ${s.awaiting ?? '-'}${s.waitingFor ? ` — ${s.waitingFor}` : ''}`,
  ];
  if (s.attention) lines.push(`attention ${s.attention.step}: ${s.attention.reason}`);
  if (s.linkedCases.length) lines.push(`linked    ${s.linkedCases.join(', ')}`);
  if (s.deadlines.length) lines.push('', table(['deadline', 'due'], s.deadlines.map((d) => [d.name, d.dueAt])));
  if (s.requests.length) lines.push('', table(['request', 'kind', 'status', 'awaiting'], s.requests.map((r) => [r.requestId, r.kind, r.status, r.awaiting])));
  return lines.join('\n');
}

/** Runs a coordinator's input as a validated update; prints the case's new status. */
async function sendInput(caseIdArg: string, opts: Common, send: (h: WorkflowHandle) => Promise<CaseStatus>, done: string): Promise<void> {
  const { caseId, handle } = await caseHandle(caseIdArg);
  try {
    const status = await send(handle);
    print(!!opts.json, status, () => `${caseId}: ${done}; now in ${status.stage}${status.awaiting ? `, awaiting ${status.awaiting}` : ''}`);
  } catch (err) {
    // Temporal answers "not found" for an update to a closed workflow: tell the two apart.
    if (err instanceof WorkflowNotFoundError) {
      const closed = await handle.describe().then((d) => d.status.name !== 'RUNNING', () => false);
      if (closed) throw badInput(`case ${caseId} is closed and accepts no more input`);
    }
    throw toCliError(err, caseId);
  }
}

function filterFrom(o: { stage?: string; country?: string; priority?: string; awaiting?: string; open?: boolean; closed?: boolean }): CaseFilter {
  if (o.open && o.closed) throw badInput('--open and --closed exclude each other');
  return {
    stage: optionalArg(StageArgSchema, o.stage, '--stage'),
    country: optionalArg(CountryArgSchema, o.country, '--country'),
    priority: optionalArg(PriorityArgSchema, o.priority, '--priority'),
    awaiting: optionalArg(PartyArgSchema, o.awaiting, '--awaiting'),
    state: o.open ? 'open' : o.closed ? 'closed' : undefined,
  };
}

function withCommon(cmd: Command): Command {
  return cmd.option('--json', 'machine-readable output').option('--debug', 'stack traces on errors');
}

export function buildProgram(): Command {
  const program = new Command('casebridge')
    .description('CaseBridge: CyberTipline tips to arrest, extradition or transfer of proceedings, one durable case each')
    .showHelpAfterError(false)
    .exitOverride();

  const caseCmd = program.command('case').description('open, inspect and steer cases').exitOverride();

  withCommon(caseCmd.command('start'))
    .description('open a case per tip (one JSON tip, a JSON array, or NDJSON); re-submitted tips report "exists"')
    .requiredOption('--tip <file>', 'tip file, or - for standard input')
    .addOption(new Option('--profile <profile>', 'policy profile').choices(['standard', 'demo']).default('standard'))
    .action(async (o: Common & { tip: string; profile: 'standard' | 'demo' }) => {
      const entries = parseTips(await readTipSource(o.tip));
      const config = loadConfig();
      const results: { caseId: string; status: 'started' | 'exists' }[] = [];
      const invalid: string[] = [];
      for (const e of entries) {
        if ('error' in e) {
          invalid.push(`tip ${e.position}: ${e.error}`);
          continue;
        }
        // Printed only after Temporal recorded the start: an accepted tip is never lost.
        results.push(await startCase(await temporal(), e.tip, { taskQueue: config.CASEBRIDGE_TASK_QUEUE, profile: o.profile, homeCountry: config.CASEBRIDGE_HOME_COUNTRY }));
      }
      print(!!o.json, results, () => results.map((r) => `${r.caseId}  ${r.status}`).join('\n'));
      if (invalid.length > 0) {
        for (const line of invalid) process.stderr.write(`casebridge: ${line}\n`);
        process.exitCode = EXIT.badInput;
      }
    });

  withCommon(caseCmd.command('status'))
    .description('where a case stands: stage, outcome, what it waits for, deadlines, requests')
    .argument('<CASE_ID>')
    .action(async (id: string, o: Common) => {
      const { caseId, handle } = await caseHandle(id);
      const status = await handle.query(statusQuery).catch((err: unknown) => {
        throw toCliError(err, caseId);
      });
      print(!!o.json, status, () => statusText(status));
    });

  withCommon(caseCmd.command('timeline'))
    .description('the case’s audit trail: stages, requests, responses and human inputs, in order')
    .argument('<CASE_ID>')
    .action(async (id: string, o: Common) => {
      const { caseId, handle } = await caseHandle(id);
      const timeline = await handle.query(timelineQuery).catch((err: unknown) => {
        throw toCliError(err, caseId);
      });
      const rows = timeline.map(({ at, kind, stage, actor, detail }) => ({ at, kind, stage, actor, detail }));
      print(!!o.json, rows, () => table(['at', 'stage', 'kind', 'actor', 'detail'], rows.map((e) => [e.at, e.stage, e.kind, e.actor, e.detail])));
    });

  const roleOption = (def: 'coordinator' | 'manager') =>
    new Option('--role <role>', 'the role you act in').choices(['coordinator', 'manager']).default(def);

  withCommon(caseCmd.command('resolve-jurisdiction'))
    .description('coordinator: say where the suspect (and the data) is')
    .argument('<CASE_ID>')
    .requiredOption('--suspect-country <CC>', 'ISO 3166-1 alpha-2')
    .option('--data-country <CC>', 'where the data is held, if not where the provider said')
    .option('--reason <text>')
    .requiredOption('--actor <name>')
    .addOption(roleOption('coordinator'))
    .action(async (id: string, o: Common & { suspectCountry: string; dataCountry?: string; reason?: string; actor: string; role: 'coordinator' | 'manager' }) => {
      const input = {
        actor: arg(ActorSchema, o.actor, '--actor'),
        role: o.role,
        suspectCountry: arg(CountryArgSchema, o.suspectCountry, '--suspect-country'),
        ...(o.dataCountry ? { dataCountry: arg(CountryArgSchema, o.dataCountry, '--data-country') } : {}),
        ...(o.reason ? { reason: o.reason } : {}),
      };
      await sendInput(id, o, (h) => h.executeUpdate(resolveJurisdiction, { args: [input] }), `jurisdiction resolved (${input.suspectCountry})`);
    });

  withCommon(caseCmd.command('note'))
    .description('add a note to the case’s timeline')
    .argument('<CASE_ID>')
    .requiredOption('--text <text>')
    .requiredOption('--actor <name>')
    .addOption(new Option('--role <role>').choices(['coordinator', 'liaison', 'manager']).default('coordinator'))
    .action(async (id: string, o: Common & { text: string; actor: string; role: 'coordinator' | 'liaison' | 'manager' }) => {
      const input = { actor: arg(ActorSchema, o.actor, '--actor'), role: o.role, text: o.text };
      await sendInput(id, o, (h) => h.executeUpdate(addNote, { args: [input] }), 'note added');
    });

  withCommon(caseCmd.command('withdraw'))
    .description('close the case as WITHDRAWN: outstanding requests are withdrawn and preservation released')
    .argument('<CASE_ID>')
    .requiredOption('--reason <text>')
    .requiredOption('--actor <name>')
    .addOption(roleOption('coordinator'))
    .action(async (id: string, o: Common & { reason: string; actor: string; role: 'coordinator' | 'manager' }) => {
      const input = { actor: arg(ActorSchema, o.actor, '--actor'), role: o.role, reason: o.reason };
      await sendInput(id, o, (h) => h.executeUpdate(withdraw, { args: [input] }), 'withdrawal accepted');
    });

  withCommon(caseCmd.command('amend-reapply'))
    .description('coordinator: after a denied or expired search warrant, file an amended application')
    .argument('<CASE_ID>')
    .requiredOption('--amendment <text>', 'what the amended application changes')
    .requiredOption('--actor <name>')
    .action(async (id: string, o: Common & { amendment: string; actor: string }) => {
      const input = { actor: arg(ActorSchema, o.actor, '--actor'), role: 'coordinator' as const, amendment: o.amendment };
      await sendInput(id, o, (h) => h.executeUpdate(amendAndReapply, { args: [input] }), 'amended application accepted');
    });

  withCommon(caseCmd.command('retry'))
    .description('coordinator: retry the step a case in NEEDS_ATTENTION is stuck on')
    .argument('<CASE_ID>')
    .option('--reason <text>')
    .requiredOption('--actor <name>')
    .action(async (id: string, o: Common & { reason?: string; actor: string }) => {
      const input = { actor: arg(ActorSchema, o.actor, '--actor'), role: 'coordinator' as const, ...(o.reason ? { reason: o.reason } : {}) };
      await sendInput(id, o, (h) => h.executeUpdate(retryStep, { args: [input] }), 'retry accepted');
    });

  const caseRows = (rows: Awaited<ReturnType<typeof listCases>>) =>
    table(
      ['case', 'stage', 'outcome', 'P', 'suspect', 'data', 'awaiting', 'next deadline'],
      rows.map((r) => [r.caseId, r.stage, r.outcome, r.priority, r.suspectCountry, r.dataCountry, r.awaiting, r.nextDeadline ? `${r.nextDeadline.name} ${r.nextDeadline.dueAt}` : null]),
    );

  withCommon(program.command('cases'))
    .description('manager (read-only): cases by stage, country, priority, open or closed')
    .option('--stage <stage>')
    .option('--country <CC>', 'suspect or data country')
    .option('--priority <1|2|3>')
    .option('--open', 'open cases only')
    .option('--closed', 'closed cases only')
    .action(async (o: Common & { stage?: string; country?: string; priority?: string; open?: boolean; closed?: boolean }) => {
      const rows = await listCases(await temporal(), filterFrom(o));
      print(!!o.json, rows, () => caseRows(rows));
    });

  withCommon(program.command('stalled'))
    .description('manager (read-only): open cases whose stage has not changed for longer than --idle, most idle first')
    .option('--idle <duration>', 'e.g. 30d, 12h', '30d')
    .option('--stage <stage>')
    .option('--country <CC>')
    .option('--awaiting <party>')
    .action(async (o: Common & { idle: string; stage?: string; country?: string; awaiting?: string }) => {
      const idleMs = arg(DurationSchema, o.idle, '--idle');
      const rows = await stalledCases(await temporal(), filterFrom(o), idleMs);
      print(!!o.json, rows, () =>
        table(['case', 'stage', 'idle', 'awaiting', 'suspect', 'data', 'P'], rows.map((r) => [r.caseId, r.stage, formatIdle(r.idleMs), r.awaiting, r.suspectCountry, r.dataCountry, r.priority])),
      );
    });

  withCommon(program.command('deadlines'))
    .description('manager (read-only): each open case’s next deadline due within --within (overdue included), soonest first')
    .option('--within <duration>', 'e.g. 7d', '7d')
    .action(async (o: Common & { within: string }) => {
      const rows = await dueDeadlines(await temporal(), arg(DurationSchema, o.within, '--within'));
      const out = rows.map((r) => ({ caseId: r.caseId, name: r.nextDeadline!.name, dueAt: r.nextDeadline!.dueAt, stage: r.stage, awaiting: r.awaiting }));
      print(!!o.json, out, () => table(['due', 'deadline', 'case', 'stage', 'awaiting'], out.map((d) => [d.dueAt, d.name, d.caseId, d.stage, d.awaiting])));
    });

  program
    .command('up')
    .description('operator: the embedded Temporal server (.data/) with the web UI, and a worker (as `make up`)')
    .action(async () => (await import('../worker/up')).run());
  program
    .command('worker')
    .description('operator: a worker for the Temporal service in TEMPORAL_ADDRESS / envconfig (as `make worker`)')
    .action(async () => (await import('../worker/main')).run());

  return program;
}

export async function run(argv: string[] = process.argv): Promise<number> {
  const debug = argv.includes('--debug');
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are not errors; anything else commander rejects is bad input.
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.badInput; // commander has already printed its one-line message
    }
    const cliErr = toCliError(err);
    process.stderr.write(`casebridge: ${cliErr.message}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    if (!(err instanceof CliError)) logger().debug({ err }, 'command failed');
    return cliErr.exitCode;
  } finally {
    await client?.connection.close().catch(() => undefined);
  }
}

if (require.main === module) {
  run().then((code) => {
    process.exitCode = code;
  });
}
