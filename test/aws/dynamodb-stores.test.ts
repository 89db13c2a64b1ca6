import { describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidTimezoneError } from '../../lib/time/tenant-clock.ts';
import { keys, TTL_ATTRIBUTE } from '../../lib/aws/dynamodb/table-layout.ts';
import { documentClient } from '../../lib/aws/dynamodb/client.ts';
import type { DemandForecast } from '../../lib/domain.ts';
import { inject } from 'vitest';
import { smallCatalog, steadySales, tenant, testStack } from '../support/local-stack.ts';

const forecast = (productId: string, forecastDate: string): DemandForecast => ({
  productId, forecastDate, pointForecast: 10, quantiles: { p10: 8, p50: 10, p90: 12 }, method: 'test', accuracy: { wape: 0.1, observations: 10 }, historyEnd: '2026-11-27', errors: { kind: 'relative', sorted: [0.8, 1, 1.2] },
});

describe('tenants in DynamoDB', () => {
  it('rejects an invalid timezone on write and writes nothing', async () => {
    const stack = await testStack();
    await expect(stack.ports.tenants.putTenant(tenant('t1', 'Europe/Atlantis'))).rejects.toBeInstanceOf(InvalidTimezoneError);
    expect(await stack.ports.tenants.getTenant('t1')).toBeNull();
    expect(await stack.ports.tenants.listZones()).toEqual([]);
  });

  it('reads an invalid stored timezone as the default, with a warning', async () => {
    const stack = await testStack();
    const doc = documentClient({ endpoint: inject('dynamoEndpoint') });
    await doc.send(new PutCommand({ TableName: stack.tableName, Item: { ...keys.tenant('legacy'), tenantId: 'legacy', name: 'Old bakery', timezone: 'CEST' } }));
    await doc.send(new PutCommand({ TableName: stack.tableName, Item: { ...keys.tenant('older'), tenantId: 'older', name: 'Older bakery' } }));
    expect((await stack.ports.tenants.getTenant('legacy'))?.timezone).toBe('Europe/Madrid');
    expect((await stack.ports.tenants.getTenant('older'))?.timezone).toBe('Europe/Madrid');
    const warnings = stack.logLines.filter((l) => l.level === 'warn');
    expect(warnings).toEqual([expect.objectContaining({ tenantId: 'legacy', storedTimezone: 'CEST' })]);
  });

  it('lists tenants by zone and keeps the zone registry exact as tenants move', async () => {
    const stack = await testStack();
    await stack.ports.tenants.putTenant(tenant('a', 'Asia/Kolkata'));
    await stack.ports.tenants.putTenant(tenant('b', 'Asia/Kolkata'));
    await stack.ports.tenants.putTenant(tenant('c', 'Europe/Madrid', true));
    expect((await stack.ports.tenants.listTenantsInZone('Asia/Kolkata')).map((t) => t.tenantId)).toEqual(['a', 'b']);
    expect(await stack.ports.tenants.listTenantsInZone('Europe/Madrid')).toEqual([expect.objectContaining({ tenantId: 'c', demo: true })]);
    await stack.ports.tenants.putTenant(tenant('c', 'Asia/Kolkata'));
    await stack.ports.tenants.putTenant(tenant('a', 'Asia/Kolkata'));
    expect(await stack.ports.tenants.listZones()).toEqual([{ timezone: 'Asia/Kolkata', tenants: 3 }]);
  });
});

describe('sales history in DynamoDB', () => {
  it('returns exactly the open days and closures within the range', async () => {
    const stack = await testStack();
    await stack.ports.sales.putSales('t1', steadySales('2026-11-28', ['2026-11-18']));
    const history = await stack.ports.sales.getSales('t1', '2026-11-01', '2026-11-27');
    expect(Object.keys(history.unitsByProduct.baguette!)).toHaveLength(26);
    expect(history.unitsByProduct.baguette!['2026-11-18']).toBeUndefined();
    expect(history.closedDates).toEqual(['2026-11-18']);
    expect(history.unitsByProduct.cookie!['2026-11-27']).toBe(20);
  });

  it('round-trips a catalog and replaces stock', async () => {
    const stack = await testStack();
    await stack.ports.catalog.putCatalog('t1', smallCatalog());
    const catalog = await stack.ports.catalog.getCatalog('t1');
    expect(catalog.recipes.map((r) => r.recipeId).sort()).toEqual(['bake-baguette', 'bake-cookie', 'dough']);
    expect(catalog.products.find((p) => p.productId === 'cookie')).toEqual(smallCatalog().products[1]);
    await stack.ports.stock.putStock('t1', { finishedGoods: [], ingredients: [{ ingredientId: 'flour', quantity: 5, expiresOn: '2027-01-01' }] });
    const replaced = {
      finishedGoods: [{ productId: 'cookie', quantity: 3, producedOn: '2026-11-27' }],
      ingredients: [],
      openOrders: [{ ingredientId: 'flour', quantity: 50, arrivesOn: '2026-11-30', supplierId: 'mill' }],
    };
    await stack.ports.stock.putStock('t1', replaced);
    expect(await stack.ports.stock.getStock('t1')).toEqual(replaced);
  });
});

describe('the forecast cache in DynamoDB', () => {
  it('expires an entry at the tenant-local midnight after its date', async () => {
    const stack = await testStack();
    await stack.ports.forecastCache.putMany('t1', 'Asia/Kolkata', [forecast('bread', '2026-11-28')]);
    const key = [{ productId: 'bread', forecastDate: '2026-11-28' }];
    // Midnight after 2026-11-28 in Kolkata is 2026-11-28T18:30:00Z.
    expect(await stack.ports.forecastCache.getMany('t1', key, new Date('2026-11-28T18:29:59Z'))).toHaveLength(1);
    expect(await stack.ports.forecastCache.getMany('t1', key, new Date('2026-11-28T18:30:00Z'))).toEqual([]);
  });

  it('treats an expired entry that DynamoDB has not deleted yet as a miss', async () => {
    const stack = await testStack();
    const doc = documentClient({ endpoint: inject('dynamoEndpoint') });
    await doc.send(new PutCommand({
      TableName: stack.tableName,
      Item: { ...keys.forecast('t1', '2026-11-20', 'bread'), productId: 'bread', forecast: forecast('bread', '2026-11-20'), [TTL_ATTRIBUTE]: Date.parse('2026-11-21T00:00:00Z') / 1000 },
    }));
    expect(await stack.ports.forecastCache.getMany('t1', [{ productId: 'bread', forecastDate: '2026-11-20' }], new Date('2026-11-28T00:00:00Z'))).toEqual([]);
    expect((await stack.ports.forecastCache.stats('t1', new Date('2026-11-28T00:00:00Z'))).entries).toBe(0);
  });

  it('invalidates per product and per tenant, and counts hits and misses', async () => {
    const stack = await testStack();
    const now = new Date('2026-11-28T00:00:00Z');
    await stack.ports.forecastCache.putMany('t1', 'UTC', [forecast('bread', '2026-11-28'), forecast('bread', '2026-11-29'), forecast('cake', '2026-11-28')]);
    await stack.ports.forecastCache.putMany('t2', 'UTC', [forecast('bread', '2026-11-28')]);
    expect(await stack.ports.forecastCache.invalidateProduct('t1', 'bread')).toBe(2);
    expect((await stack.ports.forecastCache.stats('t1', now)).entries).toBe(1);
    expect(await stack.ports.forecastCache.invalidateTenant('t1')).toBe(1);
    expect((await stack.ports.forecastCache.stats('t2', now)).entries).toBe(1);
    await stack.ports.forecastCache.recordLookups('t1', 6, 2, 0);
    await stack.ports.forecastCache.recordLookups('t1', 3, 1, 1);
    expect(await stack.ports.forecastCache.stats('t1', now)).toEqual({ entries: 0, hits: 9, misses: 3, hitRate: 0.75, failures: 1 });
  });
});
