// Plan quality over a range of days: each day that has a production schedule, measured against what
// happened (lib/planning/plan-quality.ts), with last week's sales as the simple reference — from its
// actuals, or, for a day nobody recorded that the next morning measured, from its sales.
import type { Tenant } from '../domain.ts';
import { actualsFromSales, DEFAULT_OPENING_HOURS } from '../planning/actuals.ts';
import { type PlanQuality, planQuality } from '../planning/plan-quality.ts';
import type { PlannerPorts } from '../ports.ts';
import { addDays, type LocalDate } from '../time/tenant-clock.ts';
import { salesOn, salesWeekBefore, schedulesOn } from './actuals.ts';

export async function planQualityOver(
  ports: PlannerPorts,
  tenant: Tenant,
  from: LocalDate,
  to: LocalDate,
): Promise<PlanQuality[]> {
  const [actuals, kept, catalog, sales] = await Promise.all([
    ports.actuals.getActuals(tenant.tenantId, from, to),
    ports.actuals.getQuality(tenant.tenantId, from, to),
    ports.catalog.getCatalog(tenant.tenantId),
    ports.sales.getSales(tenant.tenantId, addDays(from, -7), to),
  ]);
  const recorded = new Set(actuals.map((a) => a.date));
  const fromSales = new Set(kept.filter((q) => q.basis === 'sales' && !recorded.has(q.date)).map((q) => q.date));
  const schedules = await schedulesOn(ports, tenant.tenantId, [...recorded, ...fromSales]);
  const hours = tenant.openingHours ?? DEFAULT_OPENING_HOURS;
  return [...schedules.values()]
    .sort((a, b) => a.planDate.localeCompare(b.planDate))
    .map((schedule) => {
      const date = schedule.planDate;
      const lastWeek = salesWeekBefore(sales, date);
      return recorded.has(date)
        ? planQuality(schedule, actuals, catalog, hours, lastWeek)
        : planQuality(
            schedule,
            actualsFromSales(schedule, salesOn(sales, date), catalog, hours),
            catalog,
            hours,
            lastWeek,
            'sales',
          );
    });
}
