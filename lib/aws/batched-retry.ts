// Sends items in batches of a service's maximum size, resending only the entries the service reports
// as failed, with exponential backoff; gives up with the caller's error after a few attempts.
export const MAX_SEND_ATTEMPTS = 5;

export interface BatchOutcome<T> {
  failed: T[];
  errors: string[];
}

export async function sendInBatches<T>(
  items: readonly T[],
  batchSize: number,
  backoffMs: number,
  send: (batch: T[]) => Promise<BatchOutcome<T>>,
  giveUp: (pending: T[], errors: string[]) => Error,
  /** Batches in flight at once (a zone with many tenants must fan out within the function's timeout). */
  concurrency = 1,
): Promise<void> {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += batchSize) batches.push(items.slice(i, i + batchSize));
  const sendOne = async (batch: T[]) => {
    let pending = batch;
    let errors: string[] = [];
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= MAX_SEND_ATTEMPTS) throw giveUp(pending, errors);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
      ({ failed: pending, errors } = await send(pending));
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, batches.length) }, async () => {
      while (next < batches.length) await sendOne(batches[next++]!);
    }),
  );
}
