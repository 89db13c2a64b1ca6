// Test support: the local API server on a free port over a test stack with bakery "a" seeded in Madrid,
// its clock fixed on the seeded date.
import type { AddressInfo } from 'node:net';
import { createLocalServer } from '../../lib/local/local-server.ts';
import { seedBakery, type TestStack, tenant, testStack } from './local-stack.ts';

export interface RunningServer {
  stack: TestStack;
  /** `http://127.0.0.1:<port>` */
  base: string;
  close(): Promise<void>;
}

/** The server's clock: the morning of the seeded date, whatever today is, so that no answer depends on it. */
const SERVER_NOW = new Date('2026-11-28T09:00:00Z');

/** `realClock`: the machine's clock instead (what a guide run today, or next year, meets). */
export async function startLocalServer(key: string, options: { realClock?: boolean } = {}): Promise<RunningServer> {
  const stack = await testStack();
  await seedBakery(stack, tenant('a', 'Europe/Madrid'), '2026-11-28');
  const server = createLocalServer(stack, key, options.realClock ? {} : { now: () => SERVER_NOW });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    stack,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
