import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtestForecastCommand } from '../../lib/cli/backtest-forecast.ts';
import { addDays, weekdayOf } from '../../lib/time/tenant-clock.ts';
import { seededRandom } from '../support/seeded-random.ts';

describe('planner backtest-forecast', () => {
  it('backtests 1 to 7 days ahead, then again with the drivers, and says what they bring', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backtest-'));
    const next = seededRandom(3);
    const sales = ['unique_id,ds,y'];
    const drivers = ['ds,promotion,temperature'];
    for (let i = 0; i < 240; i += 1) {
      const date = addDays('2022-03-01', i);
      const promotion = next() < 0.15 ? 1 : 0;
      drivers.push(`${date},${promotion},${(10 + 10 * Math.sin(i / 30)).toFixed(1)}`);
      for (const [id, level] of [
        ['BAGUETTE', 80],
        ['CROISSANT', 30],
      ] as const) {
        sales.push(
          `${id},${date},${Math.round(level * (weekdayOf(date) >= 6 ? 1.5 : 1) * (promotion ? 2 : 1) * (0.9 + 0.2 * next()))}`,
        );
      }
    }
    writeFileSync(join(dir, 'sales.csv'), sales.join('\n'));
    writeFileSync(join(dir, 'drivers.csv'), drivers.join('\n'));
    const lines: string[] = [];
    const report = backtestForecastCommand(
      {
        csv: join(dir, 'sales.csv'),
        idCol: 'unique_id',
        dateCol: 'ds',
        valueCol: 'y',
        from: '2022-10-01',
        to: '2022-10-21',
        drivers: join(dir, 'drivers.csv'),
        driverCols: ['promotion'],
        json: join(dir, 'report.json'),
      },
      (line) => lines.push(line),
    );
    const output = lines.join('\n');
    expect(output).toMatch(/days ahead {3}WAPE {4}p10–p90 coverage/);
    expect(report.horizons.map((h) => h.horizon)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(report.withDrivers!.columns).toEqual(['promotion']);
    // Promotions double sales: knowing them cuts the error by far.
    expect(report.withDrivers!.engine.wape).toBeLessThan(0.7 * report.engine.wape);
    expect(output).toMatch(/with the drivers: WAPE \d\.\d{3} \(without: \d\.\d{3}; \d+\.\d % lower\)/);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).withDrivers.engine.wape).toBe(
      report.withDrivers!.engine.wape,
    );
  });
});
