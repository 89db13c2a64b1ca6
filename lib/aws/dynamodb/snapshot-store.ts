// Whole-document snapshots (a tenant's catalog, its stock): gzip-compressed JSON in chunks under a head
// item, all written in one transaction, so a write lands whole or not at all and a reader never sees
// half of one. Cheaper to read than an item per entry: one query of a few kilobytes.

import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { PlannerError } from '../../errors.ts';
import { queryAll, send, type TableContext } from './client.ts';
import { packJson, unpackJson } from './packed-json.ts';
import { keys, type SnapshotKind } from './table-layout.ts';

/** Below DynamoDB's 400 KB item limit with room for the keys; a 1 MiB request never needs more than a few. */
const CHUNK_BYTES = 300_000;
/** A transaction holds at most 100 items: the head and the chunks, new and old. */
const MAX_CHUNKS = 48;
/** Racing writers retry after a random pause, so that n of them all land within n attempts or so. */
const WRITE_ATTEMPTS = 10;
const READ_ATTEMPTS = 3;

class SnapshotTooLargeError extends PlannerError {
  constructor(readonly bytes: number) {
    super(
      'too_large',
      `The document is too large to store (${bytes} bytes compressed; at most ${CHUNK_BYTES * MAX_CHUNKS}).`,
      { field: 'body' },
    );
  }
}

interface SnapshotHead {
  snapshotId: string;
  chunks: number;
}

/**
 * Writes `next(previous)` as the new snapshot, conditional on the head it read: two writers at once do
 * not mix chunks or lose each other's change — the second computes again on top of the first.
 * `read` gives the head the next value builds on (and, for an update, the previous document).
 */
async function replaceSnapshot<T>(
  ctx: TableContext,
  tenantId: string,
  kind: SnapshotKind,
  read: () => Promise<{ head: SnapshotHead | undefined; document: T | null }>,
  next: (previous: T | null) => unknown,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const { head: previous, document } = await read();
    const packed = packJson(next(document));
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < packed.length; at += CHUNK_BYTES) chunks.push(packed.subarray(at, at + CHUNK_BYTES));
    if (chunks.length > MAX_CHUNKS) throw new SnapshotTooLargeError(packed.length);
    const snapshotId = randomUUID();
    try {
      await send(
        ctx,
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: ctx.tableName,
                Item: {
                  ...keys.snapshotHead(tenantId, kind),
                  type: `${kind}Head`,
                  snapshotId,
                  chunks: chunks.length,
                  bytes: packed.length,
                },
                ConditionExpression: previous ? 'snapshotId = :previous' : 'attribute_not_exists(PK)',
                ...(previous ? { ExpressionAttributeValues: { ':previous': previous.snapshotId } } : {}),
              },
            },
            ...chunks.map((data, index) => ({
              Put: {
                TableName: ctx.tableName,
                Item: { ...keys.snapshotChunk(tenantId, kind, index), type: `${kind}Chunk`, snapshotId, data },
              },
            })),
            ...Array.from({ length: Math.max(0, (previous?.chunks ?? 0) - chunks.length) }, (_, i) => ({
              Delete: { TableName: ctx.tableName, Key: keys.snapshotChunk(tenantId, kind, chunks.length + i) },
            })),
          ],
        }),
      );
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) || attempt >= WRITE_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/** Replaces the snapshot with `value`, whole. */
export async function writeSnapshot(
  ctx: TableContext,
  tenantId: string,
  kind: SnapshotKind,
  value: unknown,
): Promise<void> {
  await replaceSnapshot(
    ctx,
    tenantId,
    kind,
    async () => {
      const head = await send(
        ctx,
        new GetCommand({ TableName: ctx.tableName, Key: keys.snapshotHead(tenantId, kind), ConsistentRead: true }),
      );
      return { head: head.Item as SnapshotHead | undefined, document: null };
    },
    () => value,
  );
}

/** Replaces the snapshot with `update(previous)`: a read-modify-write that concurrent writers cannot lose. */
export async function updateSnapshot<T>(
  ctx: TableContext,
  tenantId: string,
  kind: SnapshotKind,
  update: (previous: T | null) => T,
): Promise<T> {
  let written: T | null = null;
  await replaceSnapshot<T>(
    ctx,
    tenantId,
    kind,
    () => readSnapshotAndHead<T>(ctx, tenantId, kind, true),
    (previous) => (written = update(previous)),
  );
  return written!;
}

/** The stored document, or null when none was ever written. */
export async function readSnapshot<T>(ctx: TableContext, tenantId: string, kind: SnapshotKind): Promise<T | null> {
  return (await readSnapshotAndHead<T>(ctx, tenantId, kind, false)).document;
}

async function readSnapshotAndHead<T>(
  ctx: TableContext,
  tenantId: string,
  kind: SnapshotKind,
  consistent: boolean,
): Promise<{ head: SnapshotHead | undefined; document: T | null }> {
  for (let attempt = 1; ; attempt += 1) {
    const items = await queryAll(ctx, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenantPartition(tenantId), ':prefix': keys.snapshotPrefix(kind) },
      ...(consistent || attempt > 1 ? { ConsistentRead: true } : {}),
    });
    const head = items.find((item) => item.SK === keys.snapshotHead(tenantId, kind).SK) as SnapshotHead | undefined;
    if (!head) return { head: undefined, document: null };
    const chunks = items
      .filter((item) => item.snapshotId === head.snapshotId && item.SK !== keys.snapshotHead(tenantId, kind).SK)
      .sort((a, b) => String(a.SK).localeCompare(String(b.SK)));
    // A query is not isolated from a transaction: read again if it caught a write half-way.
    if (chunks.length === head.chunks)
      return { head, document: unpackJson<T>(Buffer.concat(chunks.map((c) => c.data as Uint8Array))) };
    if (attempt >= READ_ATTEMPTS)
      throw new Error(`The ${kind.toLowerCase()} of tenant ${tenantId} is being rewritten; try again.`);
  }
}
