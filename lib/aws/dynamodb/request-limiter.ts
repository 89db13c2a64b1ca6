// Per-key request limits in fixed windows: one small counter item per key and window, incremented only
// while under the limit (one conditional UpdateItem a request), gone by TTL a minute after its window.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RequestLimiter } from '../../ports.ts';
import { conditionalWrite, type TableContext } from './client.ts';
import { keys, TTL_ATTRIBUTE } from './table-layout.ts';

export class DynamoRequestLimiter implements RequestLimiter {
  constructor(private readonly ctx: TableContext) {}

  async take(key: string, requests: number, windowSeconds: number, now: Date) {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % windowSeconds);
    const windowEnd = windowStart + windowSeconds;
    const counted = await conditionalWrite(
      this.ctx,
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: keys.requestWindow(key, windowStart),
        UpdateExpression: 'ADD #count :one SET #ttl = :expires',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
        ExpressionAttributeNames: { '#count': 'requests', '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: { ':one': 1, ':limit': requests, ':expires': windowEnd + 60 },
      }),
    );
    return counted
      ? { allowed: true as const }
      : { allowed: false as const, retryAfterSeconds: Math.max(1, windowEnd - nowSeconds) };
  }
}
