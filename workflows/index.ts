/** Every workflow the CaseBridge worker runs. */
export { probeWorkflow } from './probe';
