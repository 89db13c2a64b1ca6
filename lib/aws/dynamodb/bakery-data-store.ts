// A tenant's catalog, stock, sales history, daily drivers and fitted forecasting model. The catalog,
// the stock, the drivers and the model are whole snapshots written in one transaction; sales are one item per product and month (a map of day → units), so a planning
// run reads a year of history with a single paginated query.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Catalog, DailyDrivers, SalesHistory, StockSnapshot } from '../../domain.ts';
import { fromModelDocument, type TenantModelDocument, toModelDocument } from '../../forecasting/model-document.ts';
import type { TenantModel } from '../../forecasting/tenant-model.ts';
import { mergeDrivers } from '../../input/drivers-csv.ts';
import { entryOf, userKeyedRecord } from '../../input/grammar.ts';
import type { CatalogStore, DriverStore, ModelStore, SalesStore, StockStore } from '../../ports.ts';
import type { LocalDate } from '../../time/tenant-clock.ts';
import { queryAll, send, type TableContext } from './client.ts';
import { readSnapshot, updateSnapshot, writeSnapshot } from './snapshot-store.ts';
import { keys } from './table-layout.ts';

/** Drivers as stored: JSON has no NaN, so an unknown value is null. */
interface StoredDrivers {
  columns: string[];
  values: Record<string, (number | null)[]>;
}

const storedDrivers = (drivers: DailyDrivers): StoredDrivers => ({
  columns: drivers.columns,
  values: Object.fromEntries(
    Object.entries(drivers.values).map(([date, row]) => [date, row.map((v) => (Number.isFinite(v) ? v : null))]),
  ),
});
const driversOf = (stored: StoredDrivers): DailyDrivers => ({
  columns: stored.columns,
  values: Object.fromEntries(
    Object.entries(stored.values).map(([date, row]) => [date, row.map((v) => v ?? Number.NaN)]),
  ),
});

export class DynamoBakeryDataStore implements CatalogStore, StockStore, SalesStore, ModelStore, DriverStore {
  constructor(private readonly ctx: TableContext) {}

  /** Replaces the tenant's catalog, whole, in one transaction. */
  async putCatalog(tenantId: string, catalog: Catalog): Promise<void> {
    await writeSnapshot(this.ctx, tenantId, 'CATALOG', catalog);
  }

  async getCatalog(tenantId: string): Promise<Catalog> {
    return (
      (await readSnapshot<Catalog>(this.ctx, tenantId, 'CATALOG')) ?? {
        products: [],
        ingredients: [],
        recipes: [],
        suppliers: [],
        equipment: [],
      }
    );
  }

  /** Replaces the tenant's model, whole, in one transaction (a reader sees the old one or the new one). */
  async putModel(tenantId: string, model: TenantModel, fittedAt: Date): Promise<void> {
    await writeSnapshot(this.ctx, tenantId, 'MODEL', toModelDocument(model, fittedAt));
  }

  async getModel(tenantId: string): Promise<TenantModel | null> {
    const document = await readSnapshot<TenantModelDocument>(this.ctx, tenantId, 'MODEL');
    return document ? fromModelDocument(document) : null;
  }

  /** Adds daily drivers: new columns join, imported dates replace those columns' values (a read-modify-write racing writers cannot lose). */
  async putDrivers(tenantId: string, drivers: DailyDrivers): Promise<DailyDrivers> {
    return driversOf(
      await updateSnapshot<StoredDrivers>(this.ctx, tenantId, 'DRIVERS', (previous) =>
        storedDrivers(mergeDrivers(previous ? driversOf(previous) : null, drivers)),
      ),
    );
  }

  async getDrivers(tenantId: string): Promise<DailyDrivers | null> {
    const stored = await readSnapshot<StoredDrivers>(this.ctx, tenantId, 'DRIVERS');
    return stored ? driversOf(stored) : null;
  }

  /** Replaces the tenant's stock with this snapshot, whole, in one transaction. */
  async putStock(tenantId: string, stock: StockSnapshot): Promise<void> {
    await writeSnapshot(this.ctx, tenantId, 'STOCK', { openOrders: [], ...stock });
  }

  async getStock(tenantId: string): Promise<StockSnapshot> {
    return (
      (await readSnapshot<StockSnapshot>(this.ctx, tenantId, 'STOCK')) ?? {
        finishedGoods: [],
        ingredients: [],
        openOrders: [],
      }
    );
  }

  /**
   * Adds sales to the month items, day by day: days already stored and not in this import are kept,
   * days in it are overwritten. Each item is updated in place (no read-modify-write), so concurrent
   * imports of different days never lose each other's data.
   */
  async putSales(tenantId: string, history: SalesHistory, reopenedDates: readonly LocalDate[] = []): Promise<void> {
    // One update per product and month; keyed by the pair itself, never by a joined string.
    const months: { productId: string; month: string; days: Map<string, number> }[] = [];
    for (const [productId, byDate] of Object.entries(history.unitsByProduct)) {
      const byMonth = new Map<string, Map<string, number>>();
      for (const [date, units] of Object.entries(byDate)) {
        const month = date.slice(0, 7);
        if (!byMonth.has(month)) byMonth.set(month, new Map());
        byMonth.get(month)!.set(date.slice(8, 10), units);
      }
      for (const [month, days] of byMonth) months.push({ productId, month, days });
    }
    const updateMonth = async ({ productId, month, days }: (typeof months)[number]) => {
      const Key = keys.salesMonth(tenantId, month, productId);
      await send(
        this.ctx,
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key,
          UpdateExpression:
            'SET units = if_not_exists(units, :empty), #type = :type, #month = :month, productId = :product',
          ExpressionAttributeNames: { '#type': 'type', '#month': 'month' },
          ExpressionAttributeValues: { ':empty': {}, ':type': 'SalesMonth', ':month': month, ':product': productId },
        }),
      );
      const entries = [...days];
      await send(
        this.ctx,
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key,
          UpdateExpression: `SET ${entries.map((_, i) => `units.#d${i} = :u${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(entries.map(([day], i) => [`#d${i}`, day])),
          ExpressionAttributeValues: Object.fromEntries(entries.map(([, u], i) => [`:u${i}`, u])),
        }),
      );
    };
    await Promise.all(
      Array.from({ length: Math.min(16, months.length) }, async () => {
        for (let next = months.shift(); next; next = months.shift()) await updateMonth(next);
      }),
    );
    await this.updateCalendar(tenantId, history.closedDates, history.holidays ?? [], reopenedDates);
  }

  /**
   * Closures and holidays are string sets, added to (and closures removed from) in place: concurrent
   * imports keep each other's dates. DynamoDB takes one action per attribute and update, so reopening
   * is a second update.
   */
  private async updateCalendar(
    tenantId: string,
    closed: readonly LocalDate[],
    holidays: readonly LocalDate[],
    reopened: readonly LocalDate[],
  ): Promise<void> {
    const update = async (action: 'ADD' | 'DELETE', sets: [string, readonly string[]][]) => {
      const used = sets.filter(([, dates]) => dates.length > 0);
      if (action === 'DELETE' && used.length === 0) return;
      await send(
        this.ctx,
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: keys.calendar(tenantId),
          UpdateExpression: `SET #type = :type${used.length ? ` ${action} ${used.map(([name]) => `${name} :${name}`).join(', ')}` : ''}`,
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':type': 'Calendar',
            ...Object.fromEntries(used.map(([name, dates]) => [`:${name}`, new Set(dates)])),
          },
        }),
      );
    };
    await update('ADD', [
      ['closedDates', closed],
      ['holidays', holidays],
    ]);
    await update('DELETE', [['closedDates', reopened]]);
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
      send(this.ctx, new GetCommand({ TableName: this.ctx.tableName, Key: keys.calendar(tenantId) })),
    ]);
    const dates = (stored: unknown): LocalDate[] => [...((stored as Iterable<string> | undefined) ?? [])].sort();
    const history: SalesHistory = {
      unitsByProduct: userKeyedRecord(),
      closedDates: dates(calendar.Item?.closedDates).filter((d) => d >= from && d <= to),
      // Holidays are returned whole: forecasts need the coming ones too.
      holidays: dates(calendar.Item?.holidays),
    };
    for (const item of items) {
      const productId = String(item.productId);
      const byDate = entryOf(history.unitsByProduct, productId);
      for (const [day, units] of Object.entries(item.units as Record<string, number>)) {
        const date = `${String(item.month)}-${day}`;
        if (date >= from && date <= to) byDate[date] = Number(units);
      }
    }
    return history;
  }
}
