#!/usr/bin/env node
/**
 * `casebridge`: the command line for coordinators, liaisons, managers and operators. Command names,
 * flags, JSON shapes and exit codes are a contract other teams script against (README, "The
 * casebridge command line"): 0 success, 1 failure, 2 bad input; errors are one line on standard
 * error, naming the field, case or stage at fault; `--debug` adds the stack trace.
 */
import { Command, CommanderError } from 'commander';
import pino from 'pino';
import { createLogger } from '../platform/logger';
import { registerCaseCommands } from './cli/case-commands';
import { registerDocumentCommands } from './cli/document-commands';
import { CliError, EXIT, toCliError } from './cli/errors';
import { registerIdentityCommands } from './cli/identity-commands';
import { registerManagerCommands } from './cli/manager-commands';
import { registerPostArrestCommands } from './cli/post-arrest-commands';
import { registerPreWarrantCommands } from './cli/pre-warrant-commands';
import { registerRespondCommand } from './cli/respond-command';

export function buildProgram(): Command {
  const program = new Command('casebridge')
    .description('CaseBridge: CyberTipline tips to arrest, extradition or transfer of proceedings, one durable case each')
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 failure (the API, Temporal or a worker unreachable), 2 bad input (including no login, or a role that may not).\n' +
        'People’s commands go through the API (CASEBRIDGE_API_URL, default http://127.0.0.1:8240) as the person logged in with `casebridge login`.\n' +
        'Operators’ commands (up, worker, users, audit verify) use TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_*, TEMPORAL_API_KEY, TEMPORAL_PROFILE and CASEBRIDGE_DATA_DIR.',
    )
    // Inherited by every subcommand created below: parse errors become one `casebridge: …` line and exit 2.
    .exitOverride()
    .configureOutput({ outputError: (message, write) => write(`casebridge: ${message.replace(/^error: /, '')}`) });

  registerCaseCommands(program);
  registerDocumentCommands(program);
  registerPreWarrantCommands(program);
  registerPostArrestCommands(program);
  registerRespondCommand(program);
  registerManagerCommands(program);
  registerIdentityCommands(program);

  program
    .command('up')
    .description('operator: the embedded Temporal server on .data/ with the web UI, and a worker (what `make up` runs); Ctrl-C stops')
    .action(async () => (await import('../worker/up')).run());
  program
    .command('worker')
    .description('operator: a worker for the Temporal service in TEMPORAL_ADDRESS / envconfig (what `make worker` runs)')
    .action(async () => (await import('../worker/main')).run());

  return program;
}

export async function run(argv: string[] = process.argv): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are answers, not errors; help shown because a subcommand is missing is bad input.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
      return EXIT.badInput; // commander has already printed its one line
    }
    const cliErr = toCliError(err);
    process.stderr.write(`casebridge: ${cliErr.message}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    if (!(err instanceof CliError)) {
      // Standard output is for answers (--json); diagnostics go to standard error, redacted.
      createLogger({ destination: pino.destination(2), level: debug ? 'debug' : undefined }).debug({ err }, 'command failed');
    }
    return cliErr.exitCode;
  }
}

if (require.main === module) {
  void run().then((code) => {
    process.exitCode = code;
  });
}
