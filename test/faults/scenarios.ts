// The fault-injection suite: a planning day for many bakeries with one fault injected at the ports —
// the real handlers, use cases and DynamoDB Local adapters, wrapped. Each case runs the day (production,
// cleanup, procurement, and the 10:00 review that escalates), heals, recovers the way production would
// (queued retries, the table stream's relay), and checks: one plan per key, every plan event delivered at
// least once with its stable id, nothing left waiting in the stream, and the metric that tells an operator. `npm test` runs
// it small, `npm run bench:faults` at fleet scale.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createFanOutHandler } from '../../functions/fan-out/handler.ts';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { createWebhookDeliveryHandler } from '../../functions/webhook-delivery/handler.ts';
import { changeProcurementStatus } from '../../lib/app/plan-review.ts';
import { createEndpoint } from '../../lib/app/webhooks.ts';
import { queryAll } from '../../lib/aws/dynamodb/client.ts';
import { keys } from '../../lib/aws/dynamodb/table-layout.ts';
import { HttpsWebhookSender } from '../../lib/aws/https-webhook-sender.ts';
import type { Tenant } from '../../lib/domain.ts';
import { eventId, type PlanEvent, planOf } from '../../lib/events/catalogue.ts';
import { currentJobSignal } from '../../lib/job-signal.ts';
import { JOB_NAMES, type JobName } from '../../lib/jobs/job-table.ts';
import type { LocalStack } from '../../lib/local/local-ports.ts';
import { type PlannerPorts, PublishRefusedError } from '../../lib/ports.ts';
import { seedBakery, smallCatalog, tenant } from '../support/bakery-fixtures.ts';

const PLAN_DATE = '2026-11-28';
const ZONE = 'Europe/Madrid';
// The model refit fires on Sundays: the last one before the plan date (a Saturday), at 04:00 Madrid time.
const FIRINGS: Record<JobName, string> = {
  'model-refit': '2026-11-22T03:00:00Z',
  production: '2026-11-28T04:30:00Z',
  cleanup: '2026-11-28T04:50:00Z',
  procurement: '2026-11-28T05:00:00Z',
  review: '2026-11-28T09:00:00Z',
};
const NEXT_CLEANUP = '2026-11-29T04:50:00Z';
const context = {} as Context;

export interface FaultCase {
  name: string;
  /** The row this case proves in docs/architecture.md's failure table. */
  port: string;
  failure: string;
  outcome: string;
  /** Tenant jobs that must end in the DLQ (poison tenants). */
  poison?: (tenants: readonly Tenant[]) => string[];
  run(world: World): Promise<void>;
  /** What the case checks beyond the common invariants; returns the figures it reports. */
  check?(world: World): Promise<Record<string, number>>;
}

/** One case's stack, tenants and the port faults in force. */
export class World {
  budgetMs = 60_000;
  /** What a case observed inside its fault wrappers. */
  readonly notes: string[] = [];
  /** Wraps the ports while a fault is in force; `heal` removes it. */
  private fault: ((ports: PlannerPorts) => PlannerPorts) | null = null;

  constructor(
    readonly stack: LocalStack,
    readonly tenants: Tenant[],
  ) {
    // The relay publishes through the same ports as the jobs: a bus fault reaches it too.
    stack.relay.usePorts(() => this.ports());
  }

  inject(fault: (ports: PlannerPorts) => PlannerPorts): void {
    this.fault = fault;
  }

  heal(): void {
    this.fault = null;
  }

  ports(): PlannerPorts {
    return this.fault ? this.fault(this.stack.ports) : this.stack.ports;
  }

  worker(): (event: SQSEvent) => Promise<SQSBatchResponse> {
    const handler = createPlanWorkerHandler(
      () => this.ports(),
      () => this.budgetMs,
    );
    return (event) => handler(event, context);
  }

  /** A firing, retried as EventBridge Scheduler's retry policy does when the fan-out fails. */
  async fire(job: JobName, at = FIRINGS[job], trigger: 'scheduled' | 'manual' = 'scheduled'): Promise<void> {
    this.stack.setNow(new Date(at));
    for (let attempt = 1; ; attempt += 1) {
      try {
        await createFanOutHandler(() => this.ports())({ job, timezone: ZONE, scheduledTime: at, trigger }, context);
        return;
      } catch (error) {
        if (attempt >= 10) throw error;
      }
    }
  }

  async drain(): Promise<void> {
    await this.stack.queue.drain(this.worker());
  }

  /** Works off the webhook queue every five minutes of simulated time until `until` (retries come due). */
  async deliverWebhooks(until: string): Promise<void> {
    const handler = createWebhookDeliveryHandler(() => this.ports());
    for (let at = this.stack.ports.now().getTime(); at <= Date.parse(until); at += 5 * 60_000) {
      this.stack.setNow(new Date(at));
      await this.stack.webhookQueue.drain((event) => handler(event, context));
    }
  }

  /** The day, with the webhook queue worked off for 20 minutes after each firing, then until `until`. */
  async dayWithWebhooks(until: string): Promise<void> {
    for (const job of JOB_NAMES) {
      await this.fire(job);
      await this.drain();
      await this.deliverWebhooks(new Date(Date.parse(FIRINGS[job]) + 20 * 60_000).toISOString());
    }
    await this.deliverWebhooks(until);
  }

  /** The day as the schedules run it: each firing's jobs worked off before the next firing. */
  async day(): Promise<void> {
    for (const job of JOB_NAMES) {
      await this.fire(job);
      await this.drain();
    }
  }

  /** What production does after a fault: queued retries run, and the next morning's cleanup delivers what waits. */
  async recover(): Promise<void> {
    this.heal();
    await this.drain();
    await this.fire('cleanup', NEXT_CLEANUP);
    await this.drain();
  }
}

// ── Fault wrappers at the ports ───────────────────────────────────────────────────────────────────

/** A port whose methods run `around` instead of the real call (which `around` may call). */
function around<T extends object>(
  port: T,
  around: (method: string, call: () => Promise<unknown>, args: unknown[]) => Promise<unknown>,
): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        around(String(property), () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args), args);
    },
  });
}

const STORES = ['tenants', 'catalog', 'stock', 'sales', 'forecastCache', 'models', 'drivers', 'plans'] as const;

/** Waits until the running job's budget is spent: slower than any budget, on any machine. */
async function untilBudgetSpent(): Promise<void> {
  const budget = currentJobSignal();
  if (!budget) throw new Error('no job budget is running');
  if (!budget.aborted) await new Promise((resolve) => budget.addEventListener('abort', resolve, { once: true }));
}
const tenantOf = (args: unknown[]) =>
  typeof args[0] === 'string' ? args[0] : (args[0] as { tenantId?: string } | undefined)?.tenantId;

// ── A webhook receiver on this machine, and each tenant's endpoint at it ───────────────────────────

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  at: number;
}

/** What a case's receiver answers to a request (the n-th for its webhook-id, counting from 1). */
type Answer = (n: number, world: World) => { status: number; delayMs?: number };

const receivers = new Map<World, { server: Server; received: Received[] }>();
/** The plan events every endpoint subscribes to: the ones every case checks. */
const PLAN_EVENT_TYPES = ['production.schedule.generated', 'procurement.plan.generated'] as const;
/** How long the receivers have to answer in the suite (10 s in production). */
const RECEIVER_TIMEOUT_MS = 300;

async function withReceivers(world: World, answer: Answer): Promise<void> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const id = String(request.headers['webhook-id']);
      const n = received.filter((r) => r.headers['webhook-id'] === id).length + 1;
      const { status, delayMs = 0 } = answer(n, world);
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
        at: world.stack.ports.now().getTime(),
      });
      setTimeout(() => response.writeHead(status).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receivers.set(world, { server, received });
  world.stack.ports.webhookSender = new HttpsWebhookSender(true, undefined, RECEIVER_TIMEOUT_MS);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  world.stack.setNow(new Date('2026-11-28T03:00:00Z'));
  for (const t of world.tenants)
    await createEndpoint(world.stack.ports, t.tenantId, { url, eventTypes: [...PLAN_EVENT_TYPES] });
}

/**
 * Every plan event of every tenant reached its endpoint with a 2xx (unless `disabled`), each id always
 * with the same body; returns the figures. Closes the receiver.
 */
async function checkDeliveries(
  world: World,
  expectDelivered = true,
): Promise<{
  webhookRequests: number;
  webhookFailedAnswers: number;
  webhookEventsDelivered: number;
  webhookDuplicates: number;
}> {
  const { server, received } = receivers.get(world)!;
  receivers.delete(world);
  server.close();
  const bodies = new Map<string, string>();
  for (const r of received) {
    const id = String(r.headers['webhook-id']);
    if ((bodies.get(id) ?? r.body) !== r.body) throw new Error(`webhook ${id} was delivered with two different bodies`);
    bodies.set(id, r.body);
  }
  const delivered = new Set(received.filter((r) => r.status < 300).map((r) => String(r.headers['webhook-id'])));
  const expected = world.tenants.flatMap((t) => [
    eventId('production.schedule.generated', `prod-${t.tenantId}-${PLAN_DATE}`),
    eventId('procurement.plan.generated', `proc-${t.tenantId}-${PLAN_DATE}-v1`),
  ]);
  const missing = expected.filter((id) => !delivered.has(id));
  if (expectDelivered && missing.length)
    throw new Error(`${missing.length} plan event(s) never reached their webhook, e.g. ${missing[0]}`);
  return {
    webhookRequests: received.length,
    webhookFailedAnswers: received.filter((r) => r.status >= 300).length,
    webhookEventsDelivered: expected.length - missing.length,
    webhookDuplicates: received.length - bodies.size,
  };
}

// ── The cases ─────────────────────────────────────────────────────────────────────────────────────

export const FAULT_CASES: FaultCase[] = [
  {
    name: 'duplicate firings',
    port: 'scheduler',
    failure: 'every schedule fires twice',
    outcome: 'both firings enqueue; the second job of each tenant finds the plan and writes nothing',
    async run(world) {
      for (const job of JOB_NAMES) {
        await world.fire(job);
        await world.fire(job);
        await world.drain();
      }
    },
  },
  {
    name: 'duplicate and concurrent deliveries',
    port: 'queue',
    failure: 'every job delivered twice, to two workers at once',
    outcome: 'one plan per key (conditional writes); an event may be published twice, with the same id',
    async run(world) {
      for (const job of JOB_NAMES) {
        world.stack.setNow(new Date(FIRINGS[job]));
        const bodies = world.tenants.map((t) =>
          JSON.stringify({
            job,
            tenantId: t.tenantId,
            timezone: ZONE,
            planDate: PLAN_DATE,
            trigger: 'scheduled',
            scheduledTime: FIRINGS[job],
            idempotencyKey: `${t.tenantId}#${job}#${PLAN_DATE}`,
          }),
        );
        const records = bodies.map((body, i) => ({ messageId: `m${i}`, body })) as SQSEvent['Records'];
        for (let i = 0; i < records.length; i += 10) {
          const batch = { Records: records.slice(i, i + 10) };
          await Promise.all([world.worker()(batch), world.worker()(batch)]);
        }
        for (const body of bodies) world.stack.queue.send(body);
        await world.drain();
      }
    },
  },
  {
    name: 'poison tenant',
    port: 'worker',
    failure: "one tenant's catalog cannot be planned (a recipe is missing)",
    outcome:
      "that tenant's jobs fail, are retried, and reach the DLQ after 3 receives (`TenantsProcessed` failed); the others are planned",
    poison: (tenants) => [tenants[0]!.tenantId],
    async run(world) {
      const broken = smallCatalog();
      broken.products = broken.products.map((p) => ({ ...p, recipeId: 'missing-recipe' }));
      await world.stack.ports.catalog.putCatalog(world.tenants[0]!.tenantId, broken);
      await world.day();
    },
    async check(world) {
      const failed = world.stack.metricRecords.filter(
        (m) => m.name === 'TenantsProcessed' && m.dimensions.Status === 'failed',
      ).length;
      if (failed < 3) throw new Error(`expected the poison tenant's failures to be counted, got ${failed}`);
      return { failedAttempts: failed };
    },
  },
  {
    name: 'forecast cache down',
    port: 'forecast cache',
    failure: 'every call fails (read, write, stats, invalidate), a stale-data rejection included',
    outcome:
      'plans are built from recomputed forecasts, cleanups and regenerations succeed; `ForecastCacheFailures` by operation, `ForecastCacheFailing` alarm',
    async run(world) {
      world.inject((ports) => ({
        ...ports,
        forecastCache: around(ports.forecastCache, async (method) => {
          throw new Error(`injected: cache ${method} unavailable`);
        }),
      }));
      await world.day();
      const first = world.tenants[0]!.tenantId;
      await changeProcurementStatus(world.ports(), {
        tenantId: first,
        planDate: PLAN_DATE,
        version: 1,
        to: 'rejected',
        by: 'manager',
        reason: 'outdated stock',
      });
      await world.drain();
    },
    async check(world) {
      const ops = new Set(
        world.stack.metricRecords.filter((m) => m.name === 'ForecastCacheFailures').map((m) => m.dimensions.Operation),
      );
      for (const op of ['read', 'write', 'stats', 'invalidate'])
        if (!ops.has(op)) throw new Error(`no ForecastCacheFailures for ${op}`);
      const regenerated = await world.stack.ports.plans.getProcurementPlan(world.tenants[0]!.tenantId, PLAN_DATE, 2);
      if (!regenerated) throw new Error('the stale-data regeneration did not build v2 with the cache down');
      return { cacheFailures: world.stack.metricRecords.filter((m) => m.name === 'ForecastCacheFailures').length };
    },
  },
  {
    name: 'model store down after the refit',
    port: 'model store',
    failure: "every read and write of the tenants' fitted models fails after a refit of every tenant stored them",
    outcome:
      'each daily job fits a model itself and plans; `ForecastModelFallbacks` (unreadable) and `ForecastCacheFailures` (modelRead, modelWrite)',
    async run(world) {
      // An admin's refit of the whole zone (the schedule refits a seventh of it a day).
      await world.fire('model-refit', undefined, 'manual');
      await world.drain();
      world.inject((ports) => ({
        ...ports,
        models: around(ports.models, async (method) => {
          throw new Error(`injected: model ${method} unavailable`);
        }),
      }));
      for (const job of JOB_NAMES.filter((j) => j !== 'model-refit')) {
        await world.fire(job);
        await world.drain();
      }
    },
    async check(world) {
      const reasons = new Set(
        world.stack.metricRecords.filter((m) => m.name === 'ForecastModelFallbacks').map((m) => m.dimensions.Reason),
      );
      if (reasons.size !== 1 || !reasons.has('unreadable'))
        throw new Error(`expected only unreadable fallbacks, got ${[...reasons].join(', ')}`);
      const ops = new Set(
        world.stack.metricRecords.filter((m) => m.name === 'ForecastCacheFailures').map((m) => m.dimensions.Operation),
      );
      for (const op of ['modelRead', 'modelWrite'])
        if (!ops.has(op)) throw new Error(`no ForecastCacheFailures for ${op}`);
      for (const t of world.tenants)
        if (!(await world.stack.ports.models.getModel(t.tenantId)))
          throw new Error(`the refit stored no model for ${t.tenantId}`);
      return { fallbacks: world.stack.metricRecords.filter((m) => m.name === 'ForecastModelFallbacks').length };
    },
  },
  {
    name: 'plan-quality store down',
    port: 'plan-quality store',
    failure: "every read of the tenants' measured plans fails; every tenant has a fill-rate policy",
    outcome:
      'schedules and procurement plans are made, the policies baked to their targets as set (uncorrected), and the cleanup applies its rules without measuring yesterday; `PlanQualityFailures` by operation',
    async run(world) {
      for (const t of world.tenants) {
        const catalog = await world.stack.ports.catalog.getCatalog(t.tenantId);
        await world.stack.ports.catalog.putCatalog(t.tenantId, {
          ...catalog,
          servicePolicies: [{ family: '*', targetFillRate: 0.9 }],
        });
      }
      world.inject((ports) => ({
        ...ports,
        actuals: around(ports.actuals, async (method, call) => {
          if (method !== 'getQuality') return call();
          world.notes.push(method);
          throw new Error('injected: plan quality unavailable');
        }),
      }));
      await world.day();
    },
    async check(world) {
      const failures = (operation: string) =>
        world.stack.metricRecords.filter(
          (m) => m.name === 'PlanQualityFailures' && m.dimensions.Operation === operation,
        ).length;
      // Production and procurement read the corrections, the cleanup measures yesterday: once each per tenant.
      const n = world.tenants.length;
      if (failures('fillRateCorrections') !== 2 * n || failures('measure') !== n || world.notes.length !== 3 * n)
        throw new Error(
          `expected ${2 * n} corrections and ${n} measures counted, got ${failures('fillRateCorrections')} and ${failures('measure')}`,
        );
      for (const t of world.tenants) {
        const schedule = await world.stack.ports.plans.getProductionSchedule(t.tenantId, PLAN_DATE);
        const lines = schedule?.plan.lines ?? [];
        if (!lines.length || lines.some((l) => l.fillRate?.target !== 0.9 || l.fillRate.bakedTo !== 0.9))
          throw new Error(`${t.tenantId}'s schedule did not bake to its fill-rate target as set`);
      }
      return { planQualityFailures: 3 * n };
    },
  },
  {
    name: 'bus refuses one event',
    port: 'event bus',
    failure: "refuses one tenant's production event every time (a permanent refusal)",
    outcome:
      'that event moves to a dead-letter record at its first refusal (`EventDeadLetters`); every other event of the tenant and the fleet is delivered',
    async run(world) {
      const refused = eventId('production.schedule.generated', `prod-${world.tenants[0]!.tenantId}-${PLAN_DATE}`);
      world.inject((ports) => ({
        ...ports,
        events: around(ports.events, async (_m, call, args) => {
          if ((args[0] as PlanEvent[]).some((e) => e.detail.eventId === refused))
            throw new PublishRefusedError('injected: MalformedDetail', true);
          return call();
        }),
      }));
      await world.day();
    },
    async check(world) {
      const deadLetters = world.stack.metricRecords.filter((m) => m.name === 'EventDeadLetters').length;
      if (deadLetters !== 1) throw new Error(`expected one dead-lettered event, got ${deadLetters}`);
      return { deadLetters };
    },
  },
  {
    name: 'bus down, then back',
    port: 'event bus',
    failure: 'every publication fails for the whole day, then the bus recovers',
    outcome:
      "plans are written and jobs succeed; events wait in the table's stream (`EventsWaiting`) and reach the bus, each once, as soon as it is back",
    async run(world) {
      busDown(world);
      await world.day();
      const waiting = world.stack.metricRecords.filter((m) => m.name === 'EventsWaiting').length;
      if (waiting === 0) throw new Error('no EventsWaiting while the bus was down');
    },
    async check(world) {
      return { duplicates: duplicateDeliveries(world) };
    },
  },
  {
    name: 'bus down for a day, an operator approves meanwhile',
    port: 'event bus',
    failure:
      'every publication fails from production until the next morning (longer than any retry chain); an operator approves a plan during the outage',
    outcome:
      "the approval stands; when the bus returns, the next relay run publishes every waiting event — the jobs' and the operator's — each once, without waiting for a job",
    async run(world) {
      busDown(world);
      await world.day();
      world.stack.setNow(new Date('2026-11-28T11:00:00Z'));
      for (const to of ['pending_approval', 'approved'] as const)
        await changeProcurementStatus(world.ports(), {
          tenantId: world.tenants[0]!.tenantId,
          planDate: PLAN_DATE,
          version: 1,
          to,
          by: 'manager',
        });
      await world.fire('cleanup', NEXT_CLEANUP); // the next morning, still down
      await world.drain();
      world.heal();
      await world.stack.relay.pump(); // the bus is back: the relay's next run, no job involved
    },
    async check(world) {
      const approvals = world.stack.bus.published.filter(
        (e) =>
          e.detailType === 'procurement.plan.status_changed' &&
          planOf(e)?.planId === `proc-${world.tenants[0]!.tenantId}-${PLAN_DATE}-v1`,
      );
      if (approvals.length !== 2) throw new Error(`expected the two status changes announced, got ${approvals.length}`);
      const duplicates = duplicateDeliveries(world);
      if (duplicates > 0) throw new Error(`${duplicates} event(s) published more than once after the outage`);
      return { duplicates };
    },
  },
  {
    name: 'crash at each step boundary',
    port: 'worker',
    failure: 'the worker dies right after each adapter call of a production job in turn (one tenant per step)',
    outcome: "the redelivery finishes the job: one schedule per tenant, its event published from the table's stream",
    async run(world) {
      const crashAfter = new Map(world.tenants.map((t, i) => [t.tenantId, i + 1]));
      const calls = new Map<string, number>();
      world.inject((ports) => {
        const crashing = <T extends object>(port: T): T =>
          around(port, async (_m, call, args) => {
            const result = await call();
            const id = tenantOf(args);
            if (id && crashAfter.has(id)) {
              const n = (calls.get(id) ?? 0) + 1;
              calls.set(id, n);
              if (n === crashAfter.get(id)) throw new Error(`injected: the worker died after call ${n}`);
            }
            return result;
          });
        return {
          ...ports,
          ...Object.fromEntries(STORES.map((s) => [s, crashing(ports[s])])),
          events: crashing(ports.events),
          queue: crashing(ports.queue),
        } as PlannerPorts;
      });
      await world.fire('production');
      await world.drain();
      world.heal();
      await world.fire('cleanup');
      await world.drain();
      await world.fire('procurement');
      await world.drain();
    },
  },
  {
    name: 'throttling',
    port: 'DynamoDB',
    failure: "every job's first attempt is throttled at its first store call (past the SDK's own retries)",
    outcome:
      'the job fails and the queue retries it (`TenantsProcessed` failed, then success); nothing is half-written',
    async run(world) {
      const throttled = new Set<string>();
      world.inject(
        (ports) =>
          ({
            ...ports,
            ...Object.fromEntries(
              STORES.map((s) => [
                s,
                around(ports[s], async (_method, call, args) => {
                  const key = `${tenantOf(args)}@${world.stack.ports.now().toISOString()}`;
                  if (tenantOf(args) && !throttled.has(key)) {
                    throttled.add(key);
                    throw Object.assign(new Error('injected: Rate of requests exceeds the allowed throughput.'), {
                      name: 'ProvisionedThroughputExceededException',
                    });
                  }
                  return call();
                }),
              ]),
            ),
          }) as PlannerPorts,
      );
      await world.day();
    },
    async check(world) {
      const failed = world.stack.metricRecords.filter(
        (m) => m.name === 'TenantsProcessed' && m.dimensions.Status === 'failed',
      ).length;
      if (failed === 0) throw new Error('no throttled attempt was counted');
      return { failedAttempts: failed };
    },
  },
  {
    name: 'slow plan write against the budget',
    port: 'plan store',
    failure: 'the production write starts after the budget is spent (one tenant), or completes after it (another)',
    outcome:
      'a write that would start late never starts (timeout, retried, `TenantTimeouts`); a write that completed is never reported as a timeout',
    async run(world) {
      // Ample for every other tenant's job on a loaded machine; the two slowed ones outlast it by design.
      world.budgetMs = 15_000;
      const [late, slow] = world.tenants;
      const slowed = new Set<string>();
      world.inject((ports) => ({
        ...ports,
        plans: around(ports.plans, async (method, call, args) => {
          const id = tenantOf(args)!;
          const once = method === 'createProductionSchedule' && !slowed.has(id);
          if (once) slowed.add(id);
          if (once && id === late!.tenantId) {
            await untilBudgetSpent(); // the budget is spent before the write starts: it must not happen
            const outcome = await call().then(
              () => 'written',
              (error: Error) => error.name,
            );
            world.notes.push(`late write: ${outcome}`);
            throw new Error(`the late write ended: ${outcome}`);
          }
          const result = await call();
          if (once && id === slow?.tenantId) await untilBudgetSpent(); // the write is done; the budget runs out after
          return result;
        }),
      }));
      await world.fire('production');
      await world.drain();
      world.heal();
      world.budgetMs = 60_000;
      await world.fire('cleanup');
      await world.drain();
      await world.fire('procurement');
      await world.drain();
    },
    async check(world) {
      const timeouts = world.stack.metricRecords
        .filter((m) => m.name === 'TenantTimeouts')
        .map((m) => m.properties.tenantId);
      const [late, slow] = world.tenants;
      if (!timeouts.includes(late!.tenantId)) throw new Error('the late write was not reported as a timeout');
      if (slow && timeouts.includes(slow.tenantId))
        throw new Error('a job whose write completed was reported as a timeout');
      if (world.notes.join() !== 'late write: AbortError')
        throw new Error(`a write started after the budget was not aborted: ${world.notes.join()}`);
      return { timeouts: timeouts.length };
    },
  },
  {
    name: 'webhook receiver down for an hour',
    port: 'webhook receiver',
    failure: "answers 503 to every delivery during the first hour of the day's events",
    outcome:
      'each delivery is retried with backoff (`WebhookDeliveries` failed) and arrives once the receiver is back, with its event’s id as `webhook-id`',
    async run(world) {
      const back = Date.parse(FIRINGS.production) + 3_600_000;
      await withReceivers(world, (_n, w) => ({ status: w.stack.ports.now().getTime() < back ? 503 : 200 }));
      await world.dayWithWebhooks('2026-11-28T14:00:00Z');
    },
    async check(world) {
      const figures = await checkDeliveries(world);
      if (figures.webhookFailedAnswers < 2 * world.tenants.length)
        throw new Error(`only ${figures.webhookFailedAnswers} deliveries met the outage`);
      return figures;
    },
  },
  {
    name: 'webhook receiver slow',
    port: 'webhook receiver',
    failure: 'takes longer than the timeout to answer the first delivery of each event (and processes it)',
    outcome:
      'the attempt counts as failed and is retried: the receiver gets the event twice, with the same `webhook-id` and body, and drops the second',
    async run(world) {
      await withReceivers(world, (n) =>
        n === 1 ? { status: 200, delayMs: 3 * RECEIVER_TIMEOUT_MS } : { status: 200 },
      );
      await world.dayWithWebhooks('2026-11-28T10:00:00Z');
    },
    async check(world) {
      const figures = await checkDeliveries(world);
      if (figures.webhookDuplicates === 0) throw new Error('the slow receiver was never sent an event twice');
      return figures;
    },
  },
  {
    name: 'webhook receiver gone',
    port: 'webhook receiver',
    failure: 'answers 410 Gone',
    outcome:
      'the endpoint is disabled at its first 410 and says why (`WebhookEndpointsDisabled`); nothing more is sent to it',
    async run(world) {
      await withReceivers(world, () => ({ status: 410 }));
      await world.dayWithWebhooks('2026-11-29T10:00:00Z');
    },
    async check(world) {
      const { received } = receivers.get(world)!;
      for (const t of world.tenants) {
        const [endpoint] = await world.stack.ports.webhooks.list(t.tenantId);
        if (endpoint?.enabled !== false || !endpoint.disabled?.reason.includes('410'))
          throw new Error(`${t.tenantId}'s endpoint was not disabled by its 410`);
      }
      const figures = await checkDeliveries(world, false);
      if (received.length !== world.tenants.length)
        throw new Error(
          `${received.length} requests to endpoints that answered 410 once each (expected ${world.tenants.length})`,
        );
      return figures;
    },
  },
  {
    name: 'webhook delivery dies after sending',
    port: 'webhook store',
    failure: 'the delivery log write fails after each first delivery (the function dies between sending and recording)',
    outcome:
      'the queue delivers the message again: the receiver gets the event a second time, with the same `webhook-id`',
    async run(world) {
      await withReceivers(world, () => ({ status: 200 }));
      const failed = new Set<string>();
      world.inject((ports) => ({
        ...ports,
        webhooks: around(ports.webhooks, async (method, call, args) => {
          const id = (args[0] as { eventId?: string }).eventId;
          if (method === 'recordAttempt' && id && !failed.has(id)) {
            failed.add(id);
            throw new Error('injected: the function died after sending');
          }
          return call();
        }),
      }));
      await world.dayWithWebhooks('2026-11-28T10:00:00Z');
      world.heal();
    },
    async check(world) {
      const figures = await checkDeliveries(world);
      if (figures.webhookDuplicates === 0) throw new Error('no delivery was sent again after the crash');
      return figures;
    },
  },
];

/** Every publication fails (the bus cannot be reached) until the world heals. */
function busDown(world: World): void {
  world.inject((ports) => ({
    ...ports,
    events: around(ports.events, async () => {
      throw new Error('injected: EventBridge unavailable');
    }),
  }));
}

/** Publications of an event id beyond its first. */
function duplicateDeliveries(world: World): number {
  const ids = world.stack.bus.published.map((e) => e.detail.eventId);
  return ids.length - new Set(ids).size;
}

// ── The common invariants ─────────────────────────────────────────────────────────────────────────

export interface CaseFigures {
  tenants: number;
  plans: number;
  eventsExpected: number;
  eventsDelivered: number;
  duplicateDeliveries: number;
  pendingAfterRecovery: number;
  deadLetterQueue: number;
  [figure: string]: number;
}

export async function seedWorld(stack: LocalStack, count: number, prefix: string): Promise<World> {
  const tenants = Array.from({ length: count }, (_, i) => tenant(`${prefix}-${String(i).padStart(4, '0')}`, ZONE));
  const queue = [...tenants];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) await seedBakery(stack, t, PLAN_DATE);
    }),
  );
  return new World(stack, tenants);
}

/** Runs a case and checks the invariants; throws naming the first that does not hold. */
export async function runCase(fault: FaultCase, world: World): Promise<CaseFigures> {
  await fault.run(world);
  await world.recover();
  const { stack, tenants } = world;
  const poison = new Set(fault.poison?.(tenants) ?? []);
  const healthy = tenants.filter((t) => !poison.has(t.tenantId));
  const deadLettered = new Set<string>();
  let plans = 0;
  let pendingAfterRecovery = 0;
  for (const t of tenants) {
    const summaries = await stack.ports.plans.listPlanSummaries(t.tenantId);
    const today = summaries.filter((p) => p.planDate === PLAN_DATE);
    const production = today.filter((p) => p.kind === 'production');
    const procurement = today.filter((p) => p.kind === 'procurement' && p.version === 1);
    // A poison tenant may have got as far as one plan; never two of a kind.
    const wrong = poison.has(t.tenantId)
      ? production.length > 1 || procurement.length > 1
      : production.length !== 1 || procurement.length !== 1;
    if (wrong)
      throw new Error(
        `${fault.name}: tenant ${t.tenantId} has ${production.length} schedule(s) and ${procurement.length} plan(s) v1 for ${PLAN_DATE}`,
      );
    plans += production.length + procurement.length;
    for (const item of await deadLetters(stack, t.tenantId)) deadLettered.add(item);
  }
  // Nothing waits in the stream: a relay run now publishes nothing and stops nowhere.
  const rest = await stack.relay.pump();
  pendingAfterRecovery = rest.retryFrom ? 1 : 0;
  if (rest.published > 0 || rest.retryFrom)
    throw new Error(
      `${fault.name}: events still waiting in the stream after recovery (${rest.published} published late)`,
    );
  // Every plan announced, with the id its fact always has (or, refused for itself, kept as a dead letter).
  const published = stack.bus.published.map((e) => e.detail.eventId);
  const distinct = new Set(published);
  const expectedIds = healthy.flatMap((t) => [
    eventId('production.schedule.generated', `prod-${t.tenantId}-${PLAN_DATE}`),
    eventId('procurement.plan.generated', `proc-${t.tenantId}-${PLAN_DATE}-v1`),
  ]);
  const missing = expectedIds.filter((id) => !distinct.has(id) && !deadLettered.has(id));
  if (missing.length > 0)
    throw new Error(`${fault.name}: ${missing.length} plan event(s) never delivered, e.g. ${missing[0]}`);
  // Repeats are the same event: a subscriber deduplicating on the id loses nothing.
  const byId = new Map<string, string>();
  for (const event of stack.bus.published) {
    const body = canonicalJson(event);
    const earlier = byId.get(event.detail.eventId);
    if (earlier !== undefined && earlier !== body) {
      throw new Error(
        `${fault.name}: event ${event.detail.eventId} (${event.detailType}) was published twice with different contents:\n${earlier}\n${body}`,
      );
    }
    byId.set(event.detail.eventId, body);
  }
  if (stack.queue.depth > 0) throw new Error(`${fault.name}: ${stack.queue.depth} message(s) left on the queue`);
  const dlq = stack.queue.deadLetters.map((m) => (JSON.parse(m.body) as { tenantId: string }).tenantId);
  const unexpected = dlq.filter((id) => !poison.has(id));
  if (unexpected.length > 0)
    throw new Error(`${fault.name}: healthy tenant(s) in the DLQ: ${[...new Set(unexpected)].join(', ')}`);
  if (poison.size > 0 && dlq.length === 0) throw new Error(`${fault.name}: the poison tenant never reached the DLQ`);
  const extra = (await fault.check?.(world)) ?? {};
  return {
    tenants: tenants.length,
    plans,
    eventsExpected: expectedIds.length,
    eventsDelivered: expectedIds.filter((id) => distinct.has(id)).length,
    duplicateDeliveries: published.length - distinct.size,
    pendingAfterRecovery,
    deadLetterQueue: dlq.length,
    ...extra,
  };
}

/** JSON with object keys sorted: an event read back from DynamoDB has its keys in another order, the same content. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

async function deadLetters(stack: LocalStack, tenantId: string): Promise<string[]> {
  const items = await queryAll(stack.table, {
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.tenantPartition(tenantId), ':prefix': keys.deadLetterPrefix },
  });
  return items.map((item) => (item.event as PlanEvent).detail.eventId);
}

/** The failure table of docs/architecture.md, one row per case. */
export function failureTableRows(): string[] {
  return FAULT_CASES.map((c) => `| ${c.port} | ${c.failure} | ${c.outcome} |`);
}
