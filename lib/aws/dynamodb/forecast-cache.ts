// The forecast cache: one item per tenant and forecast date holding every product's forecast for that
// date (gzip-compressed JSON, productId → forecast: a third of its size), expiring (TTL) at the
// tenant-local midnight after the date. A planning run reads its week in one BatchGetItem of seven
// small items and writes only the dates it computed, merging with what the date already holds under a
// version check. DynamoDB deletes expired items late, so reads treat an item past its expiry as missing.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DemandForecast } from '../../domain.ts';
import type { CacheStats, ForecastCache, ForecastKey } from '../../ports.ts';
import { endOfLocalDayEpochSeconds, type LocalDate } from '../../time/tenant-clock.ts';
import { batchGetAll, batchWriteAll, conditionalWrite, queryAll, send, type TableContext } from './client.ts';
import { packJson, unpackJson } from './packed-json.ts';
import { keys, TTL_ATTRIBUTE } from './table-layout.ts';

type DateItem = { PK: string; SK: string; data?: Uint8Array; version?: number; [TTL_ATTRIBUTE]?: number };
type ByProduct = Record<string, DemandForecast>;

/** The date's forecasts by product id, in a record without a prototype (product ids are user data). */
const decode = (item: DateItem | undefined): ByProduct =>
  Object.assign(Object.create(null) as ByProduct, item?.data ? unpackJson<ByProduct>(item.data) : {});

export class DynamoForecastCache implements ForecastCache {
  constructor(private readonly ctx: TableContext) {}

  async getMany(tenantId: string, forecastKeys: readonly ForecastKey[], now: Date): Promise<DemandForecast[]> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const dates = [...new Set(forecastKeys.map((k) => k.forecastDate))];
    const items = (await batchGetAll(
      this.ctx,
      dates.map((date) => keys.forecastDate(tenantId, date)),
    )) as DateItem[];
    const byDate = new Map(
      items
        .filter((item) => Number(item[TTL_ATTRIBUTE]) > nowSeconds)
        .map((item) => [keys.forecastDateOf(item.SK), decode(item)]),
    );
    return forecastKeys.flatMap((k) => {
      const forecasts = byDate.get(k.forecastDate);
      return forecasts && Object.hasOwn(forecasts, k.productId) ? [forecasts[k.productId]!] : [];
    });
  }

  /** Adds or replaces the given products' forecasts on each date's item; other products' stay. */
  async putMany(tenantId: string, timezone: string, forecasts: readonly DemandForecast[]): Promise<void> {
    const byDate = new Map<LocalDate, DemandForecast[]>();
    for (const f of forecasts) byDate.set(f.forecastDate, [...(byDate.get(f.forecastDate) ?? []), f]);
    await Promise.all(
      [...byDate].map(([date, list]) => this.putDate(tenantId, date, list, endOfLocalDayEpochSeconds(date, timezone))),
    );
  }

  private async putDate(
    tenantId: string,
    date: LocalDate,
    forecasts: readonly DemandForecast[],
    expiresAt: number,
  ): Promise<void> {
    await this.rewriteDate(
      tenantId,
      date,
      (stored) => {
        for (const f of forecasts) stored[f.productId] = f;
        return stored;
      },
      expiresAt,
    );
  }

  /** Read, change and write back one date's item, conditional on the version read (a concurrent writer makes it read again). */
  private async rewriteDate(
    tenantId: string,
    date: LocalDate,
    change: (stored: ByProduct) => ByProduct | null,
    expiresAt?: number,
  ): Promise<void> {
    const Key = keys.forecastDate(tenantId, date);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const current = (
        await send(this.ctx, new GetCommand({ TableName: this.ctx.tableName, Key, ConsistentRead: true }))
      ).Item as DateItem | undefined;
      const next = change(decode(current));
      if (next === null) return;
      const written = await conditionalWrite(
        this.ctx,
        new PutCommand({
          TableName: this.ctx.tableName,
          Item: {
            ...Key,
            type: 'ForecastDate',
            data: packJson(next),
            version: (current?.version ?? 0) + 1,
            [TTL_ATTRIBUTE]: expiresAt ?? current?.[TTL_ATTRIBUTE],
          },
          ...(current
            ? { ConditionExpression: 'version = :seen', ExpressionAttributeValues: { ':seen': current.version ?? 0 } }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        }),
      );
      if (written) return;
    }
    throw new Error(`The forecast cache item of ${date} for tenant ${tenantId} kept changing; not cached this time.`);
  }

  async recordLookups(tenantId: string, hits: number, misses: number, failures: number): Promise<void> {
    await send(
      this.ctx,
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: keys.cacheStats(tenantId),
        UpdateExpression: 'ADD hits :hits, misses :misses, failures :failures SET #type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':hits': hits, ':misses': misses, ':failures': failures, ':type': 'CacheStats' },
      }),
    );
  }

  private dateItems(tenantId: string): Promise<DateItem[]> {
    return queryAll(this.ctx, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenantPartition(tenantId), ':prefix': keys.forecastPrefix },
    }) as Promise<DateItem[]>;
  }

  async invalidateProduct(tenantId: string, productId: string): Promise<number> {
    const holding = (await this.dateItems(tenantId)).filter((item) => Object.hasOwn(decode(item), productId));
    await Promise.all(
      holding.map((item) =>
        this.rewriteDate(tenantId, keys.forecastDateOf(item.SK), (stored) => {
          if (!Object.hasOwn(stored, productId)) return null;
          delete stored[productId];
          return stored;
        }),
      ),
    );
    return holding.length;
  }

  async invalidateTenant(tenantId: string): Promise<number> {
    const items = await this.dateItems(tenantId);
    await batchWriteAll(
      this.ctx,
      items.map((item) => ({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } })),
    );
    return items.reduce((total, item) => total + Object.keys(decode(item)).length, 0);
  }

  async stats(tenantId: string, now: Date): Promise<CacheStats> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const [items, counters] = await Promise.all([
      this.dateItems(tenantId),
      send(this.ctx, new GetCommand({ TableName: this.ctx.tableName, Key: keys.cacheStats(tenantId) })),
    ]);
    const hits = Number(counters.Item?.hits ?? 0);
    const misses = Number(counters.Item?.misses ?? 0);
    return {
      entries: items
        .filter((item) => Number(item[TTL_ATTRIBUTE]) > nowSeconds)
        .reduce((total, item) => total + Object.keys(decode(item)).length, 0),
      hits,
      misses,
      hitRate: hits + misses > 0 ? hits / (hits + misses) : null,
      failures: Number(counters.Item?.failures ?? 0),
    };
  }
}
