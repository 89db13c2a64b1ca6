import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { holidaysOf } from '../../lib/app/forecasts.ts';
import type { Tenant } from '../../lib/domain.ts';
import { holidayCalendarIssue, publicHolidays } from '../../lib/forecasting/public-holidays.ts';

describe('public holidays from the maintained calendars', () => {
  it("give France's eleven a year: the French bakery's holiday file, day for day", () => {
    const file = JSON.parse(readFileSync('data/demo/holidays-fr.json', 'utf8')) as string[];
    expect(publicHolidays('FR', '2021-01-01', '2022-12-31')).toEqual(file);
  });

  it("follow the region: Bavaria keeps Epiphany, Berlin does not; a span's ends are inclusive", () => {
    expect(publicHolidays('DE-BY', '2026-01-01', '2026-01-06')).toEqual(['2026-01-01', '2026-01-06']);
    expect(publicHolidays('DE-BE', '2026-01-01', '2026-01-06')).toEqual(['2026-01-01']);
    // Independence Day on a Saturday, observed the Friday before too; Thanksgiving and the day after in California.
    expect(publicHolidays('us-ca', '2026-07-01', '2026-07-06')).toEqual(['2026-07-03', '2026-07-04']);
    expect(publicHolidays('US-CA', '2026-11-20', '2026-11-30')).toEqual(['2026-11-26', '2026-11-27']);
  });

  it('refuse an unknown country, state or region, naming what exists', () => {
    expect(holidayCalendarIssue('FR')).toBeNull();
    expect(holidayCalendarIssue('de-by')).toBeNull();
    expect(holidayCalendarIssue('FRA')).toMatch(/"FRA" is not a country .*did you mean "FR"/);
    expect(holidayCalendarIssue('DE-XX')).toMatch(/DE has no state "XX" .* BY/);
    expect(holidayCalendarIssue('FR-A-B-C')).toMatch(/more parts/);
  });

  it("join the tenant's declared holidays for the forecasts", () => {
    const tenant = { tenantId: 't', publicHolidays: 'FR' } as Tenant;
    expect([...holidaysOf(tenant, ['2026-06-21'], '2026-06-01', '2026-07-31')].sort()).toEqual([
      '2026-06-21',
      '2026-07-14',
    ]);
    expect([
      ...holidaysOf({ ...tenant, publicHolidays: undefined }, ['2026-06-21'], '2026-06-01', '2026-07-31'),
    ]).toEqual(['2026-06-21']);
  });
});
