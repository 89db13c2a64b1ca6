// Each tenant job runs within a time budget. When it is spent the job's AbortSignal fires: no port call
// starts after it and the DynamoDB calls in flight are aborted (jobPorts), so the job stops where it is
// and is reported as a timeout. A job whose plan was written before that finishes its delivery and is
// reported as done. A call that ignores the signal is given up on after a short grace.
export const DEFAULT_TENANT_BUDGET_MS = 180_000;
/** How long past the budget the worker waits for a job that does not stop. */
const BUDGET_GRACE_MS = 10_000;

export class TenantTimeoutError extends Error {
  constructor(readonly budgetMs: number) {
    super(`Tenant job exceeded its time budget of ${budgetMs} ms and was stopped; the queue will retry it.`);
    this.name = 'TenantTimeoutError';
  }
}

/** Runs `work` with an AbortSignal that fires when the budget is spent; a job stopped by it rejects with TenantTimeoutError. */
export async function withinBudget<T>(
  budgetMs: number,
  work: (signal: AbortSignal) => Promise<T>,
  graceMs = BUDGET_GRACE_MS,
): Promise<T> {
  const controller = new AbortController();
  const timeout = new TenantTimeoutError(budgetMs);
  const budget = setTimeout(() => controller.abort(timeout), budgetMs);
  let hardStop: NodeJS.Timeout | undefined;
  const unresponsive = new Promise<never>((_, reject) => {
    hardStop = setTimeout(() => reject(timeout), budgetMs + graceMs);
  });
  try {
    return await Promise.race([work(controller.signal), unresponsive]);
  } catch (error) {
    // Whatever an aborted call threw (an AbortError, the signal's reason), the job ran out of time.
    if (controller.signal.aborted) throw timeout;
    throw error;
  } finally {
    clearTimeout(budget);
    clearTimeout(hardStop);
  }
}
