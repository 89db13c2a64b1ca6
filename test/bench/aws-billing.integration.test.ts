// The cost benchmark bills by AWS's published rules, not by DynamoDB Local's count: a transaction of
// items of different sizes bills each item by its own size (DynamoDB Local bills every item as the
// largest), a query bills the items it read once, rounded up to 4 KB.
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { itemSize, transactWriteUnits, valueSize, writeUnits } from '../../bench/aws-billing.ts';
import { meterCapacity } from '../../bench/capacity-meter.ts';
import { documentClient } from '../../lib/aws/dynamodb/client.ts';
import { testStack } from '../support/local-stack.ts';

const item = (sk: string, bytes: number) => ({
  PK: 'T',
  SK: sk,
  body: 'x'.repeat(bytes - 'PK'.length - 1 - 'SK'.length - sk.length - 'body'.length),
});

describe('AWS billing rules', () => {
  it('sizes items by their names and values', () => {
    expect(itemSize(item('a', 1400))).toBe(1400);
    expect(valueSize(12345)).toBe(4); // 5 significant digits
    expect(valueSize({ a: 1, bb: 'xy' })).toBe(3 + (1 + 2 + 1) + (2 + 2 + 1));
    expect(valueSize([true, null])).toBe(3 + 2 + 2);
  });

  it('bills a transaction item by item, twice each', () => {
    // 1.4 KB + 0.5 KB: 2 × (2 + 1) = 6 units.
    expect(
      transactWriteUnits([
        { before: 0, after: 1400 },
        { before: 0, after: 500 },
      ]),
    ).toBe(6);
    expect(writeUnits(1400, 300)).toBe(2);
  });

  it('meters DynamoDB Local calls by those rules', async () => {
    const stack = await testStack();
    const shadow = documentClient({ endpoint: inject('dynamoEndpoint') });
    const meter = meterCapacity(stack.table.doc, shadow);
    const TableName = stack.tableName;
    let localCount = 0;
    stack.table.doc.middlewareStack.add(
      (next) => async (args) => {
        (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        localCount = [consumed ?? []]
          .flat()
          .reduce((t: number, c) => t + ((c as { CapacityUnits?: number }).CapacityUnits ?? 0), 0);
        return result;
      },
      { step: 'initialize', name: 'localCount' },
    );
    await stack.table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: item('big', 1400) } },
          { Put: { TableName, Item: item('small', 500) } },
        ],
      }),
    );
    expect(meter.totals.writeUnits).toBe(6);
    expect(localCount).toBeGreaterThan(6); // what the emulator reports instead
    meter.reset();
    await stack.table.doc.send(new PutCommand({ TableName, Item: item('c', 1400) }));
    await stack.table.doc.send(new GetCommand({ TableName, Key: { PK: 'T', SK: 'missing' } }));
    await stack.table.doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': 'T' },
        ProjectionExpression: 'SK',
      }),
    );
    // 2 WRU for the put; 0.5 RRU for the missing item; 3.3 KB read by the query, projected or not: 0.5 RRU.
    expect(meter.totals).toMatchObject({ requests: 3, writeUnits: 2, readUnits: 1 });
    shadow.destroy();
  });
});
