// The running job's read set as the DynamoDB client sees it: items fetched ahead in one BatchGetItem
// (read-set.ts) answer the job's later GetItem and BatchGetItem calls from memory, and every write the
// job sends drops the items it touches, so that the job reads its own writes from the table.
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { currentJobReads } from '../../job-signal.ts';

type Key = Record<string, unknown>;

const memoKey = (table: string, key: Key) => `${table}\n${String(key.PK)}\n${String(key.SK)}`;

/** The item as read ahead (null: known not to exist), or undefined when the job has not read it ahead. */
export function readAhead(table: string, key: Key): Key | null | undefined {
  return currentJobReads()?.get(memoKey(table, key)) as Key | null | undefined;
}

/** Remembers what a batch read found for these keys (the ones it did not find do not exist). */
export function rememberReads(table: string, keys: readonly Key[], items: readonly Key[]): void {
  const reads = currentJobReads();
  if (!reads) return;
  for (const key of keys) reads.set(memoKey(table, key), null);
  for (const item of items) reads.set(memoKey(table, item), item);
}

/** A GetCommand's answer from the read set, when the job read the item ahead. */
export function getFromReadSet(command: object): { Item?: Key } | undefined {
  if (!(command instanceof GetCommand)) return undefined;
  const { TableName, Key } = command.input;
  const item = readAhead(String(TableName), Key as Key);
  if (item === undefined) return undefined;
  return item === null ? {} : { Item: item };
}

/** Forgets the items a write is about to change. */
export function forgetWritten(command: object): void {
  const reads = currentJobReads();
  if (!reads || reads.size === 0) return;
  const touched: [string | undefined, Key | undefined][] = [];
  if (command instanceof PutCommand) touched.push([command.input.TableName, command.input.Item]);
  else if (command instanceof UpdateCommand || command instanceof DeleteCommand)
    touched.push([command.input.TableName, command.input.Key]);
  else if (command instanceof TransactWriteCommand)
    for (const part of command.input.TransactItems ?? []) {
      const write = part.Put ?? part.Update ?? part.Delete;
      if (write) touched.push([write.TableName, 'Item' in write ? write.Item : write.Key]);
    }
  else if (command instanceof BatchWriteCommand)
    for (const [table, requests] of Object.entries(command.input.RequestItems ?? {}))
      for (const r of requests) touched.push([table, r.PutRequest?.Item ?? r.DeleteRequest?.Key]);
  for (const [table, key] of touched) if (table && key) reads.delete(memoKey(table, key));
}
