// The outbox against a bus that fails in parts: what reached the bus is never sent again, an event the
// bus keeps refusing with a transient code still ends in a dead letter, and an operator's change made
// while the bus is down is announced by the delayed retries, not the next morning's cleanup.
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { deliverPending } from '../../lib/app/outbox.ts';
import { changeProcurementStatus } from '../../lib/app/plan-review.ts';
import { type PlanEvent, planEvent } from '../../lib/events/catalogue.ts';
import { idempotencyKey } from '../../lib/jobs/job-message.ts';
import { type EventPublisher, PublishRefusedError } from '../../lib/ports.ts';
import { seedBakery, tenant, testStack } from '../support/local-stack.ts';

const context = {} as Context;
const PLAN_DATE = '2026-11-28';

const escalations = (n: number): PlanEvent[] =>
  Array.from({ length: n }, (_, i) =>
    planEvent('plan.escalation.unapproved', [`p${i}`, PLAN_DATE], {
      tenantId: 'a',
      planId: `p${i}`,
      planDate: PLAN_DATE,
      occurredAt: '2026-11-28T09:00:00Z',
      kind: 'production',
      status: 'draft',
      deadline: '10:00',
    }),
  );

describe('the outbox against a bus that fails in parts', () => {
  it('sends again only what the bus did not take', async () => {
    const stack = await testStack();
    const events = escalations(12);
    await Promise.all(events.map((e) => stack.ports.plans.claimEscalation('a', e.detail as never, PLAN_DATE, e)));
    const sent: string[] = [];
    let first = true;
    // The first call delivers the first ten and fails on the rest, as a PutEvents batch of ten then an outage would.
    const bus: EventPublisher = {
      publish: async (batch) => {
        if (first) {
          first = false;
          sent.push(...batch.slice(0, 10).map((e) => e.detail.eventId));
          throw new PublishRefusedError(
            'EventBridge could not be reached',
            false,
            batch.slice(10).map((e) => e.detail.eventId),
            false,
          );
        }
        sent.push(...batch.map((e) => e.detail.eventId));
      },
    };
    const delivery = await deliverPending({ ...stack.ports, events: bus }, 'a');
    expect(delivery).toEqual({ published: 12, pending: 0, deadLettered: 0 });
    expect(sent).toHaveLength(12);
    expect(new Set(sent).size).toBe(12);
    expect(await stack.ports.plans.pendingEvents('a')).toEqual([]);
  });

  it('dead-letters an event the bus refuses every time with a transient code, after many tries, and never one it could not reach', async () => {
    const stack = await testStack();
    const [event] = escalations(1);
    await stack.ports.plans.claimEscalation('a', event!.detail as never, PLAN_DATE, event!);
    const throttled: EventPublisher = {
      publish: async (batch) => {
        throw new PublishRefusedError(
          'ThrottlingException: slow down',
          false,
          batch.map((e) => e.detail.eventId),
        );
      },
    };
    const unreachable: EventPublisher = {
      publish: async () => {
        throw new Error('connect ETIMEDOUT');
      },
    };
    for (let i = 0; i < 60; i += 1) await deliverPending({ ...stack.ports, events: unreachable }, 'a');
    expect(await stack.ports.plans.pendingEvents('a')).toMatchObject([{ attempts: 0 }]);
    let deadLettered = 0;
    let tries = 0;
    while (deadLettered === 0 && tries < 100) {
      tries += 1;
      deadLettered = (await deliverPending({ ...stack.ports, events: throttled }, 'a')).deadLettered;
    }
    expect(tries).toBe(50);
    expect(await stack.ports.plans.pendingEvents('a')).toEqual([]);
  });

  it('announces an operator’s approval made while the bus is down through the delayed retries', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    const worker = createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    );
    const sqs = (job: object): SQSEvent =>
      ({ Records: [{ messageId: 'm', body: JSON.stringify(job) }] }) as unknown as SQSEvent;
    const job = (name: 'production' | 'procurement') => ({
      job: name,
      tenantId: 'a',
      timezone: 'Europe/Madrid',
      planDate: PLAN_DATE,
      trigger: 'manual',
      scheduledTime: '2026-11-28T05:00:00Z',
      idempotencyKey: idempotencyKey('a', name, PLAN_DATE),
    });
    for (const name of ['production', 'procurement'] as const)
      expect((await worker(sqs(job(name)), context)) as SQSBatchResponse).toEqual({ batchItemFailures: [] });
    let busUp = false;
    const down: EventPublisher = {
      publish: async (events) => {
        if (!busUp) throw new Error('EventBridge unavailable');
        await stack.bus.publish(events);
      },
    };
    const ports = { ...stack.ports, events: down };
    const before = stack.bus.published.length;
    await changeProcurementStatus(ports, {
      tenantId: 'a',
      planDate: PLAN_DATE,
      version: 1,
      to: 'approved',
      by: 'manager',
    });
    expect((await stack.ports.plans.pendingEvents('a')).map((p) => p.event.detailType)).toEqual([
      'procurement.plan.status_changed',
    ]);
    expect(stack.queue.depth).toBe(1); // a delayed delivery, minutes away
    busUp = true;
    await stack.queue.drain((event) =>
      createPlanWorkerHandler(
        () => ports,
        () => 60_000,
      )(event, context),
    );
    expect(stack.bus.published.slice(before).map((e) => e.detailType)).toEqual(['procurement.plan.status_changed']);
    expect(await stack.ports.plans.pendingEvents('a')).toEqual([]);
  });
});
