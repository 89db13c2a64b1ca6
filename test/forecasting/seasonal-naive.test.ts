import { describe, expect, it } from 'vitest';
import { forecastSeasonalNaive, SEASONAL_NAIVE } from '../../lib/forecasting/seasonal-naive.ts';
import type { SalesHistory } from '../../lib/domain.ts';
import { steadySales } from '../support/local-stack.ts';

// 2026-11-28 is a Saturday; steadySales sells 80 + 10 × (JS weekday) baguettes: Saturday 140, Sunday 80.
const PLAN_DATE = '2026-11-28';

describe('seasonal naive by weekday', () => {
  it('forecasts what the same weekday sold last week', () => {
    const [saturday, sunday] = forecastSeasonalNaive(steadySales(PLAN_DATE), ['baguette'], ['2026-11-28', '2026-11-29'], '2026-11-27');
    expect(saturday).toMatchObject({ productId: 'baguette', forecastDate: '2026-11-28', pointForecast: 140, method: SEASONAL_NAIVE, historyEnd: '2026-11-27' });
    expect(sunday?.pointForecast).toBe(80);
  });

  it('treats a closure as missing demand and looks one more week back', () => {
    const history = steadySales(PLAN_DATE, ['2026-11-21']);
    history.unitsByProduct.baguette!['2026-11-14'] = 150;
    const [saturday] = forecastSeasonalNaive(history, ['baguette'], ['2026-11-28'], '2026-11-27');
    expect(saturday?.pointForecast).toBe(150);
  });

  it('has zero-width quantiles and zero error on perfectly weekly demand', () => {
    const [forecast] = forecastSeasonalNaive(steadySales(PLAN_DATE), ['baguette'], ['2026-11-28'], '2026-11-27');
    expect(forecast?.quantiles).toEqual({ p10: 140, p50: 140, p90: 140 });
    expect(forecast?.accuracy.wape).toBe(0);
    expect(forecast?.accuracy.observations).toBeGreaterThan(40);
  });

  it('widens the quantiles by the errors the method made recently, in order and never negative', () => {
    const history: SalesHistory = { unitsByProduct: { bread: {} }, closedDates: [] };
    for (let back = 1; back <= 70; back += 1) {
      const date = new Date(Date.parse('2026-11-28') - back * 86_400_000).toISOString().slice(0, 10);
      history.unitsByProduct.bread![date] = back % 3 === 0 ? 2 : back % 3 === 1 ? 10 : 6;
    }
    const [forecast] = forecastSeasonalNaive(history, ['bread'], ['2026-11-28'], '2026-11-27');
    expect(forecast!.quantiles.p10).toBeLessThanOrEqual(forecast!.quantiles.p50);
    expect(forecast!.quantiles.p50).toBeLessThanOrEqual(forecast!.quantiles.p90);
    expect(forecast!.quantiles.p90 - forecast!.quantiles.p10).toBeGreaterThan(0);
    expect(forecast!.quantiles.p10).toBeGreaterThanOrEqual(0);
    expect(forecast!.accuracy.wape).toBeGreaterThan(0);
  });

  it('says so when a product has no history', () => {
    const [forecast] = forecastSeasonalNaive(steadySales(PLAN_DATE), ['new-cake'], ['2026-11-28'], '2026-11-27');
    expect(forecast).toMatchObject({ pointForecast: 0, method: 'no-history', accuracy: { wape: null, observations: 0 } });
  });
});
