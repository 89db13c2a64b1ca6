// Closing the loop through the API on DynamoDB Local: a day's actuals recorded (JSON and a POS CSV),
// refused whole when impossible, replaced by a correction; what sold becomes the day's sales, what was
// carried over becomes stock the next morning's plan bakes around, and the plan's quality is read back.
import { beforeEach, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../functions/api/handler.ts';
import { measureFromSales, recordActuals } from '../../lib/app/actuals.ts';
import type { ProductionSchedule } from '../../lib/domain.ts';
import { DEFAULT_OPENING_HOURS } from '../../lib/planning/actuals.ts';
import { planQuality } from '../../lib/planning/plan-quality.ts';
import { addDays } from '../../lib/time/tenant-clock.ts';
import { apiEvent, tenantClaims } from '../support/api.ts';
import { qualitySummary } from '../support/bakery-fixtures.ts';
import { PLAN_DATE, type PlannedApi, plannedApi, runJob } from '../support/planned-api.ts';

let api: PlannedApi;
const claims = tenantClaims('a');
const record = (actuals: unknown[]) => api.call('POST', '/tenants/a/actuals', { claims, body: { actuals } });
const schedule = async (date = PLAN_DATE) =>
  (await api.stack.ports.plans.getProductionSchedule('a', date))!.plan as ProductionSchedule;
/** Units there were of a product on the planned day: its batches and the fresh stock counted. */
const available = (s: ProductionSchedule, productId: string) =>
  s.batches.filter((b) => b.productId === productId).reduce((n, b) => n + b.quantity, 0) +
  (s.lines.find((l) => l.productId === productId)?.freshStockUnits ?? 0);

/** The production job of the next morning, 2026-11-29, through the worker: its schedule. */
async function nextMorning(planned: PlannedApi): Promise<ProductionSchedule> {
  await runJob(planned, 'production', '2026-11-29', '2026-11-29T04:30:00Z');
  return (await planned.stack.ports.plans.getProductionSchedule('a', '2026-11-29'))!.plan;
}

beforeEach(async () => {
  api = await plannedApi();
  api.stack.setNow(new Date('2026-11-28T19:30:00Z')); // 20:30 in Madrid: the day is over
});

describe("a day's actuals", () => {
  it('are stored, become the sales of the day, and their carry-over the stock the next plan bakes around', async () => {
    const s = await schedule();
    const cookies = available(s, 'cookie');
    const baguettes = available(s, 'baguette');
    expect(cookies).toBeGreaterThan(10);
    const answer = await record([
      { date: PLAN_DATE, productId: 'baguette', sold: baguettes, leftover: 0, soldOutAt: '14:30' },
      { date: PLAN_DATE, productId: 'cookie', sold: cookies - 10, leftover: 10, carriedOver: 8 },
    ]);
    expect(answer).toMatchObject({
      status: 201,
      body: { recorded: 2, from: PLAN_DATE, to: PLAN_DATE, carriedOver: 8, soldOut: 1 },
    });
    expect(
      (await api.call('GET', '/tenants/a/actuals', { claims, query: { from: PLAN_DATE, to: PLAN_DATE } })).body,
    ).toEqual({
      from: PLAN_DATE,
      to: PLAN_DATE,
      actuals: [
        { date: PLAN_DATE, productId: 'baguette', sold: baguettes, leftover: 0, carriedOver: 0, soldOutAt: '14:30' },
        { date: PLAN_DATE, productId: 'cookie', sold: cookies - 10, leftover: 10, carriedOver: 8 },
      ],
    });
    const sales = await api.stack.ports.sales.getSales('a', PLAN_DATE, PLAN_DATE);
    expect(sales.unitsByProduct.cookie?.[PLAN_DATE]).toBe(cookies - 10);
    expect((await api.stack.ports.stock.getStock('a')).finishedGoods).toContainEqual({
      productId: 'cookie',
      quantity: 8,
      producedOn: PLAN_DATE,
    });
    // The next morning counts the 8 day-old cookies: it bakes 8 fewer than without them.
    const withCarry = await nextMorning(api);
    const control = await plannedApi();
    control.stack.setNow(new Date('2026-11-28T19:30:00Z'));
    await control.call('POST', '/tenants/a/actuals', {
      claims,
      body: { actuals: [{ date: PLAN_DATE, productId: 'cookie', sold: cookies - 10, leftover: 10 }] },
    });
    const without = await nextMorning(control);
    const line = (p: ProductionSchedule) => p.lines.find((l) => l.productId === 'cookie')!;
    expect(line(withCarry).freshStockUnits - line(without).freshStockUnits).toBe(8);
    expect(line(without).plannedUnits - line(withCarry).plannedUnits).toBe(Math.min(8, line(without).plannedUnits));
  });

  it('are corrected by recording the day again: the new figures replace the old, in the sales too', async () => {
    await record([{ date: PLAN_DATE, productId: 'cookie', sold: 10, leftover: 0, soldOutAt: '12:00' }]);
    // A sold-out day is kept with the sales: its units are a lower bound on demand for the forecasts.
    expect((await api.stack.ports.sales.getSales('a', PLAN_DATE, PLAN_DATE)).soldOut).toEqual({ cookie: [PLAN_DATE] });
    await record([{ date: PLAN_DATE, productId: 'cookie', sold: 10, leftover: 2 }]);
    await record([{ date: PLAN_DATE, productId: 'cookie', sold: 12, leftover: 0, carriedOver: 0 }]);
    const { body } = await api.call('GET', '/tenants/a/actuals', { claims, query: { from: PLAN_DATE, to: PLAN_DATE } });
    expect(body.actuals).toEqual([{ date: PLAN_DATE, productId: 'cookie', sold: 12, leftover: 0, carriedOver: 0 }]);
    const sales = await api.stack.ports.sales.getSales('a', PLAN_DATE, PLAN_DATE);
    expect(sales.unitsByProduct.cookie?.[PLAN_DATE]).toBe(12);
    expect(sales.soldOut).toBeUndefined();
  });

  it('are read from a POS export (CSV), and a bad line or an impossible value refuses the whole file', async () => {
    const handler = createApiHandler(() => api.stack.ports);
    const csv = (text: string) =>
      handler(apiEvent('POST', '/tenants/a/actuals', { claims, body: text, contentType: 'text/csv' }), {} as never);
    const good = await csv(
      `productId,date,sold,leftover,carriedOver,soldOutAt\ncookie,${PLAN_DATE},12,0,,13:10\nbaguette,2026-11-27,40,3,,\n`,
    );
    expect(good.statusCode).toBe(201);
    expect(JSON.parse(String(good.body))).toMatchObject({ recorded: 2, from: '2026-11-27', soldOut: 1 });
    const before = await api.stack.ports.actuals.getActuals('a', '2026-11-01', PLAN_DATE);
    const stock = await api.stack.ports.stock.getStock('a');
    const refused: [string, RegExp][] = [
      [`date,productId,sold,leftover\n${PLAN_DATE},cookie,1.5,0\n`, /Line 2, sold: "1.5" is not a whole number/],
      [`date,productId,sold\n${PLAN_DATE},cookie,1\n`, /column "leftover" is missing/],
      [
        `date,productId,sold,leftover,carriedOver\n${PLAN_DATE},cookie,1,0,0\n${PLAN_DATE},cooki,2,0,0\n${PLAN_DATE},baguette,1,3,2\n`,
        /2 problems in the actuals: actuals\.1: product "cooki" is not in the catalog \(did you mean "cookie"\?\); actuals\.2: baguette keeps 1 day/,
      ],
      [
        `date,productId,sold,leftover,soldOutAt\n${PLAN_DATE},cookie,5,0,23:30\n`,
        /outside the opening hours \(06:00–20:00\)/,
      ],
      [
        `date,productId,sold,leftover\n${PLAN_DATE},cookie,5000,0\n`,
        /5000 sold and 0 left over is more than the \d+ there were/,
      ],
    ];
    for (const [text, message] of refused) {
      const answer = await csv(text);
      expect(answer.statusCode, text).toBe(400);
      expect(JSON.parse(String(answer.body)).error).toMatch(message);
    }
    expect(await api.stack.ports.actuals.getActuals('a', '2026-11-01', PLAN_DATE)).toEqual(before);
    expect(await api.stack.ports.stock.getStock('a')).toEqual(stock);
    // The bakery's own opening hours hold a sold-out time.
    const hours = await api.call('PUT', '/tenants/a', {
      claims,
      body: { openingHours: { opens: '07:00', closes: '14:00' } },
    });
    expect(hours.body.openingHours).toEqual({ opens: '07:00', closes: '14:00' });
    expect(
      (await record([{ date: PLAN_DATE, productId: 'cookie', sold: 1, leftover: 0, soldOutAt: '15:00' }])).body.error,
    ).toMatch(/15:00 is outside the opening hours \(07:00–14:00\)/);
    expect((await record([{ date: '2026-11-29', productId: 'cookie', sold: 1, leftover: 0 }])).body.error).toMatch(
      /after the bakery's today \(2026-11-28\)/,
    );
    expect((await api.call('POST', '/tenants/b/actuals', { claims, body: { actuals: [] } })).status).toBe(403);
  });
});

describe('a crash between the writes of an import', () => {
  /** What recording leaves: the actuals, the day's sales, the stock and the kept measure. */
  const state = async (planned: PlannedApi) => ({
    actuals: await planned.stack.ports.actuals.getActuals('a', PLAN_DATE, PLAN_DATE),
    sales: await planned.stack.ports.sales.getSales('a', PLAN_DATE, PLAN_DATE),
    stock: (await planned.stack.ports.stock.getStock('a')).finishedGoods,
    quality: await planned.stack.ports.actuals.getQuality('a', PLAN_DATE, PLAN_DATE),
  });

  it.each([
    ['sales', 'putSales'],
    ['stock', 'putStock'],
    ['actuals', 'putQuality'],
  ] as const)(
    '%s.%s failing, the writes before it done, is completed by sending the same import again',
    async (port, method) => {
      const s = await schedule();
      const actuals = [
        {
          date: PLAN_DATE,
          productId: 'baguette',
          sold: available(s, 'baguette'),
          leftover: 0,
          carriedOver: 0,
          soldOutAt: '14:30',
        },
        { date: PLAN_DATE, productId: 'cookie', sold: available(s, 'cookie') - 10, leftover: 10, carriedOver: 8 },
      ];
      const tenant = (await api.stack.ports.tenants.getTenant('a'))!;
      const target = api.stack.ports[port] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const crashing = new Proxy(target, {
        get: (object, name) =>
          name === method
            ? () => Promise.reject(new Error(`crash before ${port}.${method}`))
            : (object[name as string] as (...args: unknown[]) => unknown).bind(object),
      });
      await expect(recordActuals({ ...api.stack.ports, [port]: crashing }, tenant, actuals)).rejects.toThrow(/crash/);
      await recordActuals(api.stack.ports, tenant, actuals);
      // The same as recording once without a crash.
      const control = await plannedApi();
      control.stack.setNow(new Date('2026-11-28T19:30:00Z'));
      await recordActuals(control.stack.ports, tenant, actuals);
      expect(await state(api)).toEqual(await state(control));
      expect((await state(api)).quality).toHaveLength(1);
    },
  );
});

describe("a plan's quality", () => {
  it('is read back per day, as the plan-quality rules compute it from the schedule and the actuals', async () => {
    const s = await schedule();
    const actuals = [
      {
        date: PLAN_DATE,
        productId: 'baguette',
        sold: available(s, 'baguette'),
        leftover: 0,
        carriedOver: 0,
        soldOutAt: '12:00',
      },
      { date: PLAN_DATE, productId: 'cookie', sold: available(s, 'cookie') - 4, leftover: 4, carriedOver: 0 },
    ];
    await record(actuals);
    api.stack.setNow(new Date('2026-11-29T09:00:00Z'));
    const { status, body } = await api.call('GET', '/tenants/a/plan-quality', { claims });
    expect(status).toBe(200);
    expect(body.to).toBe(PLAN_DATE); // through yesterday
    const catalog = await api.stack.ports.catalog.getCatalog('a');
    const weekBefore = await api.stack.ports.sales.getSales('a', '2026-11-21', '2026-11-21');
    const lastWeek = new Map(
      Object.entries(weekBefore.unitsByProduct).map(([id, byDate]) => [id, byDate['2026-11-21']!] as const),
    );
    expect(body.days).toEqual([planQuality(s, actuals, catalog, DEFAULT_OPENING_HOURS, lastWeek)]);
    expect(body.days[0]).toMatchObject({ products: 2, missing: 0, soldOut: 1, wasteUnits: 4 });
    expect(body.days[0].score).toBeLessThan(1);
    expect(body.days[0].lostSales).toBeGreaterThan(0);
  });
});

describe("a day's measure", () => {
  it('is kept, announced to subscribers, and counted in the fleet metrics', async () => {
    const s = await schedule();
    await record([
      { date: PLAN_DATE, productId: 'cookie', sold: available(s, 'cookie') - 2, leftover: 2, carriedOver: 0 },
    ]);
    const [kept] = await api.stack.ports.actuals.getQuality('a', PLAN_DATE, PLAN_DATE);
    expect(kept).toMatchObject({ date: PLAN_DATE, products: 1, missing: 1, wasteUnits: 2 });
    await api.stack.relay.pump();
    const announced = api.stack.bus.published.filter((e) => e.detailType === 'plan.quality.measured');
    expect(announced.map((e) => e.detail)).toEqual([
      expect.objectContaining({
        planId: s.planId,
        planDate: PLAN_DATE,
        wasteUnits: 2,
        score: kept!.score,
        currency: 'EUR',
      }),
    ]);
    expect(api.stack.emfLines.some((line) => line.includes('"PlanScore"'))).toBe(true);
    // A correction measures the day again, and announces it again.
    await record([{ date: PLAN_DATE, productId: 'cookie', sold: available(s, 'cookie'), leftover: 0 }]);
    expect((await api.stack.ports.actuals.getQuality('a', PLAN_DATE, PLAN_DATE))[0]).toMatchObject({ wasteUnits: 0 });
    await api.stack.relay.pump();
    expect(api.stack.bus.published.filter((e) => e.detailType === 'plan.quality.measured')).toHaveLength(2);
  });

  it('is taken the next morning from the sales when nobody recorded the day, until actuals replace it', async () => {
    const s = await schedule();
    const cookies = available(s, 'cookie');
    const baguettes = available(s, 'baguette');
    // The POS export of the day: every baguette sold, 5 cookies left; no actuals recorded.
    const sold = { baguette: { [PLAN_DATE]: baguettes }, cookie: { [PLAN_DATE]: cookies - 5 } };
    await api.stack.ports.sales.putSales('a', { unitsByProduct: sold, closedDates: [] });
    await runJob(api, 'cleanup', '2026-11-29', '2026-11-29T04:50:00Z');
    const [kept] = await api.stack.ports.actuals.getQuality('a', PLAN_DATE, PLAN_DATE);
    const catalog = await api.stack.ports.catalog.getCatalog('a');
    const cookieKeeps = catalog.products.find((p) => p.productId === 'cookie')!.shelfLifeDays >= 2;
    const fromSales = [
      { date: PLAN_DATE, productId: 'baguette', sold: baguettes, leftover: 0, carriedOver: 0, soldOutAt: '20:00' },
      { date: PLAN_DATE, productId: 'cookie', sold: cookies - 5, leftover: 5, carriedOver: cookieKeeps ? 5 : 0 },
    ];
    const weekBefore = await api.stack.ports.sales.getSales('a', '2026-11-21', '2026-11-21');
    const lastWeek = new Map(
      Object.entries(weekBefore.unitsByProduct).map(([id, byDate]) => [id, byDate['2026-11-21']!] as const),
    );
    const expected = planQuality(s, fromSales, catalog, DEFAULT_OPENING_HOURS, lastWeek, 'sales');
    const { byProduct: _detail, ...summary } = expected;
    expect(kept).toEqual(summary);
    expect(kept).toMatchObject({ basis: 'sales', products: 2, soldOut: 1, wasteUnits: cookieKeeps ? 0 : 5 });
    // The sold-out baguette's demand is its sales: a lower bound, no estimate from an unknown time.
    expect(expected.byProduct.find((p) => p.productId === 'baguette')).toMatchObject({ demand: baguettes });
    await api.stack.relay.pump();
    expect(
      api.stack.bus.published.filter((e) => e.detailType === 'plan.quality.measured').map((e) => e.detail),
    ).toEqual([expect.objectContaining({ planId: s.planId, basis: 'sales', planDate: PLAN_DATE })]);
    const read = await api.call('GET', '/tenants/a/plan-quality', { claims });
    expect(read.body.days).toEqual([expected]);
    // Actuals recorded later replace the morning's measure.
    await record([{ date: PLAN_DATE, productId: 'cookie', sold: cookies - 3, leftover: 3, carriedOver: 0 }]);
    const [replaced] = await api.stack.ports.actuals.getQuality('a', PLAN_DATE, PLAN_DATE);
    expect(replaced).toMatchObject({ basis: 'actuals', products: 1, missing: 1, wasteUnits: 3 });
    expect((await api.call('GET', '/tenants/a/plan-quality', { claims })).body.days).toEqual([
      expect.objectContaining({ basis: 'actuals', products: 1, wasteUnits: 3 }),
    ]);
    // A later morning's measure leaves a measured day alone.
    const tenant = (await api.stack.ports.tenants.getTenant('a'))!;
    expect(await measureFromSales(api.stack.ports, tenant, PLAN_DATE, '2026-11-30')).toBe('measured already');
    expect((await api.stack.ports.actuals.getQuality('a', PLAN_DATE, PLAN_DATE))[0]).toEqual(replaced);
  });

  it('is not taken from the sales when there are none for the day, nor for a day without a schedule', async () => {
    await runJob(api, 'cleanup', '2026-11-29', '2026-11-29T04:50:00Z');
    expect(await api.stack.ports.actuals.getQuality('a', PLAN_DATE, PLAN_DATE)).toEqual([]);
    const tenant = (await api.stack.ports.tenants.getTenant('a'))!;
    expect(await measureFromSales(api.stack.ports, tenant, PLAN_DATE, '2026-11-29')).toBe('no sales');
    expect(await measureFromSales(api.stack.ports, tenant, '2026-11-20', '2026-11-21')).toBe('no schedule');
  });

  it('queues a refit when the forecast error is far above the usual', async () => {
    const s = await schedule();
    // Four weeks of good days kept (forecast error 0.08).
    const usual = (await api.stack.ports.actuals.getQuality('a', '2026-11-01', '2026-11-30')).length;
    expect(usual).toBe(0);
    for (let back = 1; back <= 10; back += 1) {
      const date = new Date(Date.parse(`${PLAN_DATE}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10);
      await api.stack.ports.actuals.putQuality('a', qualitySummary(date, `earlier-${back}`, 0.08));
    }
    const sent = api.stack.queue.sent;
    // A day that sold a fifth of the forecast: far off.
    const fifth = (id: string) => Math.floor(s.lines.find((l) => l.productId === id)!.forecastUnits / 5);
    await record([
      { date: PLAN_DATE, productId: 'cookie', sold: fifth('cookie'), leftover: 0 },
      { date: PLAN_DATE, productId: 'baguette', sold: fifth('baguette'), leftover: 0 },
    ]);
    expect(api.stack.queue.sent).toBe(sent + 1);
    expect(api.stack.logLines.some((l) => String(l.message).startsWith("A day's forecast error is far above"))).toBe(
      true,
    );
    expect(api.stack.emfLines.some((line) => line.includes('"ForecastDrift"'))).toBe(true);
    // Within the half hour, a second drift asks for nothing more.
    await record([{ date: PLAN_DATE, productId: 'cookie', sold: fifth('cookie') + 1, leftover: 0 }]);
    expect(api.stack.queue.sent).toBe(sent + 1);
  });
});

describe('a fill-rate policy', () => {
  it('bakes the next morning to what its kept measures say, read back from the table', async () => {
    const withPolicy = async (planned: PlannedApi) => {
      const catalog = await planned.stack.ports.catalog.getCatalog('a');
      await planned.stack.ports.catalog.putCatalog('a', {
        ...catalog,
        servicePolicies: [{ family: '*', targetFillRate: 0.9 }],
      });
    };
    await withPolicy(api);
    // Twenty days measured from actuals in the four weeks before, serving 0.95 where they baked to 0.9;
    // four more measured from sales alone, which do not count.
    for (let back = 1; back <= 24; back += 1) {
      const date = addDays('2026-11-29', -back);
      await api.stack.ports.actuals.putQuality('a', {
        ...qualitySummary(date, `plan-${date}`, 0.2),
        basis: back <= 20 ? 'actuals' : 'sales',
        fillRatePolicies: [{ family: '*', target: 0.9, bakedTo: 0.9, sold: 95, demand: 100 }],
      });
    }
    const corrected = await nextMorning(api);
    const control = await plannedApi();
    await withPolicy(control);
    const asSet = await nextMorning(control);
    expect(asSet.lines.every((l) => l.fillRate?.bakedTo === 0.9 && l.quantileRule === 'fill rate 0.9')).toBe(true);
    expect(corrected.lines.every((l) => l.fillRate?.bakedTo === 0.85)).toBe(true);
    expect(corrected.lines[0]!.quantileRule).toBe(
      'fill rate 0.9 (baked to 0.85: the last 20 measured days served 0.95)',
    );
    // (This bakery's steady sales leave no spread to bake into: the units are the forecast's either way;
    // test/planning/fill-rate-feedback.test.ts shows the units moving.)
  });
});
