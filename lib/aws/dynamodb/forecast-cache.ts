// The forecast cache: one item per tenant, product and forecast date, expiring (TTL) at the
// tenant-local midnight after the forecast date. DynamoDB deletes expired items late, so reads treat
// an item past its expiry as missing.
import { UpdateCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DemandForecast } from '../../domain.ts';
import type { CacheStats, ForecastCache, ForecastKey } from '../../ports.ts';
import { endOfLocalDayEpochSeconds } from '../../time/tenant-clock.ts';
import { batchGetAll, batchWriteAll, queryAll, send, type TableContext } from './client.ts';
import { keys, TTL_ATTRIBUTE } from './table-layout.ts';

export class DynamoForecastCache implements ForecastCache {
  constructor(private readonly ctx: TableContext) {}

  async getMany(tenantId: string, forecastKeys: readonly ForecastKey[], now: Date): Promise<DemandForecast[]> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const items = await batchGetAll(this.ctx, forecastKeys.map((k) => keys.forecast(tenantId, k.forecastDate, k.productId)));
    return items.filter((item) => Number(item[TTL_ATTRIBUTE]) > nowSeconds).map((item) => item.forecast as DemandForecast);
  }

  async putMany(tenantId: string, timezone: string, forecasts: readonly DemandForecast[]): Promise<void> {
    await batchWriteAll(
      this.ctx,
      forecasts.map((forecast) => ({
        PutRequest: {
          Item: {
            ...keys.forecast(tenantId, forecast.forecastDate, forecast.productId),
            type: 'Forecast',
            productId: forecast.productId,
            forecast,
            [TTL_ATTRIBUTE]: endOfLocalDayEpochSeconds(forecast.forecastDate, timezone),
          },
        },
      })),
    );
  }

  async recordLookups(tenantId: string, hits: number, misses: number, failures: number): Promise<void> {
    await send(this.ctx, 
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: keys.cacheStats(tenantId),
        UpdateExpression: 'ADD hits :hits, misses :misses, failures :failures SET #type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':hits': hits, ':misses': misses, ':failures': failures, ':type': 'CacheStats' },
      }),
    );
  }

  private async entries(tenantId: string, productId?: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.ctx, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ...(productId ? { FilterExpression: 'productId = :product' } : {}),
      ProjectionExpression: 'PK, SK, #ttl',
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: {
        ':pk': keys.tenantPartition(tenantId),
        ':prefix': keys.forecastPrefix,
        ...(productId ? { ':product': productId } : {}),
      },
    });
  }

  private async deleteAll(items: Record<string, unknown>[]): Promise<number> {
    await batchWriteAll(this.ctx, items.map((item) => ({ DeleteRequest: { Key: { PK: item.PK, SK: item.SK } } })));
    return items.length;
  }

  async invalidateProduct(tenantId: string, productId: string): Promise<number> {
    return this.deleteAll(await this.entries(tenantId, productId));
  }

  async invalidateTenant(tenantId: string): Promise<number> {
    return this.deleteAll(await this.entries(tenantId));
  }

  async stats(tenantId: string, now: Date): Promise<CacheStats> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const [entries, counters] = await Promise.all([
      this.entries(tenantId),
      send(this.ctx, new GetCommand({ TableName: this.ctx.tableName, Key: keys.cacheStats(tenantId) })),
    ]);
    const hits = Number(counters.Item?.hits ?? 0);
    const misses = Number(counters.Item?.misses ?? 0);
    return {
      entries: entries.filter((item) => Number(item[TTL_ATTRIBUTE]) > nowSeconds).length,
      hits,
      misses,
      hitRate: hits + misses > 0 ? hits / (hits + misses) : null,
      failures: Number(counters.Item?.failures ?? 0),
    };
  }
}
