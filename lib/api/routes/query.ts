// Query parameters the routes share, checked by the input grammar.
import { PlannerError } from '../../errors.ts';
import { calendarDate } from '../../input/grammar.ts';

/** A query parameter that must be a calendar date when given. */
export function dateQuery(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!calendarDate.safeParse(value).success)
    throw new PlannerError('invalid', `${name}: expected a real calendar date as YYYY-MM-DD.`, { field: name });
  return value;
}
