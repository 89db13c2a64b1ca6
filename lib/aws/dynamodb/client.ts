// The document client, and batch helpers that keep retrying what DynamoDB leaves unprocessed.
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { jobCallOptions } from '../../job-signal.ts';
import { forgetWritten, getFromReadSet, readAhead, rememberReads } from './job-reads.ts';
import { TTL_ATTRIBUTE, tableDefinition } from './table-layout.ts';

export interface TableContext {
  doc: DynamoDBDocumentClient;
  tableName: string;
}

/** A GetCommand's answer: the item's attributes, read as what the adapter wrote. */
export interface GetAnswer {
  Item?: Record<string, unknown>;
}

/**
 * Sends a command; `T` is its answer (the document client types it per command class, which this
 * wrapper does not see; a GetCommand's by default). Within a tenant job the call is tied to the job's
 * budget (a spent budget aborts it in flight), a read of an item the job read ahead is answered from
 * its read set, and a write drops the items it changes from that set.
 */
export function send<T = GetAnswer>(ctx: TableContext, command: object): Promise<T> {
  const known = getFromReadSet(command);
  if (known) return Promise.resolve(known as T);
  forgetWritten(command);
  return ctx.doc.send(command as never, jobCallOptions()) as Promise<T>;
}

/** Sends a write that carries a condition: true when it was written, false when the condition did not hold. */
export async function conditionalWrite(ctx: TableContext, command: object): Promise<boolean> {
  try {
    await send(ctx, command);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export function documentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

const MAX_ATTEMPTS = 8;
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/** Writes every request, 25 per call, retrying unprocessed items with backoff. */
export async function batchWriteAll(ctx: TableContext, requests: readonly WriteRequest[]): Promise<void> {
  for (const chunk of chunks(requests, 25)) {
    let pending: WriteRequest[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${MAX_ATTEMPTS} attempts.`);
      if (attempt > 0) await pause(attempt);
      const result = await send<{ UnprocessedItems?: Record<string, unknown[]> }>(
        ctx,
        new BatchWriteCommand({ RequestItems: { [ctx.tableName]: pending } }),
      );
      pending = (result.UnprocessedItems?.[ctx.tableName] ?? []) as WriteRequest[];
    }
  }
}

/**
 * Reads every key, 100 per call, retrying unprocessed keys with backoff. Within a tenant job, keys the
 * job read ahead are answered from its read set, and whole items read are remembered in it.
 */
export async function batchGetAll(
  ctx: TableContext,
  keyList: readonly Record<string, unknown>[],
  projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } = {},
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const toRead: Record<string, unknown>[] = [];
  for (const key of keyList) {
    const known = readAhead(ctx.tableName, key);
    if (known === undefined) toRead.push(key);
    else if (known) items.push(known);
  }
  const readFrom = items.length;
  for (const chunk of chunks(toRead, 100)) {
    let pending: Record<string, unknown>[] = chunk;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`DynamoDB left ${pending.length} reads unprocessed after ${MAX_ATTEMPTS} attempts.`);
      if (attempt > 0) await pause(attempt);
      const result = await send<{
        Responses?: Record<string, Record<string, unknown>[]>;
        UnprocessedKeys?: Record<string, { Keys?: unknown[] }>;
      }>(ctx, new BatchGetCommand({ RequestItems: { [ctx.tableName]: { Keys: pending, ...projection } } }));
      items.push(...(result.Responses?.[ctx.tableName] ?? []));
      pending = (result.UnprocessedKeys?.[ctx.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  if (!projection.ProjectionExpression) rememberReads(ctx.tableName, toRead, items.slice(readFrom));
  return items;
}

/** Every item of a query, following pagination. */
export async function queryAll(
  ctx: TableContext,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await send<{ Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> }>(
      ctx,
      new QueryCommand({ ...input, TableName: ctx.tableName, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/**
 * Up to `limit` items of a query, following DynamoDB's own pages, and an opaque cursor to go on from
 * (none when the query is done).
 */
export async function queryPage(
  ctx: TableContext,
  input: Omit<QueryCommandInput, 'TableName'>,
  limit: number,
  cursor?: string,
): Promise<{ items: Record<string, unknown>[]; cursor?: string }> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey = cursor ? (JSON.parse(cursor) as Record<string, unknown>) : undefined;
  do {
    const page = await send<{ Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> }>(
      ctx,
      new QueryCommand({ ...input, TableName: ctx.tableName, ExclusiveStartKey, Limit: limit - items.length }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && items.length < limit);
  return ExclusiveStartKey ? { items, cursor: JSON.stringify(ExclusiveStartKey) } : { items };
}

/** Creates the table (and turns on TTL) unless it exists: for DynamoDB Local and tests. Returns its stream's ARN. */
export async function ensureTable(ctx: TableContext): Promise<string> {
  try {
    await ctx.doc.send(new CreateTableCommand(tableDefinition(ctx.tableName)));
    await ctx.doc.send(
      new UpdateTimeToLiveCommand({
        TableName: ctx.tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const { Table } = await ctx.doc.send(new DescribeTableCommand({ TableName: ctx.tableName }));
  if (!Table?.LatestStreamArn)
    throw new Error(`Table ${ctx.tableName} has no stream; the event relay needs one (NEW_AND_OLD_IMAGES).`);
  return Table.LatestStreamArn;
}
