// Bills every DynamoDB call a run makes by AWS's published rules (aws-billing.ts), from the sizes of the
// items each call touched: a second, unmetered client reads those items before and after the call
// (writes), or the full items a call read (reads: a projection or a filter does not lower the bill).
// Calls are attributed to the label the caller sets (a job, an import) and to their operation.
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { batchReadUnits, itemSize, readUnits, transactWriteUnits, writeUnits } from './aws-billing.ts';

type Item = Record<string, unknown>;
type Key = { PK: unknown; SK: unknown };

interface Line {
  requests: number;
  readUnits: number;
  writeUnits: number;
}

export interface CapacityTotals extends Line {
  /** label → operation → line */
  byLabel: Record<string, Record<string, Line>>;
}

const keyOf = (item: Item): Key => ({ PK: item.PK, SK: item.SK });

/** The expression names and values a key condition uses, so the shadow query drops the rest. */
function keyConditionOnly(input: QueryCommandInput): QueryCommandInput {
  const expression = input.KeyConditionExpression ?? '';
  const used = <T>(map: Record<string, T> | undefined) =>
    map ? Object.fromEntries(Object.entries(map).filter(([k]) => expression.includes(k))) : undefined;
  const names = used(input.ExpressionAttributeNames);
  return {
    TableName: input.TableName,
    IndexName: input.IndexName,
    KeyConditionExpression: input.KeyConditionExpression,
    ExpressionAttributeValues: used(input.ExpressionAttributeValues),
    ...(names && Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ScanIndexForward: input.ScanIndexForward,
    ExclusiveStartKey: input.ExclusiveStartKey,
    Limit: input.Limit,
    ConsistentRead: !input.IndexName,
  };
}

export function meterCapacity(
  doc: DynamoDBDocumentClient,
  shadow: DynamoDBDocumentClient,
): { totals: CapacityTotals; label: string; reset(): void } {
  const totals: CapacityTotals = { requests: 0, readUnits: 0, writeUnits: 0, byLabel: {} };
  const meter = { totals, label: 'unlabelled', reset };
  function reset() {
    Object.assign(totals, { requests: 0, readUnits: 0, writeUnits: 0, byLabel: {} });
  }
  const sizeOf = async (table: string, key: Key) =>
    itemSize((await shadow.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item);

  async function bill(command: string, input: Record<string, unknown>, run: () => Promise<unknown>) {
    const table = input.TableName as string;
    let read = 0;
    let write = 0;
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
    const settle = async () => {
      try {
        outcome = { ok: true, value: await run() };
      } catch (error) {
        outcome = { ok: false, error };
      }
    };
    switch (command) {
      case 'GetItemCommand': {
        await settle();
        read = readUnits(await sizeOf(table, input.Key as Key), Boolean(input.ConsistentRead));
        break;
      }
      case 'BatchGetItemCommand': {
        await settle();
        for (const [name, request] of Object.entries(input.RequestItems as Record<string, { Keys: Key[] }>)) {
          const answer = outcome!.ok ? (outcome!.value as { UnprocessedKeys?: Record<string, { Keys?: Key[] }> }) : {};
          const unprocessed = new Set((answer.UnprocessedKeys?.[name]?.Keys ?? []).map((k) => JSON.stringify(k)));
          const keys = request.Keys.filter((k) => !unprocessed.has(JSON.stringify(k)));
          const sizes = await Promise.all(keys.map((k) => sizeOf(name, k)));
          read += batchReadUnits(sizes, Boolean((request as { ConsistentRead?: boolean }).ConsistentRead));
        }
        break;
      }
      case 'QueryCommand': {
        await settle();
        const full = await shadow.send(new QueryCommand(keyConditionOnly(input as QueryCommandInput)));
        const bytes = (full.Items ?? []).reduce((t, i) => t + itemSize(i), 0);
        read = readUnits(bytes, Boolean(input.ConsistentRead));
        break;
      }
      case 'PutItemCommand':
      case 'UpdateItemCommand':
      case 'DeleteItemCommand': {
        const key = command === 'PutItemCommand' ? keyOf(input.Item as Item) : (input.Key as Key);
        const before = await sizeOf(table, key);
        await settle();
        write = writeUnits(before, await sizeOf(table, key));
        break;
      }
      case 'BatchWriteItemCommand': {
        const requests = Object.entries(
          input.RequestItems as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Key } }[]>,
        ).flatMap(([name, list]) =>
          list.map((r) => ({ name, key: r.PutRequest ? keyOf(r.PutRequest.Item) : r.DeleteRequest!.Key })),
        );
        const before = await Promise.all(requests.map((r) => sizeOf(r.name, r.key)));
        await settle();
        const after = await Promise.all(requests.map((r) => sizeOf(r.name, r.key)));
        write = requests.reduce((t, _r, i) => t + writeUnits(before[i]!, after[i]!), 0);
        break;
      }
      case 'TransactWriteItemsCommand': {
        type Part = { TableName: string; Item?: Item; Key?: Key };
        const parts = (input.TransactItems as Record<string, Part>[]).map((t) => {
          const part = (t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck)!;
          return { name: part.TableName, key: part.Item ? keyOf(part.Item) : part.Key! };
        });
        const before = await Promise.all(parts.map((p) => sizeOf(p.name, p.key)));
        await settle();
        const after = await Promise.all(parts.map((p) => sizeOf(p.name, p.key)));
        write = transactWriteUnits(before.map((b, i) => ({ before: b, after: after[i]! })));
        break;
      }
      case 'CreateTableCommand':
      case 'UpdateTimeToLiveCommand':
      case 'DescribeTableCommand':
        return run();
      default:
        throw new Error(`The capacity meter has no billing rule for ${command}; add one to bench/capacity-meter.ts.`);
    }
    totals.requests += 1;
    totals.readUnits += read;
    totals.writeUnits += write;
    const byOperation = totals.byLabel[meter.label] ?? {};
    totals.byLabel[meter.label] = byOperation;
    const operation = command.replace(/(Item|Items)?Command$/, '');
    const line = byOperation[operation] ?? { requests: 0, readUnits: 0, writeUnits: 0 };
    byOperation[operation] = line;
    line.requests += 1;
    line.readUnits += read;
    line.writeUnits += write;
    if (!outcome!.ok) throw outcome!.error;
    return outcome!.value;
  }

  doc.middlewareStack.add(
    (next, context) => async (args) =>
      (await bill(String(context.commandName), args.input as Record<string, unknown>, () => next(args))) as Awaited<
        ReturnType<typeof next>
      >,
    { step: 'initialize', name: 'awsBillingMeter' },
  );
  return meter;
}
