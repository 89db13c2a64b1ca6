// Counts the DynamoDB request units a run consumes, by asking every call to return its consumed
// capacity (DynamoDB Local reports it as DynamoDB does) and summing reads and writes per operation.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Command names as the low-level client sees them (the document client translates to these).
const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);

export interface CapacityTotals {
  readUnits: number;
  writeUnits: number;
  requests: number;
  byCommand: Record<string, { requests: number; units: number }>;
}

export function meterCapacity(doc: DynamoDBDocumentClient): { totals: CapacityTotals; reset(): void } {
  const totals: CapacityTotals = { readUnits: 0, writeUnits: 0, requests: 0, byCommand: {} };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const units = [consumed]
        .flat()
        .reduce((t: number, c) => t + Number((c as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0), 0);
      const command = String(context.commandName);
      totals.requests += 1;
      if (READS.has(command)) totals.readUnits += units;
      else totals.writeUnits += units;
      const entry = totals.byCommand[command] ?? { requests: 0, units: 0 };
      totals.byCommand[command] = entry;
      entry.requests += 1;
      entry.units += units;
      return result;
    },
    { step: 'initialize', name: 'capacityMeter' },
  );
  return {
    totals,
    reset() {
      Object.assign(totals, { readUnits: 0, writeUnits: 0, requests: 0, byCommand: {} });
    },
  };
}
