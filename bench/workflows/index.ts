/**
 * The bare baselines' own bundle: nothing but @temporalio/workflow and bare.ts. Cases run from the
 * product's bundle (workflows/index.ts) on their own worker; a bare workflow bundled with CaseBridge's
 * modules would pay for them too (in a reusable V8 context every workflow instantiates the modules
 * its bundle's entry imports), and would not be bare.
 */
export { bareWorkflow, bareRoundTripWorkflow } from './bare';
