/**
 * A read of a workflow (describe, query) bounded in time and asked again when the server never answered.
 * The Java time-skipping test server (1.40.0) loses a query that reaches a run as it continues as new: the
 * call waited 78–88 s with no answer in 2 of 8 tries of the long-case test, and the test timed out
 * (CI, 2026-12-02). A real server answers or fails such a query; the API bounds its own calls the same way.
 */
import { isGrpcDeadlineError, type Client } from '@temporalio/client';

const ANSWER_WITHIN_MS = 10_000;
const TRIES = 4;

export async function answered<T>(client: Client, read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.withDeadline(Date.now() + ANSWER_WITHIN_MS, read);
    } catch (err) {
      if (!isGrpcDeadlineError(err) || attempt >= TRIES) throw err;
    }
  }
}
