// Webhook endpoints (one item each under the tenant, secrets sealed) and their delivery log (one small
// item per attempt, sorted by endpoint and time, gone by TTL after 30 days).
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PlanEvent } from '../../events/catalogue.ts';
import type { DeliveryAttempt, WebhookStore } from '../../ports.ts';
import type { WebhookEndpoint } from '../../webhooks/endpoint.ts';
import { conditionalWrite, queryAll, queryPage, send, type TableContext } from './client.ts';
import { keys, TTL_ATTRIBUTE } from './table-layout.ts';

const LOG_RETENTION_DAYS = 30;

const endpointOf = (item: Record<string, unknown>): WebhookEndpoint => {
  const { PK: _pk, SK: _sk, type: _type, events: _events, ...endpoint } = item;
  return endpoint as unknown as WebhookEndpoint;
};

export class DynamoWebhookStore implements WebhookStore {
  constructor(private readonly ctx: TableContext) {}

  async list(tenantId: string): Promise<WebhookEndpoint[]> {
    const items = await queryAll(this.ctx, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenantPartition(tenantId), ':prefix': keys.webhookPrefix },
    });
    return items.map(endpointOf);
  }

  async get(tenantId: string, endpointId: string): Promise<WebhookEndpoint | null> {
    const { Item } = await send(
      this.ctx,
      new GetCommand({
        TableName: this.ctx.tableName,
        Key: keys.webhook(tenantId, endpointId),
        ConsistentRead: true,
      }),
    );
    return Item ? endpointOf(Item) : null;
  }

  put(endpoint: WebhookEndpoint, expectedRevision?: number, events: readonly PlanEvent[] = []): Promise<boolean> {
    return conditionalWrite(
      this.ctx,
      new PutCommand({
        TableName: this.ctx.tableName,
        Item: {
          ...keys.webhook(endpoint.tenantId, endpoint.endpointId),
          type: 'WebhookEndpoint',
          ...endpoint,
          ...(events.length ? { events } : {}),
        },
        ...(expectedRevision === undefined
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : {
              ConditionExpression: 'revision = :expected',
              ExpressionAttributeValues: { ':expected': expectedRevision },
            }),
      }),
    );
  }

  remove(tenantId: string, endpointId: string): Promise<boolean> {
    return conditionalWrite(
      this.ctx,
      new DeleteCommand({
        TableName: this.ctx.tableName,
        Key: keys.webhook(tenantId, endpointId),
        ConditionExpression: 'attribute_exists(PK)',
      }),
    );
  }

  async markOutcome(tenantId: string, endpointId: string, delivered: boolean, at: string): Promise<void> {
    // Only when it changes something: a success clears the failing clock, a first failure starts it.
    await conditionalWrite(
      this.ctx,
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: keys.webhook(tenantId, endpointId),
        ...(delivered
          ? {
              UpdateExpression: 'REMOVE failingSince',
              ConditionExpression: 'attribute_exists(PK)',
            }
          : {
              UpdateExpression: 'SET failingSince = :at',
              ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(failingSince)',
            }),
        ...(delivered ? {} : { ExpressionAttributeValues: { ':at': at } }),
      }),
    );
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    await send(
      this.ctx,
      new PutCommand({
        TableName: this.ctx.tableName,
        Item: {
          ...keys.webhookAttempt(attempt.tenantId, attempt.endpointId, attempt.at, attempt.eventId, attempt.attempt),
          type: 'WebhookAttempt',
          ...attempt,
          [TTL_ATTRIBUTE]: Math.floor(Date.parse(attempt.at) / 1000) + LOG_RETENTION_DAYS * 86_400,
        },
      }),
    );
  }

  async takeSlot(tenantId: string, endpointId: string, slots: number, now: Date, until: Date): Promise<number | null> {
    const order = Array.from({ length: slots }, (_, i) => i).sort(() => Math.random() - 0.5);
    for (const slot of order) {
      const taken = await conditionalWrite(
        this.ctx,
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: keys.webhookSlots(tenantId, endpointId),
          UpdateExpression: 'SET #slot = :until, #ttl = :expires',
          ConditionExpression: 'attribute_not_exists(#slot) OR #slot < :now',
          ExpressionAttributeNames: { '#slot': `s${slot}`, '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':until': until.getTime(),
            ':now': now.getTime(),
            ':expires': Math.floor(until.getTime() / 1000) + 86_400,
          },
        }),
      );
      if (taken) return slot;
    }
    return null;
  }

  async releaseSlot(tenantId: string, endpointId: string, slot: number, until: Date): Promise<void> {
    await conditionalWrite(
      this.ctx,
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: keys.webhookSlots(tenantId, endpointId),
        UpdateExpression: 'REMOVE #slot',
        ConditionExpression: '#slot = :until',
        ExpressionAttributeNames: { '#slot': `s${slot}` },
        ExpressionAttributeValues: { ':until': until.getTime() },
      }),
    );
  }

  async attempts(
    tenantId: string,
    endpointId: string,
    options: { from?: string; to?: string; limit: number },
  ): Promise<DeliveryAttempt[]> {
    const { items } = await queryPage(
      this.ctx,
      {
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.tenantPartition(tenantId),
          ':from': keys.webhookAttemptBound(endpointId, options.from ?? ''),
          ':to': keys.webhookAttemptBound(endpointId, `${options.to ?? '9999'}~`),
        },
        ScanIndexForward: false,
      },
      options.limit,
    );
    return items.map(
      ({ PK: _pk, SK: _sk, type: _type, [TTL_ATTRIBUTE]: _ttl, ...attempt }) => attempt as unknown as DeliveryAttempt,
    );
  }
}
