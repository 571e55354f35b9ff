/**
 * The managers' read-only views: `cases`, `stalled`, `deadlines`. Answered from visibility (the
 * search attributes the case workflow keeps current), never by querying each case; they send a case
 * nothing.
 */
import type { Command } from 'commander';
import { PARTIES, STAGES } from '../../workflows/vocabulary';
import { CountryArgSchema, DurationSchema, PartyArgSchema, PriorityArgSchema, StageArgSchema, arg, optionalArg } from './args';
import { badInput } from './errors';
import { childFirst } from '../child-first';
import { byCaseId, mostIdleFirst, type CaseFilter, type CaseRow, type StalledRow } from '../views';
import { formatIdle, print, table } from './output';
import { api, withCommon, type Common } from './session';

interface Deadline {
  caseId: string;
  name: string;
  dueAt: string;
  stage: string | null;
  awaiting: string | null;
  childAtRisk: boolean;
}

/** Every page of a view (the API pages over visibility), then one order for the whole answer. */
async function allPages<T>(route: string, params: Record<string, string | number | undefined>, as?: string): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, pageSize: 1000, cursor })) if (v !== undefined) q.set(k, String(v));
    const page = await api().call<{ cases: T[]; nextCursor: string | null }>('GET', `${route}?${q.toString()}`, {
      headers: as ? { 'casebridge-role': as } : {},
    });
    rows.push(...page.cases);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

interface FilterFlags {
  stage?: string;
  country?: string;
  priority?: string;
  awaiting?: string;
  open?: boolean;
  closed?: boolean;
}

function filterFrom(o: FilterFlags): CaseFilter & { awaiting?: string } {
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
    .option('--as <role>', 'the role to read in, when your login carries several')
    .action(async (o: Common & FilterFlags & { as?: string }) => {
      const f = filterFrom(o);
      const rows = (await allPages<CaseRow>('/cases', { stage: f.stage, country: f.country, priority: f.priority, state: f.state }, o.as)).sort(
        childFirst((r) => r.childAtRisk, byCaseId),
      );
      print(!!o.json, rows, () =>
        table(
          ['case', 'stage', 'outcome', 'P', 'suspect', 'data', 'awaiting', 'stage entered', 'next deadline'],
          rows.map((r) => [
            r.caseId,
            r.stage,
            r.outcome,
            r.priority,
            r.suspectCountry,
            r.dataCountry,
            r.awaiting,
            r.stageEnteredAt,
            r.nextDeadline ? `${r.nextDeadline.name} ${r.nextDeadline.dueAt}` : null,
          ]),
        ),
      );
    });

  withCommon(program.command('stalled'))
    .description('manager (read-only): open cases whose stage has not changed for longer than --idle, most idle first')
    .option('--idle <duration>', 'e.g. 90m, 12h, 30d, 2w', '30d')
    .option('--stage <stage>', STAGE_HELP)
    .option('--country <CC>', 'suspect or data country (ISO 3166-1 alpha-2)')
    .option('--awaiting <party>', `who the case waits for: ${PARTIES.join(', ')}`)
    .option('--as <role>', 'the role to read in, when your login carries several')
    .action(async (o: Common & FilterFlags & { idle: string; as?: string }) => {
      arg(DurationSchema, o.idle, '--idle');
      const f = filterFrom(o);
      const rows = (await allPages<StalledRow>('/views/stalled', { idle: o.idle, stage: f.stage, country: f.country, awaiting: f.awaiting }, o.as)).sort(
        childFirst((r: StalledRow) => r.childAtRisk, mostIdleFirst),
      );
      print(!!o.json, rows, () =>
        table(
          ['case', 'stage', 'idle', 'awaiting', 'suspect', 'data', 'P'],
          rows.map((r) => [r.caseId, r.stage, formatIdle(r.idleMs), r.awaiting, r.suspectCountry, r.dataCountry, r.priority]),
        ),
      );
    });

  withCommon(program.command('deadlines'))
    .description('manager (read-only): each open case’s next deadline due within --within (overdue ones included), soonest first')
    .option('--within <duration>', 'e.g. 12h, 7d, 2w', '7d')
    .option('--as <role>', 'the role to read in, when your login carries several')
    .action(async (o: Common & { within: string; as?: string }) => {
      arg(DurationSchema, o.within, '--within');
      const out = (await allPages<Deadline>('/views/deadlines', { within: o.within }, o.as)).sort(
        childFirst(
          (r) => r.childAtRisk,
          (a, b) => a.dueAt.localeCompare(b.dueAt),
        ),
      );
      print(!!o.json, out, () =>
        table(
          ['due', 'deadline', 'case', 'stage', 'awaiting'],
          out.map((d) => [d.dueAt, d.name, d.caseId, d.stage, d.awaiting]),
        ),
      );
    });
}
