/** The case workflow and what its callers need: its input and result, and the patches it carries. */
export { caseWorkflow } from './workflow';
export type { CaseInput, CaseResult } from './context';
export type { CaseState } from './record';
export { PATCHES } from './patches';
