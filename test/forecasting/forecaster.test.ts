import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SalesHistory } from '../../lib/domain.ts';
import { forecastDemand, forecastQuantile, forecastSeries } from '../../lib/forecasting/forecaster.ts';
import { fitEtsWeekday, fitSeasonalNaive, fitSesWeekday, fitTsb } from '../../lib/forecasting/models.ts';
import { demandSeries } from '../../lib/forecasting/series.ts';
import { addDays, weekdayOf } from '../../lib/time/tenant-clock.ts';
import { steadySales } from '../support/bakery-fixtures.ts';
import { seededRandom } from '../support/seeded-random.ts';

const PLAN_DATE = '2026-11-28'; // a Saturday
const END = '2026-11-27';

function history(
  days: number,
  unitsOn: (date: string, index: number) => number,
  closed: string[] = [],
  holidays: string[] = [],
): SalesHistory {
  const byDate: Record<string, number> = {};
  for (let i = days; i >= 1; i -= 1) {
    const date = addDays(PLAN_DATE, -i);
    if (!closed.includes(date)) byDate[date] = unitsOn(date, days - i);
  }
  return { unitsByProduct: { bread: byDate }, closedDates: closed, holidays };
}

const WEEKLY = [0, 1.0, 0.8, 0.9, 1.0, 1.2, 1.6, 1.5]; // index by ISO weekday

describe('seasonal naive', () => {
  it('forecasts what the same weekday sold last open week, skipping a closure', () => {
    const h = steadySales(PLAN_DATE, ['2026-11-21']);
    h.unitsByProduct.baguette!['2026-11-14'] = 150;
    const model = fitSeasonalNaive(demandSeries(h, 'baguette', END));
    expect(model.forecast('2026-11-28', false)).toBe(150);
    expect(model.forecast('2026-11-29', false)).toBe(80);
  });
});

describe('weekday exponential smoothing', () => {
  it('learns the weekday profile and the level of steady multiplicative demand', () => {
    const model = fitEtsWeekday(
      demandSeries(
        history(120, (d) => 100 * WEEKLY[weekdayOf(d)]!),
        'bread',
        END,
      ),
    );
    expect(model.forecast('2026-11-28', false)).toBeCloseTo(160, 0); // Saturday
    expect(model.forecast('2026-11-24', false)).toBeCloseTo(80, 0); // Tuesday
  });

  it('follows a lasting change of level within a few weeks', () => {
    const model = fitEtsWeekday(
      demandSeries(
        history(150, (d, i) => (i < 110 ? 100 : 200) * WEEKLY[weekdayOf(d)]!),
        'bread',
        END,
      ),
    );
    expect(model.forecast('2026-11-28', false) / 160).toBeGreaterThan(1.8);
  });

  it('learns how much a holiday sells compared with a normal day', () => {
    const holidays = Array.from({ length: 8 }, (_, k) => addDays(PLAN_DATE, -10 - 14 * k));
    const h = history(200, (d) => 100 * WEEKLY[weekdayOf(d)]! * (holidays.includes(d) ? 2 : 1), [], holidays);
    const series = demandSeries(h, 'bread', END, new Set(holidays));
    const model = fitEtsWeekday(series);
    const normal = model.forecast('2026-11-28', false);
    expect(model.forecast('2026-11-28', true) / normal).toBeGreaterThan(1.6);
  });
});

describe('weekday-scaled smoothing', () => {
  it('learns the weekday profile and the level, and follows a lasting change of level', () => {
    const steady = demandSeries(
      history(120, (d) => 100 * WEEKLY[weekdayOf(d)]!),
      'bread',
      END,
    );
    const model = fitSesWeekday(steady);
    expect(model.forecast('2026-11-28', false)).toBeCloseTo(160, 0); // Saturday
    expect(model.forecast('2026-11-24', false)).toBeCloseTo(80, 0); // Tuesday
    // Sales 30 % higher for the last four weeks: the level follows most of the way.
    const moved = fitSesWeekday(
      demandSeries(
        history(120, (d) => (d > addDays(END, -28) ? 130 : 100) * WEEKLY[weekdayOf(d)]!),
        'bread',
        END,
      ),
    );
    const ratio = moved.forecast('2026-11-28', false) / 160;
    expect(ratio).toBeGreaterThan(1.15);
    expect(ratio).toBeLessThan(1.35);
  });
});

describe('intermittent demand', () => {
  it('forecasts the probability of a sale times its usual size', () => {
    const model = fitTsb(
      demandSeries(
        history(200, (_, i) => (i % 4 === 0 ? 8 : 0)),
        'bread',
        END,
      ),
    );
    expect(model.forecast('2026-11-28', false)).toBeGreaterThan(1.4);
    expect(model.forecast('2026-11-28', false)).toBeLessThan(2.6);
  });
});

describe('the forecaster', () => {
  it('chooses the model with the smallest recent error and says which', () => {
    const smooth = forecastDemand(
      history(200, (d) => 100 * WEEKLY[weekdayOf(d)]!),
      ['bread'],
      [PLAN_DATE],
      END,
    )[0]!;
    expect(smooth.method).toMatch(/ets-weekday|seasonal-naive/);
    expect(smooth.pointForecast).toBeCloseTo(160, 0);
    const sparse = forecastDemand(
      history(200, (_, i) => (i % 5 === 0 ? 6 : 0)),
      ['bread'],
      [PLAN_DATE],
      END,
    )[0]!;
    expect(sparse.method).toBe('tsb');
  });

  it('says so when there is too little history', () => {
    const [forecast] = forecastDemand(
      history(10, () => 5),
      ['bread'],
      [PLAN_DATE],
      END,
    );
    expect(forecast).toMatchObject({
      method: 'no-history',
      pointForecast: 0,
      accuracy: { wape: null, observations: 0 },
    });
  });

  it('covers about 80 % of noisy outcomes with its p10–p90 interval', () => {
    const next = seededRandom(7);
    const noisy = (date: string) => Math.round(100 * WEEKLY[weekdayOf(date)]! * (0.7 + 0.6 * next()));
    const h = history(400, noisy);
    let inside = 0;
    let total = 0;
    for (let back = 60; back >= 1; back -= 1) {
      const date = addDays(PLAN_DATE, -back);
      const [f] = forecastSeries(demandSeries(h, 'bread', addDays(date, -1)), 'bread', [date], addDays(date, -1));
      const actual = h.unitsByProduct.bread![date]!;
      if (actual >= f!.quantiles.p10 && actual <= f!.quantiles.p90) inside += 1;
      total += 1;
    }
    expect(inside / total).toBeGreaterThan(0.65);
    expect(inside / total).toBeLessThan(0.95);
  });

  it('gives ordered, non-negative quantiles at any level', () => {
    const next = seededRandom(3);
    const h = history(200, (d) => Math.round(40 * WEEKLY[weekdayOf(d)]! * (0.5 + next())));
    const [forecast] = forecastDemand(h, ['bread'], [PLAN_DATE], END);
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 0.98, noNaN: true }),
        fc.double({ min: 0.001, max: 0.01, noNaN: true }),
        (q, dq) => {
          const lower = forecastQuantile(forecast!, q);
          expect(lower).toBeGreaterThanOrEqual(0);
          expect(forecastQuantile(forecast!, q + dq)).toBeGreaterThanOrEqual(lower);
        },
      ),
    );
    expect(() => forecastQuantile(forecast!, 1)).toThrow(/between 0 and 1/);
  });

  it('reads the far tails as exponential from the 90th–95th spacing: one outlying error does not set them', () => {
    // Ratios at the 21 percentiles 0, 5, … 100: evenly spaced by 0.02 from 0.8, but the largest is 3.
    const sorted = Array.from({ length: 21 }, (_, i) => 0.8 + 0.02 * i);
    sorted[20] = 3;
    const forecast = { pointForecast: 100, errors: { kind: 'relative' as const, sorted } };
    // p95 = 1.18, p90 = 1.16: at 0.9875, 1.18 + (0.02 / ln 2) · ln 4 = 1.22, not 2.535 towards the outlier.
    expect(forecastQuantile(forecast, 0.9875)).toBeCloseTo(122, 6);
    expect(forecastQuantile(forecast, 0.95)).toBeCloseTo(118, 6);
    // Inside the 5th–95th percentiles and at a tail that is not outlying, the interpolation stands.
    expect(forecastQuantile(forecast, 0.5)).toBeCloseTo(100, 6);
    expect(forecastQuantile(forecast, 0.0125)).toBeCloseTo(80.5, 6);
  });

  it('keeps any stored spread’s quantiles ordered and within its extremes, and unchanged between p5 and p95', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 21, maxLength: 21 }),
        fc.double({ min: 0.001, max: 0.998, noNaN: true }),
        fc.double({ min: 0.0001, max: 0.001, noNaN: true }),
        (errors, q, dq) => {
          const sorted = [...errors].sort((a, b) => a - b);
          const forecast = { pointForecast: 1000, errors: { kind: 'absolute' as const, sorted } };
          const at = forecastQuantile(forecast, q);
          expect(forecastQuantile(forecast, q + dq)).toBeGreaterThanOrEqual(at - 1e-9);
          expect(at).toBeGreaterThanOrEqual(1000 + sorted[0]! - 1e-9);
          expect(at).toBeLessThanOrEqual(1000 + sorted[20]! + 1e-9);
          if (q >= 0.05 && q <= 0.95) {
            const position = 20 * q;
            const lower = Math.floor(position);
            const interpolated = sorted[lower]! + (sorted[Math.ceil(position)]! - sorted[lower]!) * (position - lower);
            expect(at).toBeCloseTo(1000 + interpolated, 9);
          }
        },
      ),
    );
  });
});
