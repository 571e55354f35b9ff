/** The validator's reason for refusing an input (`field: reason`), or 'accepted'; anything else is not a refusal. */
import { rejectionOf } from '../../workflows/messages';

export const refusal = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'accepted',
    (err: unknown) => {
      const r = rejectionOf(err);
      return r ? `${r.field}: ${r.reason}` : `not a refusal: ${String(err)}`;
    },
  );
