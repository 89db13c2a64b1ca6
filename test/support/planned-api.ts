// Test support: two bakeries in Madrid with a production schedule and a procurement plan for
// 2026-11-28, and a caller of the API handler that returns status and parsed body.
import type { Context } from 'aws-lambda';
import { createApiHandler } from '../../functions/api/handler.ts';
import { createFanOutHandler } from '../../functions/fan-out/handler.ts';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { idempotencyKey } from '../../lib/jobs/job-message.ts';
import { apiEvent } from './api.ts';
import { seedBakery, type TestStack, tenant, testStack } from './local-stack.ts';

export const PLAN_DATE = '2026-11-28';
const context = {} as Context;

export interface PlannedApi {
  stack: TestStack;
  call(
    method: string,
    path: string,
    options?: Parameters<typeof apiEvent>[2],
  ): Promise<{ status: number; body: Record<string, any>; raw: string }>;
}

export async function plannedApi(): Promise<PlannedApi> {
  const stack = await testStack();
  // The hostile suites send thousands of requests a minute to one tenant: the per-tenant limits (tested in
  // api.integration.test.ts) would refuse most of them before validation ran, so here they let all through.
  const unlimited = { take: async () => ({ allowed: true as const }) };
  const api = createApiHandler(() => ({ ...stack.ports, limits: unlimited }));
  for (const id of ['a', 'b']) await seedBakery(stack, tenant(id, 'Europe/Madrid'), PLAN_DATE);
  await planMadridDay(stack);
  return {
    stack,
    async call(method, path, options = {}) {
      const response = await api(apiEvent(method, path, options), context);
      const raw = String(response.body);
      // JSON answers parsed; a document (CSV) is in `raw` only.
      const json = String(response.headers?.['content-type'] ?? '').startsWith('application/json');
      return { status: response.statusCode!, body: json ? (JSON.parse(raw) as Record<string, any>) : {}, raw };
    },
  };
}

/** Plans 2026-11-28 for every Madrid tenant: the production firing at 05:30 local, then procurement at 06:00. */
export async function planMadridDay(stack: TestStack): Promise<void> {
  for (const [job, time] of [
    ['production', '2026-11-28T04:30:00Z'],
    ['procurement', '2026-11-28T05:00:00Z'],
  ] as const) {
    stack.setNow(new Date(time));
    await createFanOutHandler(() => stack.ports)({ job, timezone: 'Europe/Madrid', scheduledTime: time }, context);
    await stack.queue.drain((event) =>
      createPlanWorkerHandler(
        () => stack.ports,
        () => 60_000,
      )(event, context),
    );
  }
}

/** One job of tenant "a" (Madrid) for `planDate`, run through the worker at `at`, as its firing would. */
export async function runJob(
  planned: PlannedApi,
  job: 'production' | 'procurement' | 'cleanup',
  planDate: string,
  at: string,
): Promise<void> {
  planned.stack.setNow(new Date(at));
  const message = {
    job,
    tenantId: 'a',
    timezone: 'Europe/Madrid',
    planDate,
    trigger: 'manual',
    scheduledTime: new Date(at).toISOString(),
    idempotencyKey: idempotencyKey('a', job, planDate),
  };
  await createPlanWorkerHandler(
    () => planned.stack.ports,
    () => 60_000,
  )({ Records: [{ messageId: 'm1', body: JSON.stringify(message) }] } as never, context);
}

/** A webhook endpoint of tenant "a" with a known id (its sealed secret "whsec_x"), as the API stores one. */
export async function seedWebhookEndpoint(stack: TestStack, endpointId: string): Promise<void> {
  const at = '2026-11-28T06:00:00.000Z';
  await stack.ports.webhooks.put({
    tenantId: 'a',
    endpointId,
    url: 'https://erp.example.com/hooks',
    eventTypes: ['procurement.plan.generated'],
    description: '',
    enabled: true,
    secrets: [{ sealed: await stack.ports.secrets.seal('whsec_x', { tenantId: 'a', endpointId }), createdAt: at }],
    createdAt: at,
    updatedAt: at,
    revision: 1,
  });
}
