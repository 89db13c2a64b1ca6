// The evening of the local run: each planned bakery sells its day from the real demand of the data
// (what customers wanted, capped by what there was: a product whose demand was higher sells out, at
// the time its stock would have run out if customers came evenly), records the actuals through the
// same use case as the API, and prints how good its plan was.
import { recordActuals } from '../app/actuals.ts';
import { planQualityOver } from '../app/plan-quality.ts';
import { availableUnits, type DailyActual, DEFAULT_OPENING_HOURS } from '../planning/actuals.ts';
import { type LocalDate, localTimeOf, minutesOf, toUtc } from '../time/tenant-clock.ts';
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

export async function eveningDemo(
  stack: LocalStack,
  bakeries: readonly DemoBakery[],
  date: LocalDate,
  print: (line: string) => void,
): Promise<void> {
  print(`▶ The evening of ${date}: each bakery sells from the real demand of the data and records its actuals…`);
  const share = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`.padStart(5));
  for (const bakery of bakeries) {
    const { tenant } = bakery;
    const schedule = await stack.ports.plans.getProductionSchedule(tenant.tenantId, date);
    if (!schedule) continue;
    stack.setNow(toUtc(date, '20:30', tenant.timezone));
    const shelfLife = new Map(bakery.catalog.products.map((p) => [p.productId, p.shelfLifeDays]));
    const actuals = eveningOf(
      date,
      availableUnits(schedule.plan),
      bakery.demand,
      (id) => (shelfLife.get(id) ?? 1) >= 2,
    );
    await recordActuals(stack.ports, tenant, actuals);
    const [quality] = await planQualityOver(stack.ports, tenant, date, date);
    if (!quality) continue;
    print(
      `  ${tenant.tenantId.padEnd(24)} score ${share(quality.score)}  forecast error ${share(quality.wape)}  ` +
        `waste ${String(quality.wasteUnits).padStart(4)}  fill rate ${share(quality.fillRate)}  sold out ${quality.soldOut}`,
    );
  }
}
