/** The request state machines: what a person may record on which request, and why not. */
import {
  REQUEST_MACHINES,
  RESPONSE_OUTCOMES,
  REFUSAL_GROUNDS,
  allowedOutcomes,
  checkResponse,
  isTerminal,
  systemTransition,
  type RequestMachine,
} from '../../workflows/requests/machines';
import { RespondSchema } from '../../workflows/messages';

const foreign = (status: string) => ({ requestId: 'case-1/foreign-evidence-1', kind: 'foreign-evidence', status });
const liaison = { role: 'liaison' as const };

describe('request state machines', () => {
  it('accepts a liaison’s response allowed in the request’s state and returns the move it makes', () => {
    const ack = checkResponse(foreign('SENT'), { ...liaison, outcome: 'acknowledged', reference: 'UK-CA-7' });
    expect(ack).toMatchObject({ ok: true, transition: { to: 'ACKNOWLEDGED' } });
    const produced = checkResponse(foreign('ACKNOWLEDGED'), { ...liaison, outcome: 'produced', reference: 'EV-1' });
    expect(produced).toMatchObject({ ok: true, transition: { to: 'PRODUCED', awaiting: null } });
    expect(isTerminal('foreign-evidence', 'PRODUCED')).toBe(true);
    expect(isTerminal('foreign-evidence', 'ACKNOWLEDGED')).toBe(false);
  });

  it('names what is wrong: state, role, missing reference, unknown ground, a kind people do not answer', () => {
    const reason = (r: ReturnType<typeof checkResponse>) => (r.ok ? 'accepted' : r.reason);
    expect(reason(checkResponse(foreign('ACKNOWLEDGED'), { ...liaison, outcome: 'acknowledged', reference: 'x' }))).toMatch(
      /^outcome: request case-1\/foreign-evidence-1 is ACKNOWLEDGED; 'acknowledged' is not allowed in that state \(allowed: produced, refused\)/,
    );
    expect(reason(checkResponse(foreign('PRODUCED'), { ...liaison, outcome: 'refused', reason: 'dual-criminality' }))).toContain('(it is settled)');
    expect(reason(checkResponse(foreign('SENT'), { role: 'coordinator', outcome: 'produced', reference: 'x' }))).toBe(
      "role: a liaison records 'produced' on a foreign-evidence request, not a coordinator",
    );
    expect(reason(checkResponse(foreign('SENT'), { ...liaison, outcome: 'produced' }))).toBe(
      "reference: 'produced' on a foreign-evidence request needs a reference",
    );
    expect(reason(checkResponse(foreign('SENT'), { ...liaison, outcome: 'refused' }))).toContain('reason: ');
    expect(reason(checkResponse(foreign('SENT'), { ...liaison, outcome: 'refused', reason: 'we would rather not' }))).toContain(
      `one of ${REFUSAL_GROUNDS.join(', ')}`,
    );
    expect(
      reason(
        checkResponse({ requestId: 'case-1/search-warrant-1', kind: 'search-warrant', status: 'SENT' }, { ...liaison, outcome: 'produced', reference: 'x' }),
      ),
    ).toContain("(its answers come from the court's system); it takes no response from a person");
    expect(reason(checkResponse({ requestId: 'x', kind: 'no-such-kind', status: 'SENT' }, { ...liaison, outcome: 'produced' }))).toContain('unknown kind');
  });

  it('lets the system, not people, move the domestic requests, and only along their rows', () => {
    const warrant = { requestId: 'case-1/search-warrant-1', kind: 'search-warrant', status: 'GRANTED' };
    expect(systemTransition(warrant, 'EXECUTED')?.to).toBe('EXECUTED');
    expect(systemTransition(warrant, 'DENIED')).toBeUndefined();
    expect(systemTransition({ ...warrant, kind: 'arrest-warrant' }, 'WITHDRAWN')).toBeUndefined();
    expect(allowedOutcomes(warrant, 'liaison')).toEqual([]);
    expect(allowedOutcomes(foreign('SENT'), 'liaison')).toEqual(['acknowledged', 'produced', 'refused']);
  });

  it('is consistent: every terminal and target state is reachable, every response outcome is accepted by the payload schema', () => {
    for (const [kind, m] of Object.entries(REQUEST_MACHINES) as [string, RequestMachine][]) {
      const targets = new Set(m.transitions.map((t) => t.to));
      for (const terminal of m.terminal) expect([kind, targets.has(terminal)]).toEqual([kind, true]);
      for (const t of m.transitions) {
        if (t.grounds) expect(t.requires).toContain('reason');
      }
    }
    for (const outcome of RESPONSE_OUTCOMES) {
      const parsed = RespondSchema.safeParse({ actor: 'L. Liaison', role: 'liaison', requestId: 'r', outcome });
      expect([outcome, parsed.success]).toEqual([outcome, true]);
    }
    expect(RespondSchema.safeParse({ actor: 'L. Liaison', role: 'liaison', requestId: 'r', outcome: 'granted' }).success).toBe(false);
  });
});
