// The sales CSV of the API and the CLI: header `productId,date,units`, one row per product and day.
// Every row goes through the same grammar as a JSON import and the whole file is checked before
// anything is written; the first bad line is reported by number and column.
import { assertRecordCount, CsvInputError, readCsvTable } from './csv-table.ts';
import { LIMITS } from './grammar.ts';

const SALES_CSV_COLUMNS = ['productId', 'date', 'units'] as const;

/** Plain decimal numbers only: no blanks, signs, exponents, hex or thousands separators. */
const DECIMAL = /^\d{1,10}(\.\d{1,6})?$/;

export interface SalesCsvRow {
  productId: string;
  date: string;
  units: number;
  line: number;
}

/** Rows as the JSON import's `rows` (units as numbers), each with its line; the grammar is applied by the caller's schema. */
export function salesRowsFromCsv(text: string): SalesCsvRow[] {
  const table = readCsvTable(
    text,
    SALES_CSV_COLUMNS,
    'The CSV file is empty: send a header "productId,date,units" and one row per product and day.',
  );
  const { names, rows } = table;
  const at = SALES_CSV_COLUMNS.map((column) => table.at(column));
  assertRecordCount(rows, LIMITS.salesRows, 'rows');
  return rows.map((row, i) => {
    const line = i + 2;
    if (row.length !== names.length)
      throw new CsvInputError(`Line ${line}: expected ${names.length} fields, found ${row.length}.`, 'body', line);
    const [productId, date, units] = at.map((index) => row[index]!.trim()) as [string, string, string];
    if (!DECIMAL.test(units))
      throw new CsvInputError(
        `Line ${line}, units: "${units.slice(0, 40)}" is not a plain non-negative number such as 12 or 3.5.`,
        'units',
        line,
      );
    return { productId, date, units: Number(units), line };
  });
}
