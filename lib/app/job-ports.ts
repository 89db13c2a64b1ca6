// A tenant job's ports: the same adapters, each call checked against the job's time budget first.
import type { Logger } from '../log.ts';
import type { PlannerPorts } from '../ports.ts';

/** Every method call first checks the signal: no call starts once the budget is spent. */
function checkedBeforeEachCall<T extends object>(port: T, signal: AbortSignal): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        signal.throwIfAborted();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * A tenant job's ports: every adapter call checks the job's budget before it starts (and the DynamoDB
 * calls in flight are aborted through the job's signal: job-signal.ts).
 */
export function jobPorts(ports: PlannerPorts, signal: AbortSignal, log: Logger = ports.log): PlannerPorts {
  const bind = <T extends object>(port: T): T => checkedBeforeEachCall(port, signal);
  return {
    ...ports,
    tenants: bind(ports.tenants),
    catalog: bind(ports.catalog),
    stock: bind(ports.stock),
    sales: bind(ports.sales),
    forecastCache: bind(ports.forecastCache),
    models: bind(ports.models),
    drivers: bind(ports.drivers),
    plans: bind(ports.plans),
    readAhead: bind(ports.readAhead),
    queue: bind(ports.queue),
    events: bind(ports.events),
    log,
  };
}
