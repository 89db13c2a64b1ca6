// Test support: a fresh table in the shared DynamoDB Local, wired like the local run, per test.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { useLocalAwsEnvironment } from '../../lib/local/dynamodb-local.ts';
import { createLocalStack, type LocalStack } from '../../lib/local/local-ports.ts';

export interface TestStack extends LocalStack {
  tableName: string;
  logLines: Record<string, unknown>[];
  emfLines: string[];
}

export async function testStack(
  options: { maxReceiveCount?: number; fanOutShardSize?: number } = {},
): Promise<TestStack> {
  useLocalAwsEnvironment();
  const tableName = `test-${randomUUID()}`;
  const logLines: Record<string, unknown>[] = [];
  const emfLines: string[] = [];
  const stack = await createLocalStack({
    endpoint: inject('dynamoEndpoint'),
    tableName,
    logSink: (line) => logLines.push(JSON.parse(line) as Record<string, unknown>),
    logLevel: 'debug',
    emfSink: (line) => emfLines.push(line),
    // Every stack mails into a folder of its own under the system's temp folder, never into .local/.
    outboxDir: join(tmpdir(), `planner-outbox-${tableName}`),
    ...(options.maxReceiveCount ? { maxReceiveCount: options.maxReceiveCount } : {}),
    ...(options.fanOutShardSize ? { fanOutShardSize: options.fanOutShardSize } : {}),
  });
  return { ...stack, tableName, logLines, emfLines };
}

/**
 * Makes the stack's event relay publish through a bus that cannot be reached while `outage.down` is true
 * (the jobs and the API are untouched: they write their events on the items, as always).
 */
export function relayOutage(stack: TestStack, down = true): { down: boolean } {
  const outage = { down };
  stack.relay.usePorts(() => ({
    ...stack.ports,
    events: {
      publish: async (events) => {
        if (outage.down) throw new Error('EventBridge unavailable');
        await stack.bus.publish(events);
      },
    },
  }));
  return outage;
}

export { seedBakery, smallCatalog, steadySales, tenant } from './bakery-fixtures.ts';
