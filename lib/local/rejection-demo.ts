// The end of the local run: an operator rejects two procurement plans through the real API handler —
// one because the data was stale (the plan regenerates by itself), one because it is too expensive
// (stakeholders are notified and the plan waits for a person).
import type { Context } from 'aws-lambda';
import { createApiHandler } from '../../functions/api/handler.ts';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { httpApiEvent } from '../api/http-event.ts';
import { formatMoney } from '../money.ts';
import type { LocalDate } from '../time/tenant-clock.ts';
import type { LocalStack } from './local-ports.ts';

const context = {} as Context;

function request(method: string, path: string, tenantId: string, body: unknown) {
  return httpApiEvent({
    method,
    path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    claims: { sub: `manager@${tenantId}`, 'custom:tenant_id': tenantId },
  });
}

export async function rejectionDemo(
  stack: LocalStack,
  tenantIds: readonly string[],
  planDate: LocalDate,
  print: (line: string) => void,
): Promise<boolean> {
  const [stale, pricey] = tenantIds;
  if (!stale) return true;
  const api = createApiHandler(() => stack.ports);
  const worker = createPlanWorkerHandler(
    () => stack.ports,
    () => 60_000,
  );
  print('');
  print(`▶ Plan review: ${stale}'s procurement manager rejects v1 with "Los datos ANTIGUOS del inventario"`);
  const cacheBefore = await stack.ports.forecastCache.stats(stale, stack.ports.now());
  const path = (tenantId: string, version: number) =>
    `/tenants/${tenantId}/procurement-plans/${planDate}/versions/${version}`;
  const rejected = await api(
    request('POST', `${path(stale, 1)}/status`, stale, {
      status: 'rejected',
      reason: 'Los datos ANTIGUOS del inventario',
    }),
    context,
  );
  const rejectedBody = JSON.parse(String(rejected.body)) as {
    regeneration?: { phrase: string; invalidatedForecasts: number } | null;
    error?: string;
  };
  if (rejected.statusCode !== 200 || !rejectedBody.regeneration) {
    print(`  ✗ the rejection was not accepted: ${rejected.statusCode} ${rejectedBody.error ?? ''}`);
    return false;
  }
  print(
    `  status 200: stale data recognised ("${rejectedBody.regeneration.phrase}"), ${rejectedBody.regeneration.invalidatedForecasts} cached forecasts invalidated (${cacheBefore.entries} before)`,
  );
  await stack.queue.drain((event) => worker(event, context));
  const v2 = await stack.ports.plans.getProcurementPlan(stale, planDate, 2);
  const v1 = await stack.ports.plans.getProcurementPlan(stale, planDate, 1);
  if (!v2 || !v1) {
    print('  ✗ no new version was built');
    return false;
  }
  const misses =
    stack.metricRecords.filter((r) => r.name === 'ForecastCacheMisses' && r.properties.tenantId === stale).at(-1)
      ?.value ?? 0;
  print(
    `  regenerated: ${v2.plan.planId} (${v2.plan.status}, supersedes ${v2.plan.supersedes}), ${v2.plan.requirements.length} requirements, ${formatMoney(v2.plan.totalCost, v2.plan.currency, 'en')}; forecasts recomputed (${misses} cache misses)`,
  );
  print(
    `  ${v1.plan.planId} stays readable: ${v1.plan.status}, history ${v1.plan.history.map((h) => `${h.from ?? '∅'}→${h.to}`).join(', ')}`,
  );
  if (pricey) {
    print(`▶ Plan review: ${pricey}'s manager rejects v1 with "too expensive"`);
    const sent = stack.queue.sent;
    const response = await api(
      request('POST', `${path(pricey, 1)}/status`, pricey, { status: 'rejected', reason: 'too expensive' }),
      context,
    );
    const body = JSON.parse(String(response.body)) as { regeneration?: unknown };
    await stack.relay.pump(); // the table stream's relay announces the rejection (and would route a regeneration)
    print(
      `  status ${response.statusCode}: no regeneration (${body.regeneration === null && stack.queue.sent === sent ? 'none requested' : 'unexpected'}); stakeholders notified through procurement.plan.rejected`,
    );
  }
  return true;
}
