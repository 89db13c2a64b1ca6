// The local run: one planning day on a simulated clock. Every schedule that EventBridge Scheduler
// would fire for local date D in each zone fires, in UTC order (from the easternmost zone's morning to
// the westernmost's, about 26 hours of UTC time); the real fan-out handler enqueues, the local queue
// feeds the real worker handler with SQS-shaped batches, and plan events land on the local bus.
// Schedules that fire at the same instant have no order in the cloud: they are all enqueued before the
// queue is worked off, latest job of the day first, so a job that depends on an earlier one at the same
// instant shows the problem here too.
import type { Context } from 'aws-lambda';
import { createFanOutHandler } from '../../functions/fan-out/handler.ts';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { firingsBetween, JOB_TABLE, type ScheduledFiring } from '../jobs/job-table.ts';
import { addDays, type LocalDate, localDateAt } from '../time/tenant-clock.ts';
import type { LocalStack } from './local-ports.ts';

export interface SimulationOptions {
  /** The local plan date to simulate in every zone, `YYYY-MM-DD`. */
  date: string;
  /** Only these zones (default: every zone in use). */
  zones?: readonly string[];
  testMode: boolean;
  tenantBudgetMs: number;
  onFiring?: (firing: ScheduledFiring, index: number, total: number, enqueued: number) => void;
  /** Called before an instant's fan-outs and before its jobs run, with the instant's firings. */
  onPhase?: (phase: 'fan-out' | 'jobs', firings: readonly ScheduledFiring[]) => void;
}

export interface SimulationResult {
  firings: ScheduledFiring[];
  jobsEnqueued: number;
  batches: number;
  deadLetters: number;
}

const lambdaContext = {
  functionName: 'local',
  awsRequestId: 'local',
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

/** Every firing of every job whose local date is `date` in its zone, in UTC time order. */
export function firingsOfDay(zones: readonly string[], date: LocalDate, testMode: boolean): ScheduledFiring[] {
  // Local date D spans UTC from D−1 10:00 (UTC+14) to D+1 12:00 (UTC−12): search a wider window.
  const from = new Date(`${addDays(date, -1)}T00:00:00Z`);
  const to = new Date(`${addDays(date, 2)}T00:00:00Z`);
  const order = (f: ScheduledFiring) => JOB_TABLE.findIndex((j) => j.name === f.job);
  return zones
    .flatMap((zone) => JOB_TABLE.flatMap((job) => firingsBetween(job.name, zone, from, to, testMode)))
    .filter((f) => localDateAt(f.scheduledTime, f.timezone) === date)
    .sort(
      (a, b) =>
        a.scheduledTime.localeCompare(b.scheduledTime) || order(a) - order(b) || a.timezone.localeCompare(b.timezone),
    );
}

export async function simulateDay(stack: LocalStack, options: SimulationOptions): Promise<SimulationResult> {
  const fanOut = createFanOutHandler(() => stack.ports);
  const worker = createPlanWorkerHandler(
    () => stack.ports,
    () => options.tenantBudgetMs,
  );
  const inUse = (await stack.ports.tenants.listZones()).map((z) => z.timezone);
  const zones = options.zones ? inUse.filter((zone) => options.zones!.includes(zone)) : inUse;
  const firings = firingsOfDay(zones, options.date, options.testMode);
  let batches = 0;
  const sentBefore = stack.queue.sent;
  const order = (f: ScheduledFiring) => JOB_TABLE.findIndex((j) => j.name === f.job);
  const instants = [...new Set(firings.map((f) => f.scheduledTime))];
  for (const instant of instants) {
    stack.setNow(new Date(instant));
    const simultaneous = firings.filter((f) => f.scheduledTime === instant).sort((a, b) => order(b) - order(a));
    options.onPhase?.('fan-out', simultaneous);
    for (const firing of simultaneous) {
      const result = await fanOut({ ...firing, ...(options.testMode ? { testMode: true } : {}) }, lambdaContext);
      options.onFiring?.(firing, firings.indexOf(firing), firings.length, result.enqueued);
    }
    options.onPhase?.('jobs', simultaneous);
    batches += await stack.queue.drain((event) => worker(event, lambdaContext));
  }
  return { firings, jobsEnqueued: stack.queue.sent - sentBefore, batches, deadLetters: stack.queue.deadLetters.length };
}
