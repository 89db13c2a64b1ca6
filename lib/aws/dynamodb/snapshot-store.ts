// Whole-document snapshots (a tenant's catalog, its stock, its drivers, its model): gzip-compressed JSON
// on one head item — one conditional write, one GetItem (or one key of a job's read set) — and, for a
// document too large for one item, in chunks under the head, all written in one transaction, so a write
// lands whole or not at all and a reader never sees half of one.

import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { PlannerError } from '../../errors.ts';
import { conditionalWrite, queryAll, send, type TableContext } from './client.ts';
import { packJson, unpackJson } from './packed-json.ts';
import { keys, type SnapshotKind } from './table-layout.ts';

/** Below DynamoDB's 400 KB item limit with room for the keys; a 1 MiB request never needs more than a few. */
const CHUNK_BYTES = 300_000;
/** A transaction holds at most 100 items: the head and the chunks, new and old. */
const MAX_CHUNKS = 48;
/** Racing writers retry after a random pause, so that n of them all land within n attempts or so. */
const WRITE_ATTEMPTS = 10;
const READ_ATTEMPTS = 3;

/** Another writer replaced the head since it was read. */
class SnapshotChanged extends Error {}

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
  /** The document itself, when it fits on the head (chunks is then 0). */
  data?: Uint8Array;
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
    const inline = packed.length <= CHUNK_BYTES;
    const head = {
      Put: {
        TableName: ctx.tableName,
        Item: {
          ...keys.snapshotHead(tenantId, kind),
          type: `${kind}Head`,
          snapshotId,
          chunks: inline ? 0 : chunks.length,
          bytes: packed.length,
          ...(inline ? { data: packed } : {}),
        },
        ConditionExpression: previous ? 'snapshotId = :previous' : 'attribute_not_exists(PK)',
        ...(previous ? { ExpressionAttributeValues: { ':previous': previous.snapshotId } } : {}),
      },
    };
    const parts = inline ? [] : chunks;
    const stale = Math.max(0, (previous?.chunks ?? 0) - parts.length);
    try {
      if (parts.length === 0 && stale === 0) {
        if (!(await conditionalWrite(ctx, new PutCommand(head.Put)))) throw new SnapshotChanged();
        return;
      }
      await send(
        ctx,
        new TransactWriteCommand({
          TransactItems: [
            head,
            ...parts.map((data, index) => ({
              Put: {
                TableName: ctx.tableName,
                Item: { ...keys.snapshotChunk(tenantId, kind, index), type: `${kind}Chunk`, snapshotId, data },
              },
            })),
            ...Array.from({ length: stale }, (_, i) => ({
              Delete: { TableName: ctx.tableName, Key: keys.snapshotChunk(tenantId, kind, parts.length + i) },
            })),
          ],
        }),
      );
      return;
    } catch (error) {
      const raced = error instanceof TransactionCanceledException || error instanceof SnapshotChanged;
      if (!raced || attempt >= WRITE_ATTEMPTS) throw error;
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
  const stored = (
    await send(
      ctx,
      new GetCommand({
        TableName: ctx.tableName,
        Key: keys.snapshotHead(tenantId, kind),
        ...(consistent ? { ConsistentRead: true } : {}),
      }),
    )
  ).Item as SnapshotHead | undefined;
  if (!stored) return { head: undefined, document: null };
  if (stored.data) return { head: stored, document: unpackJson<T>(stored.data) };
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
