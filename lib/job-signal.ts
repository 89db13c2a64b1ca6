// The running tenant job's context, carried with the job's asynchronous work (AsyncLocalStorage), so that
// every adapter call it makes sees it without threading it through each port method: the job's budget
// (a spent budget aborts the call in flight) and the job's read set (items the adapters fetched in one
// batch at the job's start and serve from memory afterwards). Set by the worker around a job; read by
// the adapters.
import { AsyncLocalStorage } from 'node:async_hooks';

interface JobContext {
  signal?: AbortSignal;
  /** Items read ahead for this job, by the adapter's own key; null for an item known not to exist. */
  reads: Map<string, unknown>;
}

const jobContext = new AsyncLocalStorage<JobContext>();

/** Runs `work` with `signal` as the job's budget for every adapter call it makes, and a read set of its own. */
export function withJobSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return jobContext.run({ signal, reads: new Map() }, work);
}

/** Runs `work` with a read set of its own and no budget: a request that reads ahead as a job does. */
export function withReadSet<T>(work: () => Promise<T>): Promise<T> {
  return jobContext.run({ reads: new Map() }, work);
}

/** The budget of the job whose work is running, if any. */
export function currentJobSignal(): AbortSignal | undefined {
  return jobContext.getStore()?.signal;
}

/** An SDK call's options within a job: its budget's signal aborts the call in flight. */
export function jobCallOptions(): { abortSignal: AbortSignal } | undefined {
  const signal = currentJobSignal();
  return signal ? { abortSignal: signal } : undefined;
}

/** The read set of the job whose work is running, if any. */
export function currentJobReads(): Map<string, unknown> | undefined {
  return jobContext.getStore()?.reads;
}
