// Turns a sales CSV (one row per product and day) into a sales history: which column names the
// product, the date and the value, and optionally a column to divide by (revenue / unit price = units).
// Days on which no product sold anything are closures: missing demand, not zero demand.
import type { DailyDrivers, SalesHistory } from '../domain.ts';
import { CsvInputError, parseCsv } from './csv-table.ts';
import { entryOf, userKeyedRecord } from './grammar.ts';

export interface CsvColumns {
  id: string;
  date: string;
  value: string;
  divideBy?: string;
}

export interface CsvHistory {
  history: SalesHistory;
  totals: Map<string, number>;
  firstDate: string;
  lastDate: string;
  /** Rows left out because their divisor was zero or missing (the value cannot be turned into units), by line. */
  skippedLines: number[];
}

export function historyFromCsv(text: string, columns: CsvColumns): CsvHistory {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new CsvInputError('The CSV file is empty.', 'csv');
  const index = (name: string | undefined) => {
    if (name === undefined) return -1;
    const at = header.indexOf(name);
    if (at < 0) throw new CsvInputError(`Column "${name}" is not in the CSV header (${header.join(', ')}).`, 'csv');
    return at;
  };
  const [idAt, dateAt, valueAt, divideAt] = [
    index(columns.id),
    index(columns.date),
    index(columns.value),
    index(columns.divideBy),
  ];
  const unitsByProduct: Record<string, Record<string, number>> = userKeyedRecord();
  const totalByDate = new Map<string, number>();
  const totals = new Map<string, number>();
  const skippedLines: number[] = [];
  rows.forEach((row, i) => {
    const line = i + 2;
    const id = row[idAt]?.trim();
    const date = row[dateAt]?.trim().slice(0, 10);
    if (!id || !date || !/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw new CsvInputError(`Line ${line}: needs a product id and a date as YYYY-MM-DD.`, 'csv');
    let value = Number(row[valueAt]);
    if (!Number.isFinite(value))
      throw new CsvInputError(`Line ${line}: "${row[valueAt]}" in column ${columns.value} is not a number.`, 'csv');
    if (divideAt >= 0) {
      const divisor = Number(row[divideAt]);
      if (!(divisor > 0)) {
        skippedLines.push(line);
        return;
      }
      value /= divisor;
    }
    value = Math.max(0, Math.round(value * 1000) / 1000);
    const byDate = entryOf(unitsByProduct, id);
    byDate[date] = (byDate[date] ?? 0) + value;
    totalByDate.set(date, (totalByDate.get(date) ?? 0) + value);
    totals.set(id, (totals.get(id) ?? 0) + value);
  });
  const dates = [...totalByDate.keys()].sort();
  if (dates.length === 0) throw new CsvInputError('The CSV file has a header but no rows.', 'csv');
  const closedDates = dates.filter((d) => totalByDate.get(d) === 0);
  for (const byDate of Object.values(unitsByProduct)) for (const d of closedDates) delete byDate[d];
  return {
    history: { unitsByProduct, closedDates },
    totals,
    firstDate: dates[0]!,
    lastDate: dates.at(-1)!,
    skippedLines,
  };
}

/**
 * Reads daily drivers (one row per date, one numeric column per driver): the global model's extra
 * features. An empty cell is an unknown value; anything else that is not a number is refused.
 */
export function driversFromCsv(text: string, dateColumn: string, driverColumns: readonly string[]): DailyDrivers {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new CsvInputError('The drivers CSV file is empty.', 'csv');
  if (driverColumns.length === 0)
    throw new CsvInputError(
      `Name the driver columns to use (${header.filter((h) => h !== dateColumn).join(', ')}).`,
      'csv',
    );
  const index = (name: string) => {
    const at = header.indexOf(name);
    if (at < 0)
      throw new CsvInputError(`Column "${name}" is not in the drivers CSV header (${header.join(', ')}).`, 'csv');
    return at;
  };
  const dateAt = index(dateColumn);
  const at = driverColumns.map(index);
  const values: Record<string, number[]> = userKeyedRecord();
  rows.forEach((row, i) => {
    const line = i + 2;
    const date = row[dateAt]?.trim().slice(0, 10);
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw new CsvInputError(
        `Line ${line} of the drivers: needs a date as YYYY-MM-DD in column ${dateColumn}.`,
        'csv',
      );
    values[date] = at.map((column, c) => {
      const cell = row[column]?.trim() ?? '';
      if (cell === '') return Number.NaN;
      const value = Number(cell);
      if (!Number.isFinite(value))
        throw new CsvInputError(
          `Line ${line} of the drivers: "${cell}" in column ${driverColumns[c]} is not a number.`,
          'csv',
        );
      return value;
    });
  });
  return { columns: [...driverColumns], values };
}
