import { describe, expect, it } from 'vitest';
import { driversFromImportCsv, MAX_DRIVERS, mergeDrivers } from '../../lib/input/drivers-csv.ts';

describe('the daily drivers CSV', () => {
  it('reads one row per date and one number per driver, an empty cell as unknown', () => {
    const drivers = driversFromImportCsv('\uFEFFtemperature,date,promotion\n-3.5,2026-01-05,1\n,2026-01-06,0\n');
    expect(drivers.columns).toEqual(['temperature', 'promotion']);
    expect(drivers.values['2026-01-05']).toEqual([-3.5, 1]);
    expect(drivers.values['2026-01-06']![0]).toBeNaN();
  });

  it.each([
    ['', /The CSV file is empty/],
    ['day,temperature\n2026-01-05,3\n', /column "date" is missing/],
    ['date\n2026-01-05\n', /name at least one driver column/],
    ['date,temp erature\n2026-01-05,3\n', /"temp erature" is not a driver name/],
    ['date,t,t\n2026-01-05,3,4\n', /a driver column appears twice/],
    ['date,t\n', /header but no rows/],
    ['date,t\n2026-02-30,3\n', /Line 2, date: "2026-02-30" is not a real calendar date/],
    ['date,t\n2026-01-05,3\n2026-01-05,4\n', /Line 3, date: 2026-01-05 appears twice/],
    ['date,t\n2026-01-05,1e3\n', /Line 2, t: "1e3" is not a plain number/],
    ['date,t\n2026-01-05\n', /Line 2: expected 2 fields, found 1/],
    [`date,${Array.from({ length: MAX_DRIVERS + 1 }, (_, i) => `d${i}`).join(',')}\n`, /at most 20 drivers/],
  ])('refuses %j, saying why', (csv, message) => {
    expect(() => driversFromImportCsv(csv)).toThrow(message);
  });

  it('merges an import into what is stored: new drivers join, imported dates replace only their drivers', () => {
    const stored = { columns: ['temperature'], values: { '2026-01-05': [3], '2026-01-06': [4] } };
    const merged = mergeDrivers(stored, {
      columns: ['promotion', 'temperature'],
      values: { '2026-01-06': [1, 5], '2026-01-07': [0, 6] },
    });
    expect(merged.columns).toEqual(['temperature', 'promotion']);
    expect(merged.values['2026-01-05']![0]).toBe(3);
    expect(merged.values['2026-01-05']![1]).toBeNaN();
    expect(merged.values['2026-01-06']).toEqual([5, 1]);
    expect(merged.values['2026-01-07']).toEqual([6, 0]);
    const many = { columns: Array.from({ length: MAX_DRIVERS }, (_, i) => `d${i}`), values: {} };
    expect(() => mergeDrivers(many, { columns: ['one-more'], values: {} })).toThrow(/at most 20 drivers/);
  });
});
