// Plan quality over a range of days: each day that has a production schedule and actuals, measured
// against what happened (lib/planning/plan-quality.ts), with last week's sales as the simple reference.
import type { Tenant } from '../domain.ts';
import { DEFAULT_OPENING_HOURS } from '../planning/actuals.ts';
import { type PlanQuality, planQuality } from '../planning/plan-quality.ts';
import type { PlannerPorts } from '../ports.ts';
import { addDays, type LocalDate } from '../time/tenant-clock.ts';
import { salesWeekBefore, schedulesOn } from './actuals.ts';

export async function planQualityOver(
  ports: PlannerPorts,
  tenant: Tenant,
  from: LocalDate,
  to: LocalDate,
): Promise<PlanQuality[]> {
  const [actuals, catalog, sales] = await Promise.all([
    ports.actuals.getActuals(tenant.tenantId, from, to),
    ports.catalog.getCatalog(tenant.tenantId),
    ports.sales.getSales(tenant.tenantId, addDays(from, -7), addDays(to, -7)),
  ]);
  const schedules = await schedulesOn(ports, tenant.tenantId, [...new Set(actuals.map((a) => a.date))]);
  return [...schedules.values()]
    .sort((a, b) => a.planDate.localeCompare(b.planDate))
    .map((schedule) =>
      planQuality(
        schedule,
        actuals.filter((a) => a.date === schedule.planDate),
        catalog,
        tenant.openingHours ?? DEFAULT_OPENING_HOURS,
        salesWeekBefore(sales, schedule.planDate),
      ),
    );
}
