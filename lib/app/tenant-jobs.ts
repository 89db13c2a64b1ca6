// One tenant's job for one local date: production, procurement, cleanup, review (and the weekly model refit). Each is idempotent: the
// plan's business key is its item key and creation is conditional, and a plan whose event was not yet
// published (a crash between the two) gets it published on the next delivery.
import type { ProcurementStatus, ProductionSchedule, Tenant } from '../domain.ts';
import { planEvent, type PlanEvent } from '../events/catalogue.ts';
import { idempotencyKey, type TenantJob } from '../jobs/job-message.ts';
import { DEFAULT_HORIZON_DAYS, planProcurement, type DailyProduction } from '../planning/procurement.ts';
import { planProduction, productionLines } from '../planning/production.ts';
import { afterWrite, type PlannerPorts } from '../ports.ts';
import { addDays, localDateAt, toUtc } from '../time/tenant-clock.ts';
import { decideCleanup } from '../workflow/cleanup.ts';
import { plansAwaitingReview, reviewDeadlineOf } from '../workflow/review-deadline.ts';
import { cacheStatsSafely, getForecasts, invalidateForecastsSafely } from './forecasts.ts';
import { runModelRefitJob } from './model-refit.ts';
import { deliverAfter, deliverPending } from './outbox.ts';
import { procurementGeneratedEvent } from './plan-events.ts';

export class TenantNotFoundError extends Error {
  constructor(readonly tenantId: string) {
    super(`Tenant "${tenantId}" does not exist; the job cannot run. Create the tenant or drop the message from the DLQ.`);
    this.name = 'TenantNotFoundError';
  }
}

export class EmptyCatalogError extends Error {
  constructor(readonly tenantId: string) {
    super(`Tenant "${tenantId}" has no products in its catalog, so there is nothing to plan. Import one ` +
      `(npm run planner -- catalog import --tenant ${tenantId} --file docs/templates/catalog.json; see docs/onboarding.md).`);
    this.name = 'EmptyCatalogError';
  }
}

/** A plan of nothing would stand for the day and hide the missing catalog: the job fails, saying why. */
export function assertCatalog(tenantId: string, catalog: { products: readonly unknown[] }): void {
  if (catalog.products.length === 0) throw new EmptyCatalogError(tenantId);
}

export interface TenantJobResult {
  outcome: 'created' | 'duplicate' | 'done';
  planId?: string;
  /** What a person would want to know about the run (counts, cache use). */
  summary: Record<string, number | string>;
}

export async function loadTenant(ports: PlannerPorts, tenantId: string): Promise<Tenant> {
  const tenant = await ports.tenants.getTenant(tenantId);
  if (!tenant) throw new TenantNotFoundError(tenantId);
  return tenant;
}

function productionEvent(schedule: ProductionSchedule, tenant: Tenant, job: TenantJob, occurredAt: string): PlanEvent {
  return planEvent('production.schedule.generated', [schedule.planId], {
    tenantId: schedule.tenantId,
    planId: schedule.planId,
    planDate: schedule.planDate,
    occurredAt,
    timezone: tenant.timezone,
    products: schedule.lines.filter((l) => l.plannedUnits > 0).length,
    batches: schedule.batches.length,
    plannedUnits: schedule.lines.reduce((t, l) => t + l.plannedUnits, 0),
    shortfallUnits: schedule.shortfalls.reduce((t, s) => t + s.units, 0),
    trigger: job.trigger,
  });
}

export async function runProductionJob(ports: PlannerPorts, job: TenantJob, signal: AbortSignal): Promise<TenantJobResult> {
  const existing = await ports.plans.getProductionSchedule(job.tenantId, job.planDate);
  if (existing) {
    // Written before, maybe with its event still in the outbox (a crash, a bus outage): deliver it.
    await deliverAfter(ports, job);
    return { outcome: 'duplicate', planId: existing.plan.planId, summary: {} };
  }
  const tenant = await loadTenant(ports, job.tenantId);
  const [catalog, stock] = await Promise.all([ports.catalog.getCatalog(tenant.tenantId), ports.stock.getStock(tenant.tenantId)]);
  assertCatalog(tenant.tenantId, catalog);
  const productIds = catalog.products.map((p) => p.productId);
  // Today's forecast drives the schedule and must see yesterday's sales; the horizon's are cached for
  // the procurement job at 06:00 (and reused from yesterday's run where they exist).
  const dates = Array.from({ length: DEFAULT_HORIZON_DAYS }, (_, i) => addDays(job.planDate, i));
  const forecastRun = await getForecasts(ports, tenant, productIds, dates, addDays(job.planDate, -1), [job.planDate]);
  signal.throwIfAborted();
  const generatedAt = ports.now().toISOString();
  const schedule = {
    ...planProduction({
      tenantId: tenant.tenantId,
      planDate: job.planDate,
      catalog,
      forecasts: forecastRun.forecasts.filter((f) => f.forecastDate === job.planDate),
      stock,
      generatedAt,
    }),
    ...catchUpMark(job),
  };
  signal.throwIfAborted();
  const events = [productionEvent(schedule, tenant, job, generatedAt)];
  const outcome = await ports.plans.createProductionSchedule(schedule, tenant.timezone, events);
  ports.metrics.record('ProductionSchedulesGenerated', 1, { Status: outcome }, { tenantId: tenant.tenantId });
  if (outcome === 'exists') return { outcome: 'duplicate', planId: schedule.planId, summary: {} };
  ports.metrics.record('BatchesCreated', schedule.batches.length, {}, { tenantId: tenant.tenantId });
  const delivery = await afterWrite(ports, (free) => deliverAfter(free, job, events));
  return {
    outcome: 'created',
    planId: schedule.planId,
    summary: {
      products: schedule.lines.filter((l) => l.plannedUnits > 0).length,
      batches: schedule.batches.length,
      units: schedule.lines.reduce((t, l) => t + l.plannedUnits, 0),
      shortfallUnits: schedule.shortfalls.reduce((t, s) => t + s.units, 0),
      cacheHits: forecastRun.hits,
      cacheMisses: forecastRun.misses,
      eventsPending: delivery.pending,
    },
  };
}

export async function runProcurementJob(ports: PlannerPorts, job: TenantJob, signal: AbortSignal): Promise<TenantJobResult> {
  // A regeneration builds the next version, linked to the plan it supersedes.
  const version = job.version ?? 1;
  const existing = await ports.plans.getProcurementPlan(job.tenantId, job.planDate, version);
  if (existing) {
    await deliverAfter(ports, job);
    return { outcome: 'duplicate', planId: existing.plan.planId, summary: {} };
  }
  const tenant = await loadTenant(ports, job.tenantId);
  // Rebuilt because the data was stale: no cached forecast may be reused (and, should the cache be
  // unreachable for the invalidation, every forecast of the run is recomputed anyway).
  const regenerating = job.trigger === 'regeneration';
  if (regenerating) await invalidateForecastsSafely(ports, tenant.tenantId, 'regeneration');
  const [catalog, stock, todaysSchedule] = await Promise.all([
    ports.catalog.getCatalog(tenant.tenantId),
    ports.stock.getStock(tenant.tenantId),
    ports.plans.getProductionSchedule(tenant.tenantId, job.planDate),
  ]);
  assertCatalog(tenant.tenantId, catalog);
  const productIds = catalog.products.map((p) => p.productId);
  // Today's production comes from today's schedule when there is one; later days from the forecasts.
  const firstForecastDay = todaysSchedule ? 1 : 0;
  const dates = Array.from({ length: DEFAULT_HORIZON_DAYS - firstForecastDay }, (_, i) => addDays(job.planDate, i + firstForecastDay));
  const forecastRun = await getForecasts(ports, tenant, productIds, dates, addDays(job.planDate, -1), regenerating ? dates : []);
  signal.throwIfAborted();
  const production: DailyProduction[] = [];
  if (todaysSchedule) {
    production.push({ date: job.planDate, units: new Map(todaysSchedule.plan.lines.map((l) => [l.productId, l.plannedUnits])) });
  } else {
    ports.log.warn('No production schedule for the plan date; procurement uses the forecast for it too', { tenantId: tenant.tenantId, planDate: job.planDate });
  }
  for (const date of dates) {
    const lines = productionLines({
      planDate: date,
      catalog,
      forecasts: forecastRun.forecasts.filter((f) => f.forecastDate === date),
      stock: { finishedGoods: [], ingredients: [] },
    });
    production.push({ date, units: new Map(lines.map((l) => [l.productId, l.plannedUnits])) });
  }
  const generatedAt = ports.now().toISOString();
  const plan = {
    ...planProcurement({
      tenantId: tenant.tenantId,
      planDate: job.planDate,
      version,
      horizonDays: DEFAULT_HORIZON_DAYS,
      catalog,
      production,
      ingredientStock: stock.ingredients,
      openOrders: stock.openOrders ?? [],
      generatedAt,
      currency: tenant.currency,
      ...(job.supersedes ? { supersedes: job.supersedes } : {}),
    }),
    ...catchUpMark(job),
  };
  signal.throwIfAborted();
  const events = [procurementGeneratedEvent(plan, job.trigger, generatedAt)];
  const outcome = await ports.plans.createProcurementPlan(plan, tenant.timezone, events);
  ports.metrics.record('ProcurementPlansGenerated', 1, { Status: outcome }, { tenantId: tenant.tenantId });
  if (outcome === 'exists') return { outcome: 'duplicate', planId: plan.planId, summary: {} };
  for (const priority of ['critical', 'high', 'medium', 'low'] as const) {
    const count = plan.requirements.filter((r) => r.priority === priority).length;
    if (count > 0) ports.metrics.record('RequirementsCreated', count, { Priority: priority }, { tenantId: tenant.tenantId });
  }
  const delivery = await afterWrite(ports, (free) => deliverAfter(free, job, events));
  return {
    outcome: 'created',
    planId: plan.planId,
    summary: {
      requirements: plan.requirements.length,
      critical: plan.requirements.filter((r) => r.priority === 'critical').length,
      totalCost: plan.totalCost,
      cacheHits: forecastRun.hits,
      cacheMisses: forecastRun.misses,
      eventsPending: delivery.pending,
    },
  };
}

/**
 * Applies the cleanup rules. Each status change and escalation is written with its event (the outbox),
 * and the tenant's pending events — whatever change left them — are delivered first and last.
 */
export async function runCleanupJob(ports: PlannerPorts, job: TenantJob, signal: AbortSignal): Promise<TenantJobResult> {
  const earlier = await deliverPending(ports, job.tenantId);
  if (earlier.published > 0) ports.log.warn('Published events left pending by an earlier failure', { tenantId: job.tenantId, events: earlier.published });
  const plans = await ports.plans.listPlanSummaries(job.tenantId);
  const decision = decideCleanup(plans, job.planDate);
  const occurredAt = ports.now().toISOString();
  const written: PlanEvent[] = [];
  const moved = new Map<string, string>();
  for (const change of decision.changes) {
    signal.throwIfAborted();
    const event = planEvent('plan.cleanup.status_changed', [change.plan.planId, change.to], {
      tenantId: job.tenantId, planId: change.plan.planId, planDate: change.plan.planDate, occurredAt,
      kind: change.plan.kind, from: change.plan.status, to: change.to, reason: change.reason,
    });
    const entry = change.plan.kind === 'procurement'
      ? { at: occurredAt, by: 'cleanup', from: change.plan.status as ProcurementStatus, to: change.to, reason: change.reason }
      : null;
    if (await ports.plans.changeStatus(job.tenantId, change.plan, change.to, entry, undefined, [event])) {
      moved.set(change.plan.planId, change.to);
      written.push(event);
    }
    else ports.log.info('Plan changed meanwhile; cleanup left it alone', { tenantId: job.tenantId, planId: change.plan.planId });
  }
  const delivery = await afterWrite(ports, (free) => deliverAfter(free, job, written));
  // The tenant's plans by status after cleanup (the list read, with the changes made): a daily gauge of what waits for whom.
  const byStatus = new Map<string, number>();
  for (const plan of plans) {
    const status = moved.get(plan.planId) ?? plan.status;
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }
  for (const [status, count] of byStatus) ports.metrics.record('PlansByStatus', count, { Status: status }, { tenantId: job.tenantId });
  const cache = await cacheStatsSafely(ports, job.tenantId);
  if (cache) ports.metrics.record('ForecastCacheEntries', cache.entries, {}, { tenantId: job.tenantId });
  return {
    outcome: 'done',
    summary: { plans: plans.length, changed: moved.size, pendingPublished: earlier.published, eventsPending: delivery.pending, deadLettered: earlier.deadLettered + delivery.deadLettered },
  };
}

/**
 * The review deadline: once the tenant's deadline has passed today, each plan of today still waiting for
 * a person escalates, once per plan and day however often the job runs (the claim and its event are one
 * conditional write). Before the deadline, or for a past day (a catch-up), nothing escalates.
 */
export async function runReviewJob(ports: PlannerPorts, job: TenantJob, signal: AbortSignal): Promise<TenantJobResult> {
  const tenant = await loadTenant(ports, job.tenantId);
  const deadline = reviewDeadlineOf(tenant);
  const now = ports.now();
  if (job.planDate !== localDateAt(now, tenant.timezone) || now < toUtc(job.planDate, deadline, tenant.timezone)) {
    return { outcome: 'done', summary: { escalations: 0, deadline, notDue: 1 } };
  }
  const waiting = plansAwaitingReview(await ports.plans.listPlanSummaries(job.tenantId), job.planDate);
  const occurredAt = now.toISOString();
  const written: PlanEvent[] = [];
  for (const plan of waiting) {
    signal.throwIfAborted();
    const event = planEvent('plan.escalation.unapproved', [plan.planId, job.planDate], {
      tenantId: job.tenantId, planId: plan.planId, planDate: plan.planDate, occurredAt, kind: plan.kind, status: plan.status, deadline,
    });
    if (await ports.plans.claimEscalation(job.tenantId, plan, job.planDate, event)) written.push(event);
  }
  const delivery = await afterWrite(ports, (free) => deliverAfter(free, job, written));
  return { outcome: 'done', summary: { escalations: written.length, waiting: waiting.length, deadline, eventsPending: delivery.pending } };
}

/** A delivery retry: publish what waits in the tenant's outbox, and try again later if the bus still fails. */
async function runDeliveryRetry(ports: PlannerPorts, job: TenantJob): Promise<TenantJobResult> {
  const delivery = await deliverAfter(ports, job);
  return { outcome: 'done', summary: { published: delivery.published, eventsPending: delivery.pending, deadLettered: delivery.deadLettered } };
}

/** Plans made by a catch-up say so. */
const catchUpMark = (job: TenantJob) => (job.trigger === 'catch-up' ? { catchUp: true as const } : {});

/**
 * Runs the job, then (catch-ups only) the day's later jobs in order, each idempotent on its own key:
 * one message keeps the order that separate messages on a standard queue would not.
 */
export async function runTenantJob(ports: PlannerPorts, job: TenantJob, signal: AbortSignal): Promise<TenantJobResult> {
  if (job.deliverOnly) return runDeliveryRetry(ports, job);
  const result = await runOneJob(ports, job, signal);
  for (const next of job.then ?? []) {
    signal.throwIfAborted();
    const { then: _then, ...rest } = job;
    const followUp = await runOneJob(ports, { ...rest, job: next, idempotencyKey: idempotencyKey(job.tenantId, next, job.planDate) }, signal);
    result.summary[`then:${next}`] = followUp.outcome;
  }
  return result;
}

function runOneJob(ports: PlannerPorts, job: TenantJob, signal: AbortSignal): Promise<TenantJobResult> {
  switch (job.job) {
    case 'production':
      return runProductionJob(ports, job, signal);
    case 'procurement':
      return runProcurementJob(ports, job, signal);
    case 'cleanup':
      return runCleanupJob(ports, job, signal);
    case 'review':
      return runReviewJob(ports, job, signal);
    case 'model-refit':
      return runModelRefitJob(ports, job, signal);
  }
}
