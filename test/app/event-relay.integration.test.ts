// Events through the table's stream against a bus that fails: written with their change in one write
// (no transaction, no outbox item), published in order from DynamoDB Local's stream by the relay,
// nothing published twice after an outage, an event refused for itself dead-lettered without holding
// back the others, and an unreachable bus never counted against an event.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { relayEvents, TRANSIENT_REFUSAL_DEAD_LETTER_HOURS } from '../../lib/app/event-relay.ts';
import { changeProcurementStatus } from '../../lib/app/plan-review.ts';
import { type PlanEvent, planEvent, planOf } from '../../lib/events/catalogue.ts';
import { type ChangedItem, PublishRefusedError } from '../../lib/ports.ts';
import { replayOutbox } from '../../scripts/replay-outbox.ts';
import { commandLog } from '../support/command-log.ts';
import { relayOutage, seedBakery, tenant, testStack } from '../support/local-stack.ts';

const PLAN_DATE = '2026-11-28';

const escalation = (i: number): PlanEvent =>
  planEvent('plan.escalation.unapproved', [`p${i}`, PLAN_DATE], {
    tenantId: 'a',
    planId: `p${i}`,
    planDate: PLAN_DATE,
    occurredAt: '2026-11-28T09:00:00Z',
    kind: 'production',
    status: 'draft',
    deadline: '10:00',
  });

const claim = (stack: Awaited<ReturnType<typeof testStack>>, i: number) =>
  stack.ports.plans.claimEscalations('a', PLAN_DATE, [
    {
      plan: { kind: 'production', planId: `p${i}`, planDate: PLAN_DATE, status: 'draft', version: 1 },
      event: escalation(i),
    },
  ]);

describe('events through the table stream', () => {
  it('publishes what a write carries once, in order, and never what an item carried before', async () => {
    const stack = await testStack();
    for (let i = 0; i < 3; i += 1) await claim(stack, i);
    await claim(stack, 0); // claimed already: no write, no event
    expect(await stack.relay.pump()).toEqual({ published: 3, deadLettered: 0 });
    expect(stack.bus.published.map((e) => planOf(e)?.planId)).toEqual(['p0', 'p1', 'p2']);
    expect(await stack.relay.pump()).toEqual({ published: 0, deadLettered: 0 });
  });

  it("claims a day's escalations in one write, a plan claimed later that day in one more, and none twice", async () => {
    const stack = await testStack();
    const { lines: writes } = commandLog(stack.table.doc, (command) =>
      /^(Put|Update|BatchWrite|TransactWrite)/.test(command) ? command : undefined,
    );
    const claims = (ids: number[]) =>
      ids.map((i) => ({
        plan: {
          kind: 'production' as const,
          planId: `p${i}`,
          planDate: PLAN_DATE,
          status: 'draft' as const,
          version: 1,
        },
        event: escalation(i),
      }));
    const ids = (events: PlanEvent[]) => events.map((e) => planOf(e)?.planId);
    expect(ids(await stack.ports.plans.claimEscalations('a', PLAN_DATE, claims([0, 1])))).toEqual(['p0', 'p1']);
    expect(writes).toEqual(['PutItemCommand']);
    // Later the same day: p1 is claimed already, p2 is new.
    expect(ids(await stack.ports.plans.claimEscalations('a', PLAN_DATE, claims([1, 2])))).toEqual(['p2']);
    expect(await stack.relay.pump()).toEqual({ published: 3, deadLettered: 0 });
    expect(ids(stack.bus.published)).toEqual(['p0', 'p1', 'p2']);
    // The next day is a day of its own.
    expect(ids(await stack.ports.plans.claimEscalations('a', '2026-11-29', claims([0])))).toEqual(['p0']);
  });

  it('after an outage of any length within the stream’s day publishes exactly what waited, jobs’ and operators’ alike', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
    const outage = relayOutage(stack, false);
    await claim(stack, 0);
    await stack.relay.pump(); // delivered before the outage
    outage.down = true;
    for (let i = 1; i < 4; i += 1) await claim(stack, i);
    // An operator's change during the outage: it stands, its events wait with it.
    stack.setNow(new Date('2026-11-28T05:00:00Z'));
    await stack.ports.plans.createProcurementPlan(
      {
        planId: `proc-a-${PLAN_DATE}-v1`,
        tenantId: 'a',
        planDate: PLAN_DATE,
        version: 1,
        status: 'draft',
        history: [],
        horizonDays: 7,
        requirements: [],
        totalCost: 0,
        currency: 'EUR',
        generatedAt: '2026-11-28T05:00:00Z',
      },
      'Europe/Madrid',
      [],
    );
    await changeProcurementStatus(stack.ports, {
      tenantId: 'a',
      planDate: PLAN_DATE,
      version: 1,
      to: 'pending_approval',
      by: 'manager',
    });
    for (let run = 0; run < 3; run += 1) expect((await stack.relay.pump()).retryFrom).toBeDefined();
    expect(stack.bus.published).toHaveLength(1);
    expect(stack.metricRecords.filter((m) => m.name === 'EventsWaiting').length).toBe(3);
    expect(stack.metricRecords.filter((m) => m.name === 'EventDeadLetters')).toEqual([]);
    outage.down = false;
    const back = await stack.relay.pump();
    expect(back.retryFrom).toBeUndefined();
    const ids = stack.bus.published.map((e) => e.detail.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(stack.bus.published.map((e) => e.detailType)).toEqual([
      'plan.escalation.unapproved',
      'plan.escalation.unapproved',
      'plan.escalation.unapproved',
      'plan.escalation.unapproved',
      'procurement.plan.status_changed',
    ]);
  });

  it('dead-letters an event the bus refuses for itself, at once for a permanent code, and publishes the rest', async () => {
    const stack = await testStack();
    for (let i = 0; i < 3; i += 1) await claim(stack, i);
    const refused = escalation(1).detail.eventId;
    stack.relay.usePorts(() => ({
      ...stack.ports,
      events: {
        publish: async (events) => {
          if (events.some((e) => e.detail.eventId === refused))
            throw new PublishRefusedError('MalformedDetail', true, [refused]);
          await stack.bus.publish(events);
        },
      },
    }));
    expect(await stack.relay.pump()).toEqual({ published: 2, deadLettered: 1 });
    expect(stack.bus.published.map((e) => planOf(e)?.planId)).toEqual(['p0', 'p2']);
    expect(stack.metricRecords.filter((m) => m.name === 'EventDeadLetters')).toHaveLength(1);
  });
});

describe('the relay’s dead-letter rule for transient refusals', () => {
  const item = (hoursAgo: number, now: Date, i = 0): ChangedItem => ({
    sequence: String(i),
    tenantId: 'a',
    changedAt: new Date(now.getTime() - hoursAgo * 3_600_000),
    events: [escalation(i)],
    earlierEventIds: [],
  });

  it('waits while the refusal is younger than the limit, dead-letters after, and never for an unreachable bus', async () => {
    const stack = await testStack();
    const now = new Date('2026-11-28T12:00:00Z');
    stack.setNow(now);
    const throttled = {
      publish: async () => {
        throw new PublishRefusedError('ThrottlingException', false);
      },
    };
    const unreachable = {
      publish: async () => {
        throw new Error('connect ETIMEDOUT');
      },
    };
    const young = await relayEvents({ ...stack.ports, events: throttled }, [item(1, now)]);
    expect(young).toEqual({ published: 0, deadLettered: 0, retryFrom: '0' });
    const old = await relayEvents({ ...stack.ports, events: throttled }, [
      item(TRANSIENT_REFUSAL_DEAD_LETTER_HOURS + 1, now),
      item(0, now, 1),
    ]);
    expect(old).toEqual({ published: 0, deadLettered: 1, retryFrom: '1' });
    const down = await relayEvents({ ...stack.ports, events: unreachable }, [item(20, now)]);
    expect(down).toEqual({ published: 0, deadLettered: 0, retryFrom: '0' });
  });
});

describe('the upgrade from outbox items', () => {
  it('puts every outbox event back on the stream, and the relay publishes it with its id', async () => {
    const stack = await testStack();
    const event = escalation(7);
    await stack.table.doc.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: { PK: 'TENANT#a', SK: `OUTBOX#${event.detail.eventId}`, type: 'OutboxEntry', event, attempts: 2 },
      }),
    );
    expect(await replayOutbox(stack.table)).toBe(1);
    expect(await stack.relay.pump()).toEqual({ published: 1, deadLettered: 0 });
    expect(stack.bus.published.map((e) => e.detail.eventId)).toEqual([event.detail.eventId]);
    expect(await replayOutbox(stack.table)).toBe(0);
  });
});
