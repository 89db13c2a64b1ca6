// Query parameters the routes share, checked by the input grammar.
import { z } from 'zod';
import { PROCUREMENT_STATUSES, PRODUCTION_STATUSES } from '../../domain.ts';
import { PlannerError } from '../../errors.ts';
import { calendarDate } from '../../input/grammar.ts';
import { addDays, daysBetween } from '../../time/tenant-clock.ts';

/** The query of the routes that read one date (the OpenAPI document's). */
export const DateQuery = z.object({ date: calendarDate.optional() });

/** A range of days (the actuals' and the plan quality's). */
export const DayRangeQuery = z.object({ from: calendarDate.optional(), to: calendarDate.optional() });

/** `?from=&to=` as dates: `to` defaults to `lastDay`, `from` to 27 days before `to`; at most 400 days. */
export function dayRange(query: Record<string, string | undefined>, lastDay: string): { from: string; to: string } {
  const to = dateQuery(query.to, 'to') ?? lastDay;
  const from = dateQuery(query.from, 'from') ?? addDays(to, -27);
  if (from > to) throw new PlannerError('invalid', 'from: must not be after to.', { field: 'from' });
  if (daysBetween(from, to) >= 400)
    throw new PlannerError('invalid', 'from: at most 400 days per read; read a shorter range.', { field: 'from' });
  return { from, to };
}

/** The plan lists' filters (the OpenAPI document's). */
const planListQuery = (statuses: readonly string[]) =>
  z.object({
    status: z.enum(statuses as [string, ...string[]]).optional(),
    from: calendarDate.optional(),
    to: calendarDate.optional(),
  });
export const ScheduleListQuery = planListQuery(PRODUCTION_STATUSES);
export const PlanListQuery = planListQuery(PROCUREMENT_STATUSES);

/** A query parameter that must be a calendar date when given. */
export function dateQuery(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!calendarDate.safeParse(value).success)
    throw new PlannerError('invalid', `${name}: expected a real calendar date as YYYY-MM-DD.`, { field: name });
  return value;
}
