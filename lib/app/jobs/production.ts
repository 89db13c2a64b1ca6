// The production job (05:30 local): forecasts today's demand and the horizon's (cached for the
// procurement job at 06:00), and builds today's production schedule and its batches.
import type { ProductionSchedule, Tenant } from '../../domain.ts';
import { type PlanEvent, planEvent } from '../../events/catalogue.ts';
import type { TenantJob } from '../../jobs/job-message.ts';
import { horizonDates } from '../../planning/procurement.ts';
import { planProduction } from '../../planning/production.ts';
import type { PlannerPorts } from '../../ports.ts';
import { addDays } from '../../time/tenant-clock.ts';
import { getForecasts } from '../forecasts.ts';
import {
  catchUpMark,
  loadCatalog,
  loadFillRateCorrections,
  reviewDeadlineFor,
  runPlanJob,
  type TenantJobResult,
} from './tenant-job.ts';

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

export async function runProductionJob(
  ports: PlannerPorts,
  job: TenantJob,
  signal: AbortSignal,
): Promise<TenantJobResult> {
  // The days whose forecasts the run reads and fills: the plan date and the procurement horizon after it.
  const dates = horizonDates(job.planDate);
  // Everything the run reads in the table but the sales history, in one batch read (the model is in S3).
  await ports.readAhead.prefetch(job.tenantId, {
    profile: true,
    catalog: true,
    stock: true,
    drivers: true,
    calendar: true,
    productionPlans: [job.planDate],
    forecastDates: dates,
  });
  return runPlanJob<ProductionSchedule>(ports, job, signal, {
    metric: 'ProductionSchedulesGenerated',
    existing: async () => (await ports.plans.getProductionSchedule(job.tenantId, job.planDate))?.plan.planId ?? null,
    async build(tenant) {
      const [catalog, stock] = await Promise.all([
        loadCatalog(ports, tenant.tenantId),
        ports.stock.getStock(tenant.tenantId),
      ]);
      const productIds = catalog.products.map((p) => p.productId);
      // Today's forecast drives the schedule and must see yesterday's sales; the horizon's are cached for
      // the procurement job at 06:00 (and reused from yesterday's run where they exist).
      const [forecastRun, fillRateCorrections] = await Promise.all([
        getForecasts(ports, tenant, productIds, dates, addDays(job.planDate, -1), [job.planDate]),
        loadFillRateCorrections(ports, tenant.tenantId, catalog, job.planDate),
      ]);
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
          fillRateCorrections,
        }),
        ...catchUpMark(job),
      };
      return {
        plan: schedule,
        events: [productionEvent(schedule, tenant, job, generatedAt)],
        summary: {
          products: schedule.lines.filter((l) => l.plannedUnits > 0).length,
          batches: schedule.batches.length,
          units: schedule.lines.reduce((t, l) => t + l.plannedUnits, 0),
          shortfallUnits: schedule.shortfalls.reduce((t, s) => t + s.units, 0),
          cacheHits: forecastRun.hits,
          cacheMisses: forecastRun.misses,
        },
      };
    },
    write: (schedule, tenant, events) =>
      ports.plans.createProductionSchedule(schedule, tenant.timezone, events, reviewDeadlineFor(tenant)),
    created: (schedule) =>
      ports.metrics.record('BatchesCreated', schedule.batches.length, {}, { tenantId: job.tenantId }),
  });
}
