// Regression tests for hostile and careless requests: each refused request answers a clear 4xx naming
// the field, and leaves every item of the table as it was.
import { beforeAll, describe, expect, it } from 'vitest';
import { adminClaims, type Claims, tenantClaims } from '../support/api.ts';
import { smallCatalog, steadySales, type TestStack, tenant } from '../support/local-stack.ts';
import { PLAN_DATE, type PlannedApi, plannedApi } from '../support/planned-api.ts';
import { tableSnapshot } from '../support/table-snapshot.ts';

let stack: TestStack;
let call: PlannedApi['call'];

/** Calls, expects the status, and proves nothing was written. */
async function refused(
  status: number,
  method: string,
  path: string,
  options: { claims?: Claims; body?: unknown; query?: Record<string, string>; contentType?: string } = {},
) {
  const before = await tableSnapshot(stack);
  const response = await call(method, path, options);
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(typeof response.body.error).toBe('string');
  expect(await tableSnapshot(stack)).toBe(before);
  return response.body;
}

const asA = tenantClaims('a');
const csv = (...rows: string[]) => ['productId,date,units', ...rows].join('\n');

beforeAll(async () => {
  ({ stack, call } = await plannedApi());
});

describe('user strings never become plain-object keys', () => {
  it('refuses __proto__ as a product id, and every other tenant keeps working', async () => {
    const body = await refused(400, 'POST', '/tenants/a/sales', {
      claims: asA,
      contentType: 'text/csv',
      body: csv('__proto__,2026-11-27,5'),
    });
    expect(body).toMatchObject({ field: 'productId', line: 2 });
    await refused(400, 'POST', '/tenants/a/sales', {
      claims: asA,
      body: { rows: [{ productId: '__proto__', date: '2026-11-27', units: 5 }] },
    });
    expect(({} as Record<string, unknown>)['2026-11-27']).toBeUndefined();
    for (const path of [
      '/tenants/b/catalog',
      `/tenants/b/procurement-plans/${PLAN_DATE}/versions/1`,
      '/tenants/b/forecasts',
    ]) {
      expect((await call('GET', path, { claims: tenantClaims('b') })).status).toBe(200);
    }
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'])(
    'imports, stores and forecasts a product called %s',
    async (name) => {
      const tenantId = `reserved-${name.toLowerCase()}`;
      await stack.ports.tenants.putTenant(tenant(tenantId, 'Europe/Madrid'));
      const catalog = smallCatalog();
      catalog.products = [{ ...catalog.products[0]!, productId: name }];
      expect(
        (await call('PUT', `/tenants/${tenantId}/catalog`, { claims: tenantClaims(tenantId), body: catalog })).status,
      ).toBe(200);
      const rows = Object.entries(steadySales(PLAN_DATE).unitsByProduct.baguette!).map(
        ([date, units]) => `${name},${date},${units}`,
      );
      const imported = await call('POST', `/tenants/${tenantId}/sales`, {
        claims: tenantClaims(tenantId),
        contentType: 'text/csv',
        body: csv(...rows),
      });
      expect(imported).toMatchObject({ status: 201, body: { imported: 56, products: 1 } });
      const history = await stack.ports.sales.getSales(tenantId, '2026-10-01', '2026-11-27');
      expect(Object.keys(history.unitsByProduct)).toEqual([name]);
      expect(Object.keys(history.unitsByProduct[name]!)).toHaveLength(56);
      const forecasts = await call('GET', `/tenants/${tenantId}/forecasts`, {
        claims: tenantClaims(tenantId),
        query: { date: PLAN_DATE },
      });
      expect(forecasts.body.forecasts).toEqual([
        expect.objectContaining({ productId: name, pointForecast: expect.any(Number) }),
      ]);
      expect(forecasts.body.forecasts[0].pointForecast).toBeGreaterThan(50);
    },
  );
});

describe('ids follow one grammar', () => {
  it.each(['bread|x', 'bread#x', 'my bread', "=cmd|' /C calc'!A0", 'pan🥖', 'x'.repeat(1001)])(
    'refuses the CSV product id %#, naming line and field',
    async (id) => {
      expect(
        await refused(400, 'POST', '/tenants/a/sales', {
          claims: asA,
          contentType: 'text/csv',
          body: csv(`${id},2026-11-27,5`),
        }),
      ).toMatchObject({ field: 'productId', line: 2 });
    },
  );

  it('takes a currency and a locale on a tenant, validated, and refuses others', async () => {
    const created = await call('POST', '/tenants', {
      claims: adminClaims,
      body: { tenantId: 'cdmx', name: 'CDMX', timezone: 'America/Mexico_City', currency: 'mxn', locale: 'es-mx' },
    });
    expect(created).toMatchObject({ status: 201, body: { currency: 'MXN', locale: 'es-MX' } });
    expect(
      await refused(400, 'PUT', '/tenants/cdmx', { claims: adminClaims, body: { currency: 'PESOS' } }),
    ).toMatchObject({ field: 'currency' });
    expect(
      await refused(400, 'PUT', '/tenants/cdmx', { claims: adminClaims, body: { locale: 'not a locale' } }),
    ).toMatchObject({ field: 'locale' });
  });

  it('takes a review deadline on a whole hour from 07:00 to 23:00, and refuses others without writing', async () => {
    expect(await call('PUT', '/tenants/a', { claims: asA, body: { reviewDeadline: '09:00' } })).toMatchObject({
      status: 200,
      body: { reviewDeadline: '09:00' },
    });
    for (const bad of ['09:30', '06:00', '24:00', '9:00', '23:00:00', 9]) {
      expect(
        await refused(400, 'PUT', '/tenants/a', { claims: asA, body: { reviewDeadline: bad } }),
        String(bad),
      ).toMatchObject({ field: 'reviewDeadline' });
    }
    expect((await call('GET', '/tenants/a', { claims: asA })).body.reviewDeadline).toBe('09:00');
  });

  it('refuses a tenant id with a space, a long one, and a path of 3,000 characters', async () => {
    expect(
      await refused(400, 'POST', '/tenants', { claims: adminClaims, body: { tenantId: 'my bakery', name: 'Mine' } }),
    ).toMatchObject({ field: 'tenantId' });
    expect(await refused(400, 'GET', `/tenants/${'t'.repeat(1000)}/catalog`, { claims: adminClaims })).toMatchObject({
      field: 'tenantId',
    });
    await refused(414, 'GET', `/tenants/${'t'.repeat(3000)}/catalog`, { claims: adminClaims });
  });
});

describe('a failed request writes nothing', () => {
  it('refuses a catalog with the same id twice, keeping the stored catalog', async () => {
    const catalog = smallCatalog();
    const body = await refused(400, 'PUT', '/tenants/a/catalog', {
      claims: asA,
      body: { ...catalog, ingredients: [...catalog.ingredients, catalog.ingredients[0]] },
    });
    expect(body.field).toBe('ingredients.3.ingredientId');
  });

  it('refuses supplier offers of unknown ingredients and recipe cycles', async () => {
    const catalog = smallCatalog();
    catalog.suppliers[0]!.offers.push({ ingredientId: 'saffron', unitPrice: 1, minimumOrderQuantity: 1, packSize: 1 });
    expect(await refused(400, 'PUT', '/tenants/a/catalog', { claims: asA, body: catalog })).toMatchObject({
      field: 'suppliers.0.offers.2.ingredientId',
    });
    const cyclic = smallCatalog();
    cyclic.recipes[0]!.components.push({ kind: 'recipe', id: 'bake-baguette', quantity: 1 });
    expect((await refused(400, 'PUT', '/tenants/a/catalog', { claims: asA, body: cyclic })).error).toMatch(
      /cycle: dough → bake-baguette → dough|cycle: bake-baguette → dough → bake-baguette/,
    );
  });

  it('refuses a CSV whose second row is bad, without writing the first', async () => {
    const body = await refused(400, 'POST', '/tenants/a/sales', {
      claims: asA,
      contentType: 'text/csv',
      body: csv('cookie,2026-11-27,99', 'cookie,2026-11-28,-3'),
    });
    expect(body).toMatchObject({ field: 'units', line: 3 });
  });

  it('stores two lots of one ingredient with the same expiry as two lots', async () => {
    const stock = {
      finishedGoods: [],
      ingredients: [
        { ingredientId: 'flour', quantity: 10, expiresOn: '2027-01-01' },
        { ingredientId: 'flour', quantity: 5, expiresOn: '2027-01-01' },
      ],
    };
    const response = await call('PUT', '/tenants/b/stock', { claims: tenantClaims('b'), body: stock });
    expect(response.status).toBe(200);
    expect(response.body.ingredients).toEqual(stock.ingredients);
  });

  it('refuses two finished-goods lots of one product and baking day (a line pasted twice), naming both', async () => {
    const stock = {
      finishedGoods: [
        { productId: 'cookie', quantity: 10, producedOn: '2026-11-27' },
        { productId: 'cookie', quantity: 10, producedOn: '2026-11-27' },
      ],
      ingredients: [],
    };
    expect(await refused(400, 'PUT', '/tenants/b/stock', { claims: tenantClaims('b'), body: stock })).toMatchObject({
      field: 'finishedGoods.1',
      error: expect.stringContaining('the lot of cookie produced on 2026-11-27 appears twice (entries 0 and 1)'),
    });
  });

  it('refuses stock of ingredients the catalog does not have', async () => {
    const stock = {
      finishedGoods: [],
      ingredients: [{ ingredientId: 'saffron', quantity: 1, expiresOn: '2027-01-01' }],
    };
    expect(await refused(400, 'PUT', '/tenants/a/stock', { claims: asA, body: stock })).toMatchObject({
      field: 'ingredients.0.ingredientId',
    });
  });
});

describe('numbers and dates', () => {
  it.each([1e300, 2 ** 53, -1])('refuses %s as a price, a quantity and sold units', async (value) => {
    const catalog = smallCatalog();
    catalog.products[0]!.unitPrice = value;
    await refused(400, 'PUT', '/tenants/a/catalog', { claims: asA, body: catalog });
    await refused(400, 'PUT', '/tenants/a/stock', {
      claims: asA,
      body: { finishedGoods: [], ingredients: [{ ingredientId: 'flour', quantity: value, expiresOn: '2027-01-01' }] },
    });
    await refused(400, 'POST', '/tenants/a/sales', {
      claims: asA,
      body: { rows: [{ productId: 'cookie', date: '2026-11-27', units: value }] },
    });
  });

  it.each(['9999-99-99', '2026-13-01', '2026-02-30', '2025-02-29'])(
    'refuses the date %s everywhere a date is taken',
    async (date) => {
      await refused(400, 'GET', '/tenants/a/forecasts', { claims: asA, query: { date } });
      await refused(400, 'GET', '/tenants/a/procurement-plans', { claims: asA, query: { from: date } });
      await refused(400, 'GET', `/tenants/a/production-schedules/${date}`, { claims: asA });
      await refused(400, 'PUT', '/tenants/a/stock', {
        claims: asA,
        body: { finishedGoods: [], ingredients: [{ ingredientId: 'flour', quantity: 1, expiresOn: date }] },
      });
      await refused(400, 'POST', '/tenants/a/sales', {
        claims: asA,
        body: { rows: [{ productId: 'cookie', date, units: 1 }] },
      });
      await refused(400, 'POST', '/tenants/a/sales', {
        claims: asA,
        contentType: 'text/csv',
        body: csv(`cookie,${date},1`),
      });
      expect(
        await refused(400, 'POST', '/runs', { claims: adminClaims, body: { job: 'production', planDate: date } }),
      ).toMatchObject({ field: 'planDate' });
    },
  );

  it('refuses blank, negative, hexadecimal and exponent units in a CSV', async () => {
    for (const units of ['', '-2', '0x10', '1e2']) {
      expect(
        await refused(400, 'POST', '/tenants/a/sales', {
          claims: asA,
          contentType: 'text/csv',
          body: csv(`cookie,2026-11-27,${units}`),
        }),
      ).toMatchObject({ field: 'units', line: 2 });
    }
  });

  it('refuses an unknown status filter and a plan version out of range', async () => {
    expect(
      await refused(400, 'GET', '/tenants/a/procurement-plans', { claims: asA, query: { status: 'bogus' } }),
    ).toMatchObject({ field: 'status' });
    expect(
      await refused(400, 'GET', `/tenants/a/procurement-plans/${PLAN_DATE}/versions/1000`, { claims: asA }),
    ).toMatchObject({ field: 'version' });
  });
});

describe('paths, sizes and unknown tenants', () => {
  it('answers 400 to a malformed percent-encoding, with or without a token', async () => {
    expect(await refused(400, 'GET', '/tenants/%E0%A4%A/catalog')).toMatchObject({ field: 'tenantId' });
    expect(await refused(400, 'GET', '/tenants/%E0%A4%A/catalog', { claims: adminClaims })).toMatchObject({
      field: 'tenantId',
    });
  });

  it('refuses dot segments instead of resolving them', async () => {
    for (const path of ['/tenants/../forecast-cache', '/tenants/%2e%2e/forecast-cache', '/tenants/a/./catalog']) {
      expect(await refused(400, 'DELETE', path, { claims: adminClaims })).toMatchObject({ field: 'path' });
    }
  });

  it('answers 413 past the body limit and 400 to a name of 300 characters', async () => {
    await refused(413, 'POST', '/tenants', {
      claims: adminClaims,
      body: { tenantId: 'big', name: 'n'.repeat(1024 * 1024) },
    });
    expect(
      await refused(400, 'POST', '/tenants', { claims: adminClaims, body: { tenantId: 'big', name: 'n'.repeat(300) } }),
    ).toMatchObject({ field: 'name' });
  });

  it('answers 413 past a list limit', async () => {
    const rows = Array.from({ length: 50_001 }, () => ({ productId: 'c', date: '2026-01-01', units: 1 }));
    await refused(413, 'POST', '/tenants/a/sales', { claims: asA, body: { rows } });
  });

  it('answers 404 on every tenant route for a tenant that does not exist', async () => {
    for (const path of [
      '/tenants/ghost/procurement-plans',
      '/tenants/ghost/production-schedules',
      '/tenants/ghost/forecast-cache/stats',
      '/tenants/ghost/catalog',
    ]) {
      expect((await refused(404, 'GET', path, { claims: adminClaims })).error).toBe('Tenant "ghost" does not exist.');
    }
    await refused(404, 'DELETE', '/tenants/ghost/forecast-cache', { claims: adminClaims });
  });
});
