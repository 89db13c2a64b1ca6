// The running tenant job's budget, carried with the job's asynchronous work (AsyncLocalStorage), so that
// every adapter call it makes can be aborted when the budget is spent without threading a signal
// through each port method. Set by the worker around a job; read by the adapters.
import { AsyncLocalStorage } from 'node:async_hooks';

const jobSignal = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` with `signal` as the job's budget for every adapter call it makes. */
export function withJobSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return jobSignal.run(signal, work);
}

/** The budget of the job whose work is running, if any. */
export function currentJobSignal(): AbortSignal | undefined {
  return jobSignal.getStore();
}
