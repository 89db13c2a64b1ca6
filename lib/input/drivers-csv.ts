// The daily drivers CSV of the API and the CLI: header `date,<driver>,<driver>…`, one row per date,
// one plain number (or nothing: unknown) per driver. Checked whole before anything is written; the
// first bad line is reported by number and column.
import type { DailyDrivers } from '../domain.ts';
import { assertRecordCount, CsvInputError, readCsvTable } from './csv-table.ts';
import { calendarDate, entityId, LIMITS, userKeyedRecord } from './grammar.ts';

/** At most this many drivers per tenant: each is a feature of the global model. */
export const MAX_DRIVERS = 20;
/** Signed plain decimals (a temperature may be negative): no exponents, hex or thousands separators. */
const DECIMAL = /^-?\d{1,10}(\.\d{1,6})?$/;

export function driversFromImportCsv(text: string): DailyDrivers {
  const table = readCsvTable(
    text,
    ['date'],
    'The CSV file is empty: send a header "date,<driver>,…" (for example date,temperature,promotion) and one row per date.',
  );
  const { names, rows } = table;
  const dateAt = table.at('date');
  const columns = names.filter((_, i) => i !== dateAt);
  if (columns.length === 0)
    throw new CsvInputError(
      'Line 1: name at least one driver column after "date" (for example date,temperature).',
      'body',
      1,
    );
  if (columns.length > MAX_DRIVERS)
    throw new CsvInputError(`Line 1: at most ${MAX_DRIVERS} drivers; found ${columns.length}.`, 'body', 1);
  columns.forEach((name) => {
    if (!entityId.safeParse(name).success)
      throw new CsvInputError(
        `Line 1: "${name.slice(0, 40)}" is not a driver name (letters, digits, "-" and "_").`,
        'body',
        1,
      );
  });
  if (new Set(columns).size !== columns.length)
    throw new CsvInputError('Line 1: a driver column appears twice.', 'body', 1);
  assertRecordCount(rows, LIMITS.datesPerImport, 'dates');
  const values: Record<string, number[]> = userKeyedRecord();
  rows.forEach((row, i) => {
    const line = i + 2;
    if (row.length !== names.length)
      throw new CsvInputError(`Line ${line}: expected ${names.length} fields, found ${row.length}.`, 'body', line);
    const date = row[dateAt]!.trim();
    if (!calendarDate.safeParse(date).success)
      throw new CsvInputError(
        `Line ${line}, date: "${date.slice(0, 40)}" is not a real calendar date as YYYY-MM-DD.`,
        'date',
        line,
      );
    if (values[date]) throw new CsvInputError(`Line ${line}, date: ${date} appears twice.`, 'date', line);
    values[date] = names.flatMap((name, c) => {
      if (c === dateAt) return [];
      const cell = row[c]!.trim();
      if (cell === '') return [Number.NaN];
      if (!DECIMAL.test(cell))
        throw new CsvInputError(
          `Line ${line}, ${name}: "${cell.slice(0, 40)}" is not a plain number such as 21.5 or -3 (leave it empty when unknown).`,
          name,
          line,
        );
      return [Number(cell)];
    });
  });
  return { columns, values };
}

/** Adds `incoming` to `stored`: new drivers join, dates in the import replace those drivers' values. */
export function mergeDrivers(stored: DailyDrivers | null, incoming: DailyDrivers): DailyDrivers {
  const columns = [...(stored?.columns ?? [])];
  for (const c of incoming.columns) if (!columns.includes(c)) columns.push(c);
  if (columns.length > MAX_DRIVERS)
    throw new CsvInputError(
      `A tenant has at most ${MAX_DRIVERS} drivers; this import would make ${columns.length}.`,
      'body',
    );
  const values: Record<string, number[]> = userKeyedRecord();
  const place = (source: DailyDrivers) => {
    const at = source.columns.map((c) => columns.indexOf(c));
    for (const [date, row] of Object.entries(source.values)) {
      const merged = values[date] ?? columns.map(() => Number.NaN);
      row.forEach((v, i) => {
        merged[at[i]!] = v;
      });
      values[date] = merged;
    }
  };
  if (stored) place(stored);
  place(incoming);
  return { columns, values };
}
