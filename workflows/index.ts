/** Every workflow the CaseBridge worker runs. */
export { probeWorkflow } from './probe';
export { caseWorkflow } from './case';
export { preservationWorkflow } from './preservation';
