// The CSV files the API and the CLI import (sales, stock): a header naming the columns, one record per
// line after it, and errors that name the line and the column, so a person can fix the file.
import { parseCsv } from '../forecasting/csv-history.ts';

export class CsvInputError extends Error {
  constructor(message: string, readonly field: string, readonly line?: number, readonly limit = false) {
    super(message);
    this.name = 'CsvInputError';
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
      throw new CsvInputError(`Line 1: column "${column}" is missing; the header must name ${required.join(',')} (found: ${names.join(',').slice(0, 200)}).`, column, 1);
    }
  }
  return { names, rows, at: (column) => names.indexOf(column) };
}
