import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { DynamoBakeryDataStore } from '../../lib/aws/dynamodb/bakery-data-store.ts';
import { documentClient } from '../../lib/aws/dynamodb/client.ts';
import { DynamoPlanStore } from '../../lib/aws/dynamodb/plan-store.ts';
import { writeSnapshot } from '../../lib/aws/dynamodb/snapshot-store.ts';
import { keys, TTL_ATTRIBUTE } from '../../lib/aws/dynamodb/table-layout.ts';
import type { DemandForecast } from '../../lib/domain.ts';
import { toModelDocument } from '../../lib/forecasting/model-document.ts';
import { fitTenantModel, scoreTenantModel } from '../../lib/forecasting/tenant-model.ts';
import { LOCAL_MODEL_BUCKET } from '../../lib/local/s3-local.ts';
import { InvalidTimezoneError } from '../../lib/time/tenant-clock.ts';
import { IllegalTransitionError } from '../../lib/workflow/plan-lifecycle.ts';
import { qualitySummary } from '../support/bakery-fixtures.ts';
import { commandLog } from '../support/command-log.ts';
import { smallCatalog, steadySales, tenant, testStack } from '../support/local-stack.ts';

const forecast = (productId: string, forecastDate: string): DemandForecast => ({
  productId,
  forecastDate,
  pointForecast: 10,
  quantiles: { p10: 8, p50: 10, p90: 12 },
  method: 'test',
  accuracy: { wape: 0.1, observations: 10 },
  historyEnd: '2026-11-27',
  errors: { kind: 'relative', sorted: [0.8, 1, 1.2] },
});

describe('tenants in DynamoDB', () => {
  it('rejects an invalid timezone on write and writes nothing', async () => {
    const stack = await testStack();
    await expect(stack.ports.tenants.putTenant(tenant('t1', 'Europe/Atlantis'))).rejects.toBeInstanceOf(
      InvalidTimezoneError,
    );
    expect(await stack.ports.tenants.getTenant('t1')).toBeNull();
    expect(await stack.ports.tenants.listZones()).toEqual([]);
  });

  it('reads an invalid stored timezone as the default, with a warning', async () => {
    const stack = await testStack();
    const doc = documentClient({ endpoint: inject('dynamoEndpoint') });
    await doc.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: { ...keys.tenant('legacy'), tenantId: 'legacy', name: 'Old bakery', timezone: 'CEST' },
      }),
    );
    await doc.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: { ...keys.tenant('older'), tenantId: 'older', name: 'Older bakery' },
      }),
    );
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
    expect(await stack.ports.tenants.listTenantsInZone('Europe/Madrid')).toEqual([
      expect.objectContaining({ tenantId: 'c', demo: true }),
    ]);
    await stack.ports.tenants.putTenant(tenant('c', 'Asia/Kolkata'));
    await stack.ports.tenants.putTenant(tenant('a', 'Asia/Kolkata'));
    expect(await stack.ports.tenants.listZones()).toEqual([{ timezone: 'Asia/Kolkata', tenants: 3, runs: {} }]);
  });
});

describe('plan quality in DynamoDB', () => {
  const summary = (date: string, wape: number) => qualitySummary(date, `prod-q-${date}`, wape);

  it('keeps a day per item, replaced by a correction, and still reads days kept in the earlier month items', async () => {
    const stack = await testStack();
    const store = stack.ports.actuals;
    // The earlier layout: a month item with a day per attribute.
    await stack.table.doc.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: {
          ...keys.qualityMonth('q', '2026-10'),
          type: 'PlanQualityMonth',
          d30: summary('2026-10-30', 0.3),
          d31: summary('2026-10-31', 0.31),
        },
      }),
    );
    await store.putQuality('q', summary('2026-10-31', 0.2)); // a correction, in the new layout
    await store.putQuality('q', summary('2026-11-02', 0.1));
    await store.putQuality('q', summary('2026-11-02', 0.12));
    const days = await store.getQuality('q', '2026-10-01', '2026-11-30');
    expect(days.map((d) => [d.date, d.wape])).toEqual([
      ['2026-10-30', 0.3],
      ['2026-10-31', 0.2],
      ['2026-11-02', 0.12],
    ]);
    expect((await store.getQuality('q', '2026-10-30', '2026-10-30')).map((d) => d.wape)).toEqual([0.3]);
    expect((await store.getQuality('q', '2026-11-02', '2026-11-02')).map((d) => d.wape)).toEqual([0.12]);
    expect(await store.getQuality('q', '2026-11-03', '2026-11-30')).toEqual([]);
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

  it('keeps every day when imports of one month race, and a daily import of 150 products is one read and one write', async () => {
    const stack = await testStack();
    const products = Array.from({ length: 150 }, (_, i) => `p${i}`);
    const day = (date: string, units: number) => ({
      unitsByProduct: Object.fromEntries(products.map((p) => [p, { [date]: units }])),
      closedDates: [],
    });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        stack.ports.sales.putSales('t1', day(`2026-11-${String(i + 1).padStart(2, '0')}`, i)),
      ),
    );
    const { lines: commands } = commandLog(stack.table.doc);
    await stack.ports.sales.putSales('t1', day('2026-11-11', 10));
    expect(commands).toEqual(['GetItemCommand', 'PutItemCommand']);
    const history = await stack.ports.sales.getSales('t1', '2026-11-01', '2026-11-30');
    expect(Object.keys(history.unitsByProduct)).toHaveLength(150);
    expect(history.unitsByProduct.p149).toEqual(
      Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`2026-11-${String(i + 1).padStart(2, '0')}`, i])),
    );
  });

  it('reads the earlier layout (one item per product and month) beside the packed months', async () => {
    const stack = await testStack();
    await stack.table.doc.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: {
          PK: 'TENANT#t1',
          SK: 'SALES#2026-11#baguette',
          month: '2026-11',
          productId: 'baguette',
          units: { '02': 7, '03': 8 },
        },
      }),
    );
    await stack.ports.sales.putSales('t1', {
      unitsByProduct: { baguette: { '2026-11-03': 9, '2026-11-04': 4 } },
      closedDates: [],
    });
    const history = await stack.ports.sales.getSales('t1', '2026-11-01', '2026-11-30');
    expect(history.unitsByProduct.baguette).toEqual({ '2026-11-02': 7, '2026-11-03': 9, '2026-11-04': 4 });
  });

  it('round-trips a catalog and replaces stock', async () => {
    const stack = await testStack();
    await stack.ports.catalog.putCatalog('t1', smallCatalog());
    const catalog = await stack.ports.catalog.getCatalog('t1');
    expect(catalog.recipes.map((r) => r.recipeId).sort()).toEqual(['bake-baguette', 'bake-cookie', 'dough']);
    expect(catalog.products.find((p) => p.productId === 'cookie')).toEqual(smallCatalog().products[1]);
    await stack.ports.stock.putStock('t1', {
      finishedGoods: [],
      ingredients: [{ ingredientId: 'flour', quantity: 5, expiresOn: '2027-01-01' }],
    });
    const replaced = {
      finishedGoods: [{ productId: 'cookie', quantity: 3, producedOn: '2026-11-27' }],
      ingredients: [],
      openOrders: [{ ingredientId: 'flour', quantity: 50, arrivesOn: '2026-11-30', supplierId: 'mill' }],
    };
    await stack.ports.stock.putStock('t1', replaced);
    expect(await stack.ports.stock.getStock('t1')).toEqual(replaced);
  });

  it('replaces the catalog whole, across chunks, and leaves no chunk of the old one behind (a small one is its head alone)', async () => {
    const stack = await testStack();
    const big = smallCatalog();
    // Random names defeat compression, so the snapshot spans several chunks.
    big.products = Array.from({ length: 10_000 }, (_, i) => ({
      ...big.products[0]!,
      productId: `p${i}`,
      name: randomBytes(120).toString('base64').slice(0, 160),
    }));
    await stack.ports.catalog.putCatalog('t1', big);
    expect(await stack.ports.catalog.getCatalog('t1')).toEqual(big);
    const items = async () =>
      (
        await stack.table.doc.send(
          new QueryCommand({
            TableName: stack.tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
            ExpressionAttributeValues: { ':pk': 'TENANT#t1', ':p': 'CATALOG#' },
          }),
        )
      ).Items!.length;
    expect(await items()).toBeGreaterThan(2);
    await stack.ports.catalog.putCatalog('t1', smallCatalog());
    expect(await stack.ports.catalog.getCatalog('t1')).toEqual(smallCatalog());
    expect(await items()).toBe(1);
  });

  it('keeps the previous catalog when the write fails, and one whole catalog when writers race', async () => {
    const stack = await testStack();
    await stack.ports.catalog.putCatalog('t1', smallCatalog());
    const failing = {
      ...stack.table,
      doc: {
        send: async (command: object) => {
          if (command instanceof TransactWriteCommand || command instanceof PutCommand)
            throw new Error('injected: DynamoDB unavailable');
          return stack.table.doc.send(command as never);
        },
      } as unknown as typeof stack.table.doc,
    };
    const changed = { ...smallCatalog(), equipment: [] as never[], recipes: [] as never[], products: [] as never[] };
    await expect(new DynamoBakeryDataStore(failing).putCatalog('t1', changed)).rejects.toThrow('injected');
    expect(await stack.ports.catalog.getCatalog('t1')).toEqual(smallCatalog());
    const versions = Array.from({ length: 6 }, (_, i) => ({
      ...smallCatalog(),
      ingredients: smallCatalog().ingredients.slice(0, (i % 3) + 1),
    }));
    await Promise.all(versions.map((v) => stack.ports.catalog.putCatalog('t1', v)));
    expect(versions).toContainEqual(await stack.ports.catalog.getCatalog('t1'));
  });

  it('adds and removes closures in place', async () => {
    const stack = await testStack();
    await stack.ports.sales.putSales('t1', {
      unitsByProduct: {},
      closedDates: ['2026-11-01', '2026-11-08'],
      holidays: ['2026-12-25'],
    });
    await stack.ports.sales.putSales('t1', { unitsByProduct: {}, closedDates: ['2026-11-15'] }, ['2026-11-08']);
    const history = await stack.ports.sales.getSales('t1', '2026-11-01', '2026-11-30');
    expect(history.closedDates).toEqual(['2026-11-01', '2026-11-15']);
    expect(history.holidays).toEqual(['2026-12-25']);
  });
});

describe('forecasting models (in S3) and drivers (in DynamoDB)', () => {
  it('stores a fitted model compactly and reads back one that scores the same', async () => {
    const stack = await testStack();
    const history = steadySales('2026-11-28');
    const model = fitTenantModel(history, ['baguette', 'cookie'], '2026-11-27');
    await stack.ports.models.putModel('t1', model, new Date('2026-11-28T03:00:00Z'));
    const read = (await stack.ports.models.getModel('t1'))!;
    expect(read).toEqual(model);
    const dates = ['2026-11-28', '2026-11-29'];
    expect(scoreTenantModel(read, history, ['baguette', 'cookie'], dates, '2026-11-27')).toEqual(
      scoreTenantModel(model, history, ['baguette', 'cookie'], dates, '2026-11-27'),
    );
    expect(await stack.ports.models.getModel('nobody')).toBeNull();
    const objects = await stack.s3.send(
      new ListObjectsV2Command({ Bucket: LOCAL_MODEL_BUCKET, Prefix: stack.tableName }),
    );
    expect(objects.Contents?.map((o) => o.Key)).toEqual([`${stack.tableName}/models/t1.json.gz`]);
    expect(objects.Contents?.[0]?.Size).toBeLessThan(10_000);
    expect(await new DynamoBakeryDataStore(stack.table).getSnapshotModel('t1')).toBeNull();
  });

  it('reads a model of another format as none, so that a job fits a new one', async () => {
    const stack = await testStack();
    const model = fitTenantModel(steadySales('2026-11-28'), ['baguette'], '2026-11-27');
    await stack.ports.models.putModel('t1', { ...model, format: 99 as never }, new Date());
    expect(await stack.ports.models.getModel('t1')).toBeNull();
  });

  it('reads a model stored on the table by an earlier version until a refit writes its object', async () => {
    const stack = await testStack();
    const older = fitTenantModel(steadySales('2026-11-21'), ['baguette'], '2026-11-20');
    await writeSnapshot(stack.table, 't1', 'MODEL', toModelDocument(older, new Date('2026-11-21T03:00:00Z')));
    expect(await stack.ports.models.getModel('t1')).toEqual(older);
    const newer = fitTenantModel(steadySales('2026-11-28'), ['baguette'], '2026-11-27');
    await stack.ports.models.putModel('t1', newer, new Date('2026-11-28T03:00:00Z'));
    expect(await stack.ports.models.getModel('t1')).toEqual(newer);
  });

  it('merges driver imports from racing writers without losing either', async () => {
    const stack = await testStack();
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        stack.ports.drivers.putDrivers('t1', { columns: [`d${i}`], values: { '2026-11-28': [i] } }),
      ),
    );
    const drivers = (await stack.ports.drivers.getDrivers('t1'))!;
    expect([...drivers.columns].sort()).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
    drivers.columns.forEach((c, i) => {
      expect(drivers.values['2026-11-28']![i]).toBe(Number(c.slice(1)));
    });
  });
});

describe('plans in DynamoDB', () => {
  const schedule = {
    planId: 'prod-t1-2026-11-28',
    tenantId: 't1',
    planDate: '2026-11-28',
    status: 'draft' as const,
    lines: [],
    batches: [],
    shortfalls: [],
    generatedAt: '2026-11-28T04:30:00Z',
  };

  it('writes a plan with its events in one conditional write, and retries a regeneration’s transaction that another held', async () => {
    const stack = await testStack();
    const commands: string[] = [];
    let conflicts = 2;
    const busy = {
      ...stack.table,
      doc: {
        send: async (command: object, options?: object) => {
          commands.push(command.constructor.name);
          if (command instanceof TransactWriteCommand && conflicts-- > 0) {
            throw new TransactionCanceledException({
              message: 'Transaction cancelled',
              $metadata: {},
              CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
            });
          }
          return stack.table.doc.send(command as never, options);
        },
      } as unknown as typeof stack.table.doc,
    };
    const store = new DynamoPlanStore(busy);
    const v1 = {
      planId: 'proc-t1-2026-11-28-v1',
      tenantId: 't1',
      planDate: '2026-11-28',
      version: 1,
      status: 'draft' as const,
      horizonDays: 7,
      requirements: [],
      currency: 'EUR',
      totalCost: 0,
      history: [],
      generatedAt: '2026-11-28T05:00:00Z',
    };
    expect(await store.createProductionSchedule(schedule, 'Europe/Madrid', [])).toBe('created');
    expect(await store.createProductionSchedule(schedule, 'Europe/Madrid', [])).toBe('exists');
    expect(await store.createProcurementPlan(v1, 'Europe/Madrid', [])).toBe('created');
    expect(commands).toEqual(['PutCommand', 'PutCommand', 'PutCommand']);
    const entry = { at: '2026-11-28T08:00:00Z', by: 'manager', from: 'draft' as const, to: 'cancelled' as const };
    const old = {
      kind: 'procurement' as const,
      planId: v1.planId,
      planDate: v1.planDate,
      status: 'draft' as const,
      version: 1,
    };
    const v2 = { ...v1, planId: 'proc-t1-2026-11-28-v2', version: 2, supersedes: v1.planId };
    expect(await store.supersedeProcurementPlan(old, 1, entry, v2, 'Europe/Madrid', [])).toBe(true);
    expect(conflicts).toBe(-1);
    // The old version changed meanwhile: the race is lost, nothing is written.
    const v3 = { ...v1, planId: 'proc-t1-2026-11-28-v3', version: 3 };
    expect(await store.supersedeProcurementPlan(old, 1, entry, v3, 'Europe/Madrid', [])).toBe(false);
    expect(await store.getProcurementPlan('t1', '2026-11-28', 3)).toBeNull();
  });

  it('refuses any status change outside the lifecycle tables, cleanup’s included, and writes nothing', async () => {
    const stack = await testStack();
    await stack.ports.plans.createProductionSchedule(schedule, 'Europe/Madrid', []);
    const summary = { kind: 'production' as const, planId: schedule.planId, planDate: schedule.planDate, version: 1 };
    // A production schedule cannot be cancelled (only procurement plans can), nor a draft archived.
    await expect(
      stack.ports.plans.changeStatus('t1', { ...summary, status: 'draft' }, 'cancelled', null),
    ).rejects.toThrow(IllegalTransitionError);
    await expect(
      stack.ports.plans.changeStatus('t1', { ...summary, status: 'draft' }, 'archived', null),
    ).rejects.toThrow('allowed: confirmed, expired');
    expect(await stack.ports.plans.getProductionSchedule('t1', '2026-11-28')).toMatchObject({
      plan: { status: 'draft' },
      revision: 1,
    });
    expect(await stack.ports.plans.changeStatus('t1', { ...summary, status: 'draft' }, 'expired', null)).toBe(true);
    expect((await stack.ports.plans.getProductionSchedule('t1', '2026-11-28'))?.plan.status).toBe('expired');
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
    await doc.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: {
          ...keys.forecastDate('t1', '2026-11-20'),
          data: gzipSync(JSON.stringify({ bread: forecast('bread', '2026-11-20') })),
          version: 1,
          [TTL_ATTRIBUTE]: Date.parse('2026-11-21T00:00:00Z') / 1000,
        },
      }),
    );
    expect(
      await stack.ports.forecastCache.getMany(
        't1',
        [{ productId: 'bread', forecastDate: '2026-11-20' }],
        new Date('2026-11-28T00:00:00Z'),
      ),
    ).toEqual([]);
    expect((await stack.ports.forecastCache.stats('t1', new Date('2026-11-28T00:00:00Z'))).entries).toBe(0);
  });

  it('invalidates per product and per tenant, and counts hits and misses', async () => {
    const stack = await testStack();
    const now = new Date('2026-11-28T00:00:00Z');
    await stack.ports.forecastCache.putMany('t1', 'UTC', [
      forecast('bread', '2026-11-28'),
      forecast('bread', '2026-11-29'),
      forecast('cake', '2026-11-28'),
    ]);
    await stack.ports.forecastCache.putMany('t2', 'UTC', [forecast('bread', '2026-11-28')]);
    // A later run adds a product to a date already cached: both stay.
    await stack.ports.forecastCache.putMany('t1', 'UTC', [forecast('rye', '2026-11-28')]);
    expect(
      (
        await stack.ports.forecastCache.getMany(
          't1',
          [
            { productId: 'cake', forecastDate: '2026-11-28' },
            { productId: 'rye', forecastDate: '2026-11-28' },
          ],
          now,
        )
      ).map((f) => f.productId),
    ).toEqual(['cake', 'rye']);
    expect(await stack.ports.forecastCache.invalidateProduct('t1', 'rye')).toBe(1);
    expect(await stack.ports.forecastCache.invalidateProduct('t1', 'bread')).toBe(2);
    expect((await stack.ports.forecastCache.stats('t1', now)).entries).toBe(1);
    expect(await stack.ports.forecastCache.invalidateTenant('t1')).toBe(1);
    expect((await stack.ports.forecastCache.stats('t2', now)).entries).toBe(1);
    await stack.ports.forecastCache.recordLookups('t1', 6, 2, 0);
    await stack.ports.forecastCache.recordLookups('t1', 3, 1, 1);
    expect(await stack.ports.forecastCache.stats('t1', now)).toEqual({
      entries: 0,
      hits: 9,
      misses: 3,
      hitRate: 0.75,
      failures: 1,
    });
  });
});
