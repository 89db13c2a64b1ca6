// Test support: every item of a table, in key order, to prove that a refused request wrote nothing.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TestStack } from './local-stack.ts';

export async function tableSnapshot(stack: TestStack): Promise<string> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.table.doc.send(
      new ScanCommand({ TableName: stack.tableName, ConsistentRead: true, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const key = (item: Record<string, unknown>) => `${String(item.PK)}\u0000${String(item.SK)}`;
  return JSON.stringify(
    items.sort((a, b) => key(a).localeCompare(key(b))),
    (_, value) => (value instanceof Set ? [...value].sort() : value),
  );
}
