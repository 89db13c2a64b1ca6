// The forecast cache: one item per tenant and forecast date holding every product's forecast for that
// date (a map productId → forecast), expiring (TTL) at the tenant-local midnight after the date. A
// planning run reads its week in one BatchGetItem of seven small items and writes only the dates it
// computed. DynamoDB deletes expired items late, so reads treat an item past its expiry as missing.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DemandForecast } from '../../domain.ts';
import type { CacheStats, ForecastCache, ForecastKey } from '../../ports.ts';
import { endOfLocalDayEpochSeconds, type LocalDate } from '../../time/tenant-clock.ts';
import { batchGetAll, batchWriteAll, queryAll, send, type TableContext } from './client.ts';
import { keys, TTL_ATTRIBUTE } from './table-layout.ts';

type DateItem = { PK: string; SK: string; forecasts?: Record<string, DemandForecast>; [TTL_ATTRIBUTE]?: number };

export class DynamoForecastCache implements ForecastCache {
  constructor(private readonly ctx: TableContext) {}

  async getMany(tenantId: string, forecastKeys: readonly ForecastKey[], now: Date): Promise<DemandForecast[]> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const dates = [...new Set(forecastKeys.map((k) => k.forecastDate))];
    const items = (await batchGetAll(this.ctx, dates.map((date) => keys.forecastDate(tenantId, date)))) as DateItem[];
    const byDate = new Map(items.filter((item) => Number(item[TTL_ATTRIBUTE]) > nowSeconds).map((item) => [keys.forecastDateOf(item.SK), item.forecasts ?? {}]));
    return forecastKeys.flatMap((k) => {
      const forecasts = byDate.get(k.forecastDate);
      return forecasts && Object.hasOwn(forecasts, k.productId) ? [forecasts[k.productId]!] : [];
    });
  }

  /** Adds or replaces the given products' forecasts on each date's item; other products' stay. */
  async putMany(tenantId: string, timezone: string, forecasts: readonly DemandForecast[]): Promise<void> {
    const byDate = new Map<LocalDate, DemandForecast[]>();
    for (const f of forecasts) byDate.set(f.forecastDate, [...(byDate.get(f.forecastDate) ?? []), f]);
    await Promise.all([...byDate].map(([date, list]) => this.putDate(tenantId, date, list, endOfLocalDayEpochSeconds(date, timezone))));
  }

  private async putDate(tenantId: string, date: LocalDate, forecasts: readonly DemandForecast[], expiresAt: number): Promise<void> {
    const Key = keys.forecastDate(tenantId, date);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await send(this.ctx, new UpdateCommand({
          TableName: this.ctx.tableName, Key,
          UpdateExpression: `SET ${forecasts.map((_, i) => `forecasts.#p${i} = :f${i}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(forecasts)',
          ExpressionAttributeNames: Object.fromEntries(forecasts.map((f, i) => [`#p${i}`, f.productId])),
          ExpressionAttributeValues: Object.fromEntries(forecasts.map((f, i) => [`:f${i}`, f])),
        }));
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      // No item for the date yet: create it, unless another run just did (then add to it).
      try {
        await send(this.ctx, new PutCommand({
          TableName: this.ctx.tableName,
          Item: { ...Key, type: 'ForecastDate', forecasts: Object.fromEntries(forecasts.map((f) => [f.productId, f])), [TTL_ATTRIBUTE]: expiresAt },
          ConditionExpression: 'attribute_not_exists(PK)',
        }));
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error(`The forecast cache item of ${date} for tenant ${tenantId} kept changing; not cached this time.`);
  }

  async recordLookups(tenantId: string, hits: number, misses: number, failures: number): Promise<void> {
    await send(this.ctx, new UpdateCommand({
      TableName: this.ctx.tableName,
      Key: keys.cacheStats(tenantId),
      UpdateExpression: 'ADD hits :hits, misses :misses, failures :failures SET #type = :type',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':hits': hits, ':misses': misses, ':failures': failures, ':type': 'CacheStats' },
    }));
  }

  private dateItems(tenantId: string): Promise<DateItem[]> {
    return queryAll(this.ctx, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenantPartition(tenantId), ':prefix': keys.forecastPrefix },
    }) as Promise<DateItem[]>;
  }

  async invalidateProduct(tenantId: string, productId: string): Promise<number> {
    const holding = (await this.dateItems(tenantId)).filter((item) => item.forecasts && Object.hasOwn(item.forecasts, productId));
    await Promise.all(holding.map((item) => send(this.ctx, new UpdateCommand({
      TableName: this.ctx.tableName, Key: { PK: item.PK, SK: item.SK },
      UpdateExpression: 'REMOVE forecasts.#p', ExpressionAttributeNames: { '#p': productId },
    }))));
    return holding.length;
  }

  async invalidateTenant(tenantId: string): Promise<number> {
    const items = await this.dateItems(tenantId);
    await batchWriteAll(this.ctx, items.map((item) => ({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } })));
    return items.reduce((total, item) => total + Object.keys(item.forecasts ?? {}).length, 0);
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
      entries: items.filter((item) => Number(item[TTL_ATTRIBUTE]) > nowSeconds).reduce((total, item) => total + Object.keys(item.forecasts ?? {}).length, 0),
      hits,
      misses,
      hitRate: hits + misses > 0 ? hits / (hits + misses) : null,
      failures: Number(counters.Item?.failures ?? 0),
    };
  }
}
