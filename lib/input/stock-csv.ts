// The stock CSV of the CLI's `stock import`: one row per lot or open order, header
// `kind,id,quantity,date,supplierId` — kind `product` (a finished-goods lot, date = produced on),
// `ingredient` (an ingredient lot, date = expires on) or `order` (an open purchase order, date = arrives
// on). Each row passes the same grammar as the API's stock body; a bad row is named by line and column.
import type { z } from 'zod';
import type { StockSnapshot } from '../domain.ts';
import { CsvInputError, readCsvTable } from './csv-table.ts';
import { calendarDate, entityId, positiveQuantity, quantity } from './grammar.ts';

const STOCK_CSV_COLUMNS = ['kind', 'id', 'quantity', 'date', 'supplierId'] as const;

export function stockFromCsv(text: string): StockSnapshot {
  const { rows, at } = readCsvTable(
    text,
    STOCK_CSV_COLUMNS.slice(0, 4),
    `The stock CSV is empty: send a header "${STOCK_CSV_COLUMNS.join(',')}" and one row per lot or order.`,
  );
  const stock: Required<StockSnapshot> = { finishedGoods: [], ingredients: [], openOrders: [] };
  rows.forEach((row, i) => {
    const line = i + 2;
    const cell = (column: string) => (at(column) >= 0 ? (row[at(column)] ?? '').trim() : '');
    const check = <T>(column: string, schema: z.ZodType<T>, value: unknown): T => {
      const result = schema.safeParse(value);
      if (!result.success)
        throw new CsvInputError(`Line ${line}, ${column}: ${result.error.issues[0]!.message}.`, column, line);
      return result.data;
    };
    const kind = cell('kind');
    const id = check('id', entityId, cell('id'));
    const amount = /^\d+(\.\d+)?$/.test(cell('quantity')) ? Number(cell('quantity')) : Number.NaN;
    const date = check('date', calendarDate, cell('date'));
    if (kind === 'product')
      stock.finishedGoods.push({ productId: id, quantity: check('quantity', quantity, amount), producedOn: date });
    else if (kind === 'ingredient')
      stock.ingredients.push({ ingredientId: id, quantity: check('quantity', quantity, amount), expiresOn: date });
    else if (kind === 'order') {
      const supplierId = cell('supplierId');
      stock.openOrders.push({
        ingredientId: id,
        quantity: check('quantity', positiveQuantity, amount),
        arrivesOn: date,
        ...(supplierId ? { supplierId: check('supplierId', entityId, supplierId) } : {}),
      });
    } else
      throw new CsvInputError(
        `Line ${line}, kind: expected product, ingredient or order, found "${kind.slice(0, 40)}".`,
        'kind',
        line,
      );
  });
  return stock;
}
