// The fault-injection suite at a small scale (npm run bench:faults runs it for 1,000 tenants).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testStack } from '../support/local-stack.ts';
import { FAULT_CASES, failureTableRows, runCase, seedWorld } from './scenarios.ts';

const TENANTS = 10;

describe('faults injected at the ports, for a day of 10 bakeries', () => {
  it.each(FAULT_CASES.map((c) => [c.name, c] as const))(
    '%s: nothing lost, nothing stuck, one plan per key',
    async (_, fault) => {
      const stack = await testStack();
      const world = await seedWorld(stack, TENANTS, 'f');
      const figures = await runCase(fault, world);
      expect(figures.pendingAfterRecovery).toBe(0);
      expect(figures.eventsDelivered + (fault.name === 'bus refuses one event' ? 1 : 0)).toBe(figures.eventsExpected);
      expect(figures.plans).toBeGreaterThanOrEqual(2 * (TENANTS - (fault.poison?.(world.tenants).length ?? 0)));
    },
  );

  it('is the failure table of docs/architecture.md, row for row', () => {
    const doc = readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8');
    for (const row of failureTableRows()) expect(doc).toContain(row);
  });
});
