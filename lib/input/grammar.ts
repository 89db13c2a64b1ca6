// The one input grammar: what an id, a date, a quantity, an amount of money or a name may be. The
// API schemas, the CSV import, the CLI and the job messages all build on these, so an input is
// accepted or refused the same way wherever it enters. docs/api.md states the same rules.
import { z } from 'zod';
import { PlannerError } from '../errors.ts';

/**
 * Ids (tenant, product, ingredient, recipe, supplier, equipment): a letter or digit, then letters,
 * digits, `_`, `.` or `-`; at most 64 characters. They become parts of DynamoDB keys and URL path
 * segments, so no separator (`#`, `|`, `/`), space or percent sign can appear in them.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const ID_MAX_LENGTH = 64;
export const entityId = z
  .string()
  .regex(ID_PATTERN, 'expected an id: a letter or digit, then letters, digits, _ . or -, at most 64 characters');

/** Calendar dates the product plans, imports and reports: real dates only, in this range. */
export const FIRST_DATE = '2000-01-01';
export const LAST_DATE = '2099-12-31';

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a real date survives the round trip unchanged.
  return (
    !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value && value >= FIRST_DATE && value <= LAST_DATE
  );
}

const DATE_MESSAGE = `expected a real calendar date as YYYY-MM-DD between ${FIRST_DATE} and ${LAST_DATE}`;
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: DATE_MESSAGE, abort: true })
  .refine(isCalendarDate, DATE_MESSAGE);

/** Round half away from zero to `decimals` places (the stored precision). */
const roundTo = (decimals: number) => (value: number) => {
  const factor = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
};

/** Quantities (units, kg, l): finite, 0 … 1,000,000,000, kept to 3 decimals. */
export const MAX_QUANTITY = 1e9;
export const QUANTITY_DECIMALS = 3;
export const quantity = z.number().finite().min(0).max(MAX_QUANTITY).transform(roundTo(QUANTITY_DECIMALS));
export const positiveQuantity = z
  .number()
  .finite()
  .gt(0)
  .max(MAX_QUANTITY)
  .transform(roundTo(QUANTITY_DECIMALS))
  .refine((value) => value > 0, `expected at least 0.${'0'.repeat(QUANTITY_DECIMALS - 1)}1`);

/** Money per unit: finite, 0 … 1,000,000 in the tenant's currency, kept to 4 decimals. */
export const MAX_UNIT_PRICE = 1e6;
export const MONEY_DECIMALS = 4;
export const money = z.number().finite().min(0).max(MAX_UNIT_PRICE).transform(roundTo(MONEY_DECIMALS));
export const positiveMoney = money.refine((value) => value > 0, 'expected an amount above 0');

/** An ISO 4217 currency code (`EUR`, `MXN`, `INR`…), any case on input, stored in capitals. */
export const currencyCode = z
  .string()
  .max(3)
  .transform((code) => code.toUpperCase())
  .refine(
    (code) => /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code),
    'expected an ISO 4217 currency code such as EUR, MXN or INR',
  );

/** A BCP 47 locale the runtime formats numbers in (`es-ES`, `en-IN`…), stored in its canonical form. */
export const localeTag = z
  .string()
  .max(35)
  .refine((tag) => {
    try {
      return Intl.NumberFormat.supportedLocalesOf([tag]).length === 1;
    } catch {
      return false;
    }
  }, 'expected a locale such as es-ES, en-IN or fr-FR')
  .transform((tag) => Intl.getCanonicalLocales(tag)[0]!);

/** Whole numbers in a range (days, minutes, versions): never past what a JavaScript number holds exactly. */

export const wholeNumber = (min: number, max: number) => z.number().int().min(min).max(max);

/** A local time of day on a 24-hour clock, `HH:MM`. */
export const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM, e.g. 14:00');

/**
 * What no printed text may hold: C0 and C1 control characters, line and paragraph separators, and the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make a name
 * display as another ("Trojan Source"). Right-to-left names need none of them; the marks LRM, RLM and
 * ALM stay allowed.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNPRINTABLE_BUT_LINE_BREAKS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point (tab, CR, LF allowed)
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Display names: 1 … 200 characters, nothing unprintable (they are printed in tables, pages and logs). */
export const displayName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine(
    (value) => !UNPRINTABLE.test(value),
    'no control characters (tabs, newlines…) or bidirectional overrides (U+202A–U+202E, U+2066–U+2069)',
  );
/** Free text such as a rejection reason: at most 1,000 characters; newlines allowed, control characters and bidirectional overrides not. */
export const freeText = z
  .string()
  .max(1000)
  .refine(
    (value) => !UNPRINTABLE_BUT_LINE_BREAKS.test(value),
    'no control characters or bidirectional overrides (U+202A–U+202E, U+2066–U+2069)',
  );

/** Request limits (docs/api.md): past them the API answers 413. */
export const LIMITS = {
  bodyBytes: 1024 * 1024,
  salesRows: 50_000,
  catalogEntries: 5_000,
  stockEntries: 5_000,
  datesPerImport: 3_700,
  modifications: 1_000,
  tenantsPerRun: 1_000,
} as const;

/** A request body over `LIMITS.bodyBytes`, refused by the router and by the local server as it reads (413). */
export class BodyTooLargeError extends PlannerError {
  constructor() {
    super('too_large', `The request body is larger than ${LIMITS.bodyBytes} bytes; split it.`, { field: 'body' });
  }
}

/** An array with a request limit: past it the issue is marked so that the API answers 413. */
export function limitedArray<T extends z.ZodType>(item: T, max: number, what: string) {
  return z.array(item).max(max, { message: `at most ${max.toLocaleString('en')} ${what} per request` });
}

/** True when a validation error is only about request limits (413 rather than 400). */
export function isLimitIssue(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'too_big' && issue.origin === 'array';
}

/** A record keyed by user data: no prototype, so no id (`__proto__`, `constructor`…) can reach Object.prototype. */
export function userKeyedRecord<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** The entry of `record` under a user's `key`, created empty (a user-keyed record) on first use. */
export function entryOf<V>(record: Record<string, Record<string, V>>, key: string): Record<string, V> {
  const existing = record[key];
  if (existing) return existing;
  const created = userKeyedRecord<V>();
  record[key] = created;
  return created;
}

/** The first problem of a zod error as `field: message`, and the field's dotted path. */
export function describeIssues(error: z.ZodError): { message: string; field: string } {
  const field = (issue: z.core.$ZodIssue) => (issue.path.length ? issue.path.join('.') : 'body');
  return {
    message: error.issues.map((issue) => `${field(issue)}: ${issue.message}`).join('; '),
    field: field(error.issues[0]!),
  };
}
