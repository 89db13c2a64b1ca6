// The censoring bench:censored and bench:plan apply to the French bakery's true demand: what its sales
// would have been under a stock limit, with the days the limit was reached marked sold out.
import type { SalesHistory } from '../lib/domain.ts';
import { weekdayOf } from '../lib/time/tenant-clock.ts';

/** A small deterministic generator (mulberry32): the same censoring on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BEST_SELLERS = 5;
/** Days a stock limit applies: more often for the best sellers, as a baker short of them would see. */
const SHARE_BEST = 0.35;
const SHARE_OTHERS = 0.15;

/**
 * A stock limit on a share of days: what a baker would have baked from the same weekday's last four
 * weeks (their median), times 0.6–1.0. A day whose demand passes it sells out at the limit.
 */
export function censor(truth: SalesHistory, productIds: readonly string[]): { sales: SalesHistory; days: number } {
  const next = random(20221001);
  const unitsByProduct: SalesHistory['unitsByProduct'] = {};
  const soldOut: Record<string, string[]> = {};
  let days = 0;
  productIds.forEach((productId, rank) => {
    const share = rank < BEST_SELLERS ? SHARE_BEST : SHARE_OTHERS;
    const byDate: Record<string, number> = {};
    const sameWeekday = new Map<number, number[]>();
    const dates = Object.keys(truth.unitsByProduct[productId] ?? {}).sort();
    for (const date of dates) {
      const units = truth.unitsByProduct[productId]![date]!;
      const earlier = sameWeekday.get(weekdayOf(date)) ?? [];
      const recent = earlier.slice(-4).sort((a, b) => a - b);
      const limit = Math.floor((0.6 + 0.4 * next()) * (recent[Math.floor(recent.length / 2)] ?? 0));
      if (recent.length === 4 && next() < share && units > limit) {
        byDate[date] = limit;
        soldOut[productId] = [...(soldOut[productId] ?? []), date];
        days += 1;
      } else byDate[date] = units;
      earlier.push(units);
      sameWeekday.set(weekdayOf(date), earlier);
    }
    unitsByProduct[productId] = byDate;
  });
  return { sales: { ...truth, unitsByProduct, soldOut }, days };
}
