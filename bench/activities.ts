/**
 * The bench worker's activities: CaseBridge's activities over simulated systems with no latency, no
 * failures and an in-memory ledger (so the figures are CaseBridge's orchestration, not a simulated
 * court's speed or an fsync per call), and the bare baseline's single no-op activity.
 *
 * `onActivity` lets a bench driver act on what a workflow just did without polling it: the
 * coordinator answers a case's jurisdiction reminder the moment it is sent, as a person answers a
 * notification, and the bare workflow's driver answers the matching point of the bare run.
 */
import { Context } from '@temporalio/activity';
import { createActivities } from '../activities';
import { createSimulatedSystems, type SimulatedSystems } from '../activities/simulators';
import { createDocumentLayer, type DocumentService } from '../documents';
import { createDocumentPort } from '../activities/documents';

type Listener = (event: string) => void;
const listeners = new Map<string, Listener>();

/** Calls `listener` with each `noop:<i>` / `alert:<kind>` the workflow `workflowId` completes. */
export function onActivity(workflowId: string, listener: Listener): () => void {
  listeners.set(workflowId, listener);
  return () => void listeners.delete(workflowId);
}

function emit(event: string): void {
  // Undefined only for standalone activities, which the bench never runs.
  const id = Context.current().info.workflowExecution?.workflowId;
  if (id) listeners.get(id)?.(event);
}

export function createBareActivities() {
  return {
    async noop(i: number): Promise<number> {
      emit(`noop:${i}`);
      return i;
    },
  };
}
export type BareActivities = ReturnType<typeof createBareActivities>;

/**
 * CaseBridge's activities for the bench, with the product's document layer on `dataDir` (the cases'
 * requests send generated documents); `onDocument` hears of each one generated (the bench's desk).
 */
export function createBenchActivities(
  dataDir: string,
  onDocument: (documentId: string) => void = () => undefined,
): { activities: object; systems: SimulatedSystems; documents: DocumentService } {
  const systems = createSimulatedSystems({ seed: 'bench', latencyMs: { min: 0, max: 0 }, transientFailureRate: 0 });
  const documents = createDocumentLayer({ CASEBRIDGE_DATA_DIR: dataDir }).service;
  const caseActivities = createActivities(systems, { documents: createDocumentPort(documents) });
  return {
    documents,
    activities: {
      ...caseActivities,
      generateDocument: async (...args: Parameters<typeof caseActivities.generateDocument>) => {
        const ref = await caseActivities.generateDocument(...args);
        onDocument(ref.documentId);
        return ref;
      },
      alert: async (...args: Parameters<typeof caseActivities.alert>) => {
        await caseActivities.alert(...args);
        emit(`alert:${args[1].kind}`);
      },
      ...createBareActivities(),
    },
    systems,
  };
}
