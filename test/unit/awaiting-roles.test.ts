/**
 * Who has something waiting in a case (workflows/case/awaiting-roles.ts): the table the case's
 * AwaitingRoles attribute and the API's queue both read.
 */
import { approversFor, awaitingRoles, documentKindOf, partiesOf, requestWaitsFor } from '../../workflows/case/awaiting-roles';
import type { RequestSummary } from '../../workflows/messages';

const req = (over: Partial<RequestSummary>): Pick<RequestSummary, 'kind' | 'awaiting' | 'attention' | 'pendingApproval'> => ({
  kind: 'mlat',
  awaiting: null,
  ...over,
});

describe('awaiting roles', () => {
  it('reads a document id back to its kind, numbered supplements included, and nothing else', () => {
    expect(documentKindOf('case-1/mlat-1/mlat-request.en')).toBe('mlat-request');
    expect(documentKindOf('case-1/mlat-1/mlat-supplement-2.de')).toBe('mlat-supplement');
    expect(documentKindOf('case-1/x/not-a-kind.en')).toBeUndefined();
  });

  it('sends a document to its kind’s approvers, and falls back to the request’s gated documents', () => {
    expect(approversFor(req({ pendingApproval: { documentId: 'c/mlat-1/diplomatic-note.en', version: 1, contentHash: 'h' } }))).toEqual(['liaison']);
    expect(approversFor(req({ pendingApproval: { documentId: 'c/mlat-1/mlat-request.en', version: 1, contentHash: 'h' } }))).toEqual(['liaison', 'manager']);
    expect([...approversFor(req({ pendingApproval: { documentId: 'opaque', version: 1, contentHash: 'h' } }))].sort()).toEqual(['liaison', 'manager']);
    expect(approversFor(req({}))).toEqual([]);
  });

  it('gives a foreign authority’s answer to the liaison, a given-up request to the coordinator, and nothing of a closed request', () => {
    expect(requestWaitsFor(req({ awaiting: 'foreign-authority' }), false)).toEqual(['liaison']);
    expect(requestWaitsFor(req({ awaiting: 'court', attention: 'the court system refused the filing' }), false)).toEqual(['coordinator']);
    expect(requestWaitsFor(req({ awaiting: 'provider' }), false)).toEqual([]);
    expect(requestWaitsFor(req({ awaiting: 'foreign-authority', attention: 'x' }), true)).toEqual([]);
  });

  it('merges the case’s own party with its requests’, sorted so an unchanged set is never sent again', () => {
    expect(
      awaitingRoles('analyst', [
        { ...req({ awaiting: 'foreign-authority' }), closed: false },
        { ...req({ pendingApproval: { documentId: 'c/e-1/extradition-request.en', version: 2, contentHash: 'h' } }), closed: false },
        { ...req({ awaiting: 'coordinator' }), closed: true },
      ]),
    ).toEqual(['analyst', 'liaison', 'manager']);
    expect(awaitingRoles('court', [])).toEqual([]);
    expect(partiesOf('liaison')).toEqual(['liaison', 'foreign-authority']);
    expect(partiesOf('manager')).toEqual(['manager']);
  });
});
