// Zone names, zone changes and catch-ups on DynamoDB Local, through the API and the real handlers.

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApiHandler } from '../../functions/api/handler.ts';
import { createFanOutHandler } from '../../functions/fan-out/handler.ts';
import { createMissedFiringsHandler } from '../../functions/missed-firings/handler.ts';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { keys } from '../../lib/aws/dynamodb/table-layout.ts';
import { planOf } from '../../lib/events/catalogue.ts';
import type { JobName } from '../../lib/jobs/job-table.ts';
import { adminClaims, apiEvent, tenantClaims } from '../support/api.ts';
import { seedBakery, smallCatalog, steadySales, type TestStack, tenant, testStack } from '../support/local-stack.ts';

const context = {} as Context;

async function call(stack: TestStack, method: string, path: string, options: Parameters<typeof apiEvent>[2] = {}) {
  const response = await createApiHandler(() => stack.ports)(apiEvent(method, path, options), context);
  return { status: response.statusCode!, body: JSON.parse(String(response.body)) as Record<string, any> };
}

const drain = (stack: TestStack) =>
  stack.queue.drain((event) =>
    createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    )(event, context),
  );

async function fire(stack: TestStack, job: JobName, timezone: string, scheduledTime: string) {
  stack.setNow(new Date(scheduledTime));
  const result = await createFanOutHandler(() => stack.ports)({ job, timezone, scheduledTime }, context);
  await drain(stack);
  return result;
}

describe('zone names on write', () => {
  it('stores any spelling or alias of a zone under its canonical name: one zone, one set of schedules', async () => {
    const stack = await testStack();
    for (const [id, zone] of [
      ['t1', 'europe/madrid'],
      ['t2', 'EUROPE/MADRID'],
      ['t3', 'Asia/Calcutta'],
      ['t4', 'US/Eastern'],
    ]) {
      const created = await call(stack, 'POST', '/tenants', {
        claims: adminClaims,
        body: { tenantId: id, name: id, timezone: zone },
      });
      expect(created.status).toBe(201);
    }
    expect((await stack.ports.tenants.getTenant('t1'))!.timezone).toBe('Europe/Madrid');
    expect((await stack.ports.tenants.listZones()).map((z) => [z.timezone, z.tenants])).toEqual([
      ['America/New_York', 1],
      ['Asia/Kolkata', 1],
      ['Europe/Madrid', 2],
    ]);
  });

  it('merges tenants stored under an alias into the canonical zone with the one-off migration', async () => {
    const stack = await testStack();
    await stack.ports.tenants.putTenant(tenant('modern', 'America/New_York'));
    // Written before names were canonical: the tenant, its index entry and the alias zone's count.
    await stack.table.doc.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: {
          ...keys.tenant('legacy'),
          ...keys.tenantZoneIndex('legacy', 'US/Eastern'),
          type: 'Tenant',
          tenantId: 'legacy',
          name: 'Legacy',
          timezone: 'US/Eastern',
          demo: false,
          createdAt: '2025-01-01T00:00:00Z',
        },
      }),
    );
    await stack.table.doc.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: { ...keys.zoneRegistry('US/Eastern'), timezone: 'US/Eastern', tenants: 1 },
      }),
    );
    const migrated = await call(stack, 'POST', '/zones/canonicalize', { claims: adminClaims });
    expect(migrated.body.moved).toEqual([{ from: 'US/Eastern', to: 'America/New_York', tenants: 1 }]);
    expect((await stack.ports.tenants.listZones()).map((z) => [z.timezone, z.tenants])).toEqual([
      ['America/New_York', 2],
    ]);
    expect((await stack.ports.tenants.listTenantsInZone('America/New_York')).map((t) => t.tenantId).sort()).toEqual([
      'legacy',
      'modern',
    ]);
    expect((await call(stack, 'POST', '/zones/canonicalize', { claims: adminClaims })).body.moved).toEqual([]);
  });
});

describe('a zone change', () => {
  it('plans the date neither zone would (Los Angeles → Madrid at 06:00Z), marked as a catch-up, and Madrid plans on from the next day', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('mover', 'America/Los_Angeles'), '2027-01-15');
    await fire(stack, 'production', 'America/Los_Angeles', '2027-01-14T13:30:00Z'); // 05:30 in LA on the 14th
    stack.setNow(new Date('2027-01-15T06:00:00Z'));
    const moved = await call(stack, 'PUT', '/tenants/mover', {
      claims: tenantClaims('mover'),
      body: { timezone: 'Europe/Madrid' },
    });
    // The 15th neither zone plans; the 11th–14th Los Angeles fired within the last 96 hours are enqueued
    // again (a fan-out may not have seen the tenant), and their reviews, due: the worker runs each once.
    const all = ['production', 'cleanup', 'procurement', 'review'];
    expect(moved.body.catchUp).toEqual([
      { planDate: '2027-01-11', jobs: all },
      { planDate: '2027-01-12', jobs: all },
      { planDate: '2027-01-13', jobs: all },
      { planDate: '2027-01-14', jobs: all },
      { planDate: '2027-01-15', jobs: ['production', 'cleanup', 'procurement'] },
    ]);
    await drain(stack);
    const schedule = await stack.ports.plans.getProductionSchedule('mover', '2027-01-15');
    const plan = await stack.ports.plans.getProcurementPlan('mover', '2027-01-15', 1);
    expect(schedule?.plan.catchUp).toBe(true);
    expect(plan?.plan.catchUp).toBe(true);
    expect(Date.parse(plan!.plan.generatedAt)).toBeGreaterThanOrEqual(Date.parse(schedule!.plan.generatedAt));
    // The old zone no longer lists the tenant; Madrid's firing of the 16th plans it as usual.
    expect(await fire(stack, 'production', 'America/Los_Angeles', '2027-01-15T13:30:00Z')).toMatchObject({
      enqueued: 0,
    });
    expect(await fire(stack, 'production', 'Europe/Madrid', '2027-01-16T04:30:00Z')).toMatchObject({
      enqueued: 1,
      skippedHandover: 0,
    });
    expect((await stack.ports.plans.getProductionSchedule('mover', '2027-01-16'))?.plan.catchUp).toBeUndefined();
  });

  it("does not run a date twice after a move west: the new zone's firing skips what the old zone planned", async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('west', 'Europe/Madrid'), '2027-01-15');
    await fire(stack, 'production', 'Europe/Madrid', '2027-01-15T04:30:00Z');
    stack.setNow(new Date('2027-01-15T06:00:00Z'));
    expect(
      (
        await call(stack, 'PUT', '/tenants/west', {
          claims: tenantClaims('west'),
          body: { timezone: 'America/Los_Angeles' },
        })
      ).body.catchUp.map((s: { planDate: string }) => s.planDate),
    ).toEqual(['2027-01-12', '2027-01-13', '2027-01-14', '2027-01-15']);
    await drain(stack);
    const schedule = await stack.ports.plans.getProductionSchedule('west', '2027-01-15');
    expect(schedule?.plan.catchUp).toBeUndefined(); // Madrid's firing made it; the catch-up found it done
    expect(await fire(stack, 'production', 'America/Los_Angeles', '2027-01-15T13:30:00Z')).toMatchObject({
      enqueued: 0,
      skippedHandover: 1,
    });
    expect(await fire(stack, 'production', 'America/Los_Angeles', '2027-01-16T13:30:00Z')).toMatchObject({
      enqueued: 1,
      skippedHandover: 0,
    });
  });
});

describe("the day's review after a change", () => {
  // The day's escalations (a move also enqueues the old zone's last days again: their plans are not the day's).
  const escalated = (stack: TestStack) =>
    stack.bus.published.filter(
      (e) => e.detailType === 'plan.escalation.unapproved' && planOf(e)?.planDate === '2027-01-15',
    ).length;

  it('escalates at the deadline of the new zone after a move, not at the old one (Madrid → Azores on the day)', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), '2027-01-15');
    await fire(stack, 'production', 'Europe/Madrid', '2027-01-15T04:30:00Z');
    await fire(stack, 'procurement', 'Europe/Madrid', '2027-01-15T05:00:00Z');
    // 08:00 in Madrid, 06:00 in the Azores: both plans wait for a person, the 10:00 deadline is ahead in both zones.
    stack.setNow(new Date('2027-01-15T07:00:00Z'));
    expect(
      (await call(stack, 'PUT', '/tenants/a', { claims: tenantClaims('a'), body: { timezone: 'Atlantic/Azores' } }))
        .status,
    ).toBe(200);
    expect(await fire(stack, 'review', 'Europe/Madrid', '2027-01-15T09:00:00Z')).toMatchObject({ enqueued: 0 });
    expect(escalated(stack)).toBe(0);
    expect(await fire(stack, 'review', 'Atlantic/Azores', '2027-01-15T11:00:00Z')).toMatchObject({ enqueued: 1 });
    expect(escalated(stack)).toBe(2);
  });

  it('escalates at once after a move east past the new zone’s deadline (New York → Madrid at 10:30 Madrid)', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'America/New_York'), '2027-01-15');
    await fire(stack, 'production', 'America/New_York', '2027-01-15T10:30:00Z');
    // 11:30 in Madrid (its 10:00 firing is over), 06:30 in New York: the day's plan still waits.
    stack.setNow(new Date('2027-01-15T10:30:00Z'));
    await call(stack, 'PUT', '/tenants/a', { claims: tenantClaims('a'), body: { timezone: 'Europe/Madrid' } });
    await drain(stack);
    // The catch-up makes the day's procurement plan (neither zone's 06:00 will), then reviews: both wait.
    expect(escalated(stack)).toBe(2);
    expect(await fire(stack, 'review', 'America/New_York', '2027-01-15T15:00:00Z')).toMatchObject({ enqueued: 0 });
    expect(escalated(stack)).toBe(2);
  });

  it('escalates at the new deadline after a change of deadline on the day, once', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), '2027-01-15');
    await fire(stack, 'production', 'Europe/Madrid', '2027-01-15T04:30:00Z');
    stack.setNow(new Date('2027-01-15T08:00:00Z'));
    await call(stack, 'PUT', '/tenants/a', { claims: tenantClaims('a'), body: { reviewDeadline: '12:00' } });
    expect(await fire(stack, 'review', 'Europe/Madrid', '2027-01-15T09:00:00Z')).toMatchObject({ enqueued: 0 });
    expect(await fire(stack, 'review', 'Europe/Madrid', '2027-01-15T11:00:00Z')).toMatchObject({ enqueued: 1 });
    expect(escalated(stack)).toBe(1);
    expect(await fire(stack, 'review', 'Europe/Madrid', '2027-01-15T12:00:00Z')).toMatchObject({ enqueued: 0 });
  });
});

describe('catch-ups', () => {
  it('plans today, in order and marked, for a tenant created after the morning jobs, once its data is in', async () => {
    const stack = await testStack();
    stack.setNow(new Date('2027-01-15T09:00:00Z')); // 10:00 in Madrid
    const created = await call(stack, 'POST', '/tenants', {
      claims: adminClaims,
      body: { tenantId: 'late', name: 'Late bakery', timezone: 'Europe/Madrid' },
    });
    expect(created.body.catchUpDue).toEqual([
      { planDate: '2027-01-15', jobs: ['production', 'cleanup', 'procurement', 'review'] },
    ]);
    expect(stack.queue.depth).toBe(0);
    await stack.ports.catalog.putCatalog('late', smallCatalog());
    await stack.ports.sales.putSales('late', steadySales('2027-01-15'));
    const requested = await call(stack, 'POST', '/tenants/late/catch-up', { claims: tenantClaims('late') });
    expect(requested).toMatchObject({
      status: 202,
      body: { planDate: '2027-01-15', jobs: ['production', 'cleanup', 'procurement', 'review'] },
    });
    await drain(stack);
    expect((await stack.ports.plans.getProductionSchedule('late', '2027-01-15'))?.plan.catchUp).toBe(true);
    expect((await stack.ports.plans.getProcurementPlan('late', '2027-01-15', 1))?.plan.catchUp).toBe(true);
    expect(
      stack.logLines.filter((l) => String(l.message).startsWith('No production schedule for the plan date')),
    ).toEqual([]);
  });

  it("plans a new tenant's first day by itself once its catalog is in, and says when it does not", async () => {
    const stack = await testStack();
    stack.setNow(new Date('2027-01-15T09:00:00Z')); // 10:00 in Madrid: the morning's jobs ran
    await call(stack, 'POST', '/tenants', {
      claims: adminClaims,
      body: { tenantId: 'late', name: 'A new bakery', timezone: 'Europe/Madrid' },
    });
    await stack.ports.sales.putSales('late', steadySales('2027-01-15'));
    const put = (tenantId: string) =>
      createApiHandler(() => stack.ports)(
        apiEvent('PUT', `/tenants/${tenantId}/catalog`, { claims: tenantClaims(tenantId), body: smallCatalog() }),
        context,
      );
    const first = await put('late');
    expect(first.statusCode).toBe(200);
    expect(first.headers?.['first-day']).toBe('planning 2027-01-15: production, cleanup, procurement, review');
    await drain(stack);
    expect((await stack.ports.plans.getProductionSchedule('late', '2027-01-15'))?.plan.catchUp).toBe(true);
    expect((await stack.ports.plans.getProcurementPlan('late', '2027-01-15', 1))?.plan.catchUp).toBe(true);
    // A new tenant without sales yet: its sales import plans the day, not the catalog.
    stack.setNow(new Date('2027-01-15T09:00:00Z'));
    await call(stack, 'POST', '/tenants', {
      claims: adminClaims,
      body: { tenantId: 'bare', name: 'No history yet', timezone: 'Europe/Madrid' },
    });
    expect((await put('bare')).headers?.['first-day']).toBe(
      'not planned now: no sales yet: the sales import plans today (or run planner catch-up to plan without history)',
    );
    const sales = createApiHandler(() => stack.ports)(
      apiEvent('POST', '/tenants/bare/sales', {
        claims: tenantClaims('bare'),
        body: { rows: [{ productId: smallCatalog().products[0]!.productId, date: '2027-01-14', units: 40 }] },
      }),
      context,
    );
    expect((await sales).headers?.['first-day']).toBe('planning 2027-01-15: production, cleanup, procurement, review');
    await drain(stack);
    expect((await stack.ports.plans.getProductionSchedule('bare', '2027-01-15'))?.plan.catchUp).toBe(true);
    // The same catalog again: the day is planned already.
    expect((await put('late')).headers?.['first-day']).toBe('not planned now: today is planned already');
    // The next day the schedules plan it: a catalog import starts nothing.
    stack.setNow(new Date('2027-01-16T09:00:00Z'));
    expect((await put('late')).headers?.['first-day']).toBe(
      'not planned now: not created today: the schedules plan it',
    );
    expect(stack.queue.depth).toBe(0);
    // A tenant created before the morning's jobs is planned by them.
    stack.setNow(new Date('2027-01-17T03:00:00Z'));
    await call(stack, 'POST', '/tenants', {
      claims: adminClaims,
      body: { tenantId: 'dawn', name: 'An early bakery', timezone: 'Europe/Madrid' },
    });
    await stack.ports.sales.putSales('dawn', steadySales('2027-01-17'));
    expect((await put('dawn')).headers?.['first-day']).toBe(
      "not planned now: none of today's jobs is due yet: the schedules plan it",
    );
    expect(stack.queue.depth).toBe(0);
  });

  it("fans out a zone whose firing did not run, one job per sweep in the day's order, and only once", async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('k', 'Asia/Kathmandu'), '2027-01-15');
    for (const job of ['production', 'cleanup', 'procurement'] as const)
      await stack.ports.tenants.recordZoneRun('Asia/Kathmandu', job, '2027-01-14');
    const sweep = async (at: string) => {
      stack.setNow(new Date(at));
      const results = await createMissedFiringsHandler(() => stack.ports)({}, context);
      await drain(stack);
      return results.map((r) => [r.job, r.planDate, r.enqueued]);
    };
    // 06:15 in Kathmandu on the 15th: production (05:30) is 45 minutes late; procurement (06:00) not yet 20.
    expect(await sweep('2027-01-15T00:30:00Z')).toEqual([['production', '2027-01-15', 1]]);
    expect(await sweep('2027-01-15T00:45:00Z')).toEqual([['cleanup', '2027-01-15', 1]]);
    expect(await sweep('2027-01-15T01:00:00Z')).toEqual([['procurement', '2027-01-15', 1]]);
    expect(await sweep('2027-01-15T01:15:00Z')).toEqual([]);
    expect((await stack.ports.plans.getProductionSchedule('k', '2027-01-15'))?.plan.catchUp).toBe(true);
    expect((await stack.ports.plans.getProcurementPlan('k', '2027-01-15', 1))?.plan.catchUp).toBe(true);
    expect(
      stack.metricRecords.filter((m) => m.name === 'SchedulerErrors' && m.dimensions.ErrorType === 'MissedFiring'),
    ).toHaveLength(3);
  });
});

describe('time edges', () => {
  const sweep = async (stack: TestStack, at: string) => {
    stack.setNow(new Date(at));
    const results = await createMissedFiringsHandler(() => stack.ports)({}, context);
    await drain(stack);
    return results.map((r) => [r.job, r.planDate, r.enqueued]);
  };
  const escalatedOn = (stack: TestStack, planDate: string) =>
    stack.bus.published
      .filter((e) => e.detailType === 'plan.escalation.unapproved' && planOf(e)?.planDate === planDate)
      .map((e) => planOf(e)?.planId)
      .sort();

  it('checks a 23:00 deadline that Nuuk skips at its midnight firing, the first instant after it', async () => {
    const stack = await testStack();
    await seedBakery(stack, { ...tenant('n', 'America/Nuuk'), reviewDeadline: '23:00' }, '2026-03-28');
    await fire(stack, 'production', 'America/Nuuk', '2026-03-28T07:30:00Z');
    // 22:00 fires (deadline 22:00 only); 23:00 does not exist that night; midnight checks 23:00 of the 28th.
    expect(await fire(stack, 'review', 'America/Nuuk', '2026-03-29T00:00:00Z')).toMatchObject({ enqueued: 0 });
    expect(await fire(stack, 'review', 'America/Nuuk', '2026-03-29T01:00:00Z')).toMatchObject({
      planDate: '2026-03-28',
      enqueued: 1,
    });
    expect(escalatedOn(stack, '2026-03-28')).toEqual(['prod-n-2026-03-28']);
  });

  it('catches up every missed review hour of an outage, not only the last (Madrid, Scheduler down 08:10–14:10)', async () => {
    const stack = await testStack();
    for (const hour of ['09', '10', '11', '12'])
      await seedBakery(stack, { ...tenant(`t${hour}`, 'Europe/Madrid'), reviewDeadline: `${hour}:00` }, '2027-01-15');
    await fire(stack, 'production', 'Europe/Madrid', '2027-01-15T04:30:00Z');
    await fire(stack, 'review', 'Europe/Madrid', '2027-01-15T07:00:00Z'); // 08:00, before the outage
    // The Scheduler is back at 14:10 Madrid: 15:00 fires, then the sweep finds 09:00–14:00 unrecorded.
    await fire(stack, 'review', 'Europe/Madrid', '2027-01-15T14:00:00Z');
    expect(await sweep(stack, '2027-01-15T14:25:00Z')).toEqual([
      ['review', '2027-01-15', 1],
      ['review', '2027-01-15', 1],
      ['review', '2027-01-15', 1],
      ['review', '2027-01-15', 1],
      ['review', '2027-01-15', 0],
      ['review', '2027-01-15', 0],
    ]);
    expect(escalatedOn(stack, '2027-01-15')).toEqual([
      'prod-t09-2027-01-15',
      'prod-t10-2027-01-15',
      'prod-t11-2027-01-15',
      'prod-t12-2027-01-15',
    ]);
    expect(await sweep(stack, '2027-01-15T14:40:00Z')).toEqual([]);
  });

  it('plans the date of a firing whose fan-out reads the zone after the tenant left (Madrid → New York at 04:30:01Z)', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('a', 'Europe/Madrid'), '2027-01-15');
    stack.setNow(new Date('2027-01-15T04:30:01Z'));
    await call(stack, 'PUT', '/tenants/a', { claims: tenantClaims('a'), body: { timezone: 'America/New_York' } });
    // Madrid's 05:30 firing of the 15th is read a second later: the tenant is no longer there.
    stack.setNow(new Date('2027-01-15T04:30:02Z'));
    expect(
      await createFanOutHandler(() => stack.ports)(
        { job: 'production', timezone: 'Europe/Madrid', scheduledTime: '2027-01-15T04:30:00Z' },
        context,
      ),
    ).toMatchObject({ enqueued: 0 });
    await drain(stack);
    expect((await stack.ports.plans.getProductionSchedule('a', '2027-01-15'))?.plan.catchUp).toBe(true);
    // New York's firing of the 15th skips it: planned once.
    expect(await fire(stack, 'production', 'America/New_York', '2027-01-15T10:30:00Z')).toMatchObject({
      enqueued: 0,
      skippedHandover: 1,
    });
  });

  it("escalates a schedule first when a catch-up's cleanup of the next day runs before the day's review, once due", async () => {
    // A catch-up runs each date's jobs side by side: the 16th's cleanup may expire the 15th's schedule
    // before the 15th's review escalates it.
    const cleanupOf16th = (trigger: 'catch-up' | 'scheduled', tenantId: string) =>
      JSON.stringify({
        job: 'cleanup',
        tenantId,
        timezone: 'Europe/Madrid',
        planDate: '2027-01-16',
        trigger,
        scheduledTime: '2027-01-16T04:50:00Z',
        idempotencyKey: `${tenantId}#cleanup#2027-01-16`,
      });
    const stack = await testStack();
    for (const id of ['late', 'early', 'scheduled'])
      await seedBakery(stack, { ...tenant(id, 'Europe/Madrid'), reviewDeadline: '10:00' }, '2027-01-15');
    await stack.ports.tenants.putTenant({ ...tenant('early', 'America/Los_Angeles'), reviewDeadline: '23:00' });
    await fire(stack, 'production', 'Europe/Madrid', '2027-01-15T04:30:00Z');
    await fire(stack, 'production', 'America/Los_Angeles', '2027-01-15T13:30:00Z');
    // At 05:00Z on the 16th: 06:00 in Madrid, the 15th's deadline long past; 21:00 on the 15th in Los
    // Angeles, two hours before its deadline.
    stack.setNow(new Date('2027-01-16T05:00:00Z'));
    stack.queue.send(cleanupOf16th('catch-up', 'late'));
    stack.queue.send(cleanupOf16th('catch-up', 'early'));
    stack.queue.send(cleanupOf16th('scheduled', 'scheduled'));
    await drain(stack);
    // Only the catch-up escalates, and only once due in the tenant's zone, before the schedule expires.
    expect(escalatedOn(stack, '2027-01-15')).toEqual(['prod-late-2027-01-15']);
    const escalation = stack.bus.published.find((e) => e.detailType === 'plan.escalation.unapproved')!;
    expect(escalation.detail.occurredAt).toBe('2027-01-16T05:00:00.000Z');
    for (const id of ['late', 'scheduled'])
      expect((await stack.ports.plans.getProductionSchedule(id, '2027-01-15'))?.plan.status).toBe('expired');
  });

  it('catches up both dates of an outage spanning two firings in order (Antarctica/Troll, 23 hours)', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('t', 'Antarctica/Troll'), '2026-03-29');
    for (const job of ['production', 'cleanup', 'procurement'] as const)
      await stack.ports.tenants.recordZoneRun('Antarctica/Troll', job, '2026-03-27');
    // Troll's day of the 28th lasts 22 hours (+00 → +02): production fires at 05:30Z on the 28th and at
    // 03:30Z on the 29th. The Scheduler is down from 05:00Z on the 28th to 04:00Z on the 29th: both missed.
    const caught: unknown[] = [];
    for (const at of ['04:30', '04:45', '05:00', '05:15', '05:30', '05:45', '06:00'])
      caught.push(...(await sweep(stack, `2026-03-29T${at}:00Z`)));
    expect(caught).toEqual([
      ['production', '2026-03-28', 1],
      ['cleanup', '2026-03-28', 1],
      ['procurement', '2026-03-28', 1],
      ['production', '2026-03-29', 1],
      ['cleanup', '2026-03-29', 1],
      ['procurement', '2026-03-29', 1],
    ]);
    for (const date of ['2026-03-28', '2026-03-29'])
      expect((await stack.ports.plans.getProcurementPlan('t', date, 1))?.plan.catchUp).toBe(true);
  });
});
