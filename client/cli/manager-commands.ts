/**
 * The managers' read-only views: `cases`, `stalled`, `deadlines`. Answered from visibility (the
 * search attributes the case workflow keeps current), never by querying each case; they send a case
 * nothing.
 */
import type { Command } from 'commander';
import { PARTIES, STAGES } from '../../workflows/messages';
import { CountryArgSchema, DurationSchema, PartyArgSchema, PriorityArgSchema, StageArgSchema, arg, optionalArg } from './args';
import { badInput } from './errors';
import { dueDeadlines, listCases, stalledCases, type CaseFilter } from './manager-views';
import { formatIdle, print, table } from './output';
import { temporal, withCommon, type Common } from './session';

interface FilterFlags {
  stage?: string;
  country?: string;
  priority?: string;
  awaiting?: string;
  open?: boolean;
  closed?: boolean;
}

function filterFrom(o: FilterFlags): CaseFilter {
  if (o.open && o.closed) throw badInput('--open and --closed exclude each other');
  return {
    stage: optionalArg(StageArgSchema, o.stage, '--stage'),
    country: optionalArg(CountryArgSchema, o.country, '--country'),
    priority: optionalArg(PriorityArgSchema, o.priority, '--priority'),
    awaiting: optionalArg(PartyArgSchema, o.awaiting, '--awaiting'),
    state: o.open ? 'open' : o.closed ? 'closed' : undefined,
  };
}

const STAGE_HELP = `one of ${STAGES.join(', ')}`;

export function registerManagerCommands(program: Command): void {
  withCommon(program.command('cases'))
    .description('manager (read-only): cases by stage, country, priority, open or closed')
    .option('--stage <stage>', STAGE_HELP)
    .option('--country <CC>', 'suspect or data country (ISO 3166-1 alpha-2)')
    .option('--priority <1|2|3>', 'NCMEC priority')
    .option('--open', 'open cases only')
    .option('--closed', 'closed cases only')
    .action(async (o: Common & FilterFlags) => {
      const filter = filterFrom(o);
      const rows = await listCases(await temporal(), filter);
      print(!!o.json, rows, () =>
        table(
          ['case', 'stage', 'outcome', 'P', 'suspect', 'data', 'awaiting', 'stage entered', 'next deadline'],
          rows.map((r) => [r.caseId, r.stage, r.outcome, r.priority, r.suspectCountry, r.dataCountry, r.awaiting, r.stageEnteredAt, r.nextDeadline ? `${r.nextDeadline.name} ${r.nextDeadline.dueAt}` : null]),
        ),
      );
    });

  withCommon(program.command('stalled'))
    .description('manager (read-only): open cases whose stage has not changed for longer than --idle, most idle first')
    .option('--idle <duration>', 'e.g. 90m, 12h, 30d, 2w', '30d')
    .option('--stage <stage>', STAGE_HELP)
    .option('--country <CC>', 'suspect or data country (ISO 3166-1 alpha-2)')
    .option('--awaiting <party>', `who the case waits for: ${PARTIES.join(', ')}`)
    .action(async (o: Common & FilterFlags & { idle: string }) => {
      const idleMs = arg(DurationSchema, o.idle, '--idle');
      const filter = filterFrom(o);
      const rows = await stalledCases(await temporal(), filter, idleMs);
      print(!!o.json, rows, () =>
        table(['case', 'stage', 'idle', 'awaiting', 'suspect', 'data', 'P'], rows.map((r) => [r.caseId, r.stage, formatIdle(r.idleMs), r.awaiting, r.suspectCountry, r.dataCountry, r.priority])),
      );
    });

  withCommon(program.command('deadlines'))
    .description('manager (read-only): each open case’s next deadline due within --within (overdue ones included), soonest first')
    .option('--within <duration>', 'e.g. 12h, 7d, 2w', '7d')
    .action(async (o: Common & { within: string }) => {
      const withinMs = arg(DurationSchema, o.within, '--within');
      const rows = await dueDeadlines(await temporal(), withinMs);
      const out = rows.map((r) => ({ caseId: r.caseId, name: r.nextDeadline!.name, dueAt: r.nextDeadline!.dueAt, stage: r.stage, awaiting: r.awaiting }));
      print(!!o.json, out, () => table(['due', 'deadline', 'case', 'stage', 'awaiting'], out.map((d) => [d.dueAt, d.name, d.caseId, d.stage, d.awaiting])));
    });
}
