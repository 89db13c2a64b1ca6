// The procurement job (06:00 local): builds the procurement plan from today's production schedule and
// the horizon's forecast-driven production (reusing the forecasts the production job cached). A
// regeneration (a rejection for stale data) builds the next version, linked to the plan it supersedes.
import type { ProcurementPlan } from '../../domain.ts';
import type { TenantJob } from '../../jobs/job-message.ts';
import {
  type DailyProduction,
  DEFAULT_HORIZON_DAYS,
  horizonDates,
  planProcurement,
} from '../../planning/procurement.ts';
import { productionLines } from '../../planning/production.ts';
import type { PlannerPorts } from '../../ports.ts';
import { addDays } from '../../time/tenant-clock.ts';
import { getForecasts, invalidateForecastsSafely } from '../forecasts.ts';
import { procurementGeneratedEvent } from '../plan-events.ts';
import {
  catchUpMark,
  loadCatalog,
  loadFillRateCorrections,
  reviewDeadlineFor,
  runPlanJob,
  type TenantJobResult,
} from './tenant-job.ts';

const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;

/**
 * A procurement job that finds no production schedule for its date waits for it: it goes back on the
 * queue, 2 minutes later, up to 15 times (30 minutes; a schedule that never comes — its job in the DLQ —
 * leaves procurement to plan from the forecast, with a warning and `ProcurementWithoutSchedule`).
 */
const PRODUCTION_WAIT_SECONDS = 120;
const PRODUCTION_WAITS = 15;

export async function runProcurementJob(
  ports: PlannerPorts,
  job: TenantJob,
  signal: AbortSignal,
): Promise<TenantJobResult> {
  const version = job.version ?? 1;
  // What the run reads when the forecasts are cached (the production job filled them), in one batch read.
  await ports.readAhead.prefetch(job.tenantId, {
    profile: true,
    catalog: true,
    stock: true,
    productionPlans: [job.planDate],
    procurementPlans: [job.planDate],
    forecastDates: horizonDates(job.planDate),
  });
  const schedule = await ports.plans.getProductionSchedule(job.tenantId, job.planDate);
  const waited = job.waitedForProduction ?? 0;
  if (!schedule && job.trigger !== 'manual' && waited < PRODUCTION_WAITS) {
    if (!(await ports.plans.getProcurementPlan(job.tenantId, job.planDate, version))) {
      await ports.queue.enqueue([{ ...job, waitedForProduction: waited + 1 }], {
        delaySeconds: PRODUCTION_WAIT_SECONDS,
      });
      ports.log.info('No production schedule yet; procurement waits for it', {
        tenantId: job.tenantId,
        planDate: job.planDate,
        waited: waited + 1,
      });
      return { outcome: 'done', summary: { waitingForProduction: waited + 1 } };
    }
  }
  return runPlanJob<ProcurementPlan>(ports, job, signal, {
    metric: 'ProcurementPlansGenerated',
    existing: async () =>
      (await ports.plans.getProcurementPlan(job.tenantId, job.planDate, version))?.plan.planId ?? null,
    async build(tenant) {
      // Rebuilt because the data was stale: no cached forecast may be reused (and, should the cache be
      // unreachable for the invalidation, every forecast of the run is recomputed anyway).
      const regenerating = job.trigger === 'regeneration';
      if (regenerating) await invalidateForecastsSafely(ports, tenant.tenantId, 'regeneration');
      const [catalog, stock] = await Promise.all([
        loadCatalog(ports, tenant.tenantId),
        ports.stock.getStock(tenant.tenantId),
      ]);
      const productIds = catalog.products.map((p) => p.productId);
      // Today's production comes from today's schedule when there is one; later days from the forecasts.
      const firstForecastDay = schedule ? 1 : 0;
      const dates = horizonDates(addDays(job.planDate, firstForecastDay), DEFAULT_HORIZON_DAYS - firstForecastDay);
      const [forecastRun, fillRateCorrections] = await Promise.all([
        getForecasts(ports, tenant, productIds, dates, addDays(job.planDate, -1), regenerating ? dates : []),
        loadFillRateCorrections(ports, tenant.tenantId, catalog, job.planDate),
      ]);
      signal.throwIfAborted();
      const production: DailyProduction[] = [];
      if (schedule) {
        production.push({
          date: job.planDate,
          units: new Map(schedule.plan.lines.map((l) => [l.productId, l.plannedUnits])),
        });
      } else {
        ports.metrics.record('ProcurementWithoutSchedule', 1, {}, { tenantId: tenant.tenantId });
        ports.log.warn('No production schedule for the plan date; procurement uses the forecast for it too', {
          tenantId: tenant.tenantId,
          planDate: job.planDate,
          waited,
        });
      }
      for (const date of dates) {
        const lines = productionLines({
          planDate: date,
          catalog,
          forecasts: forecastRun.forecasts.filter((f) => f.forecastDate === date),
          stock: { finishedGoods: [], ingredients: [] },
          fillRateCorrections,
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
      return {
        plan,
        events: [procurementGeneratedEvent(plan, job.trigger, generatedAt)],
        summary: {
          requirements: plan.requirements.length,
          critical: plan.requirements.filter((r) => r.priority === 'critical').length,
          totalCost: plan.totalCost,
          cacheHits: forecastRun.hits,
          cacheMisses: forecastRun.misses,
        },
      };
    },
    write: (plan, tenant, events) =>
      ports.plans.createProcurementPlan(plan, tenant.timezone, events, reviewDeadlineFor(tenant)),
    created(plan) {
      for (const priority of PRIORITIES) {
        const count = plan.requirements.filter((r) => r.priority === priority).length;
        if (count > 0)
          ports.metrics.record('RequirementsCreated', count, { Priority: priority }, { tenantId: job.tenantId });
      }
    },
  });
}
