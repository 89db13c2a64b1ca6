// The CSV files the API and the CLI import (sales, stock): a header naming the columns, one record per
// line after it, and errors that name the line and the column, so a person can fix the file.
import { PlannerError } from '../errors.ts';

export class CsvInputError extends PlannerError {
  constructor(
    message: string,
    readonly field: string,
    readonly line?: number,
    readonly limit = false,
  ) {
    super(limit ? 'too_large' : 'invalid', message, { field, ...(line ? { line } : {}) });
  }
}

export interface CsvTable {
  /** The header's column names, trimmed. */
  names: string[];
  /** The records after the header (line `i + 2` of the file). */
  rows: string[][];
  /** The index of a column in the header, -1 when it is not there. */
  at(column: string): number;
}

/** Reads the header and records; `required` columns must be in the header (a byte-order mark is ignored). */
export function readCsvTable(text: string, required: readonly string[], emptyMessage: string): CsvTable {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) throw new CsvInputError(emptyMessage, 'body');
  const names = header.map((h) => h.trim());
  for (const column of required) {
    if (!names.includes(column)) {
      throw new CsvInputError(
        `Line 1: column "${column}" is missing; the header must name ${required.join(',')} (found: ${names.join(',').slice(0, 200)}).`,
        column,
        1,
      );
    }
  }
  return { names, rows, at: (column) => names.indexOf(column) };
}

/** An import has at least one record after its header and at most `max` (`what`: "rows", "dates"). */
export function assertRecordCount(rows: readonly unknown[], max: number, what: string): void {
  if (rows.length === 0) throw new CsvInputError('The CSV file has a header but no rows.', 'body');
  if (rows.length > max)
    throw new CsvInputError(
      `At most ${max.toLocaleString('en')} ${what} per import; split the file.`,
      'body',
      undefined,
      true,
    );
}

/** Splits CSV text into rows of fields (RFC 4180: quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}
