// A tenant's catalog, stock, sales history and daily drivers (and the refit claims, and models stored
// here by earlier versions: models now live in S3). The catalog, the stock and the drivers are whole
// snapshots (snapshot-store.ts); sales are one packed item per month holding every product, so a daily
// import is one read and one write and a planning run reads a year of history with one query of twelve
// items.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Catalog, DailyDrivers, SalesHistory, StockSnapshot } from '../../domain.ts';
import type { PlanEvent } from '../../events/catalogue.ts';
import { fromModelDocument, type TenantModelDocument } from '../../forecasting/model-document.ts';
import type { TenantModel } from '../../forecasting/tenant-model.ts';
import { mergeDrivers } from '../../input/drivers-csv.ts';
import { entryOf, userKeyedRecord } from '../../input/grammar.ts';
import type { DailyActual } from '../../planning/actuals.ts';
import type { PlanQualitySummary } from '../../planning/plan-quality.ts';
import type { ActualsStore, CatalogStore, DriverStore, SalesStore, StockStore } from '../../ports.ts';
import { type LocalDate, localTimeOf, minutesOf } from '../../time/tenant-clock.ts';
import { batchGetAll, conditionalWrite, queryAll, send, type TableContext } from './client.ts';
import { packJson, unpackJson } from './packed-json.ts';
import { readSnapshot, updateSnapshot, writeSnapshot } from './snapshot-store.ts';
import { keys, TTL_ATTRIBUTE } from './table-layout.ts';

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

/** A month of a tenant's sales: per product, units sold on day 1…31 (null: not recorded or closed). */
/** One month of every product, packed: a slot per day (null: nothing recorded). */
type PackedMonth<T> = Record<string, (T | null)[]>;
type PackedSalesMonth = PackedMonth<number>;
/** The sales month's sold-out days, per product (day numbers), under a key no product id can be. */
const SOLD_OUT_KEY = '#soldOut';
type PackedSoldOut = Record<string, number[]>;
/** A change a write makes to a month item beside its day slots (the sales' sold-out flags). */
type Amend<T> = (stored: Record<string, unknown>, month: string, products: Map<string, Map<number, T>>) => void;
/** sold, leftover, carriedOver, minutes after midnight it sold out (null: it did not). */
type ActualSlot = [number, number, number, number | null];

/** Read-and-write-back attempts of one month before an import gives up (only concurrent imports race). */
const SALES_MERGE_ATTEMPTS = 12;

export class DynamoBakeryDataStore implements CatalogStore, StockStore, SalesStore, DriverStore, ActualsStore {
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

  claimRefitRequest(tenantId: string, now: Date, notBefore: Date): Promise<boolean> {
    return conditionalWrite(
      this.ctx,
      new PutCommand({
        TableName: this.ctx.tableName,
        Item: {
          ...keys.refitRequest(tenantId),
          type: 'RefitRequest',
          requestedAt: now.toISOString(),
          [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + 86_400,
        },
        ConditionExpression: 'attribute_not_exists(PK) OR requestedAt < :notBefore',
        ExpressionAttributeValues: { ':notBefore': notBefore.toISOString() },
      }),
    );
  }

  /** A model stored on the table by earlier versions (models now live in S3: s3-model-store.ts). */
  async getSnapshotModel(tenantId: string): Promise<TenantModel | null> {
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
   * days in it are overwritten. A month of every product is one packed item, read and written back
   * conditionally on the revision read (retried on a race), so concurrent imports of different days
   * never lose each other's data and a daily import of any number of products is a read and a write.
   */
  async putSales(tenantId: string, history: SalesHistory, reopenedDates: readonly LocalDate[] = []): Promise<void> {
    const soldOut = history.soldOut;
    await this.mergeMonths(
      (month) => keys.salesMonth(tenantId, month),
      'SalesMonth',
      Object.entries(history.unitsByProduct).flatMap(([productId, byDate]) =>
        Object.entries(byDate).map(([date, units]) => ({ productId, date, slot: units })),
      ),
      // With sold-out days (an actuals write), the flags of every day written are set or cleared.
      soldOut &&
        ((stored, month, products) => {
          const flags: PackedSoldOut = Object.assign(
            userKeyedRecord<number[]>(),
            stored[SOLD_OUT_KEY] as PackedSoldOut,
          );
          for (const [productId, days] of products) {
            const out = new Set(soldOut[productId] ?? []);
            const kept = (flags[productId] ?? []).filter((day) => !days.has(day));
            const added = [...days.keys()].filter((day) => out.has(`${month}-${String(day).padStart(2, '0')}`));
            flags[productId] = [...kept, ...added].sort((a, b) => a - b);
            if (flags[productId]!.length === 0) delete flags[productId];
          }
          stored[SOLD_OUT_KEY] = flags;
        }),
    );
    await this.updateCalendar(tenantId, history.closedDates, history.holidays ?? [], reopenedDates);
  }

  /**
   * Days' actuals in month items like the sales': one packed item per month of every product, a slot
   * per day (`[sold, leftover, carriedOver, soldOutMinutes | null]`); a (date, product) given replaces
   * the stored one, the others are kept.
   */
  async putActuals(tenantId: string, actuals: readonly DailyActual[]): Promise<void> {
    await this.mergeMonths(
      (month) => keys.actualsMonth(tenantId, month),
      'ActualsMonth',
      actuals.map((a) => ({
        productId: a.productId,
        date: a.date,
        slot: [a.sold, a.leftover, a.carriedOver, a.soldOutAt === undefined ? null : minutesOf(a.soldOutAt)],
      })),
    );
  }

  async getActuals(tenantId: string, from: LocalDate, to: LocalDate): Promise<DailyActual[]> {
    const items = await this.monthItems((month) => keys.actualsMonth(tenantId, month), from, to);
    const actuals: DailyActual[] = [];
    for (const item of items) {
      for (const [productId, slots] of Object.entries(unpackJson<PackedMonth<ActualSlot>>(item.data as Uint8Array))) {
        slots.forEach((slot, i) => {
          const date = `${String(item.month)}-${String(i + 1).padStart(2, '0')}`;
          if (slot === null || date < from || date > to) return;
          const [sold, leftover, carriedOver, soldOut] = slot;
          actuals.push({
            productId,
            date,
            sold,
            leftover,
            carriedOver,
            ...(soldOut === null ? {} : { soldOutAt: localTimeOf(soldOut) }),
          });
        });
      }
    }
    return actuals.sort((a, b) => a.date.localeCompare(b.date) || a.productId.localeCompare(b.productId));
  }

  async putQuality(tenantId: string, quality: PlanQualitySummary, event?: PlanEvent): Promise<void> {
    // One item a day: a correction replaces it, and it carries the day's event.
    await send(
      this.ctx,
      new PutCommand({
        TableName: this.ctx.tableName,
        Item: {
          ...keys.qualityDay(tenantId, quality.date),
          type: 'PlanQualityDay',
          quality,
          ...(event ? { events: [event] } : {}),
        },
      }),
    );
  }

  /**
   * The kept summaries from `from` to `to`: a single day by key (a job's read set may hold it), a range
   * in one query. Days kept in the earlier month items are read too; a day item wins over them.
   */
  async getQuality(tenantId: string, from: LocalDate, to: LocalDate): Promise<PlanQualitySummary[]> {
    const items =
      from === to
        ? await batchGetAll(this.ctx, [keys.qualityDay(tenantId, from), keys.qualityMonth(tenantId, from.slice(0, 7))])
        : await queryAll(this.ctx, {
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': keys.qualityDay(tenantId, from).PK,
              ':from': keys.qualityMonth(tenantId, from.slice(0, 7)).SK,
              ':to': keys.qualityDay(tenantId, to).SK,
            },
          });
    const byDate = new Map<LocalDate, PlanQualitySummary>();
    for (const item of items)
      if (item.type !== 'PlanQualityDay')
        for (const [name, quality] of Object.entries(item))
          if (/^d\d\d$/.test(name)) byDate.set((quality as PlanQualitySummary).date, quality as PlanQualitySummary);
    for (const item of items)
      if (item.type === 'PlanQualityDay')
        byDate.set((item.quality as PlanQualitySummary).date, item.quality as PlanQualitySummary);
    return [...byDate.values()]
      .filter((q) => q.date >= from && q.date <= to)
      .sort((a, b) => a.date.localeCompare(b.date));
  }

  /** The month items (of one kind, by its key) of the months from `from` to `to`, read by key (a job's read set may hold them). */
  private monthItems(keyOf: (month: string) => Record<string, string>, from: LocalDate, to: LocalDate) {
    const months: string[] = [];
    for (let month = from.slice(0, 7); month <= to.slice(0, 7); month = nextMonth(month)) months.push(month);
    return batchGetAll(this.ctx, months.map(keyOf));
  }

  /** Writes day slots into their month items, eight months at a time. */
  private async mergeMonths<T>(
    keyOf: (month: string) => Record<string, string>,
    type: string,
    slots: readonly { productId: string; date: LocalDate; slot: T }[],
    amend?: Amend<T>,
  ): Promise<void> {
    const months = new Map<string, Map<string, Map<number, T>>>();
    for (const { productId, date, slot } of slots) {
      const month = months.get(date.slice(0, 7)) ?? new Map<string, Map<number, T>>();
      months.set(date.slice(0, 7), month);
      const days = month.get(productId) ?? new Map<number, T>();
      month.set(productId, days);
      days.set(Number(date.slice(8, 10)), slot);
    }
    const pending = [...months];
    await Promise.all(
      Array.from({ length: Math.min(8, pending.length) }, async () => {
        for (let next = pending.shift(); next; next = pending.shift())
          await this.mergeMonth(keyOf(next[0]), type, next[0], next[1], amend);
      }),
    );
  }

  /**
   * Adds day slots to one month item: days already stored and not given are kept, days given are
   * overwritten. The month of every product is one packed item, read and written back conditionally on
   * the revision read (retried on a race), so concurrent imports of different days never lose each
   * other's data and a daily import of any number of products is a read and a write.
   */
  private async mergeMonth<T>(
    Key: Record<string, string>,
    type: string,
    month: string,
    products: Map<string, Map<number, T>>,
    amend?: Amend<T>,
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const { Item } = await send(
        this.ctx,
        new GetCommand({ TableName: this.ctx.tableName, Key, ConsistentRead: true }),
      );
      // Null-prototype: product ids are the tenant's own words ("constructor" is a valid one).
      const stored: PackedMonth<T> = Object.assign(
        userKeyedRecord<(T | null)[]>(),
        Item ? unpackJson<PackedMonth<T>>(Item.data as Uint8Array) : {},
      );
      for (const [productId, days] of products) {
        const slots = stored[productId] ?? Array.from({ length: 31 }, () => null);
        stored[productId] = slots;
        for (const [day, slot] of days) slots[day - 1] = slot;
      }
      amend?.(stored as Record<string, unknown>, month, products);
      const revision = Number(Item?.revision ?? 0);
      try {
        await send(
          this.ctx,
          new PutCommand({
            TableName: this.ctx.tableName,
            Item: { ...Key, type, month, revision: revision + 1, data: packJson(stored) },
            ConditionExpression: Item ? 'revision = :seen' : 'attribute_not_exists(PK)',
            ...(Item ? { ExpressionAttributeValues: { ':seen': revision } } : {}),
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= SALES_MERGE_ATTEMPTS) throw error;
        // Another import wrote the month meanwhile: read it again after a jittered pause.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** Math.min(attempt, 6)));
      }
    }
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
      if (used.length === 0) return;
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
    const add = (productId: string, date: LocalDate, units: number) => {
      if (date >= from && date <= to) entryOf(history.unitsByProduct, productId)[date] = units;
    };
    // Items of the earlier layout (one per product and month, a map day → units) first; the packed months win.
    for (const item of items.filter((i) => i.productId !== undefined)) {
      for (const [day, units] of Object.entries(item.units as Record<string, number>))
        add(String(item.productId), `${String(item.month)}-${day}`, Number(units));
    }
    for (const item of items.filter((i) => i.data !== undefined)) {
      const { [SOLD_OUT_KEY]: flags, ...packed } = unpackJson<PackedSalesMonth & { [SOLD_OUT_KEY]?: PackedSoldOut }>(
        item.data as Uint8Array,
      );
      const day = (i: number) => `${String(item.month)}-${String(i).padStart(2, '0')}`;
      for (const [productId, days] of Object.entries(flags ?? {})) {
        const inRange = days.map(day).filter((date) => date >= from && date <= to);
        if (inRange.length === 0) continue;
        const soldOut = history.soldOut ?? userKeyedRecord<LocalDate[]>();
        soldOut[productId] = inRange;
        history.soldOut = soldOut;
      }
      for (const [productId, slots] of Object.entries(packed as PackedSalesMonth)) {
        slots.forEach((units, i) => {
          if (units !== null) add(productId, day(i + 1), units);
        });
      }
    }
    return history;
  }
}

/** The month after a "YYYY-MM" month. */
function nextMonth(month: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
}
