// The actuals CSV of the API and the CLI (a POS export): header `date,productId,sold,leftover`, and
// optionally `carriedOver` and `soldOutAt` (HH:MM, empty: it did not sell out). Every row goes through
// the JSON import's grammar and the whole file is checked before anything is written; the first bad
// line is reported by number and column.
import { assertRecordCount, CsvInputError, readCsvTable } from './csv-table.ts';
import { LIMITS } from './grammar.ts';

const REQUIRED = ['date', 'productId', 'sold', 'leftover'] as const;

/** Whole numbers only: no blanks, signs, decimals, exponents or thousands separators. */
const WHOLE = /^\d{1,7}$/;

export interface ActualsCsvRow {
  date: string;
  productId: string;
  sold: number;
  leftover: number;
  carriedOver: number;
  soldOutAt?: string;
  line: number;
}

/** Rows as the JSON import's `actuals`, each with its line; the grammar is applied by the caller's schema. */
export function actualsRowsFromCsv(text: string): ActualsCsvRow[] {
  const table = readCsvTable(
    text,
    REQUIRED,
    'The CSV file is empty: send a header "date,productId,sold,leftover,carriedOver,soldOutAt" and one row per product and day.',
  );
  const { names, rows } = table;
  assertRecordCount(rows, LIMITS.salesRows, 'rows');
  const column = (row: string[], name: string) => (table.at(name) < 0 ? '' : (row[table.at(name)] ?? '').trim());
  return rows.map((row, i) => {
    const line = i + 2;
    if (row.length !== names.length)
      throw new CsvInputError(`Line ${line}: expected ${names.length} fields, found ${row.length}.`, 'body', line);
    const count = (name: string, empty?: number) => {
      const text = column(row, name);
      if (text === '' && empty !== undefined) return empty;
      if (!WHOLE.test(text))
        throw new CsvInputError(
          `Line ${line}, ${name}: "${text.slice(0, 40)}" is not a whole number of pieces such as 0 or 12.`,
          name,
          line,
        );
      return Number(text);
    };
    const soldOutAt = column(row, 'soldOutAt');
    return {
      date: column(row, 'date'),
      productId: column(row, 'productId'),
      sold: count('sold'),
      leftover: count('leftover'),
      carriedOver: count('carriedOver', 0),
      ...(soldOutAt ? { soldOutAt } : {}),
      line,
    };
  });
}
