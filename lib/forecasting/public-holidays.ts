// Public holidays from a maintained calendar (date-holidays: countries, their states and regions), by
// the tenant's code — "FR", "DE-BY", "US-CA", "CH-ZH" — so a bakery gets its own holidays without
// writing a file. The tenant's declared holidays and closures come on top (lib/app/forecasts.ts).
import Holidays from 'date-holidays';
import { nearestId } from '../input/nearest-id.ts';
import type { LocalDate } from '../time/tenant-clock.ts';

const calendars = new Map<string, Holidays>();
const known = new Holidays();

/** The calendar of a code (built once per process: building one parses its rules). */
function calendarOf(code: string): Holidays {
  let calendar = calendars.get(code);
  if (!calendar) {
    const [country, state, region] = code.split('-');
    calendar = new Holidays(country!, state ?? '', region ?? '', { types: ['public'] });
    calendars.set(code, calendar);
  }
  return calendar;
}

/**
 * What is wrong with a holiday-calendar code, naming what would be right, or null when it is known:
 * a country (ISO 3166-1 alpha-2), optionally its state and region as date-holidays lists them.
 */
export function holidayCalendarIssue(code: string): string | null {
  const [country, state, region, ...rest] = code.toUpperCase().split('-');
  const countries = Object.keys(known.getCountries());
  if (!country || !countries.includes(country)) {
    const near = nearestId(country ?? '', countries);
    return `"${code}" is not a country of the holiday calendars${near ? ` (did you mean "${near}"?)` : ''}: give an ISO 3166 country code such as FR, optionally with a state (DE-BY, US-CA)`;
  }
  if (rest.length) return `"${code}" has more parts than country-state-region`;
  if (state === undefined) return null;
  const states = Object.keys(known.getStates(country) ?? {});
  if (!states.includes(state))
    return `${country} has no state "${state}" in the holiday calendars${states.length ? `; it has ${states.slice(0, 20).join(', ')}${states.length > 20 ? ', …' : ''}` : ': give the country alone'}`;
  if (region === undefined) return null;
  const regions = Object.keys(known.getRegions(country, state) ?? {});
  if (!regions.includes(region))
    return `${country}-${state} has no region "${region}" in the holiday calendars${regions.length ? `; it has ${regions.slice(0, 20).join(', ')}` : ': give the state alone'}`;
  return null;
}

/** The public holidays of the calendar `code` from `from` to `to` (inclusive), in date order. */
export function publicHolidays(code: string, from: LocalDate, to: LocalDate): LocalDate[] {
  const calendar = calendarOf(code.toUpperCase());
  const dates = new Set<LocalDate>();
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 1)
    for (const holiday of calendar.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      const date = holiday.date.slice(0, 10);
      if (date >= from && date <= to) dates.add(date);
    }
  return [...dates].sort();
}
