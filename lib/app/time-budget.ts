// Each tenant job runs within a time budget; over budget it is aborted and reported as a timeout.
export const DEFAULT_TENANT_BUDGET_MS = 180_000;

export class TenantTimeoutError extends Error {
  constructor(readonly budgetMs: number) {
    super(`Tenant job exceeded its time budget of ${budgetMs} ms and was stopped; the queue will retry it.`);
    this.name = 'TenantTimeoutError';
  }
}

/** Runs `work` with an AbortSignal that fires when the budget is spent; rejects with TenantTimeoutError. */
export async function withinBudget<T>(budgetMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TenantTimeoutError(budgetMs);
      controller.abort(error);
      reject(error);
    }, budgetMs);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
