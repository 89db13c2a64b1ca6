// The local run's closing summary, read back from DynamoDB (what a bakery would actually find).
import type { Tenant } from '../domain.ts';
import { formatMoney } from '../money.ts';
import { renderTable } from '../text-table.ts';
import type { LocalDate } from '../time/tenant-clock.ts';
import type { LocalStack } from './local-ports.ts';
import type { SimulationResult } from './simulate-day.ts';

interface TenantSummary {
  tenantId: string;
  timezone: string;
  planDate: LocalDate;
  status: 'planned' | 'skipped (demo)' | 'missing plans';
  /** The latest procurement plan version of the date and its status (`v2 draft`, `v1 rejected`), or —. */
  procurementPlan: string;
  products: number;
  batches: number;
  units: number;
  requirements: number;
  critical: number;
  /** The v1 plan's order total, written in the tenant's currency and locale. */
  orderCost: string;
  cacheHits: number;
  cacheMisses: number;
  durationMs: number;
}

export interface RunSummary {
  tenants: TenantSummary[];
  productionSchedules: number;
  procurementPlans: number;
  events: number;
  distinctEvents: number;
  firings: number;
  jobsEnqueued: number;
  deadLetters: number;
  failedTenants: number;
  durationMs: number;
}

export async function summarizeRun(
  stack: LocalStack,
  tenants: readonly Tenant[],
  planDateOf: (timezone: string) => LocalDate,
  simulation: SimulationResult,
  durationMs: number,
  /** Each tenant's forecast-cache lookups before the day (left out of its counts). */
  lookupsBefore: ReadonlyMap<string, { hits: number; misses: number }> = new Map(),
): Promise<RunSummary> {
  const rows: TenantSummary[] = [];
  let productionSchedules = 0;
  let procurementPlans = 0;
  for (const tenant of tenants) {
    const planDate = planDateOf(tenant.timezone);
    const [schedule, procurement, cache, versions] = await Promise.all([
      stack.ports.plans.getProductionSchedule(tenant.tenantId, planDate),
      stack.ports.plans.getProcurementPlan(tenant.tenantId, planDate, 1),
      stack.ports.forecastCache.stats(tenant.tenantId, stack.ports.now()),
      stack.ports.plans.listPlanSummaries(tenant.tenantId, 'procurement'),
    ]);
    const latest = versions.filter((p) => p.planDate === planDate).sort((a, b) => b.version - a.version)[0];
    if (schedule) productionSchedules += 1;
    if (procurement) procurementPlans += 1;
    const durations = stack.metricRecords.filter(
      (r) => r.name === 'GenerationDuration' && r.properties.tenantId === tenant.tenantId,
    );
    rows.push({
      tenantId: tenant.tenantId,
      timezone: tenant.timezone,
      planDate,
      status: tenant.demo ? 'skipped (demo)' : schedule && procurement ? 'planned' : 'missing plans',
      procurementPlan: latest ? `v${latest.version} ${latest.status}` : '—',
      products: schedule?.plan.lines.filter((l) => l.plannedUnits > 0).length ?? 0,
      batches: schedule?.plan.batches.length ?? 0,
      units: schedule?.plan.lines.reduce((t, l) => t + l.plannedUnits, 0) ?? 0,
      requirements: procurement?.plan.requirements.length ?? 0,
      critical: procurement?.plan.requirements.filter((r) => r.priority === 'critical').length ?? 0,
      orderCost: formatMoney(procurement?.plan.totalCost ?? 0, tenant.currency, tenant.locale),
      cacheHits: cache.hits - (lookupsBefore.get(tenant.tenantId)?.hits ?? 0),
      cacheMisses: cache.misses - (lookupsBefore.get(tenant.tenantId)?.misses ?? 0),
      durationMs: durations.reduce((t, r) => t + r.value, 0),
    });
  }
  return {
    tenants: rows,
    productionSchedules,
    procurementPlans,
    events: stack.bus.published.length,
    distinctEvents: stack.bus.distinct().length,
    firings: simulation.firings.length,
    jobsEnqueued: simulation.jobsEnqueued,
    deadLetters: simulation.deadLetters,
    failedTenants: rows.filter((r) => r.status === 'missing plans').length,
    durationMs,
  };
}

export function formatSummary(summary: RunSummary): string[] {
  const header = [
    'tenant',
    'zone',
    'plan date',
    'status',
    'procurement plan',
    'products',
    'batches',
    'units',
    'reqs',
    'critical',
    'order',
    'cache hit/miss',
    'ms',
  ];
  const table = summary.tenants.map((t) => [
    t.tenantId,
    t.timezone,
    t.planDate,
    t.status,
    t.procurementPlan,
    String(t.products),
    String(t.batches),
    String(t.units),
    String(t.requirements),
    String(t.critical),
    t.orderCost,
    `${t.cacheHits}/${t.cacheMisses}`,
    String(Math.round(t.durationMs)),
  ]);
  const planned = summary.tenants.filter((t) => t.status === 'planned');
  const hits = planned.reduce((a, t) => a + t.cacheHits, 0);
  const misses = planned.reduce((a, t) => a + t.cacheMisses, 0);
  return [
    '',
    '▶ Summary',
    ...renderTable(header, table, new Set([5, 6, 7, 8, 9, 10, 12])),
    '',
    `  ${summary.tenants.length} tenants in ${new Set(summary.tenants.map((t) => t.timezone)).size} zones · ${planned.length} planned · ` +
      `${summary.tenants.length - planned.length - summary.failedTenants} skipped · ${summary.failedTenants} failed`,
    `  ${summary.productionSchedules} production schedules · ${summary.procurementPlans} procurement plans · ` +
      `${summary.firings} schedule firings · ${summary.jobsEnqueued} tenant jobs · ${summary.deadLetters} in the DLQ`,
    `  ${summary.events} events published (${summary.distinctEvents} distinct) · forecast cache ${hits} hits / ${misses} misses` +
      (hits + misses > 0 ? ` (${((100 * hits) / (hits + misses)).toFixed(1)} % hit rate)` : ''),
    `  finished in ${(summary.durationMs / 1000).toFixed(1)} s`,
  ];
}
