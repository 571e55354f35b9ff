/** Every workflow the CaseBridge worker runs. */
export { probeWorkflow } from './probe';
export { caseWorkflow } from './case';
export { preservationWorkflow } from './preservation';
export { mlatWorkflow } from './mlat';
export { extraditionWorkflow } from './extradition';
export { safeguardingWorkflow } from './safeguarding';
