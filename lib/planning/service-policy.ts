// Waste against service: what a bakery chooses to bake to, per product family. The default is the
// newsvendor quantile (the profit-maximising one); a family may instead ask for a fill rate (share of
// demand served) or cap its waste (share of the bake left unsold). Both are expectations over the
// forecast's own demand distribution, so the choice is exact for the forecast the plan uses.
import type { DemandForecast, ServicePolicy } from '../domain.ts';
import { forecastQuantile } from '../forecasting/forecaster.ts';
import type { Message } from '../words/message.ts';
import { SENTENCES } from '../words/sentences.ts';
import type { FillRateCorrection } from './fill-rate-feedback.ts';

type Forecast = Pick<DemandForecast, 'pointForecast' | 'errors'>;

/** Demand outcomes taken as equally likely: each the middle of its 1/SCENARIOS slice of the distribution. */
const SCENARIOS = 40;

/**
 * Demand outcomes the forecast considers equally likely. Taken at the middle of equal slices of its
 * distribution, not at its stored errors: those include the extremes (minimum and maximum), which
 * would otherwise weigh as much as any other outcome and overstate the tails.
 */
export function demandScenarios(forecast: Forecast): number[] {
  if (forecast.errors.sorted.length === 0) return [forecast.pointForecast];
  return Array.from({ length: SCENARIOS }, (_, i) => forecastQuantile(forecast, (i + 0.5) / SCENARIOS));
}

/** Expected share of demand served and share of the bake unsold, baking `units`. */
export function expectedService(scenarios: readonly number[], units: number): { fillRate: number; wasteShare: number } {
  let demand = 0;
  let sold = 0;
  for (const d of scenarios) {
    demand += d;
    sold += Math.min(units, d);
  }
  const baked = units * scenarios.length;
  return { fillRate: demand > 0 ? sold / demand : 1, wasteShare: baked > 0 ? (baked - sold) / baked : 0 };
}

/** The policy for a product: its family's, else the catalog-wide one ("*"), else none. */
export function policyFor(
  policies: readonly ServicePolicy[] | undefined,
  family: string | undefined,
): ServicePolicy | undefined {
  return policies?.find((p) => family !== undefined && p.family === family) ?? policies?.find((p) => p.family === '*');
}

const LEVELS = { min: 0.01, max: 0.99 };

/**
 * The share a policy targets at a bake — the fill rate (to reach) or the waste share (to stay under) —
 * and its target. Null for a newsvendor policy.
 */
function policyMeasure(
  policy: ServicePolicy,
): { fillRate: boolean; target: number; of: (service: ReturnType<typeof expectedService>) => number } | null {
  if (policy.targetFillRate !== undefined)
    return { fillRate: true, target: policy.targetFillRate, of: (service) => service.fillRate };
  if (policy.wasteCeilingPercent !== undefined)
    return { fillRate: false, target: policy.wasteCeilingPercent / 100, of: (service) => service.wasteShare };
  return null;
}

/**
 * The demand quantile level a policy asks for: the smallest reaching the fill rate, or the largest
 * keeping waste under the ceiling (both move one way with the level, so a bisection finds it).
 * Null for a newsvendor policy: the caller uses the critical ratio.
 */
export function policyLevel(
  forecast: Forecast,
  policy: ServicePolicy,
  scenarios: readonly number[] = demandScenarios(forecast),
): number | null {
  const measure = policyMeasure(policy);
  if (!measure) return null;
  const { fillRate, target, of } = measure;
  const meets = (level: number) => {
    const share = of(expectedService(scenarios, forecastQuantile(forecast, level)));
    return fillRate ? share >= target : share <= target;
  };
  // Fill rate: find the lowest level that meets it; waste ceiling: the highest.
  let lo = LEVELS.min;
  let hi = LEVELS.max;
  if (fillRate && !meets(hi)) return hi;
  if (!fillRate && !meets(lo)) return lo;
  for (let i = 0; i < 20; i += 1) {
    const mid = (lo + hi) / 2;
    if (meets(mid) === fillRate) hi = mid;
    else lo = mid;
  }
  // Rounded to 0.001 on the side that still meets the policy.
  return fillRate ? Math.ceil(hi * 1000) / 1000 : Math.floor(lo * 1000) / 1000;
}

/**
 * What a policy bakes to: its quantile level and the whole number of units whose expected fill rate
 * (or waste share) is nearest the policy's target, of the two either side of that quantile. Always
 * rounding up would overshoot a fill rate by half a unit's worth every day (0.1–0.7 points on the
 * French bakery's replay); nearest meets it on average. Null for a newsvendor policy.
 */
export function policyTarget(forecast: Forecast, policy: ServicePolicy): { level: number; units: number } | null {
  const measure = policyMeasure(policy);
  if (!measure) return null;
  const scenarios = demandScenarios(forecast);
  const level = policyLevel(forecast, policy, scenarios)!;
  const units = forecastQuantile(forecast, level);
  const missBy = (whole: number) => Math.abs(measure.of(expectedService(scenarios, whole)) - measure.target);
  const below = Math.floor(units);
  const above = Math.ceil(units);
  return { level, units: missBy(below) < missBy(above) ? below : above };
}

/** How a policy is named in a production line's `quantileRule`, with the correction it baked to. */
export function policyRule(policy: ServicePolicy, correction?: FillRateCorrection): Message {
  if (policy.targetFillRate !== undefined && correction)
    return {
      text: SENTENCES.ruleFillRateCorrected,
      values: {
        rate: policy.targetFillRate,
        bakeTo: correction.bakeTo,
        days: correction.days,
        served: correction.served,
      },
    };
  if (policy.targetFillRate !== undefined)
    return { text: SENTENCES.ruleFillRate, values: { rate: policy.targetFillRate } };
  if (policy.wasteCeilingPercent !== undefined)
    return { text: SENTENCES.ruleWasteCeiling, values: { percent: policy.wasteCeilingPercent } };
  return { text: SENTENCES.ruleNewsvendor };
}
