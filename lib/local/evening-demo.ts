// The evenings of the local run: each planned bakery sells its day from the real demand of the data
// (what customers wanted, capped by what there was: a product whose demand was higher sells out, at
// the time its stock would have run out if customers came evenly), records the actuals through the
// same use case as the API, and prints how good its plan was. Before the run's day, the week before
// is lived the same way — each morning planned, each evening recorded — so that the day starts from
// recorded evenings (carry-over in stock, sold-out days in the sales) and its quality has a trend.
import { recordActuals, salesOn } from '../app/actuals.ts';
import { runTenantJob } from '../app/jobs/run-tenant-job.ts';
import { planQualityOver } from '../app/plan-quality.ts';
import { idempotencyKey } from '../jobs/job-message.ts';
import { availableUnits, type DailyActual, DEFAULT_OPENING_HOURS } from '../planning/actuals.ts';
import { addDays, type LocalDate, localTimeOf, minutesOf, toUtc } from '../time/tenant-clock.ts';
import type { DemoBakery } from './demo-bakeries.ts';
import type { LocalStack } from './local-ports.ts';

/** The day's actuals when `demand` meets what there was: sold, left (half kept where it keeps), sold out when. */
function eveningOf(
  date: LocalDate,
  available: ReadonlyMap<string, number>,
  demand: Readonly<Record<string, number>>,
  keeps: (productId: string) => boolean,
): DailyActual[] {
  const { opens, closes } = DEFAULT_OPENING_HOURS;
  const open = minutesOf(closes) - minutesOf(opens);
  return [...available].map(([productId, units]) => {
    const wanted = demand[productId] ?? 0;
    const sold = Math.min(units, wanted);
    const leftover = units - sold;
    const soldOut = wanted > units && units > 0;
    return {
      productId,
      date,
      sold,
      leftover,
      carriedOver: keeps(productId) ? Math.floor(leftover / 2) : 0,
      ...(soldOut ? { soldOutAt: localTimeOf(minutesOf(opens) + Math.floor((open * units) / wanted)) } : {}),
    };
  });
}

/** Sells the day from `demand` and records it; false when the data has no sales that day (closed then). */
async function sellAndRecord(
  stack: LocalStack,
  bakery: DemoBakery,
  date: LocalDate,
  demand: Readonly<Record<string, number>>,
): Promise<boolean> {
  const { tenant } = bakery;
  const schedule = await stack.ports.plans.getProductionSchedule(tenant.tenantId, date);
  if (!schedule || Object.keys(demand).length === 0) return false;
  stack.setNow(toUtc(date, '20:30', tenant.timezone));
  const shelfLife = new Map(bakery.catalog.products.map((p) => [p.productId, p.shelfLifeDays]));
  const actuals = eveningOf(date, availableUnits(schedule.plan), demand, (id) => (shelfLife.get(id) ?? 1) >= 2);
  await recordActuals(stack.ports, tenant, actuals);
  return true;
}

const share = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`.padStart(5));

/** Days before the run's date each bakery lives first. */
const WEEK_BEFORE = 7;

/**
 * The week before `date`: each bakery's production planned each morning (from the sales through the
 * day before, as its job would) and each evening sold from that day's real sales and recorded. Returns
 * each bakery's forecast-cache lookups so far (the day's summary counts its own).
 */
export async function weekBeforeDemo(
  stack: LocalStack,
  bakeries: readonly DemoBakery[],
  date: LocalDate,
  print: (line: string) => void,
): Promise<ReadonlyMap<string, { hits: number; misses: number }>> {
  print(`▶ The week before ${date}: each bakery plans its mornings and records its evenings from the data…`);
  for (const bakery of bakeries) {
    const { tenant } = bakery;
    if (tenant.demo) continue;
    for (let day = addDays(date, -WEEK_BEFORE); day < date; day = addDays(day, 1)) {
      const scheduledTime = toUtc(day, '05:30', tenant.timezone);
      stack.setNow(scheduledTime);
      await runTenantJob(
        stack.ports,
        {
          job: 'production',
          tenantId: tenant.tenantId,
          timezone: tenant.timezone,
          planDate: day,
          trigger: 'manual',
          scheduledTime: scheduledTime.toISOString(),
          idempotencyKey: idempotencyKey(tenant.tenantId, 'production', day),
        },
        new AbortController().signal,
      );
      await sellAndRecord(stack, bakery, day, Object.fromEntries(salesOn(bakery.sales, day)));
    }
    const days = await planQualityOver(stack.ports, tenant, addDays(date, -WEEK_BEFORE), addDays(date, -1));
    print(
      `  ${tenant.tenantId.padEnd(24)} ${days.length} evenings recorded · score by day ${days.map((d) => share(d.score).trim()).join(' ')}`,
    );
  }
  // The week's events, metrics and cache lookups are the bakeries' past: delivered now, and left out
  // of the day's summary.
  await stack.relay.pump();
  stack.bus.published.length = 0;
  stack.metricRecords.length = 0;
  const lookups = new Map<string, { hits: number; misses: number }>();
  for (const { tenant } of bakeries) {
    const { hits, misses } = await stack.ports.forecastCache.stats(tenant.tenantId, stack.ports.now());
    lookups.set(tenant.tenantId, { hits, misses });
  }
  return lookups;
}

export async function eveningDemo(
  stack: LocalStack,
  bakeries: readonly DemoBakery[],
  date: LocalDate,
  print: (line: string) => void,
): Promise<void> {
  print(`▶ The evening of ${date}: each bakery sells from the real demand of the data and records its actuals…`);
  for (const bakery of bakeries) {
    const { tenant } = bakery;
    if (!(await stack.ports.plans.getProductionSchedule(tenant.tenantId, date))) continue;
    if (!(await sellAndRecord(stack, bakery, date, bakery.demand))) {
      print(`  ${tenant.tenantId.padEnd(24)} closed that day in the data: nothing to record`);
      continue;
    }
    const [quality] = await planQualityOver(stack.ports, tenant, date, date);
    if (!quality) continue;
    print(
      `  ${tenant.tenantId.padEnd(24)} score ${share(quality.score)}  forecast error ${share(quality.wape)}  ` +
        `waste ${String(quality.wasteUnits).padStart(4)}  fill rate ${share(quality.fillRate)}  sold out ${quality.soldOut}`,
    );
  }
}
