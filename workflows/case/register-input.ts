/**
 * How every person's input to a case is registered: the validator and the handler run the same check
 * on the same record, and an input is applied once even across runs.
 *
 * Temporal de-duplicates an update id within one run only. An update that completed in the task that
 * continued the case as new can be delivered again to the new run, which then carried the first
 * application in its record and applied it a second time (seen in CI: a note recorded twice). The
 * ids a run applied are carried into the next; there the same id passes the validator and is
 * answered as the record stands, changing nothing.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { currentUpdateInfo, patched, setHandler } from '@temporalio/workflow';
import type { z } from 'zod';
import type { CaseInputName } from '../access';
import type { CaseStatus } from '../messages';
import type { Role } from '../vocabulary';
import type { CaseContext } from './context';
import { PATCHES } from './patches';

const appliedBefore = (ctx: CaseContext): boolean => {
  const id = currentUpdateInfo()?.id;
  return id !== undefined && (ctx.state.previousRunInputIds ?? []).includes(id);
};

/**
 * `again`: the answer to an input the previous run applied (undefined: none can be given, so it is
 * checked as new and its check decides).
 */
export function registerInput<Arg, Checked, Ret>(
  ctx: CaseContext,
  def: UpdateDefinition<Ret, [Arg]>,
  check: (raw: unknown) => Checked,
  apply: (checked: Checked) => Ret | Promise<Ret>,
  again: (raw: unknown) => Ret | Promise<Ret> | undefined,
): void {
  setHandler(
    def,
    (raw): Ret | Promise<Ret> => {
      // patched() only on this branch: a run recorded before the patch applied the repeat, and replays so.
      if (appliedBefore(ctx) && patched(PATCHES.inputsOnceAcrossRuns)) {
        const answer = again(raw);
        if (answer !== undefined) return answer;
      }
      const u = check(raw);
      const answer = apply(u);
      const id = currentUpdateInfo()?.id;
      if (id !== undefined) (ctx.state.runInputIds ??= []).push(id);
      return answer;
    },
    {
      validator: (raw) => {
        if (appliedBefore(ctx)) return;
        check(raw);
      },
    },
  );
}

/** At the start of a run carried from another: the ids that run applied are the ones that may come again. */
export function carryInputIds(ctx: CaseContext): void {
  ctx.state.previousRunInputIds = ctx.state.runInputIds ?? [];
  ctx.state.runInputIds = [];
}

/** What every module of inputs checks with: a field at fault or a stage that refuses is a rejection naming it. */
export interface InputTools {
  accept: <T extends { role: Role }>(input: CaseInputName, schema: z.ZodType<T>, raw: unknown) => T;
  reject: (reason: string) => never;
}

/** Registers one validated input of a person, answered with the case's status. */
export function register<Arg, T>(ctx: CaseContext, def: UpdateDefinition<CaseStatus, [Arg]>, check: (raw: unknown) => T, apply: (u: T) => void): void {
  const status = () => ctx.rec.status();
  registerInput(
    ctx,
    def,
    check,
    (u) => {
      apply(u);
      return status();
    },
    status,
  );
}
