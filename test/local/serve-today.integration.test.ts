// `planner serve` plans each demo bakery's own local today: the date its review page opens.
import { describe, expect, it } from 'vitest';
import { planLocalToday } from '../../lib/local/serve.ts';
import { testStack } from '../support/local-stack.ts';

describe('the local server’s day', () => {
  it('plans each bakery’s local today, not the UTC date (03:00 UTC: still yesterday in Mexico City)', async () => {
    const stack = await testStack();
    const lines: string[] = [];
    const bakeries = await planLocalToday(stack, 2, new Date('2026-11-28T03:00:00Z'), (l) => lines.push(l));
    expect(bakeries.map((b) => [b.tenant.tenantId, b.tenant.timezone])).toEqual([
      ['fournil-madrid', 'Europe/Madrid'],
      ['panaderia-roma', 'America/Mexico_City'],
    ]);
    expect(lines).toContain('▶ Planning 2026-11-27, today in America/Mexico_City…');
    expect(lines).toContain('▶ Planning 2026-11-28, today in Europe/Madrid…');
    const planned = async (tenantId: string, date: string) =>
      (await stack.ports.plans.getProductionSchedule(tenantId, date)) !== null;
    expect(await planned('panaderia-roma', '2026-11-27')).toBe(true);
    expect(await planned('panaderia-roma', '2026-11-28')).toBe(false);
    expect(await planned('fournil-madrid', '2026-11-28')).toBe(true);
    expect(await planned('fournil-madrid', '2026-11-27')).toBe(false);
  });
});
