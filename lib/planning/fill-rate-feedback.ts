// A fill-rate policy, corrected by what its recent days served. A policy bakes to the fill rate it
// expects over the forecast's demand distribution; the distribution comes from held-out weeks, and
// when the coming weeks stray less (or more) than those did, every day serves more (or less) than
// expected, in the same direction for weeks. So each plan reads the last FEEDBACK_DAYS of measured
// plans: where a policy's products served more than the days baked to, the next day bakes to that much
// less (and the other way), by at most MAX_CORRECTION. docs/planning.md gives the measure.
import type { ProductionLine, ServicePolicy } from '../domain.ts';

/** Days of measured plans a correction reads. */
export const FEEDBACK_DAYS = 28;
/** Fewer measured days than this, and the policy bakes to its target as set. */
const MIN_FEEDBACK_DAYS = 14;
/** The most a correction moves the fill rate baked to, either way. */
const MAX_CORRECTION = 0.05;
/** The fill rates a correction may bake to (the policy's own range). */
const BAKE_TO = { min: 0.5, max: 0.999 };

/** A day's measure of one fill-rate policy's products (kept with the day's plan quality). */
export interface FillRateDay {
  /** The policy's family ("*": every product without its own). */
  family: string;
  /** The policy's target fill rate. */
  target: number;
  /** The fill rate the day baked to, averaged over its products weighted by their demand. */
  bakedTo: number;
  sold: number;
  demand: number;
}

/** What a fill-rate policy bakes to after its recent days. */
export interface FillRateCorrection {
  family: string;
  target: number;
  /** The fill rate the next days bake to. */
  bakeTo: number;
  /** What the policy's products served over the days read (units sold ÷ demand). */
  served: number;
  /** Those days' demand-weighted fill rate baked to. */
  bakedTo: number;
  days: number;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * The correction of each fill-rate policy from the kept measures of its last days. Only days measured
 * from recorded actuals count: a day measured from its sales alone takes sales as demand, so it
 * reads a sold-out product as served in full, and a correction built on it would bake less and less.
 * A policy whose target changed starts again from its new target.
 */
export function fillRateCorrections(
  kept: readonly { basis: string; fillRatePolicies?: readonly FillRateDay[] }[],
  policies: readonly ServicePolicy[] | undefined,
): FillRateCorrection[] {
  const corrections: FillRateCorrection[] = [];
  for (const policy of policies ?? []) {
    const target = policy.targetFillRate;
    if (target === undefined) continue;
    const days = kept
      .filter((q) => q.basis === 'actuals')
      .flatMap((q) => (q.fillRatePolicies ?? []).filter((d) => d.family === policy.family && d.target === target));
    const demand = days.reduce((t, d) => t + d.demand, 0);
    if (days.length < MIN_FEEDBACK_DAYS || !(demand > 0)) continue;
    const served = days.reduce((t, d) => t + d.sold, 0) / demand;
    const bakedTo = days.reduce((t, d) => t + d.bakedTo * d.demand, 0) / demand;
    const correction = Math.min(MAX_CORRECTION, Math.max(-MAX_CORRECTION, served - bakedTo));
    corrections.push({
      family: policy.family,
      target,
      bakeTo: round3(Math.min(BAKE_TO.max, Math.max(BAKE_TO.min, target - correction))),
      served: round3(served),
      bakedTo: round3(bakedTo),
      days: days.length,
    });
  }
  return corrections;
}

/**
 * A day's measure of each fill-rate policy (FillRateDay) from its products' lines and their sold and
 * demand; none without a fill-rate line.
 */
export function fillRateDays(
  products: readonly { line: Pick<ProductionLine, 'fillRate'>; sold: number; demand: number }[],
): FillRateDay[] {
  const byPolicy = new Map<string, FillRateDay & { weighted: number }>();
  for (const { line, sold, demand } of products) {
    if (!line.fillRate) continue;
    const { family, target, bakedTo } = line.fillRate;
    const key = `${family}\u0000${target}`;
    const day = byPolicy.get(key) ?? { family, target, bakedTo: 0, sold: 0, demand: 0, weighted: 0 };
    day.sold += sold;
    day.demand += demand;
    day.weighted += bakedTo * demand;
    byPolicy.set(key, day);
  }
  return [...byPolicy.values()].map(({ weighted, ...day }) => ({
    ...day,
    bakedTo: day.demand > 0 ? round3(weighted / day.demand) : 0,
  }));
}
