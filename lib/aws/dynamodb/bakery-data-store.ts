// A tenant's catalog, stock and sales history. Sales are one item per product and month (a map of
// day → units), so a planning run reads half a year of history with a single paginated query.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Catalog, SalesHistory, StockSnapshot } from '../../domain.ts';
import type { CatalogStore, SalesStore, StockStore } from '../../ports.ts';
import type { LocalDate } from '../../time/tenant-clock.ts';
import { batchWriteAll, queryAll, type TableContext } from './client.ts';
import { keys } from './table-layout.ts';

const CATALOG_KINDS = {
  PRODUCT: { field: 'products', id: 'productId' },
  INGREDIENT: { field: 'ingredients', id: 'ingredientId' },
  RECIPE: { field: 'recipes', id: 'recipeId' },
  SUPPLIER: { field: 'suppliers', id: 'supplierId' },
  EQUIPMENT: { field: 'equipment', id: 'equipmentId' },
} as const;

export class DynamoBakeryDataStore implements CatalogStore, StockStore, SalesStore {
  constructor(private readonly ctx: TableContext) {}

  private queryPrefix(tenantId: string, prefix: string) {
    return queryAll(this.ctx, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenantPartition(tenantId), ':prefix': prefix },
    });
  }

  async putCatalog(tenantId: string, catalog: Catalog): Promise<void> {
    const puts = Object.entries(CATALOG_KINDS).flatMap(([kind, { field, id }]) =>
      (catalog[field] as unknown as Record<string, unknown>[]).map((entity) => ({
        PutRequest: { Item: { ...keys.catalogItem(tenantId, kind, String(entity[id])), type: kind, data: entity } },
      })),
    );
    await batchWriteAll(this.ctx, puts);
  }

  async getCatalog(tenantId: string): Promise<Catalog> {
    const catalog: Catalog = { products: [], ingredients: [], recipes: [], suppliers: [], equipment: [] };
    for (const item of await this.queryPrefix(tenantId, keys.catalogPrefix)) {
      const kind = CATALOG_KINDS[item.type as keyof typeof CATALOG_KINDS];
      if (kind) (catalog[kind.field] as unknown[]).push(item.data);
    }
    return catalog;
  }

  /** Replaces the tenant's stock with this snapshot. */
  async putStock(tenantId: string, stock: StockSnapshot): Promise<void> {
    const puts = [
      ...stock.finishedGoods.map((lot) => ({ ...keys.productStock(tenantId, lot.productId, lot.producedOn), type: 'ProductStock', ...lot })),
      ...stock.ingredients.map((lot) => ({ ...keys.ingredientStock(tenantId, lot.ingredientId, lot.expiresOn), type: 'IngredientStock', ...lot })),
      ...(stock.openOrders ?? []).map((order) => ({ ...keys.openOrder(tenantId, order.ingredientId, order.arrivesOn), type: 'OpenOrder', ...order })),
    ];
    const kept = new Set(puts.map((item) => item.SK));
    const stale = (await this.queryPrefix(tenantId, keys.stockPrefix)).filter((item) => !kept.has(String(item.SK)));
    await batchWriteAll(this.ctx, [
      ...stale.map((item) => ({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } })),
      ...puts.map((Item) => ({ PutRequest: { Item } })),
    ]);
  }

  async getStock(tenantId: string): Promise<StockSnapshot> {
    const stock: StockSnapshot = { finishedGoods: [], ingredients: [], openOrders: [] };
    for (const item of await this.queryPrefix(tenantId, keys.stockPrefix)) {
      if (item.type === 'ProductStock') {
        stock.finishedGoods.push({ productId: String(item.productId), quantity: Number(item.quantity), producedOn: String(item.producedOn) });
      } else if (item.type === 'IngredientStock') {
        stock.ingredients.push({ ingredientId: String(item.ingredientId), quantity: Number(item.quantity), expiresOn: String(item.expiresOn) });
      } else if (item.type === 'OpenOrder') {
        stock.openOrders!.push({
          ingredientId: String(item.ingredientId), quantity: Number(item.quantity), arrivesOn: String(item.arrivesOn),
          ...(item.supplierId ? { supplierId: String(item.supplierId) } : {}),
        });
      }
    }
    return stock;
  }

  /**
   * Adds sales to the month items, day by day: days already stored and not in this import are kept,
   * days in it are overwritten. Each item is updated in place (no read-modify-write), so concurrent
   * imports of different days never lose each other's data.
   */
  async putSales(tenantId: string, history: SalesHistory): Promise<void> {
    const months = new Map<string, Record<string, number>>();
    for (const [productId, byDate] of Object.entries(history.unitsByProduct)) {
      for (const [date, units] of Object.entries(byDate)) {
        const key = `${date.slice(0, 7)}|${productId}`;
        months.set(key, { ...(months.get(key) ?? {}), [date.slice(8, 10)]: units });
      }
    }
    const updateMonth = async ([key, units]: [string, Record<string, number>]) => {
      const [month, productId] = key.split('|') as [string, string];
      const Key = keys.salesMonth(tenantId, month, productId);
      await this.ctx.doc.send(new UpdateCommand({
        TableName: this.ctx.tableName, Key,
        UpdateExpression: 'SET units = if_not_exists(units, :empty), #type = :type, #month = :month, productId = :product',
        ExpressionAttributeNames: { '#type': 'type', '#month': 'month' },
        ExpressionAttributeValues: { ':empty': {}, ':type': 'SalesMonth', ':month': month, ':product': productId },
      }));
      const days = Object.entries(units);
      await this.ctx.doc.send(new UpdateCommand({
        TableName: this.ctx.tableName, Key,
        UpdateExpression: `SET ${days.map((_, i) => `units.#d${i} = :u${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(days.map(([day], i) => [`#d${i}`, day])),
        ExpressionAttributeValues: Object.fromEntries(days.map(([, u], i) => [`:u${i}`, u])),
      }));
    };
    const queue = [...months];
    await Promise.all(Array.from({ length: Math.min(16, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await updateMonth(next);
    }));
    const calendar = await this.ctx.doc.send(new GetCommand({ TableName: this.ctx.tableName, Key: keys.calendar(tenantId) }));
    const merge = (stored: unknown, added: readonly string[] = []) => [...new Set([...((stored as string[] | undefined) ?? []), ...added])].sort();
    await this.ctx.doc.send(new PutCommand({
      TableName: this.ctx.tableName,
      Item: {
        ...keys.calendar(tenantId), type: 'Calendar',
        closedDates: merge(calendar.Item?.closedDates, history.closedDates),
        holidays: merge(calendar.Item?.holidays, history.holidays),
      },
    }));
  }

  async getSales(tenantId: string, from: LocalDate, to: LocalDate): Promise<SalesHistory> {
    const [items, calendar] = await Promise.all([
      queryAll(this.ctx, {
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.tenantPartition(tenantId),
          ':from': keys.salesMonthBound(from.slice(0, 7)),
          ':to': `${keys.salesMonthBound(to.slice(0, 7))}#\uffff`,
        },
      }),
      this.ctx.doc.send(new GetCommand({ TableName: this.ctx.tableName, Key: keys.calendar(tenantId) })),
    ]);
    const history: SalesHistory = {
      unitsByProduct: {},
      closedDates: ((calendar.Item?.closedDates as string[] | undefined) ?? []).filter((d) => d >= from && d <= to),
      // Holidays are returned whole: forecasts need the coming ones too.
      holidays: (calendar.Item?.holidays as string[] | undefined) ?? [],
    };
    for (const item of items) {
      const productId = String(item.productId);
      const byDate = (history.unitsByProduct[productId] ??= {});
      for (const [day, units] of Object.entries(item.units as Record<string, number>)) {
        const date = `${String(item.month)}-${day}`;
        if (date >= from && date <= to) byDate[date] = Number(units);
      }
    }
    return history;
  }
}
