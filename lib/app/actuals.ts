// Recording what actually happened: a day's (or a POS export's) actuals, checked whole against the
// catalog, the day's bakes and the opening hours, then stored; the units sold become the day's sales,
// and the units carried over become day-old stock the next production plan counts.
import type { ProductionSchedule, Tenant } from '../domain.ts';
import { entryOf, userKeyedRecord } from '../input/grammar.ts';
import {
  assertActuals,
  availableUnits,
  type DailyActual,
  DEFAULT_OPENING_HOURS,
  stockWithCarryOver,
} from '../planning/actuals.ts';
import type { PlannerPorts } from '../ports.ts';
import { addDays, type LocalDate, localDateAt } from '../time/tenant-clock.ts';

export interface ActualsRecorded {
  recorded: number;
  from: LocalDate;
  to: LocalDate;
  /** Units carried over into the stock (day-old stock the next plans count). */
  carriedOver: number;
  /** Products that sold out, over the days recorded. */
  soldOut: number;
}

/** Schedules read at a time. */
const SCHEDULE_READS = 8;

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
  for (const a of actuals) if (a.soldOutAt !== undefined) (soldOut[a.productId] ??= []).push(a.date);
  await ports.sales.putSales(tenant.tenantId, { unitsByProduct, closedDates: [], soldOut });
  // Carry-over still sellable enters the stock; older days' leftovers are history only.
  const shelfLife = new Map(catalog.products.map((p) => [p.productId, p.shelfLifeDays]));
  const sellable = actuals.filter((a) => addDays(a.date, shelfLife.get(a.productId) ?? 1) > today);
  if (sellable.length)
    await ports.stock.putStock(
      tenant.tenantId,
      stockWithCarryOver(await ports.stock.getStock(tenant.tenantId), sellable),
    );
  return {
    recorded: actuals.length,
    from: dates[0]!,
    to: dates.at(-1)!,
    carriedOver: sellable.reduce((sum, a) => sum + a.carriedOver, 0),
    soldOut: actuals.filter((a) => a.soldOutAt !== undefined).length,
  };
}

/** The production schedules of these dates (the dates without one are left out), read a few at a time. */
export async function schedulesOn(
  ports: PlannerPorts,
  tenantId: string,
  dates: readonly LocalDate[],
): Promise<Map<LocalDate, ProductionSchedule>> {
  const schedules = new Map<LocalDate, ProductionSchedule>();
  const pending = [...dates];
  await Promise.all(
    Array.from({ length: Math.min(SCHEDULE_READS, pending.length) }, async () => {
      for (let date = pending.shift(); date; date = pending.shift()) {
        const stored = await ports.plans.getProductionSchedule(tenantId, date);
        if (stored) schedules.set(date, stored.plan);
      }
    }),
  );
  return schedules;
}
