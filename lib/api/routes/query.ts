// Query parameters the routes share, checked by the input grammar.
import { z } from 'zod';
import { PROCUREMENT_STATUSES, PRODUCTION_STATUSES } from '../../domain.ts';
import { PlannerError } from '../../errors.ts';
import { calendarDate } from '../../input/grammar.ts';

/** The query of the routes that read one date (the OpenAPI document's). */
export const DateQuery = z.object({ date: calendarDate.optional() });

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
