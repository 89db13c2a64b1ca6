// The `planner` CLI as an operator runs it: a bad option stops with a clear message and a non-zero exit
// before anything is sent; an unknown tenant is an error, not an empty answer; an explicit flag wins
// over the environment.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modifyProcurementPlan } from '../../lib/app/plan-review.ts';
import { addDays, localDateAt } from '../../lib/time/tenant-clock.ts';
import { type RunningServer, startLocalServer } from '../support/local-server.ts';
import { seedBakery, type TestStack, tenant } from '../support/local-stack.ts';
import { planMadridDay } from '../support/planned-api.ts';

const KEY = 'cli-test-key-0123456789';
let running: RunningServer;
let api: string;
let stack: TestStack;

/**
 * The CLI bundled once with esbuild, as the Lambda functions are: a command then starts in about 0.8 s
 * rather than 1.8 s through tsx's loader, over some fifty commands. It sits two folders below the
 * repository, as lib/cli/planner.ts does, so the paths it finds beside itself (docs/templates,
 * data/demo) are the same. The installed command, bin/planner.js, runs once below.
 */
const BUNDLE = join('.cache', 'test-cli', 'planner.mjs');

function planner(
  args: string[],
  env: Record<string, string> = {},
  entry = BUNDLE,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [entry, ...args],
      { env: { ...process.env, PLANNER_LOCAL_KEY: KEY, PLANNER_TOKEN: '', ...env }, timeout: 180_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  await build({
    entryPoints: ['lib/cli/planner.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: BUNDLE,
    // The AWS SDK's CommonJS parts call require, which an ES module has only if it makes one.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  running = await startLocalServer(KEY);
  ({ stack, base: api } = running);
});
afterAll(() => running.close());

describe('bad options stop the command', () => {
  it.each([
    [['token', '--tenant', 'a', '--hours', '-5'], /hours above 0/],
    [['create-tenant', '--tenant', 'my bakery', '--name', 'Mine'], /"my bakery" is not an id/],
    [['show', '--tenant', 'a', '--date', '2026-13-45'], /real calendar date/],
    [['plans', '--tenant', 'a', '--status', 'bogus'], /expected one of draft, pending_approval/],
    [['run', '--job', 'baking'], /expected one of model-refit, production, cleanup, procurement/],
    [['local-run', '--date', '2026-02-30'], /real calendar date/],
    [['local-run', '--tenants', '12'], /there are 8 demo bakeries/],
    [
      ['set-tenant', '--tenant', 'a', '--opening-hours', '19:00-07:00'],
      /not opening-closing times such as 07:00-19:00/,
    ],
  ])('planner %j', async (args, message) => {
    const result = await planner(args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it('stops the same way as the installed command, bin/planner.js (through tsx)', async () => {
    const result = await planner(['token', '--tenant', 'a', '--hours', '-5'], {}, 'bin/planner.js');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/hours above 0/);
  });
});

describe('against the API', () => {
  it.each([['plans'], ['cache-stats'], ['plans', '--status', 'approved']])(
    'planner %j for an unknown tenant fails and says so',
    async (...args) => {
      const result = await planner([...args, '--tenant', 'ghost', '--api', api, '--as-admin']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('404: Tenant "ghost" does not exist.');
    },
  );

  it('lets --as-tenant win over PLANNER_TOKEN, and uses PLANNER_TOKEN without it', async () => {
    const withFlag = await planner(['plans', '--tenant', 'a', '--api', api, '--as-tenant', 'a'], {
      PLANNER_TOKEN: 'stale.token.here',
    });
    expect(withFlag).toMatchObject({ code: 0, stdout: 'No procurement plans for tenant a.\n' });
    const withEnv = await planner(['plans', '--tenant', 'a', '--api', api], { PLANNER_TOKEN: 'stale.token.here' });
    expect(withEnv.code).toBe(1);
    expect(withEnv.stderr).toContain('401');
  });
});

describe('onboarding a bakery from the templates', () => {
  it('creates it, imports catalog, stock and sales, plans a day and approves it, all from the CLI', async () => {
    const as = ['--api', api, '--as-admin'];
    const created = await planner([
      'create-tenant',
      '--tenant',
      'new-bakery',
      '--name',
      'New Bakery',
      '--timezone',
      'america/mexico_city',
      '--currency',
      'mxn',
      '--locale',
      'es-MX',
      ...as,
    ]);
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toContain(
      'Created new-bakery (New Bakery) in America/Mexico_City, prices in MXN, written es-MX.',
    );
    // Without a catalog there is nothing to plan: the job fails, saying what to do.
    const early = await planner([
      'run',
      '--job',
      'production',
      '--tenants',
      'new-bakery',
      '--date',
      '2026-11-28',
      ...as,
    ]);
    expect(early.code).toBe(0);
    await waitFor(() =>
      stack.logLines.some(
        (l) => l.tenantId === 'new-bakery' && JSON.stringify(l).includes('has no products in its catalog'),
      ),
    );
    expect(
      (await planner(['catalog', 'import', '--tenant', 'new-bakery', '--file', 'docs/templates/catalog.json', ...as]))
        .stdout,
    ).toBe('Catalog of new-bakery: 2 products, 3 ingredients, 3 recipes, 2 suppliers, 1 pieces of equipment.\n');
    expect(
      (await planner(['stock', 'import', '--tenant', 'new-bakery', '--file', 'docs/templates/stock.csv', ...as]))
        .stdout,
    ).toBe('Stock of new-bakery: 1 finished-goods lots, 4 ingredient lots, 1 open orders.\n');
    expect(
      (await planner(['import-sales', '--tenant', 'new-bakery', '--csv', 'docs/templates/sales.csv', ...as])).code,
    ).toBe(0);
    const catalog = await planner(['catalog', 'show', '--tenant', 'new-bakery', ...as]);
    expect(catalog.stdout).toMatch(/baguette\s+Baguette\s+MX\$1\.00/);
    for (const job of ['production', 'procurement'])
      expect(
        (await planner(['run', '--job', job, '--tenants', 'new-bakery', '--date', '2026-11-28', ...as])).code,
      ).toBe(0);
    await waitFor(async () => (await stack.ports.plans.getProcurementPlan('new-bakery', '2026-11-28', 1)) !== null);
    const shown = await planner(['show', '--tenant', 'new-bakery', '--date', '2026-11-28', ...as]);
    expect(shown.stdout).toMatch(/^proc-new-bakery-2026-11-28-v1 · borrador · revisión 1 · \d+ líneas · MX\$[\d,.]+\n/);
    // The stock template covers butter and salt; flour is short, ordered from the preferred mill in packs of 25 kg.
    expect(shown.stdout).toMatch(
      /mill\s+flour\s+2026-\d\d-\d\d\s+2026-\d\d-\d\d\s+\d+ kg\s+MX\$[\d,.]+\s+(crítica|alta|media|baja)/,
    );
    const approved = await planner(['approve', '--tenant', 'new-bakery', '--date', '2026-11-28', ...as]);
    expect(approved.stdout).toBe('proc-new-bakery-2026-11-28-v1: approved (revision 2)\n');
    expect((await planner(['cache-stats', '--tenant', 'new-bakery', ...as])).stdout).toMatch(
      /^new-bakery: 14 cached forecasts · \d+ hits \/ \d+ misses \([\d.]+ % hit rate\) · 0 cache failures\n$/,
    );
  });
});

describe("the onboarding guide's safety nets, on today's clock", () => {
  let today: RunningServer;
  beforeAll(async () => {
    today = await startLocalServer(KEY, { realClock: true });
  });
  afterAll(() => today?.close());

  it('templates dated from today and priced in pesos import without a word; each trap is refused or named', async () => {
    const as = ['--api', today.base, '--as-admin'];
    const dir = mkdtempSync(join(tmpdir(), 'la-espiga-'));
    const written = await planner([
      'templates',
      '--dir',
      dir,
      '--timezone',
      'America/Mexico_City',
      '--currency',
      'MXN',
    ]);
    const yesterday = addDays(localDateAt(new Date(), 'America/Mexico_City'), -1);
    expect(written.stdout).toContain(`sales up to ${yesterday} (yesterday in America/Mexico_City), prices in MXN`);
    expect(
      (
        await planner([
          'create-tenant',
          '--tenant',
          'la-espiga',
          '--name',
          'La Espiga',
          '--timezone',
          'America/Mexico_City',
          '--currency',
          'MXN',
          '--locale',
          'es-MX',
          ...as,
        ])
      ).code,
    ).toBe(0);
    // Sales before the catalog: refused, saying what to do first.
    const early = await planner(['import-sales', '--tenant', 'la-espiga', '--csv', join(dir, 'sales.csv'), ...as]);
    expect(early.code).not.toBe(0);
    expect(early.stderr).toContain('The catalog has no products yet: import it first');
    // The euro-priced catalog into a peso bakery: imported, with a warning naming the currency.
    const euros = await planner([
      'catalog',
      'import',
      '--tenant',
      'la-espiga',
      '--file',
      'docs/templates/catalog.json',
      ...as,
    ]);
    expect(euros.code).toBe(0);
    expect(euros.stderr).toMatch(
      /Warning: The median product price, MX\$1\.00 \(MXN\), is below what bakery products sell for in MXN/,
    );
    const pesos = await planner([
      'catalog',
      'import',
      '--tenant',
      'la-espiga',
      '--file',
      join(dir, 'catalog.json'),
      ...as,
    ]);
    expect(pesos.stderr).not.toContain('Warning');
    expect(pesos.stderr).toMatch(/First day: not planned now: (no sales yet|not created today)/);
    expect((await planner(['catalog', 'show', '--tenant', 'la-espiga', ...as])).stdout).toMatch(
      /baguette\s+Baguette\s+MX\$20\.00/,
    );
    // The stock template as generated: its open order still to come.
    const stock = await planner(['stock', 'import', '--tenant', 'la-espiga', '--file', join(dir, 'stock.csv'), ...as]);
    expect(stock).toMatchObject({ code: 0, stderr: '' });
    // An open order dated before today, and a lot pasted twice: refused, nothing replaced.
    const pastOrder = join(dir, 'past-order.csv');
    writeFileSync(pastOrder, `kind,id,quantity,date,supplierId\norder,flour,50,${addDays(yesterday, -3)},mill\n`);
    const refusedOrder = await planner(['stock', 'import', '--tenant', 'la-espiga', '--file', pastOrder, ...as]);
    expect(refusedOrder.code).not.toBe(0);
    expect(refusedOrder.stderr).toMatch(
      /openOrders\.0\.arrivesOn: the open order of flour arrives on \d{4}-\d\d-\d\d, before today .* if it came, record it as an ingredient lot/,
    );
    const twice = join(dir, 'twice.csv');
    writeFileSync(
      twice,
      'kind,id,quantity,date,supplierId\nproduct,cookie,12,2026-11-27,\nproduct,cookie,3,2026-11-27,\n',
    );
    const refusedTwice = await planner(['stock', 'import', '--tenant', 'la-espiga', '--file', twice, ...as]);
    expect(refusedTwice.stderr).toContain('the lot of cookie produced on 2026-11-27 appears twice (entries 0 and 1)');
    expect((await today.stack.ports.stock.getStock('la-espiga')).openOrders).toHaveLength(1);
    // A misspelt product id: the whole import refused, with the id it probably meant.
    const misspelt = join(dir, 'misspelt.csv');
    writeFileSync(misspelt, `productId,date,units\nbaguette,${yesterday},90\nbagette,${yesterday},10\n`);
    const refusedSales = await planner(['import-sales', '--tenant', 'la-espiga', '--csv', misspelt, ...as]);
    expect(refusedSales.code).not.toBe(0);
    expect(refusedSales.stderr).toContain('"bagette" is not in the catalog (did you mean "baguette"?)');
    const stored = await today.stack.ports.sales.getSales('la-espiga', addDays(yesterday, -400), yesterday);
    expect(Object.keys(stored.unitsByProduct)).toEqual([]);
    // The generated sales: fresh, no warning; a new tenant's first day is planned now, or says why not.
    const sales = await planner(['import-sales', '--tenant', 'la-espiga', '--csv', join(dir, 'sales.csv'), ...as]);
    expect(sales.code).toBe(0);
    expect(JSON.parse(sales.stdout)).toMatchObject({ imported: 112, salesThrough: yesterday, warnings: [] });
    expect(sales.stderr).toMatch(/^First day: (planning \d{4}-\d\d-\d\d: .*|not planned now: .*)\n$/);
    // The deadline from the CLI, not a curl without a token.
    const deadline = await planner(['set-tenant', '--tenant', 'la-espiga', '--review-deadline', '09:00', ...as]);
    expect(deadline.stdout).toBe(
      'la-espiga (La Espiga): America/Mexico_City, prices in MXN, written es-MX, review by 09:00.\n',
    );
    expect((await planner(['set-tenant', '--tenant', 'la-espiga', ...as])).stderr).toContain('Nothing to change');
  });

  it('says when the sales stored end days ago', async () => {
    const as = ['--api', today.base, '--as-tenant', 'a'];
    const dir = mkdtempSync(join(tmpdir(), 'stale-'));
    const old = addDays(localDateAt(new Date(), 'Europe/Madrid'), -40);
    writeFileSync(join(dir, 'old.csv'), `productId,date,units\nbaguette,${old},90\n`);
    const imported = await planner(['import-sales', '--tenant', 'a', '--csv', join(dir, 'old.csv'), ...as]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(
      /^Warning: (The newest sales are of \d{4}-\d\d-\d\d, \d+ days ago|No sales in the last four weeks) \(today is \d{4}-\d\d-\d\d in Europe\/Madrid\): .* Import the days up to yesterday\.\n$/,
    );
  });
});

describe('plans from the command line', () => {
  it('shows and approves the live version of a date when none is named, and names the dates that have a plan', async () => {
    await planMadridDay(stack);
    // A modification made v2 the live version; v1 is cancelled.
    await modifyProcurementPlan(stack.ports, {
      tenantId: 'a',
      planDate: '2026-11-28',
      version: 1,
      changes: [{ ingredientId: 'flour', orderQuantity: 50 }],
      by: 'manager',
      reason: 'more flour',
    });
    const as = ['--api', api, '--as-tenant', 'a'];
    expect((await planner(['show', '--tenant', 'a', '--date', '2026-11-28', ...as])).stdout).toMatch(
      /^proc-a-2026-11-28-v2 · borrador · revisión 1 /,
    );
    expect((await planner(['approve', '--tenant', 'a', '--date', '2026-11-28', ...as])).stdout).toBe(
      'proc-a-2026-11-28-v2: approved (revision 2)\n',
    );
    // Orders sent, then goods in (less flour than ordered): the stock follows.
    expect((await planner(['ordered', '--tenant', 'a', '--date', '2026-11-28', ...as])).stdout).toBe(
      'proc-a-2026-11-28-v2: in_execution (revision 3)\n',
    );
    expect((await stack.ports.stock.getStock('a')).openOrders?.some((o) => o.planId === 'proc-a-2026-11-28-v2')).toBe(
      true,
    );
    const badReceipt = await planner([
      'received',
      '--tenant',
      'a',
      '--date',
      '2026-11-28',
      '--received',
      'flour',
      ...as,
    ]);
    expect(badReceipt.stderr).toContain('"flour" is not ingredient=quantity (e.g. flour=25).');
    const received = await planner([
      'received',
      '--tenant',
      'a',
      '--date',
      '2026-11-28',
      '--received',
      'flour=20',
      ...as,
    ]);
    expect(received.stdout).toBe('proc-a-2026-11-28-v2: completed (revision 4)\n');
    const stock = await stack.ports.stock.getStock('a');
    expect(stock.openOrders?.some((o) => o.planId)).toBe(false);
    expect(stock.ingredients.filter((lot) => lot.ingredientId === 'flour').map((lot) => lot.quantity)).toContain(20);
    // The baker's sheet in the bakery's language (es-ES): the dough before the baguettes, with its weights.
    const sheet = await planner(['prep-sheet', '--tenant', 'a', '--date', '2026-11-28', ...as]);
    expect(sheet.stdout).toMatch(/^\s*Inicio\s+Hacer\s+Pesos\s+Hornada/);
    expect(sheet.stdout).toMatch(/\d\d:\d\d\s+Dough [\d,]+ kg \(preparación\)\s+Flour [\d,]+ kg, Salt [\d,]+ kg/);
    expect(sheet.stdout).toMatch(/\d\d:\d\d\s+Baguette \d+ uds\.\s+Dough [\d,]+ kg/);
    const missing = await planner(['approve', '--tenant', 'a', '--date', '2026-11-20', ...as]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('No procurement plan for a on 2026-11-20. Its latest plan dates: 2026-11-28.');
  });
});

describe('approval by supplier or by line from the command line', () => {
  it('approves one supplier, shows who approved which line, then the last line approves the plan', async () => {
    await seedBakery(stack, tenant('b', 'Europe/Madrid'), '2026-11-28');
    await planMadridDay(stack);
    const as = ['--api', api, '--as-tenant', 'b'];
    const day = ['--tenant', 'b', '--date', '2026-11-28'];
    const plan = (await stack.ports.plans.getProcurementPlan('b', '2026-11-28', 1))!.plan;
    const ordering = plan.requirements.filter((r) => r.orderQuantity > 0);
    const dairy = ordering.filter((r) => r.supplierId === 'dairy').map((r) => r.ingredientId);
    const rest = ordering.filter((r) => r.supplierId !== 'dairy').map((r) => r.ingredientId);
    expect(dairy.length).toBeGreaterThan(0);
    expect(rest.length).toBeGreaterThan(0);
    const first = await planner(['approve', ...day, '--supplier', 'dairy', ...as]);
    expect(first.stdout).toBe(
      `proc-b-2026-11-28-v1: approved ${dairy.join(', ')} — ${rest.length} line${rest.length > 1 ? 's' : ''} still to approve (revision 2)\n`,
    );
    const shown = await planner(['show', ...day, ...as]);
    // The plan as the bakery reads it (tenant b speaks Spanish): who approved which line.
    expect(shown.stdout).toMatch(/Proveedor\s+Ingrediente\s+.*Prioridad\s+Aprobado\n/);
    expect(shown.stdout).toMatch(new RegExp(`dairy\\s+${dairy[0]}\\s.*local-operator-b`));
    const wrong = await planner(['approve', ...day, '--supplier', 'dairyy', ...as]);
    expect(wrong.stderr).toContain(
      'supplierIds: "dairyy" has no order line in plan proc-b-2026-11-28-v1 (did you mean "dairy"?)',
    );
    expect((await planner(['reject', ...day, '--line', 'flour', '--reason', 'x', ...as])).stderr).toContain(
      '--supplier and --line go with planner approve only.',
    );
    const last = await planner(['approve', ...day, '--line', rest.join(','), ...as]);
    expect(last.stdout).toBe(
      `proc-b-2026-11-28-v1: approved ${rest.join(', ')} — every order line approved: approved (revision 3)\n`,
    );
  });
});

describe('closing the loop from the command line', () => {
  it("records a day's actuals from a POS export, lists them, and prints the plan's quality", async () => {
    await planMadridDay(stack);
    const as = ['--api', api, '--as-tenant', 'a'];
    const file = join(mkdtempSync(join(tmpdir(), 'actuals-')), 'pos.csv');
    writeFileSync(
      file,
      'date,productId,sold,leftover,carriedOver,soldOutAt\n2026-11-28,cookie,15,3,2,\n2026-11-28,baguette,20,0,0,12:40\n',
    );
    const recorded = await planner(['import-actuals', '--tenant', 'a', '--csv', file, ...as]);
    expect(recorded.code).toBe(0);
    expect(JSON.parse(recorded.stdout)).toEqual({
      recorded: 2,
      from: '2026-11-28',
      to: '2026-11-28',
      carriedOver: 2,
      soldOut: 1,
      measured: 1,
    });
    const listed = await planner(['actuals', '--tenant', 'a', '--from', '2026-11-28', '--to', '2026-11-28', ...as]);
    expect(listed.stdout).toMatch(/2026-11-28\s+baguette\s+20\s+0\s+0\s+12:40/);
    expect(listed.stdout).toMatch(/2026-11-28\s+cookie\s+15\s+3\s+2/);
    const quality = await planner(['quality', '--tenant', 'a', '--from', '2026-11-28', '--to', '2026-11-28', ...as]);
    expect(quality.stdout).toMatch(/^\s*date\s+from\s+score\s+WAPE\s+bias\s+waste/);
    expect(quality.stdout).toMatch(/2026-11-28\s+actuals\s+-?[\d.]+ %\s+[\d.]+ %\s+-?[\d.]+ %\s+1 \([\d,]+\s€\)/);
    const none = await planner(['quality', '--tenant', 'a', '--from', '2026-11-01', '--to', '2026-11-02', ...as]);
    expect(none.stdout).toContain('No day in that range has both a plan and actuals for a');
  });
});

describe('webhooks from the command line', () => {
  it('adds an endpoint (printing its secret once), lists, disables, rotates, logs and removes it', async () => {
    const as = ['--api', api, '--as-tenant', 'a'];
    const added = await planner([
      'webhooks',
      'add',
      '--tenant',
      'a',
      '--url',
      'http://127.0.0.1:9/hooks',
      '--events',
      'procurement.plan.status_changed',
      '--description',
      'ERP',
      ...as,
    ]);
    expect(added.stderr).toBe('');
    const secret = /^(whsec_\S+)$/m.exec(added.stdout)![1]!;
    const id = /(ep-[0-9a-f]{16})/.exec(added.stdout)![1]!;
    const listed = await planner(['webhooks', 'list', '--tenant', 'a', ...as]);
    expect(listed.stdout).toMatch(
      new RegExp(`${id}\\s+enabled\\s+http://127.0.0.1:9/hooks\\s+procurement.plan.status_changed\\s+ERP`),
    );
    expect(listed.stdout).not.toContain(secret);
    const disabled = await planner(['webhooks', 'update', '--tenant', 'a', '--id', id, '--disable', ...as]);
    expect(disabled.stdout).toMatch(/disabled: disabled by a person/);
    const rotated = await planner(['webhooks', 'rotate', '--tenant', 'a', '--id', id, '--overlap-hours', '0', ...as]);
    expect(/^(whsec_\S+)$/m.exec(rotated.stdout)![1]).not.toBe(secret);
    expect((await planner(['webhooks', 'deliveries', '--tenant', 'a', '--id', id, ...as])).stdout).toBe(
      `No deliveries to ${id} in the last 30 days.\n`,
    );
    const bad = await planner([
      'webhooks',
      'add',
      '--tenant',
      'a',
      '--url',
      'https://x.example',
      '--events',
      'plan.eaten',
      ...as,
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown event type plan.eaten/);
    const refused = await planner([
      'webhooks',
      'add',
      '--tenant',
      'a',
      '--url',
      'https://169.254.169.254/',
      '--events',
      'procurement.plan.generated',
      ...as,
    ]);
    expect(refused.stderr).toMatch(/400: url: the address is link-local \(cloud metadata\)/);
    expect((await planner(['webhooks', 'remove', '--tenant', 'a', '--id', id, ...as])).stdout).toBe(
      `Deleted webhook endpoint ${id}.\n`,
    );
    expect((await stack.ports.webhooks.list('a')).length).toBe(0);
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
