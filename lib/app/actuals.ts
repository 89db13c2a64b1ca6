// Recording what actually happened: a day's (or a POS export's) actuals, checked whole against the
// catalog, the day's bakes and the opening hours, then stored; the units sold become the day's sales,
// and the units carried over become day-old stock the next production plan counts.
import type { Catalog, ProductionSchedule, SalesHistory, Tenant } from '../domain.ts';
import { planEvent } from '../events/catalogue.ts';
import { entryOf, userKeyedRecord } from '../input/grammar.ts';
import {
  actualsFromSales,
  assertActuals,
  availableUnits,
  type DailyActual,
  DEFAULT_OPENING_HOURS,
  stockWithCarryOver,
} from '../planning/actuals.ts';
import { type PlanQuality, planQuality } from '../planning/plan-quality.ts';
import type { PlannerPorts } from '../ports.ts';
import { addDays, type LocalDate, laterDate, localDateAt } from '../time/tenant-clock.ts';
import { requestRefit } from './forecasts.ts';

export interface ActualsRecorded {
  recorded: number;
  from: LocalDate;
  to: LocalDate;
  /** Units carried over into the stock (day-old stock the next plans count). */
  carriedOver: number;
  /** Products that sold out, over the days recorded. */
  soldOut: number;
  /** Days measured against their plan (those with a production schedule). */
  measured: number;
}

export async function recordActuals(
  ports: PlannerPorts,
  tenant: Tenant,
  actuals: readonly DailyActual[],
): Promise<ActualsRecorded> {
  const dates = [...new Set(actuals.map((a) => a.date))].sort();
  const [catalog, schedules] = await Promise.all([
    ports.catalog.getCatalog(tenant.tenantId),
    schedulesOn(ports, tenant.tenantId, dates),
  ]);
  const today = localDateAt(ports.now(), tenant.timezone);
  assertActuals(actuals, {
    catalog,
    today,
    openingHours: tenant.openingHours ?? DEFAULT_OPENING_HOURS,
    available: new Map([...schedules].map(([date, schedule]) => [date, availableUnits(schedule)])),
  });
  await ports.actuals.putActuals(tenant.tenantId, actuals);
  // What sold is the day's sales: a correction replaces the day's units (and sold-out flag), as a sales import does.
  const unitsByProduct = userKeyedRecord<Record<LocalDate, number>>();
  for (const a of actuals) entryOf(unitsByProduct, a.productId)[a.date] = a.sold;
  // A sold-out day's units are a lower bound on its demand: the forecasts treat them so (censoring.ts).
  const soldOut = userKeyedRecord<LocalDate[]>();
  for (const a of actuals)
    if (a.soldOutAt !== undefined) soldOut[a.productId] = [...(soldOut[a.productId] ?? []), a.date];
  await ports.sales.putSales(tenant.tenantId, { unitsByProduct, closedDates: [], soldOut });
  // Carry-over still sellable enters the stock; older days' leftovers are history only.
  const shelfLife = new Map(catalog.products.map((p) => [p.productId, p.shelfLifeDays]));
  const sellable = actuals.filter((a) => addDays(a.date, shelfLife.get(a.productId) ?? 1) > today);
  if (sellable.length)
    await ports.stock.putStock(
      tenant.tenantId,
      stockWithCarryOver(await ports.stock.getStock(tenant.tenantId), sellable),
    );
  const measured = await measureRecordedDays(ports, tenant, catalog, schedules, dates[0]!, dates.at(-1)!, today);
  return {
    recorded: actuals.length,
    from: dates[0]!,
    to: dates.at(-1)!,
    carriedOver: sellable.reduce((sum, a) => sum + a.carriedOver, 0),
    soldOut: actuals.filter((a) => a.soldOutAt !== undefined).length,
    measured,
  };
}

/** Days whose measure is announced (an event) and watched for drift: the recent ones, not a back-fill's. */
const ANNOUNCED_DAYS = 2;
/** Days of kept quality a drift is judged against, and how many of them it needs. */
const DRIFT_WINDOW_DAYS = 28;
const DRIFT_MIN_DAYS = 7;

/** A day drifts when its forecast error is this many times the usual (the window's median), and above the floor. */
const DRIFT_FACTOR = 1.5;
const DRIFT_FLOOR = 0.25;

/** Measures each recorded day that has a schedule against all of its actuals (see measureDays). */
async function measureRecordedDays(
  ports: PlannerPorts,
  tenant: Tenant,
  catalog: Catalog,
  schedules: ReadonlyMap<LocalDate, ProductionSchedule>,
  from: LocalDate,
  to: LocalDate,
  today: LocalDate,
): Promise<number> {
  if (schedules.size === 0) return 0;
  const [actuals, weekBefore] = await Promise.all([
    ports.actuals.getActuals(tenant.tenantId, from, to),
    ports.sales.getSales(tenant.tenantId, addDays(from, -7), addDays(to, -7)),
  ]);
  const hours = tenant.openingHours ?? DEFAULT_OPENING_HOURS;
  await measureDays(
    ports,
    tenant,
    [...schedules.values()].map((schedule) =>
      planQuality(schedule, actuals, catalog, hours, salesWeekBefore(weekBefore, schedule.planDate)),
    ),
    today,
  );
  return schedules.size;
}

/**
 * The morning after a day nobody recorded (the cleanup job's), its plan measured with what there is:
 * the day's sales (actualsFromSales). A day already measured, without a schedule or without sales is
 * left alone; actuals recorded later measure it again, replacing this.
 */
export async function measureFromSales(
  ports: PlannerPorts,
  tenant: Tenant,
  date: LocalDate,
  today: LocalDate,
): Promise<'measured' | 'measured already' | 'no schedule' | 'no sales'> {
  const { tenantId } = tenant;
  const [kept, schedules] = await Promise.all([
    ports.actuals.getQuality(tenantId, date, date),
    schedulesOn(ports, tenantId, [date]),
  ]);
  const schedule = schedules.get(date);
  if (kept.length > 0) return 'measured already';
  if (!schedule) return 'no schedule';
  const [catalog, sales] = await Promise.all([
    ports.catalog.getCatalog(tenantId),
    ports.sales.getSales(tenantId, addDays(date, -7), date),
  ]);
  const hours = tenant.openingHours ?? DEFAULT_OPENING_HOURS;
  const actuals = actualsFromSales(schedule, salesOn(sales, date), catalog, hours);
  if (actuals.length === 0) return 'no sales';
  await measureDays(
    ports,
    tenant,
    [planQuality(schedule, actuals, catalog, hours, salesWeekBefore(sales, date), 'sales')],
    today,
  );
  return 'measured';
}

/**
 * Keeps each day's measure, and for the recent days announces it, records the fleet metrics and
 * watches for drift: a forecast error far above the tenant's usual queues a refit.
 */
async function measureDays(
  ports: PlannerPorts,
  tenant: Tenant,
  measures: readonly PlanQuality[],
  today: LocalDate,
): Promise<void> {
  const { tenantId } = tenant;
  const to = measures.map((m) => m.date).reduce(laterDate);
  const kept = await ports.actuals.getQuality(tenantId, addDays(to, -DRIFT_WINDOW_DAYS), addDays(to, -1));
  for (const { byProduct, ...quality } of measures) {
    const date = quality.date;
    const recent = date >= addDays(today, -ANNOUNCED_DAYS);
    const at = ports.now().toISOString();
    const event = recent
      ? // The same measure has the same id (a repeat is dropped); a corrected one is a new event.
        planEvent('plan.quality.measured', [quality.planId, JSON.stringify(quality)], {
          tenantId,
          planId: quality.planId,
          planDate: date,
          basis: quality.basis,
          occurredAt: at,
          score: quality.score,
          wape: quality.wape,
          bias: quality.bias,
          wasteUnits: quality.wasteUnits,
          wasteCost: quality.wasteCost,
          fillRate: quality.fillRate,
          lostSales: quality.lostSales,
          soldOut: quality.soldOut,
          products: quality.products,
          currency: tenant.currency,
        })
      : undefined;
    await ports.actuals.putQuality(tenantId, quality, event);
    if (!recent) continue;
    const there = byProduct.reduce((sum, p) => sum + p.available, 0);
    if (quality.score !== null) ports.metrics.record('PlanScore', 100 * quality.score, {}, { tenantId, date });
    if (there > 0) ports.metrics.record('PlanWaste', (100 * quality.wasteUnits) / there, {}, { tenantId, date });
    if (quality.fillRate !== null) ports.metrics.record('PlanFillRate', 100 * quality.fillRate, {}, { tenantId, date });
    const usual = kept.filter((q) => q.date < date && q.wape !== null).map((q) => q.wape!);
    if (quality.wape !== null && usual.length >= DRIFT_MIN_DAYS) {
      const median = [...usual].sort((a, b) => a - b)[Math.floor(usual.length / 2)]!;
      if (quality.wape > Math.max(DRIFT_FLOOR, DRIFT_FACTOR * median)) {
        ports.metrics.record('ForecastDrift', 1, {}, { tenantId, date, wape: quality.wape, usual: median });
        ports.log.warn("A day's forecast error is far above the tenant's usual; a refit is asked for", {
          tenantId,
          date,
          wape: quality.wape,
          usual: median,
        });
        await requestRefit(ports, tenant, today, 'forecast drift');
      }
    }
  }
}

/** The production schedules of these dates by date (the dates without one are left out). */
export async function schedulesOn(
  ports: PlannerPorts,
  tenantId: string,
  dates: readonly LocalDate[],
): Promise<Map<LocalDate, ProductionSchedule>> {
  const schedules = await ports.plans.productionSchedulesOn(tenantId, dates);
  return new Map(schedules.map((schedule) => [schedule.planDate, schedule]));
}

/** Each product's sales on `date`, from sales that cover it (none on a day the bakery was closed). */
export function salesOn(sales: SalesHistory, date: LocalDate): Map<string, number> {
  const units = new Map<string, number>();
  if (sales.closedDates.includes(date)) return units;
  for (const [productId, byDate] of Object.entries(sales.unitsByProduct))
    if (byDate[date] !== undefined) units.set(productId, byDate[date]);
  return units;
}

/** Each product's sales a week before `date` (the reference that bakes them), from sales that cover it. */
export function salesWeekBefore(sales: SalesHistory, date: LocalDate): Map<string, number> {
  return salesOn(sales, addDays(date, -7));
}
