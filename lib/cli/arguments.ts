// Option parsers for the `planner` CLI, on the same grammar as the API: a bad value stops the command
// with a clear message and a non-zero exit before anything is sent.
import { InvalidArgumentError } from 'commander';
import { entityId, FIRST_DATE, isCalendarDate, LAST_DATE } from '../input/grammar.ts';
import { MAX_LOCAL_TOKEN_HOURS } from '../local/local-token.ts';

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError('expected a positive whole number.');
  return parsed;
}

export function calendarDateArg(value: string): string {
  if (!isCalendarDate(value))
    throw new InvalidArgumentError(
      `expected a real calendar date as YYYY-MM-DD between ${FIRST_DATE} and ${LAST_DATE}.`,
    );
  return value;
}

export function idArg(value: string): string {
  const checked = entityId.safeParse(value);
  if (!checked.success) throw new InvalidArgumentError(`"${value}" is not an id: ${checked.error.issues[0]!.message}.`);
  return value;
}

export function idListArg(value: string): string[] {
  return value.split(',').map((id) => idArg(id.trim()));
}

export function tokenHoursArg(value: string): number {
  const hours = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(hours > 0) || hours > MAX_LOCAL_TOKEN_HOURS) {
    throw new InvalidArgumentError(`expected a number of hours above 0 and at most ${MAX_LOCAL_TOKEN_HOURS}.`);
  }
  return hours;
}

export function choiceArg(choices: readonly string[]) {
  return (value: string): string => {
    if (!choices.includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}.`);
    return value;
  };
}

/** `07:00-19:00`: a shop's opening and closing times. */
export function openingHoursArg(value: string): { opens: string; closes: string } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  if (!match || `${match[3]}:${match[4]}` <= `${match[1]}:${match[2]}`)
    throw new InvalidArgumentError(`"${value}" is not opening-closing times such as 07:00-19:00.`);
  return { opens: `${match[1]}:${match[2]}`, closes: `${match[3]}:${match[4]}` };
}
