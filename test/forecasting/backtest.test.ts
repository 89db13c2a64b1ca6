import { describe, expect, it } from 'vitest';
import type { SalesHistory } from '../../lib/domain.ts';
import { type BacktestPoint, rollingOriginBacktest, scoreBacktest } from '../../lib/forecasting/backtest.ts';
import { CsvInputError, parseCsv } from '../../lib/input/csv-table.ts';
import { driversFromCsv, historyFromCsv } from '../../lib/input/history-csv.ts';
import { addDays, weekdayOf } from '../../lib/time/tenant-clock.ts';

describe('reading a sales CSV', () => {
  it('parses quoted fields with commas and quotes', () => {
    expect(parseCsv('a,b\n"x, ""y""",2\r\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', '2'],
    ]);
  });

  it('turns revenue into units, and a day without any sale into a closure', () => {
    const csv =
      'unique_id,ds,y,unit_price\nBAGUETTE,2022-07-01,13.0,1.3\nCROISSANT,2022-07-01,2.4,1.2\nBAGUETTE,2022-07-02,0,1.3\nCROISSANT,2022-07-02,0,1.2\nBAGUETTE,2022-07-03,0,1.3\nCROISSANT,2022-07-03,1.2,1.2\nGIFT,2022-07-03,5,0\n';
    const { history, totals, skippedLines } = historyFromCsv(csv, {
      id: 'unique_id',
      date: 'ds',
      value: 'y',
      divideBy: 'unit_price',
    });
    expect(history.unitsByProduct).toEqual({
      BAGUETTE: { '2022-07-01': 10, '2022-07-03': 0 },
      CROISSANT: { '2022-07-01': 2, '2022-07-03': 1 },
    });
    expect(history.closedDates).toEqual(['2022-07-02']);
    expect(totals.get('BAGUETTE')).toBe(10);
    expect(skippedLines).toEqual([8]);
  });

  it('names a missing column and lists the header', () => {
    expect(() => historyFromCsv('id,date,units\n', { id: 'id', date: 'day', value: 'units' })).toThrow(CsvInputError);
    expect(() => historyFromCsv('id,date,units\n', { id: 'id', date: 'day', value: 'units' })).toThrow(
      'Column "day" is not in the CSV header (id, date, units).',
    );
  });

  it('names the line of a value that is not a number', () => {
    expect(() =>
      historyFromCsv('id,date,units\nA,2022-01-01,many\n', { id: 'id', date: 'date', value: 'units' }),
    ).toThrow('Line 2: "many" in column units is not a number.');
  });
});

describe('scoring a backtest', () => {
  const history: SalesHistory = { unitsByProduct: { a: {} }, closedDates: [] };
  // In-sample seasonal-naive error of 10 per day (alternating 100 / 110 weekly), for the MASE scale.
  for (let i = 1; i <= 28; i += 1)
    history.unitsByProduct.a![addDays('2022-07-01', -i)] = Math.floor((i - 1) / 7) % 2 === 0 ? 100 : 110;
  const point = (actual: number, forecast: number): BacktestPoint => ({
    productId: 'a',
    date: '2022-07-01',
    horizon: 1,
    actual,
    forecast,
    p10: forecast - 10,
    p50: forecast,
    p90: forecast + 10,
    baseline: actual + 20,
    method: 'test',
  });

  it('computes WAPE, MASE, bias and coverage as defined', () => {
    const report = scoreBacktest(history, [point(100, 90), point(100, 120)], '2022-07-01', '2022-07-02');
    expect(report.engine.wape).toBe(0.15); // (10 + 20) / 200
    expect(report.engine.bias).toBe(0.05); // (−10 + 20) / 200
    expect(report.engine.mase).toBe(1.5); // mean error 15 over in-sample 10
    expect(report.engine.coverage).toBe(0.5); // 100 within [80, 100]; not within [110, 130]
    expect(report.seasonalNaive).toEqual({ wape: 0.2, mase: 2, bias: 0.2 });
  });

  it('forecasts every horizon from the history before it only', () => {
    const h: SalesHistory = { unitsByProduct: { a: {} }, closedDates: ['2022-07-06'] };
    for (let i = -60; i < 10; i += 1) {
      const date = addDays('2022-07-01', i);
      h.unitsByProduct.a![date] = 50 + 10 * weekdayOf(date) + (i >= 0 ? 1000 : 0); // a jump on the first forecast day
    }
    const all = rollingOriginBacktest({ history: h, productIds: ['a'], from: '2022-07-01', to: '2022-07-09' });
    expect(all.map((p) => p.date)).not.toContain('2022-07-06');
    expect(new Set(all.map((p) => p.horizon))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7]));
    for (const p of all) expect(p.horizon).toBeGreaterThanOrEqual(1);
    const points = all.filter((p) => p.horizon === 1);
    expect(points).toHaveLength(8);
    // The first day cannot know about the jump; by the last day the models have seen it.
    expect(points[0]!.forecast).toBeLessThan(200);
    expect(points.at(-1)!.baseline).toBeGreaterThan(1000);
  });
});

describe('drivers in a backtest', () => {
  it('are seen after each origin only where they are known ahead: otherwise the model reads them as unknown', () => {
    // Sales double on promoted days; the promotion is the only driver.
    let seed = 7;
    const next = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const promoted = new Set<string>();
    for (let i = -400; i < 14; i += 1) if (next() < 0.15) promoted.add(addDays('2022-07-01', i));
    const history: SalesHistory = { unitsByProduct: {}, closedDates: [] };
    for (const [id, level] of [
      ['a', 60],
      ['b', 120],
    ] as const) {
      history.unitsByProduct[id] = {};
      for (let i = -400; i < 14; i += 1) {
        const date = addDays('2022-07-01', i);
        history.unitsByProduct[id]![date] = Math.round(level * (promoted.has(date) ? 2 : 1) * (0.9 + 0.2 * next()));
      }
    }
    const drivers = {
      columns: ['promotion'],
      values: Object.fromEntries(
        Array.from({ length: 414 }, (_, k) => addDays('2022-07-01', k - 400)).map((d) => [
          d,
          [promoted.has(d) ? 1 : 0],
        ]),
      ),
    };
    const wape = (knownAhead: string[]) => {
      const points = rollingOriginBacktest({
        history,
        productIds: ['a', 'b'],
        from: '2022-07-01',
        to: '2022-07-14',
        options: { drivers },
        driversKnownAhead: knownAhead,
      }).filter((p) => p.horizon === 1 && promoted.has(p.date));
      return points.reduce((s, p) => s + Math.abs(p.forecast - p.actual), 0) / points.reduce((s, p) => s + p.actual, 0);
    };
    const known = wape(['promotion']);
    const hidden = wape([]);
    // On promoted days, knowing the promotion ahead halves the error at least; hidden, the model cannot see it.
    expect(known).toBeLessThan(hidden / 2);
  });
});

describe('reading daily drivers', () => {
  it('reads the named columns by date, an empty cell as unknown', () => {
    const drivers = driversFromCsv('date,temperature,rain,note\n2022-07-01,21.5,0,x\n2022-07-02,,3,y\n', 'date', [
      'temperature',
      'rain',
    ]);
    expect(drivers.columns).toEqual(['temperature', 'rain']);
    expect(drivers.values['2022-07-01']).toEqual([21.5, 0]);
    expect(drivers.values['2022-07-02']![0]).toBeNaN();
  });

  it('names a missing column, a bad date and a value that is not a number', () => {
    expect(() => driversFromCsv('date,temperature\n', 'date', ['rain'])).toThrow(
      'Column "rain" is not in the drivers CSV header (date, temperature).',
    );
    expect(() => driversFromCsv('date,temperature\n01/07/2022,20\n', 'date', ['temperature'])).toThrow(
      'Line 2 of the drivers: needs a date as YYYY-MM-DD in column date.',
    );
    expect(() => driversFromCsv('date,temperature\n2022-07-01,warm\n', 'date', ['temperature'])).toThrow(
      'Line 2 of the drivers: "warm" in column temperature is not a number.',
    );
    expect(() => driversFromCsv('date,temperature\n', 'date', [])).toThrow(
      'Name the driver columns to use (temperature).',
    );
  });
});
