/** Activities are built by a factory so the worker and tests inject different external systems. */
export interface ActivityDeps {}

export function createActivities(_deps: ActivityDeps): Record<string, (...args: never[]) => Promise<unknown>> {
  return {};
}
