import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../functions/api/handler.ts';
import { createFanOutHandler } from '../../functions/fan-out/handler.ts';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { ROUTE_LIMITS } from '../../lib/api/router.ts';
import { importSales } from '../../lib/app/bakery-data.ts';
import { LIMITS } from '../../lib/input/grammar.ts';
import { addDays } from '../../lib/time/tenant-clock.ts';
import { adminClaims, apiEvent, tenantClaims } from '../support/api.ts';
import { commandLog } from '../support/command-log.ts';
import { seedBakery, smallCatalog, type TestStack, tenant, testStack } from '../support/local-stack.ts';

const context = {} as Context;
const PLAN_DATE = '2026-11-28';
const PLAN = `/tenants/a/procurement-plans/${PLAN_DATE}/versions/1`;

let stack: TestStack;
let api: ReturnType<typeof createApiHandler>;

async function call(method: string, path: string, options: Parameters<typeof apiEvent>[2] = {}) {
  const response = await api(apiEvent(method, path, options), context);
  return { status: response.statusCode!, body: JSON.parse(String(response.body)) as Record<string, any> };
}

/** Items of tenant data and plans (the per-tenant request counters of the limits are not the request's writes). */
async function itemCount(): Promise<number> {
  const result = await stack.table.doc.send(
    new ScanCommand({
      TableName: stack.tableName,
      Select: 'COUNT',
      FilterExpression: 'NOT begins_with(PK, :limit)',
      ExpressionAttributeValues: { ':limit': 'LIMIT#' },
    }),
  );
  return result.Count ?? 0;
}

async function drain() {
  await stack.queue.drain((event) =>
    createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    )(event, context),
  );
}

async function planDay(job: 'production' | 'procurement', scheduledTime: string) {
  stack.setNow(new Date(scheduledTime));
  await createFanOutHandler(() => stack.ports)({ job, timezone: 'Europe/Madrid', scheduledTime }, context);
  await drain();
}

beforeAll(async () => {
  stack = await testStack();
  api = createApiHandler(() => stack.ports);
  await seedBakery(stack, tenant('a', 'Europe/Madrid'), PLAN_DATE);
  await seedBakery(stack, tenant('b', 'Europe/Madrid'), PLAN_DATE);
  await planDay('production', '2026-11-28T04:30:00Z');
  await planDay('procurement', '2026-11-28T05:00:00Z');
});

const validCatalog = smallCatalog();
const ROUTES: { method: string; path: string; access: 'tenant' | 'admin'; invalid?: unknown }[] = [
  { method: 'GET', path: '/tenants', access: 'admin' },
  {
    method: 'POST',
    path: '/tenants',
    access: 'admin',
    invalid: { tenantId: 'c', name: 'C', timezone: 'Mars/Olympus' },
  },
  { method: 'GET', path: '/tenants/a', access: 'tenant' },
  { method: 'PUT', path: '/tenants/a', access: 'tenant', invalid: { timezone: 'Europe/Atlantis' } },
  { method: 'GET', path: '/tenants/a/catalog', access: 'tenant' },
  {
    method: 'PUT',
    path: '/tenants/a/catalog',
    access: 'tenant',
    invalid: { ...validCatalog, products: [{ ...validCatalog.products[0], recipeId: 'nope' }] },
  },
  { method: 'GET', path: '/tenants/a/stock', access: 'tenant' },
  {
    method: 'PUT',
    path: '/tenants/a/stock',
    access: 'tenant',
    invalid: { finishedGoods: [{ productId: 'cookie', quantity: -3, producedOn: '2026-11-27' }], ingredients: [] },
  },
  {
    method: 'POST',
    path: '/tenants/a/sales',
    access: 'tenant',
    invalid: { rows: [{ productId: 'cookie', date: '28/11/2026', units: 4 }] },
  },
  { method: 'POST', path: '/tenants/a/drivers', access: 'tenant' }, // CSV only: its errors name the line (tested below)
  { method: 'GET', path: '/tenants/a/production-schedules', access: 'tenant' },
  { method: 'GET', path: `/tenants/a/production-schedules/${PLAN_DATE}`, access: 'tenant' },
  { method: 'GET', path: '/tenants/a/procurement-plans', access: 'tenant' },
  { method: 'GET', path: PLAN, access: 'tenant' },
  { method: 'POST', path: `${PLAN}/status`, access: 'tenant', invalid: { status: 'shipped' } },
  {
    method: 'POST',
    path: `${PLAN}/modifications`,
    access: 'tenant',
    invalid: { changes: [{ ingredientId: 'flour', orderQuantity: -1 }], reason: 'x' },
  },
  { method: 'GET', path: '/tenants/a/forecasts', access: 'tenant' },
  { method: 'GET', path: '/tenants/a/forecast-cache/stats', access: 'tenant' },
  { method: 'DELETE', path: '/tenants/a/forecast-cache', access: 'tenant' },
  { method: 'DELETE', path: '/tenants/a/forecast-cache/products/cookie', access: 'tenant' },
  { method: 'DELETE', path: '/forecast-cache', access: 'admin' },
  { method: 'POST', path: '/runs', access: 'admin', invalid: { job: 'baking' } },
];

describe('every route', () => {
  it.each(ROUTES)('$method $path needs a token (401)', async ({ method, path }) => {
    const response = await call(method, path, { body: {} });
    expect(response.status).toBe(401);
    expect(response.body.error).toMatch(/bearer token/);
  });

  it.each(ROUTES.filter((r) => r.access === 'tenant'))(
    '$method $path refuses another tenant’s token (403)',
    async ({ method, path }) => {
      const response = await call(method, path, { claims: tenantClaims('b'), body: {} });
      expect(response.status).toBe(403);
      expect(response.body.error).toContain('cannot act on tenant "a"');
    },
  );

  it.each(ROUTES.filter((r) => r.access === 'admin'))(
    '$method $path refuses a non-admin (403)',
    async ({ method, path }) => {
      const response = await call(method, path, { claims: tenantClaims('a'), body: {} });
      expect(response.status).toBe(403);
    },
  );

  it.each(ROUTES.filter((r) => r.invalid !== undefined))(
    '$method $path answers 400 naming the field, and writes nothing',
    async ({ method, path, access, invalid }) => {
      const before = await itemCount();
      const response = await call(method, path, {
        claims: access === 'admin' ? adminClaims : tenantClaims('a'),
        body: invalid,
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(/Invalid request: \w+/);
      expect(await itemCount()).toBe(before);
    },
  );
});

describe('tenants, catalog, stock and sales', () => {
  it('refuses stock naming a product, ingredient or supplier outside the catalog, naming each, and keeps the stock', async () => {
    const before = await call('GET', '/tenants/a/stock', { claims: adminClaims });
    const refused = await call('PUT', '/tenants/a/stock', {
      claims: adminClaims,
      body: {
        finishedGoods: [{ productId: 'croissant', quantity: 3, producedOn: PLAN_DATE }],
        ingredients: [{ ingredientId: 'flour', quantity: 10, expiresOn: '2026-12-30' }],
        openOrders: [{ ingredientId: 'saffron', quantity: 1, arrivesOn: '2026-11-30', supplierId: 'nowhere' }],
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.field).toBe('finishedGoods.0.productId');
    expect(refused.body.issues.map((i: { path: unknown[] }) => i.path.join('.'))).toEqual([
      'finishedGoods.0.productId',
      'openOrders.0.ingredientId',
      'openOrders.0.supplierId',
    ]);
    expect(refused.body.error).toContain('product "croissant" is not in the catalog');
    expect(await call('GET', '/tenants/a/stock', { claims: adminClaims })).toEqual(before);
  });

  it('creates a tenant with a valid timezone and rejects a duplicate', async () => {
    const created = await call('POST', '/tenants', {
      claims: adminClaims,
      body: { tenantId: 'c', name: 'Café C', timezone: 'Asia/Kathmandu' },
    });
    expect(created).toMatchObject({ status: 201, body: { tenantId: 'c', timezone: 'Asia/Kathmandu', demo: false } });
    expect(
      (await call('POST', '/tenants', { claims: adminClaims, body: { tenantId: 'c', name: 'Again' } })).status,
    ).toBe(409);
    const list = await call('GET', '/tenants', { claims: adminClaims });
    // A zone nobody used starts its run records with its last firings (the sweep replays nothing before).
    expect(list.body.zones).toEqual(
      expect.arrayContaining([
        {
          timezone: 'Asia/Kathmandu',
          tenants: 1,
          runs: {
            'model-refit': ['2026-11-28'],
            production: ['2026-11-28'],
            cleanup: ['2026-11-28'],
            procurement: ['2026-11-28'],
            review: ['2026-11-28T10:00'],
          },
        },
      ]),
    );
  });

  it('lets only an admin change the demo flag', async () => {
    expect((await call('PUT', '/tenants/b', { claims: tenantClaims('b'), body: { demo: true } })).status).toBe(403);
    expect(
      (await call('PUT', '/tenants/b', { claims: tenantClaims('b'), body: { name: 'Boulangerie B' } })).body.name,
    ).toBe('Boulangerie B');
  });

  it('imports sales from CSV and from JSON', async () => {
    const csv = await call('POST', '/tenants/b/sales', {
      claims: tenantClaims('b'),
      contentType: 'text/csv',
      body: 'productId,date,units\ncookie,2026-11-28,7\nbaguette,2026-11-28,90\n',
    });
    expect(csv).toEqual({
      status: 201,
      body: {
        imported: 2,
        products: 2,
        closedDates: 0,
        reopenedDates: 0,
        holidays: 0,
        salesThrough: '2026-11-28',
        warnings: [],
      },
    });
    const jsonImport = await call('POST', '/tenants/b/sales', {
      claims: tenantClaims('b'),
      body: { rows: [{ productId: 'cookie', date: '2026-11-29', units: 3 }], closedDates: ['2026-11-30'] },
    });
    expect(jsonImport.body).toEqual({
      imported: 1,
      products: 1,
      closedDates: 1,
      reopenedDates: 0,
      holidays: 0,
      salesThrough: '2026-11-30',
      warnings: [],
    });
    const history = await stack.ports.sales.getSales('b', '2026-11-28', '2026-11-30');
    expect(history.unitsByProduct.cookie).toEqual({ '2026-11-28': 7, '2026-11-29': 3 });
    expect(history.closedDates).toEqual(['2026-11-30']);
  });

  it("reads a daily import's catalog and month in one batch read, and writes the month once", async () => {
    const tenant = (await stack.ports.tenants.getTenant('b'))!;
    const { lines: commands, stop } = commandLog(stack.table.doc);
    try {
      await importSales(stack.ports, tenant, {
        rows: [
          { productId: 'cookie', date: '2026-11-27', units: 4 },
          { productId: 'baguette', date: '2026-11-27', units: 80 },
        ],
        closedDates: [],
        reopenedDates: [],
        holidays: [],
      });
    } finally {
      stop();
    }
    expect(commands).toEqual(['BatchGetItemCommand', 'PutItemCommand']);
    const history = await stack.ports.sales.getSales('b', '2026-11-27', '2026-11-29');
    expect(history.unitsByProduct.cookie).toEqual({ '2026-11-27': 4, '2026-11-28': 7, '2026-11-29': 3 });
  });

  it('proposes as closures the days of an import without any row, and stores nothing for them', async () => {
    const answer = await call('POST', '/tenants/b/sales', {
      claims: tenantClaims('b'),
      contentType: 'text/csv',
      // Five days of the span have no row for any product.
      body: 'productId,date,units\ncookie,2020-01-20,4\ncookie,2020-01-24,5\nbaguette,2020-01-27,80\n',
    });
    expect(answer.status).toBe(201);
    expect(answer.body.proposedClosures).toEqual([
      '2020-01-21',
      '2020-01-22',
      '2020-01-23',
      '2020-01-25',
      '2020-01-26',
    ]);
    expect(answer.body.warnings).toEqual([
      expect.stringMatching(
        /^5 days inside the import have no row for any product \(2020-01-21, 2020-01-22, 2020-01-23, 2020-01-25, 2020-01-26\): forecasts read them as missing, not as zero sales\. If the bakery was closed, declare them/,
      ),
    ]);
    const history = await stack.ports.sales.getSales('b', '2020-01-20', '2020-01-27');
    expect(Object.keys(history.unitsByProduct.cookie ?? {})).toEqual(['2020-01-20', '2020-01-24']);
    // Declared closed, a day is not proposed again.
    const declared = await call('POST', '/tenants/b/sales', {
      claims: tenantClaims('b'),
      body: {
        rows: [
          { productId: 'cookie', date: '2020-01-20', units: 4 },
          { productId: 'cookie', date: '2020-01-22', units: 4 },
        ],
        closedDates: ['2020-01-21'],
      },
    });
    expect(declared.body.proposedClosures).toBeUndefined();
  });

  it('imports the largest sales import it allows whole: the row limit over ten years of dates, in one request', async () => {
    const products = Math.ceil(LIMITS.salesRows / LIMITS.datesPerImport);
    const days = Math.floor(LIMITS.salesRows / products);
    const first = addDays('2026-11-27', -days + 1);
    const lines = ['productId,date,units'];
    for (let d = 0; d < days; d += 1)
      for (let p = 0; p < products; p += 1) lines.push(`big-${p},${addDays(first, d)},${(p + d) % 50}`);
    const body = `${lines.join('\n')}\n`;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(LIMITS.bodyBytes);
    // Sales name only catalog products: the catalog gets the imported ones first.
    const catalog = await stack.ports.catalog.getCatalog('b');
    await stack.ports.catalog.putCatalog('b', {
      ...catalog,
      products: [
        ...catalog.products,
        ...Array.from({ length: products }, (_, p) => ({
          ...catalog.products[0]!,
          productId: `big-${p}`,
          name: `Big ${p}`,
        })),
      ],
    });
    const response = await call('POST', '/tenants/b/sales', {
      claims: tenantClaims('b'),
      contentType: 'text/csv',
      body,
    });
    expect(response).toMatchObject({ status: 201, body: { imported: days * products, products } });
    const history = await stack.ports.sales.getSales('b', first, '2026-11-27');
    const imported = Object.entries(history.unitsByProduct).filter(([id]) => id.startsWith('big-'));
    expect(imported).toHaveLength(products);
    const stored = imported.reduce((t, [, byDate]) => t + Object.keys(byDate).length, 0);
    expect(stored).toBe(days * products);
    expect(history.unitsByProduct['big-3']?.[addDays(first, 100)]).toBe((3 + 100) % 50);
    await stack.ports.catalog.putCatalog('b', catalog); // the tests after it know b's own products
  });

  it('imports daily drivers from CSV, merging by date and driver, and names the line at fault', async () => {
    const first = await call('POST', '/tenants/b/drivers', {
      claims: tenantClaims('b'),
      contentType: 'text/csv',
      body: 'date,temperature\n2026-11-27,11.5\n2026-11-28,-2\n',
    });
    expect(first).toEqual({ status: 201, body: { imported: 2, drivers: ['temperature'], dates: 2 } });
    const second = await call('POST', '/tenants/b/drivers', {
      claims: tenantClaims('b'),
      contentType: 'text/csv',
      body: 'date,promotion,temperature\n2026-11-28,1,\n2026-11-29,0,9\n',
    });
    expect(second.body).toEqual({ imported: 2, drivers: ['temperature', 'promotion'], dates: 3 });
    const stored = (await stack.ports.drivers.getDrivers('b'))!;
    expect(stored.values['2026-11-27']![0]).toBe(11.5);
    expect(stored.values['2026-11-27']![1]).toBeNaN(); // promotion unknown that day
    expect(stored.values['2026-11-28']![0]).toBeNaN(); // the second import left the temperature empty: unknown
    expect(stored.values['2026-11-29']).toEqual([9, 0]);
    const bad = await call('POST', '/tenants/b/drivers', {
      claims: tenantClaims('b'),
      contentType: 'text/csv',
      body: 'date,temperature\n2026-11-30,warm\n',
    });
    expect(bad).toEqual({
      status: 400,
      body: {
        error: 'Line 2, temperature: "warm" is not a plain number such as 21.5 or -3 (leave it empty when unknown).',
        field: 'temperature',
        line: 2,
      },
    });
    expect((await stack.ports.drivers.getDrivers('b'))!.values['2026-11-30']).toBeUndefined();
  });

  it('serves forecasts saying whether they came from the cache', async () => {
    const hitsBefore = (await stack.ports.forecastCache.stats('b', stack.ports.now())).hits;
    const first = await call('GET', '/tenants/b/forecasts', {
      claims: tenantClaims('b'),
      query: { date: '2026-12-10' },
    });
    expect(first.body.forecasts.map((f: { cached: boolean }) => f.cached)).toEqual([false, false]);
    const second = await call('GET', '/tenants/b/forecasts', {
      claims: tenantClaims('b'),
      query: { date: '2026-12-10' },
    });
    expect(second.body.forecasts.map((f: { cached: boolean }) => f.cached)).toEqual([true, true]);
    expect((await call('GET', '/tenants/b/forecast-cache/stats', { claims: tenantClaims('b') })).body).toMatchObject({
      hits: hitsBefore + 2,
    });
  });
});

describe('the plan lifecycle through the API', () => {
  it('lets exactly one of a concurrent approve and reject win; the other gets 409, and the history has one entry', async () => {
    await seedBakery(stack, tenant('race', 'Europe/Madrid'), PLAN_DATE);
    await planDay('procurement', '2026-11-28T05:00:00Z');
    const path = `/tenants/race/procurement-plans/${PLAN_DATE}/versions/1/status`;
    const [approve, reject] = await Promise.all([
      call('POST', path, { claims: tenantClaims('race'), body: { status: 'approved', expectedRevision: 1 } }),
      call('POST', path, {
        claims: tenantClaims('race'),
        body: { status: 'rejected', reason: 'too expensive', expectedRevision: 1 },
      }),
    ]);
    expect([approve.status, reject.status].sort()).toEqual([200, 409]);
    const loser = approve.status === 409 ? approve : reject;
    expect(loser.body.error).toMatch(/changed meanwhile/);
    const plan = await call('GET', `/tenants/race/procurement-plans/${PLAN_DATE}/versions/1`, {
      claims: tenantClaims('race'),
    });
    expect(plan.body.history).toHaveLength(2); // generated, then the one change that won
    expect(plan.body.revision).toBe(2);
  });

  it('regenerates by itself after a stale-data rejection: cache invalidated, a new version linked to the rejected one', async () => {
    expect((await stack.ports.forecastCache.stats('a', stack.ports.now())).entries).toBeGreaterThan(0);
    await stack.relay.pump(); // what earlier tests' changes announced
    const published = stack.bus.published.length;
    const rejected = await call('POST', `${PLAN}/status`, {
      claims: tenantClaims('a'),
      body: { status: 'rejected', reason: 'Los datos ANTIGUOS del inventario' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.regeneration).toMatchObject({
      phrase: 'datos antiguos',
      job: { job: 'procurement', version: 2, supersedes: `proc-a-${PLAN_DATE}-v1`, trigger: 'regeneration' },
    });
    expect((await stack.ports.forecastCache.stats('a', stack.ports.now())).entries).toBe(0);
    await stack.relay.pump(); // the table stream's relay publishes the change's events
    expect(stack.bus.published.slice(published).map((e) => e.detailType)).toEqual([
      'procurement.plan.status_changed',
      'procurement.plan.rejected',
      'procurement.plan.regeneration_requested',
    ]);
    await drain(); // the bus rule put the job on the queue; the worker builds v2
    const v2 = await call('GET', `/tenants/a/procurement-plans/${PLAN_DATE}/versions/2`, { claims: tenantClaims('a') });
    expect(v2.body).toMatchObject({ status: 'draft', version: 2, supersedes: `proc-a-${PLAN_DATE}-v1` });
    const v1 = await call('GET', PLAN, { claims: tenantClaims('a') });
    expect(v1.body).toMatchObject({ status: 'rejected', version: 1 });
    expect(v1.body.history.at(-1)).toMatchObject({
      from: 'draft',
      to: 'rejected',
      by: 'user-of-a',
      reason: 'Los datos ANTIGUOS del inventario',
    });
    // The new version recomputed its forecasts (the invalidated cache missed).
    expect(
      stack.metricRecords.filter((r) => r.name === 'ForecastCacheMisses' && r.properties.tenantId === 'a').at(-1)
        ?.value,
    ).toBeGreaterThan(0);
  });

  it('does not regenerate for other reasons: it notifies and waits for a person', async () => {
    await seedBakery(stack, tenant('pricey', 'Europe/Madrid'), PLAN_DATE);
    await planDay('procurement', '2026-11-28T05:00:00Z');
    const sent = stack.queue.sent;
    const response = await call('POST', `/tenants/pricey/procurement-plans/${PLAN_DATE}/versions/1/status`, {
      claims: tenantClaims('pricey'),
      body: { status: 'rejected', reason: 'too expensive' },
    });
    expect(response.body.regeneration).toBeNull();
    await stack.relay.pump();
    expect(stack.queue.sent).toBe(sent);
    const rejectedEvent = stack.bus.published.findLast((e) => e.detailType === 'procurement.plan.rejected');
    expect(rejectedEvent?.detail).toMatchObject({
      tenantId: 'pricey',
      regenerationRequested: false,
      reason: 'too expensive',
    });
  });

  it('refuses an illegal transition with 409 naming the allowed ones', async () => {
    const response = await call('POST', `/tenants/pricey/procurement-plans/${PLAN_DATE}/versions/1/status`, {
      claims: tenantClaims('pricey'),
      body: { status: 'approved' },
    });
    expect(response).toMatchObject({ status: 409, body: { from: 'rejected', to: 'approved', allowed: ['archived'] } });
    expect(response.body.error).toContain('cannot move to "approved"; allowed: archived');
  });

  it('requires a reason to reject', async () => {
    const response = await call('POST', `/tenants/a/procurement-plans/${PLAN_DATE}/versions/2/status`, {
      claims: tenantClaims('a'),
      body: { status: 'rejected' },
    });
    expect(response).toMatchObject({
      status: 400,
      body: { error: 'reason: a rejection needs a reason.', field: 'reason' },
    });
  });

  it('turns modified quantities into a new version and cancels the old one', async () => {
    const v2 = (
      await call('GET', `/tenants/a/procurement-plans/${PLAN_DATE}/versions/2`, { claims: tenantClaims('a') })
    ).body;
    const flour = v2.requirements.find((r: { ingredientId: string }) => r.ingredientId === 'flour');
    const response = await call('POST', `/tenants/a/procurement-plans/${PLAN_DATE}/versions/2/modifications`, {
      claims: tenantClaims('a'),
      body: {
        changes: [{ ingredientId: 'flour', orderQuantity: flour.orderQuantity + 50 }],
        reason: 'festival weekend',
      },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ version: 3, supersedes: `proc-a-${PLAN_DATE}-v2`, status: 'draft' });
    const modified = response.body.requirements.find((r: { ingredientId: string }) => r.ingredientId === 'flour');
    expect(modified.orderQuantity).toBe(flour.orderQuantity + 50);
    expect(modified.adjustments.at(-1)).toEqual({
      reason: 'changed by user-of-a: festival weekend',
      message: { text: 'changed by {by}: {reason}', values: { by: 'user-of-a', reason: 'festival weekend' } },
      before: flour.orderQuantity,
      after: flour.orderQuantity + 50,
    });
    expect(
      (await call('GET', `/tenants/a/procurement-plans/${PLAN_DATE}/versions/2`, { claims: tenantClaims('a') })).body
        .status,
    ).toBe('cancelled');
    const list = await call('GET', '/tenants/a/procurement-plans', {
      claims: tenantClaims('a'),
      query: { status: 'draft' },
    });
    expect(list.body.plans.map((p: { version: number }) => p.version)).toEqual([3]);
  });
});

describe('per-tenant limits', () => {
  it('refuse a tenant past its share of forecast reads with 429 and Retry-After, and leave others alone', async () => {
    await seedBakery(stack, tenant('busy', 'Europe/Madrid'), PLAN_DATE);
    stack.setNow(new Date('2026-11-28T10:00:05Z'));
    const read = (tenantId: string, claims = tenantClaims(tenantId)) =>
      call('GET', `/tenants/${tenantId}/forecasts`, { claims });
    const { requests, windowSeconds } = ROUTE_LIMITS.reads;
    const answers = [];
    for (let i = 0; i < requests; i += 1) answers.push((await read('busy')).status);
    expect(answers.every((status) => status === 200)).toBe(true);
    const refused = await api(apiEvent('GET', '/tenants/busy/forecasts', { claims: tenantClaims('busy') }), context);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers?.['retry-after']).toBe(String(windowSeconds - 5));
    expect(JSON.parse(String(refused.body))).toMatchObject({ retryAfterSeconds: windowSeconds - 5 });
    expect((await read('busy', adminClaims)).status).toBe(200); // admins are not limited
    expect((await read('b')).status).toBe(200); // another tenant has its own share
    // The next window opens the route again.
    stack.setNow(new Date('2026-11-28T10:01:00Z'));
    expect((await read('busy')).status).toBe(200);
  });
});

describe('admin operations', () => {
  it('runs a job now for a list of tenants and a date', async () => {
    const response = await call('POST', '/runs', {
      claims: adminClaims,
      body: { job: 'production', tenantIds: ['b'], planDate: '2026-11-29' },
    });
    expect(response).toMatchObject({ status: 202, body: { enqueued: 1 } });
    await drain();
    expect(await stack.ports.plans.getProductionSchedule('b', '2026-11-29')).not.toBeNull();
    expect(
      (await call('POST', '/runs', { claims: adminClaims, body: { job: 'production', tenantIds: ['ghost'] } })).status,
    ).toBe(404);
  });

  it('invalidates every tenant’s cached forecasts', async () => {
    const response = await call('DELETE', '/forecast-cache', { claims: adminClaims });
    expect(response.status).toBe(200);
    for (const id of ['a', 'b']) expect((await stack.ports.forecastCache.stats(id, stack.ports.now())).entries).toBe(0);
  });

  it('serves the review page without a token, and nothing else', async () => {
    const response = await api(apiEvent('GET', '/review'), context);
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(String(response.body)).toContain('morning review');
    // Where to sign in is public too; this API has none configured, and says what to do instead.
    const config = await call('GET', '/review/config');
    expect(config).toMatchObject({
      status: 404,
      body: { error: expect.stringMatching(/no sign-in configured; use a bearer token/) },
    });
    expect((await call('GET', '/tenants/a/morning')).status).toBe(401);
  });

  it('answers 404 and 405 for unknown routes and methods', async () => {
    expect((await call('GET', '/nowhere', { claims: adminClaims })).status).toBe(404);
    expect((await call('PATCH', '/tenants/a', { claims: adminClaims })).status).toBe(405);
  });
});

describe('docs/api.md', () => {
  it('is the rendering of the route table (run `npm run docs:api` after changing a route)', async () => {
    const { readFileSync } = await import('node:fs');
    const { renderApiDoc } = await import('../../lib/api/api-doc.ts');
    expect(readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8')).toBe(renderApiDoc());
  });
});
