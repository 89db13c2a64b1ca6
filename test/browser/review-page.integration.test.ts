/// <reference lib="dom" />
// The review page in headless Chromium, as a manager uses it: sign in at the local issuer (the same
// authorization code + PKCE flow as the user pool's hosted UI), read today's bakes, orders and
// forecast charts in the bakery's currency, approve one plan by keyboard, sign in as another bakery's
// manager and reject its plan as stale, and see the rebuilt version. Screenshots at 1280 and 390 px
// go to .cache/screenshots/.
import { mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Morning } from '../../lib/app/morning.ts';
import { approveProcurementLines } from '../../lib/app/plan-review.ts';
import { buildDemoBakeries, buildDemoBakery, demoTenantDefinitions } from '../../lib/local/demo-bakeries.ts';
import { LOCAL_CLIENT_ID, type LocalUser } from '../../lib/local/local-issuer.ts';
import { seedBakeries } from '../../lib/local/local-run.ts';
import { createLocalServer } from '../../lib/local/local-server.ts';
import { simulateDay } from '../../lib/local/simulate-day.ts';
import { formatMoney } from '../../lib/money.ts';
import { localDateAt } from '../../lib/time/tenant-clock.ts';
import { SENTENCES } from '../../lib/words/sentences.ts';
import { translator } from '../../lib/words/words.ts';
import { chromiumPath } from '../support/chromium.ts';
import { type TestStack, testStack } from '../support/local-stack.ts';

const SHOTS = '.cache/screenshots';
/** The words of the two Spanish-speaking bakeries (the third speaks English). */
const mx = translator('es-MX');
const es = translator('es-ES');
const KEY = 'browser-test-key';
const USERS: LocalUser[] = [
  {
    username: 'madrid-manager',
    password: 'pan-de-cada-dia',
    name: 'Lucía (Fournil Madrid)',
    tenantId: 'fournil-madrid',
  },
  {
    username: 'roma-manager',
    password: 'conchas-y-bolillos',
    name: 'Mateo (Panadería Roma)',
    tenantId: 'panaderia-roma',
  },
  { username: 'late-manager', password: 'masa-madre-tarde', name: 'Ana (Obrador tardío)', tenantId: 'obrador-tardio' },
  {
    username: 'big-manager',
    password: 'veinte-panes-al-dia',
    name: 'Jon (Obrador grande)',
    tenantId: 'obrador-grande',
  },
];

/** A zone where it is now between 07:00 and 22:00: today's jobs there are due (and have not run). */
function zoneInTheDay(now: Date): string {
  const zones = [
    'Europe/Madrid',
    'America/Mexico_City',
    'Asia/Tokyo',
    'America/Los_Angeles',
    'Pacific/Kiritimati',
    'Asia/Kolkata',
  ];
  const hour = (zone: string) =>
    Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: zone }).format(now));
  return zones.find((zone) => hour(zone) >= 7 && hour(zone) < 22)!;
}

let stack: TestStack;
/** When the bakeries were planned: each planned its own today of that instant. */
let plannedAt: Date;
let base: string;
let browser: Browser;
let closeServer: () => Promise<void>;

beforeAll(async () => {
  stack = await testStack();
  const now = new Date();
  plannedAt = now;
  const bakeries = buildDemoBakeries(2, (zone) => localDateAt(now, zone), now.toISOString());
  // A bakery of every product of the demo catalog (20), in Madrid beside the first.
  const [madrid] = demoTenantDefinitions().tenants;
  const catalogIds = (
    JSON.parse(readFileSync('data/demo/catalog.json', 'utf8')) as { products: { productId: string }[] }
  ).products.map((p) => p.productId);
  expect(catalogIds).toHaveLength(20);
  const big = buildDemoBakery(
    { ...madrid!, tenantId: 'obrador-grande', name: 'Obrador grande', products: catalogIds },
    0,
    (zone) => localDateAt(now, zone),
    now.toISOString(),
  );
  bakeries.push(big);
  await seedBakeries(stack, bakeries, () => {});
  for (const date of new Set(bakeries.map((b) => localDateAt(now, b.tenant.timezone)))) {
    await simulateDay(stack, { date, testMode: false, tenantBudgetMs: 60_000 });
  }
  // A bakery that joined today after its jobs' times: set up, nothing planned yet.
  const late = buildDemoBakeries(3, (zone) => localDateAt(now, zone), now.toISOString())[2]!;
  const zone = zoneInTheDay(now);
  const lateToday = localDateAt(now, zone);
  const shift = (d: string) =>
    new Date(
      Date.parse(`${d}T00:00:00Z`) +
        (Date.parse(`${lateToday}T00:00:00Z`) - Date.parse(`${localDateAt(now, late.tenant.timezone)}T00:00:00Z`)),
    )
      .toISOString()
      .slice(0, 10);
  const sales = Object.fromEntries(
    Object.entries(late.sales.unitsByProduct).map(([id, byDate]) => [
      id,
      Object.fromEntries(Object.entries(byDate).map(([d, u]) => [shift(d), u])),
    ]),
  );
  await seedBakeries(
    stack,
    [
      {
        ...late,
        tenant: { ...late.tenant, tenantId: 'obrador-tardio', name: 'Obrador tardío', timezone: zone, demo: false },
        sales: { ...late.sales, unitsByProduct: sales },
      },
    ],
    () => {},
  );
  const server = createLocalServer(stack, KEY, { users: USERS });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    protocolTimeout: 300_000,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await closeServer?.();
});

async function signIn(page: Page, user: LocalUser): Promise<void> {
  await page.goto(`${base}/review`);
  await page.waitForSelector('#signinButton:not([hidden])');
  await Promise.all([page.waitForNavigation(), page.click('#signinButton')]);
  expect(page.url()).toContain('/local-auth/authorize?');
  expect(page.url()).toContain('code_challenge_method=S256');
  await page.type('#username', user.username);
  await page.type('#password', user.password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  await page.waitForSelector('#orders');
}

const text = (page: Page, selector = 'body') => page.$eval(selector, (el) => (el as HTMLElement).textContent);

describe('the review page in a browser', () => {
  it('signs a manager in, shows bakes, orders and charts in pesos, approves by keyboard, and fits a phone', async () => {
    const page = await openPage();
    await page.setViewport({ width: 1280, height: 900 });
    // A wrong password keeps the manager on the sign-in form, saying so.
    await page.goto(`${base}/review`);
    await page.waitForSelector('#signinButton:not([hidden])');
    // Before sign-in, neither the day picker nor Sign out shows.
    expect(await page.$eval('#who', (el) => getComputedStyle(el).display)).toBe('none');
    await Promise.all([page.waitForNavigation(), page.click('#signinButton')]);
    await page.type('#username', 'roma-manager');
    await page.type('#password', 'wrong');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await text(page, '[role=alert]')).toBe('Wrong user name or password.');

    await signIn(page, USERS[1]!);
    expect(new URL(page.url()).search).toBe(''); // the code is gone from the address bar
    const { procurement, charts }: Morning = await (
      await fetch(`${base}/tenants/panaderia-roma/morning`, {
        headers: {
          authorization: `Bearer ${await page.evaluate(() => JSON.parse(sessionStorage.getItem('session')!).bearer)}`,
        },
      })
    ).json();
    const morning = { procurement: procurement!, charts };
    // Pesos named as pesos (MX$), not a bare "$" that is also the dollar's.
    const money = { format: (amount: number) => formatMoney(amount, 'MXN', 'es-MX') };
    const body = await text(page);
    expect(body).toContain('Mateo (Panadería Roma)');
    // The page speaks the bakery's language (es-MX here), numbers and dates included.
    expect(body).toContain(mx("Today's bakes"));
    expect(body).toContain(mx('Sales and forecast'));
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es-MX');
    expect(await text(page, '#signout')).toBe(mx('Sign out'));
    expect(body).toContain(money.format(morning.procurement.totalCost));
    for (const group of morning.procurement.bySupplier)
      expect(body).toContain(`${group.supplierName} — ${money.format(group.totalCost)}`);
    expect(body).not.toContain('€');
    // Bakes by equipment, with start times; one chart per product with its p10–p90 band.
    const lanes = await page.$$eval('#bakes ~ .lane h3', (hs) => hs.map((h) => h.textContent));
    expect(lanes.length).toBeGreaterThan(0);
    expect(
      await page.$$eval(`#bakes ~ .lane td[data-label="${mx('Start')}"]`, (cells) => cells.map((c) => c.textContent)),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^\d\d:\d\d$/)]));
    expect(await page.$$eval('figure svg polygon', (bands) => bands.length)).toBe(morning.charts.length);
    // Priorities spread as a morning's would, each with its reason in words.
    const priorities = new Set(morning.procurement.requirements.map((r: { priority: string }) => r.priority));
    expect(priorities.size).toBeGreaterThan(2);
    const yeast = morning.procurement.requirements.find((r: { ingredientId: string }) => r.ingredientId === 'yeast');
    expect(yeast).toMatchObject({
      priority: 'critical',
      priorityReason: expect.stringMatching(/^runs out on .* before the earliest delivery/),
    });
    // In the bakery's words and language: the planner's sentence in Spanish, no ISO date inside it.
    const day = new Intl.DateTimeFormat('es-MX', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
    const inWords = (d: string) => day.format(new Date(`${d}T00:00:00Z`));
    const { runsOutOn, earliestDelivery } = yeast!.priorityMessage!.values as Record<string, string>;
    expect(body).toContain(
      mx(SENTENCES.runsOut, { runsOutOn: inWords(runsOutOn!), earliestDelivery: inWords(earliestDelivery!) }),
    );
    expect(await text(page, 'section[aria-labelledby=orders]')).not.toContain(yeast!.priorityReason.slice(0, 12));
    const reasoning = await page.$eval(`td[data-label="${mx('Batch')}"] details span`, (el) => el.textContent);
    expect(reasoning).toMatch(/^previsión [\d,.]+, cuantil [\d,.]+ \(.+\) → .* hornear \d+.*; hornada \d+ de \d+$/);
    expect(await text(page, 'section[aria-labelledby=orders] tbody')).not.toMatch(/\d{4}-\d\d-\d\d/);
    expect(body).toContain('MX$');
    // Forecasts in whole pieces; a batch's reasoning opens by keyboard or touch, not only as a tooltip.
    expect(await text(page, 'figcaption')).not.toMatch(/\d[.,]\d/);
    expect(await page.$$eval(`td[data-label="${mx('Batch')}"] details summary`, (s) => s.length)).toBeGreaterThan(0);
    // History in the bakery's local time, not UTC.
    const generated = new Intl.DateTimeFormat('es-MX', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'America/Mexico_City',
    }).format(new Date(morning.procurement.history[0]!.at));
    expect(body).toContain(generated);
    await page.screenshot({ path: `${SHOTS}/review-1280.png`, fullPage: true });
    // The baker's prep sheet: doughs the evening before, weights per batch, printable alone.
    await page.click('#prepButton');
    await page.waitForSelector('#prepSheet tbody tr');
    const prep = await text(page, '#prepSheet');
    expect(prep).toContain(mx('(prep)'));
    expect(prep).toMatch(/Tradition dough \(levain\)/);
    const evening = await page.$$eval(`#prepSheet tr.prep td[data-label="${mx('When')}"]`, (cells) =>
      cells.map((c) => c.textContent ?? ''),
    );
    expect(evening.some((when) => /\D\d\d:\d\d$/.test(when) && when.length > 5)).toBe(true); // a day named: the evening before
    await page.emulateMediaType('print');
    expect(await page.$eval('section[aria-labelledby=orders]', (el) => getComputedStyle(el).display)).toBe('none');
    await page.screenshot({ path: `${SHOTS}/prep-sheet-print.png`, fullPage: true });
    await page.emulateMediaType('screen');
    await page.evaluate(() => document.getElementById('prepSheet')?.remove());

    // Meanwhile another manager approves one supplier's lines: the page's Approve meets the change, says
    // so in the bakery's language and draws the plan as it is now, with who approved what.
    const group = morning.procurement.bySupplier.find((g) => g.supplierId && g.lines.some((l) => l.orderQuantity > 0))!;
    await approveProcurementLines(stack.ports, {
      tenantId: 'panaderia-roma',
      planDate: morning.procurement.planDate,
      version: morning.procurement.version,
      supplierIds: [group.supplierId!],
      by: 'otra-gerente',
    });
    await page.focus('#approve');
    await page.keyboard.press('Enter');
    const changed = mx('This plan changed meanwhile (someone else acted on it); it is shown again as it is now.');
    await page.waitForFunction((t) => document.getElementById('feedback')?.textContent === t, {}, changed);
    expect(await text(page, 'section[aria-labelledby=orders]')).toContain('✓ otra-gerente');
    expect(await text(page, '#planStatus')).toBe(mx('draft'));

    // Approve with the keyboard alone: Tab to the button, Enter; the result shows next to the action.
    await page.focus('#date');
    let focused = '';
    for (let i = 0; i < 200 && focused !== 'approve'; i += 1) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id ?? '');
    }
    expect(focused).toBe('approve');
    await page.keyboard.press('Enter');
    const approved = mx('approved');
    await page.waitForFunction(
      (word) => document.getElementById('feedback')?.textContent?.includes(word),
      {},
      approved,
    );
    expect(await text(page, '#feedback')).toBe(
      mx('{plan} is now {status}.', { plan: morning.procurement.planId, status: approved }),
    );
    expect(await text(page, '#planStatus')).toBe(approved);
    expect(await page.$('#approve')).toBeNull(); // only the actions the status allows
    expect(await page.$('#reject')).toBeNull();
    const feedbackBox = await page.$eval('#feedback', (el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom };
    });
    expect(feedbackBox.top).toBeGreaterThanOrEqual(0);
    expect(feedbackBox.bottom).toBeLessThanOrEqual(900);

    // A phone: 390 px wide, nothing wider than the screen.
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
    await page.reload();
    await page.waitForSelector('#orders');
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > 390)
        .map((el) => `${el.tagName}#${el.id}.${el.className}`)
        .slice(0, 5),
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth), wide.join(' ')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/review-390.png`, fullPage: true });
    await page.evaluate(() => document.getElementById('orders')!.scrollIntoView());
    await page.screenshot({ path: `${SHOTS}/review-390-orders.png` });
    await page.close();
  });

  it("rejects another bakery's plan as stale and shows the rebuilt version; signing out ends the session", async () => {
    const page = await openPage();
    await page.setViewport({ width: 1280, height: 900 });
    await signIn(page, USERS[0]!);
    expect(await text(page)).toContain('€');
    await page.type('#reason', 'stale data: the stock count is from last week');
    await page.click('#reject');
    await page.waitForFunction(() => document.getElementById('feedback')?.textContent?.includes('v2'));
    expect(await text(page, '#feedback')).toBe(
      es('{plan} is now {status}: stale data recognised, v{version} is being built.', {
        plan: (await text(page, '#orders')).split(' · ')[1]!.split(' ')[0]!,
        status: es('rejected'),
        version: 2,
      }),
    );
    // The rebuilt v2 arrives (the local server works the queue off in the background) and the page
    // shows it by itself.
    await page.waitForFunction(() => document.getElementById('orders')?.textContent?.includes('-v2'));
    expect(await text(page, '#feedback')).toBe(es('v{version} is ready: review it.', { version: 2 }));
    const orders = await text(page, '#orders');
    expect(orders).toMatch(/proc-fournil-madrid-\d{4}-\d\d-\d\d-v2/);
    expect(await text(page, 'section[aria-labelledby=orders]')).toContain(`v2 ${es('draft')} · v1 ${es('rejected')}`);
    expect(await page.$('#approve')).not.toBeNull();
    await page.screenshot({ path: `${SHOTS}/review-rejected-stale-1280.png`, fullPage: true });

    const refresh = await page.evaluate(() => JSON.parse(sessionStorage.getItem('session')!).refresh as string);
    await Promise.all([page.waitForNavigation(), page.click('#signout')]);
    await page.waitForSelector('#signinButton:not([hidden])');
    expect(await page.evaluate(() => sessionStorage.getItem('session'))).toBeNull();
    // Signing out revoked the refresh token: a copy of it gets nothing.
    const reuse = await fetch(`${base}/local-auth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: LOCAL_CLIENT_ID, refresh_token: refresh }),
    });
    expect(reuse.status).toBe(400);
    await page.close();
  });
});

describe("a phone's morning", () => {
  it.each([360, 390])(
    'at %i px: the decision bar is in view from the start, nothing is wider than the screen, and each line says what is on hand and on order',
    async (width) => {
      const page = await openPage();
      await page.setViewport({ width, height: 780, isMobile: true, hasTouch: true });
      await signIn(page, USERS[0]!); // Fournil's v2, still to decide
      await page.waitForSelector('#decisionBar');
      const bar = await page.$eval('#decisionBar', (el) => {
        const r = el.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, text: el.textContent ?? '' };
      });
      expect(bar.top).toBeGreaterThanOrEqual(0);
      expect(bar.bottom).toBeLessThanOrEqual(780);
      expect(bar.text).toMatch(
        new RegExp(`${es('{n} critical', { n: '\\d+' })} · ${es('{n} order today', { n: '\\d+' })}`),
      );
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const labels = await page.$$eval('#orders ~ table.stack tbody tr:first-child td', (cells) =>
        cells.map((c) => c.getAttribute('data-label')),
      );
      expect(labels).toEqual(expect.arrayContaining(['On hand', 'On order', 'Needed', 'Cover'].map((l) => es(l))));
      await page.screenshot({ path: `${SHOTS}/review-${width}-decision-bar.png` });
      // Reject… in the bar goes to the reason, focused.
      await page.click('#decisionBar [data-go=reason]');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('reason');
      await page.close();
    },
  );

  it('takes a plan from approval by supplier and line to goods received with the keyboard, and the stock follows', async () => {
    const page = await openPage();
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
    await signIn(page, USERS[2]!);
    // The bakery joined after its morning: the page says so and plans today on request.
    expect(await text(page, 'section[aria-labelledby=bakes]')).toContain("Today's plans were due and are missing");
    await page.focus('#planNow');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#decisionBar [data-go=approve]', { timeout: 180_000 });
    await page.screenshot({ path: `${SHOTS}/review-390-planned-now.png` });
    const press = async (go: string, status: string) => {
      await page.focus(`#decisionBar [data-go=${go}]`);
      await page.keyboard.press('Enter');
      await page.waitForFunction((s) => document.getElementById('planStatus')?.textContent === s, {}, status);
    };
    // A quantity changed in the plan: saved as v2 (v1 cancelled), which is the one approved.
    const input = (await page.$('input[data-edit]'))!;
    const ingredientId = await input.evaluate((el) => (el as HTMLInputElement).dataset.edit!);
    await input.click({ clickCount: 3 });
    await input.type('99');
    await page.focus('#saveQuantities');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('orders')?.textContent?.includes('-v2'));
    const v2 = (await stack.ports.plans.getProcurementPlan(
      'obrador-tardio',
      localDateAt(new Date(), zoneInTheDay(new Date())),
      2,
    ))!;
    expect(v2.plan.requirements.find((r) => r.ingredientId === ingredientId)?.orderQuantity).toBe(99);
    expect(await text(page, '#feedback')).toMatch(/-v2: 1 quantity changed; review and approve it\./);
    // Approved a line at a time, then a supplier at a time: the last one approves the plan.
    const ordering = v2.plan.requirements.filter((r) => r.orderQuantity > 0).length;
    expect(ordering).toBeGreaterThan(1);
    const signOff = async (selector: string) => {
      const before = (await page.$$('td span.approved')).length;
      await page.focus(selector);
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        (n) =>
          document.querySelectorAll('td span.approved').length > n ||
          document.getElementById('planStatus')?.textContent === 'approved',
        {},
        before,
      );
    };
    await signOff('button[data-approve-line]');
    expect(await text(page, '#decisionBar')).toContain(`1 of ${ordering} lines approved`);
    expect(await text(page, '#feedback')).toMatch(/^(1 line|\d+ lines) still to approve\.$/);
    await page.screenshot({ path: `${SHOTS}/review-390-line-approved.png` });
    while (await page.$('button[data-approve-supplier]')) await signOff('button[data-approve-supplier]');
    await page.waitForFunction(() => document.getElementById('planStatus')?.textContent === 'approved');
    const approvedV2 = (await stack.ports.plans.getProcurementPlan(
      'obrador-tardio',
      localDateAt(new Date(), zoneInTheDay(new Date())),
      2,
    ))!.plan;
    expect(approvedV2.approvedLines).toHaveLength(ordering);
    expect(approvedV2.history.at(-1)).toMatchObject({ to: 'approved', reason: 'every order line approved' });
    // The purchase orders, one per supplier: printed alone, then sent (which marks the orders sent).
    await page.focus('#poButton');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#purchaseOrders article.po');
    const suppliers = await page.$$eval('#purchaseOrders article.po h3', (hs) => hs.map((h) => h.textContent));
    expect(suppliers.length).toBeGreaterThan(0);
    expect(suppliers[0]).toMatch(/^PO-\d{4}-\d\d-\d\d-v2-\S+ — /);
    await page.emulateMediaType('print');
    expect(await page.$eval('section[aria-labelledby=bakes]', (el) => getComputedStyle(el).display)).toBe('none');
    expect(await page.$eval('#purchaseOrders', (el) => getComputedStyle(el).display)).not.toBe('none');
    await page.screenshot({ path: `${SHOTS}/purchase-orders-print.png`, fullPage: true });
    await page.emulateMediaType('screen');
    await page.focus('#poSend');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('planStatus')?.textContent === 'in execution');
    await page.waitForFunction(() => (document.getElementById('poFeedback')?.textContent ?? '').includes('PO-'));
    const tenantStock = () => stack.ports.stock.getStock('obrador-tardio');
    const ordered = (await tenantStock()).openOrders!.filter((o) => o.planId);
    expect(ordered.length).toBeGreaterThan(0);
    const lotsBefore = (await tenantStock()).ingredients.length;
    await press('received', 'completed');
    const stock = await tenantStock();
    expect(stock.openOrders!.filter((o) => o.planId)).toEqual([]);
    expect(stock.ingredients.length).toBe(lotsBefore + ordered.length);
    expect(await page.$('#decisionBar')).toBeNull(); // nothing left to decide
    expect(await text(page, '#noActions')).toContain('This plan is completed: nothing to decide.');
    await page.screenshot({ path: `${SHOTS}/review-390-completed.png`, fullPage: true });
    await page.close();
  });
});

/**
 * A manager records the planned day's actuals on a 390 px phone: every product of the schedule in one
 * form, by keyboard (Tab from field to field) or by touch (a tap on each field); the first product
 * sold out. Returns the page, the form on screen, for what the caller checks next.
 */
async function recordEvening(user: LocalUser, input: 'keyboard' | 'touch', shot: string) {
  const page = await openPage();
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  await signIn(page, user);
  // The day the bakery planned (past midnight in Madrid, its today is already the next one).
  const planned = localDateAt(plannedAt, 'Europe/Madrid');
  await page.$eval(
    '#date',
    (element, date) => {
      (element as HTMLInputElement).value = date;
      element.dispatchEvent(new Event('change'));
    },
    planned,
  );
  await page.waitForSelector('#actualsButton');
  const { production } = (await page.evaluate(
    async (date, tenantId) => {
      const session = JSON.parse(sessionStorage.getItem('session')!);
      const answer = await fetch(`/tenants/${tenantId}/morning?date=${date}`, {
        headers: { authorization: `Bearer ${session.bearer}` },
      });
      return answer.json();
    },
    planned,
    user.tenantId,
  )) as Morning;
  const schedule = production!;
  const available = (id: string) =>
    schedule.batches.filter((b) => b.productId === id).reduce((n, b) => n + b.quantity, 0) +
    (schedule.lines.find((l) => l.productId === id)?.freshStockUnits ?? 0);
  const products = schedule.lines.map((l) => l.productId);
  if (input === 'keyboard') {
    await page.focus('#actualsButton');
    await page.keyboard.press('Enter');
  } else await page.tap('#actualsButton');
  await page.waitForSelector('#actualsForm input');
  expect(await text(page, '#actualsTitle')).toContain(es('What sold · {day}', { day: '' }).trim());
  const keeps = (id: string) => (schedule.shelfLifeDays[id] ?? 1) >= 2;
  const expected = products.map((id, i) => {
    const soldOut = i === 0;
    const sold = soldOut ? available(id) : Math.max(0, available(id) - 3);
    const leftover = available(id) - sold;
    return {
      id,
      sold,
      leftover,
      carriedOver: keeps(id) ? Math.min(1, leftover) : 0,
      soldOutAt: soldOut ? '12:30' : '',
    };
  });
  const fields = (row: (typeof expected)[number]) =>
    [
      ['sold', String(row.sold)],
      ['leftover', String(row.leftover)],
      ...(keeps(row.id) ? [['carriedOver', String(row.carriedOver)]] : []),
      ['soldOutAt', row.soldOutAt],
    ] as [string, string][];
  if (input === 'keyboard') {
    // Keyboard only: each row's inputs in turn (sold, left, kept where it keeps, sold out at).
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-field'))).toBe('sold');
    for (const row of expected)
      for (const [, value] of fields(row)) {
        if (value) await page.keyboard.type(value);
        await page.keyboard.press('Tab');
      }
  } else {
    // Touch: a tap on each field, then the phone's keyboard.
    for (const row of expected)
      for (const [field, value] of fields(row)) {
        if (!value) continue;
        const selector = `#actualsForm input[data-actual="${row.id}"][data-field="${field}"]`;
        await page.$eval(selector, (element) => element.scrollIntoView({ block: 'center' }));
        await page.tap(selector);
        await page.$eval(selector, (element) => {
          (element as HTMLInputElement).value = '';
        });
        await page.keyboard.type(value);
      }
  }
  // One form, nothing wider than the phone.
  expect(await page.$$eval('#actualsForm form', (forms) => forms.length)).toBe(1);
  expect(await page.$$eval('#actualsForm input[data-field="sold"]', (inputs) => inputs.length)).toBe(products.length);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await (await page.$('#actualsForm'))!.screenshot({ path: `${SHOTS}/${shot}` });
  if (input === 'keyboard') await page.keyboard.press('Enter');
  else await page.tap('#actualsForm button[type=submit]');
  await page.waitForFunction(() => (document.getElementById('actualsFeedback')?.textContent ?? '') !== '', {
    timeout: 30_000,
  });
  expect(await text(page, '#actualsFeedback')).toMatch(/^\d+ productos registrados; \d+ guardados para mañana\.$/);
  const stored = await stack.ports.actuals.getActuals(user.tenantId!, schedule.planDate, schedule.planDate);
  expect(stored.map((a) => [a.productId, a.sold, a.leftover, a.carriedOver, a.soldOutAt ?? ''])).toEqual(
    expected
      .map((r) => [r.id, r.sold, r.leftover, r.carriedOver, r.soldOutAt])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
  return { page, products };
}

describe('the evening on a phone', () => {
  it("records what sold for every product of the day at 390 px with the keyboard, then shows the plan's quality", async () => {
    const { page, products } = await recordEvening(USERS[0]!, 'keyboard', 'evening-390.png');
    expect(products.length).toBeGreaterThan(5);
    // The day's quality, in the bakery's words.
    await page.focus('#qualityButton');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#quality');
    const quality = await text(page, '#quality');
    expect(quality).toContain(es('Plan quality, last 28 days'));
    expect(await page.$$eval('#quality tbody tr', (rows) => rows.length)).toBe(1);
    await (await page.$('#quality'))!.screenshot({ path: `${SHOTS}/quality-390.png` });
    await page.close();
  });

  it('records a day of 20 products at 390 px by touch, in one form', async () => {
    const { page, products } = await recordEvening(USERS[3]!, 'touch', 'evening-390-20-products.png');
    expect(products).toHaveLength(20);
    await page.close();
  });
});

describe('connections on the review page', () => {
  it('connects a system (its secret shown once), and enables again one the delivery stopped', async () => {
    const page = await openPage();
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    await signIn(page, USERS[1]!);
    await page.waitForSelector('#hookForm');
    expect(await text(page, 'section[aria-labelledby=connections]')).toContain(mx('No connections yet.'));
    await page.type('#hookUrl', 'http://127.0.0.1:9/erp');
    await page.click('input[name=hookType][value="plan.escalation.unapproved"]');
    await page.click('#hookForm button[type=submit]');
    await page.waitForSelector('#hookSecret');
    const secret = await text(page, '#hookSecret');
    expect(secret).toMatch(/^whsec_/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const [endpoint] = await stack.ports.webhooks.list('panaderia-roma');
    expect(endpoint).toMatchObject({
      url: 'http://127.0.0.1:9/erp',
      eventTypes: ['procurement.plan.status_changed', 'plan.escalation.unapproved'],
      enabled: true,
    });
    // Stopped by the delivery (a 410): the page says why and starts it again.
    await stack.ports.webhooks.put(
      {
        ...endpoint!,
        enabled: false,
        disabled: { at: new Date().toISOString(), by: 'delivery', reason: 'the receiver answered 410 Gone' },
        revision: endpoint!.revision + 1,
      },
      endpoint!.revision,
    );
    await page.reload();
    await page.waitForSelector('[data-enable]');
    expect(await text(page, 'section[aria-labelledby=connections]')).toContain(
      mx('stopped: {reason}', { reason: 'the receiver answered 410 Gone' }),
    );
    expect(await text(page, 'section[aria-labelledby=connections]')).not.toContain(secret!);
    await page.click('[data-enable]');
    await page.waitForFunction(() => !document.querySelector('[data-enable]'));
    expect((await stack.ports.webhooks.list('panaderia-roma'))[0]!.enabled).toBe(true);
    await page.evaluate(() => document.getElementById('connections')!.scrollIntoView());
    await page.screenshot({ path: `${SHOTS}/review-390-connections.png` });
    await page.close();
  });
});

/** What the browser refused under the pages' content security policies (none, or the page breaks). */
const violations: string[] = [];
afterEach(() => {
  expect(violations).toEqual([]);
});

/** A page whose waits last as long as a busy machine needs (puppeteer's default is 30 s). */
async function openPage(): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(120_000);
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return page;
}
