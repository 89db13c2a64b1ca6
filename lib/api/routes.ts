// The HTTP API's routes: each validates, calls a use case or a store, and shapes the answer.
import type { z } from 'zod';
import { getForecasts } from '../app/forecasts.ts';
import { runManual } from '../app/manual-run.ts';
import { changeProcurementStatus, modifyProcurementPlan, PlanNotFoundError } from '../app/plan-review.ts';
import type { SalesHistory, Tenant } from '../domain.ts';
import { historyFromCsv } from '../forecasting/csv-history.ts';
import type { PlannerPorts } from '../ports.ts';
import { addDays, localDateAt } from '../time/tenant-clock.ts';
import { assertAdmin } from './auth.ts';
import { REVIEW_PAGE } from './review-page.ts';
import { HttpError, type Route } from './router.ts';
import {
  CatalogSchema, ManualRunSchema, ModificationSchema, SalesImportSchema, StatusChangeSchema, StockSchema, TenantCreateSchema, TenantUpdateSchema,
} from './schemas.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dateParam(value: string | undefined, name: string): string {
  if (!value || !DATE.test(value)) throw new HttpError(400, `${name}: expected a date as YYYY-MM-DD.`);
  return value;
}

function versionParam(value: string | undefined): number {
  const version = Number(value);
  if (!Number.isInteger(version) || version < 1) throw new HttpError(400, 'version: expected a positive whole number.');
  return version;
}

export function apiRoutes(ports: () => PlannerPorts): Route[] {
  const tenantOr404 = async (tenantId: string): Promise<Tenant> => {
    const tenant = await ports().tenants.getTenant(tenantId);
    if (!tenant) throw new HttpError(404, `Tenant "${tenantId}" does not exist.`);
    return tenant;
  };
  return [
    {
      method: 'GET', path: '/review', access: 'public', summary: 'The plan review page (HTML; it asks for a token and calls the routes below).',
      handle: async () => ({ body: REVIEW_PAGE, contentType: 'text/html; charset=utf-8' }),
    },
    {
      method: 'GET', path: '/tenants', access: 'admin', summary: 'List every tenant, zone by zone.',
      handle: async () => {
        const zones = await ports().tenants.listZones();
        const tenants = (await Promise.all(zones.map((z) => ports().tenants.listTenantsInZone(z.timezone)))).flat();
        return { body: { tenants, zones } };
      },
    },
    {
      method: 'POST', path: '/tenants', access: 'admin', summary: 'Create a tenant (timezone validated).', body: TenantCreateSchema,
      handle: async ({ body }) => {
        const input = body as z.infer<typeof TenantCreateSchema>;
        if (await ports().tenants.getTenant(input.tenantId)) throw new HttpError(409, `Tenant "${input.tenantId}" already exists; use PUT /tenants/${input.tenantId}.`);
        const tenant: Tenant = { ...input, createdAt: ports().now().toISOString() };
        await ports().tenants.putTenant(tenant);
        return { status: 201, body: tenant };
      },
    },
    {
      method: 'GET', path: '/tenants/{tenantId}', access: 'tenant', summary: 'A tenant.',
      handle: async ({ params }) => ({ body: await tenantOr404(params.tenantId!) }),
    },
    {
      method: 'PUT', path: '/tenants/{tenantId}', access: 'tenant', summary: 'Update name, timezone (validated) or demo flag (admin).', body: TenantUpdateSchema,
      handle: async ({ params, body, caller }) => {
        const update = body as z.infer<typeof TenantUpdateSchema>;
        if (update.demo !== undefined) assertAdmin(caller);
        const tenant = { ...(await tenantOr404(params.tenantId!)), ...update };
        await ports().tenants.putTenant(tenant);
        return { body: tenant };
      },
    },
    {
      method: 'GET', path: '/tenants/{tenantId}/catalog', access: 'tenant', summary: 'Products, ingredients, recipes, suppliers, equipment.',
      handle: async ({ params }) => ({ body: await ports().catalog.getCatalog(params.tenantId!) }),
    },
    {
      method: 'PUT', path: '/tenants/{tenantId}/catalog', access: 'tenant', summary: 'Write catalog entries (references checked).', body: CatalogSchema,
      handle: async ({ params, body }) => {
        await tenantOr404(params.tenantId!);
        await ports().catalog.putCatalog(params.tenantId!, body as z.infer<typeof CatalogSchema>);
        return { body: await ports().catalog.getCatalog(params.tenantId!) };
      },
    },
    {
      method: 'GET', path: '/tenants/{tenantId}/stock', access: 'tenant', summary: 'Finished goods, ingredient lots and open purchase orders.',
      handle: async ({ params }) => ({ body: await ports().stock.getStock(params.tenantId!) }),
    },
    {
      method: 'PUT', path: '/tenants/{tenantId}/stock', access: 'tenant', summary: 'Replace the stock snapshot.', body: StockSchema,
      handle: async ({ params, body }) => {
        await tenantOr404(params.tenantId!);
        await ports().stock.putStock(params.tenantId!, body as z.infer<typeof StockSchema>);
        return { body: await ports().stock.getStock(params.tenantId!) };
      },
    },
    {
      method: 'POST', path: '/tenants/{tenantId}/sales', access: 'tenant', summary: 'Import daily sales: JSON rows, or CSV with columns productId,date,units.',
      handle: async ({ params, rawBody, contentType }) => {
        await tenantOr404(params.tenantId!);
        let history: SalesHistory;
        if (contentType.startsWith('text/csv')) {
          history = historyFromCsv(rawBody, { id: 'productId', date: 'date', value: 'units' }).history;
        } else {
          let parsed: unknown;
          try {
            parsed = JSON.parse(rawBody || '{}');
          } catch {
            throw new HttpError(400, 'The request body is not valid JSON (send CSV with content-type text/csv).');
          }
          const input = SalesImportSchema.parse(parsed);
          history = { unitsByProduct: {}, closedDates: input.closedDates, holidays: input.holidays };
          for (const row of input.rows) (history.unitsByProduct[row.productId] ??= {})[row.date] = row.units;
        }
        await ports().sales.putSales(params.tenantId!, history);
        const rows = Object.values(history.unitsByProduct).reduce((t, byDate) => t + Object.keys(byDate).length, 0);
        return { status: 201, body: { imported: rows, products: Object.keys(history.unitsByProduct).length, closedDates: history.closedDates.length } };
      },
    },
    {
      method: 'GET', path: '/tenants/{tenantId}/production-schedules', access: 'tenant', summary: 'Production schedules (summaries), optionally ?from=&to=&status=.',
      handle: async ({ params, query }) => ({ body: { schedules: filterPlans(await ports().plans.listPlanSummaries(params.tenantId!, 'production'), query) } }),
    },
    {
      method: 'GET', path: '/tenants/{tenantId}/production-schedules/{planDate}', access: 'tenant', summary: 'One production schedule with its batches.',
      handle: async ({ params }) => {
        const stored = await ports().plans.getProductionSchedule(params.tenantId!, dateParam(params.planDate, 'planDate'));
        if (!stored) throw new HttpError(404, `No production schedule for ${params.planDate}.`);
        return { body: { ...stored.plan, revision: stored.revision } };
      },
    },
    {
      method: 'GET', path: '/tenants/{tenantId}/procurement-plans', access: 'tenant', summary: 'Procurement plans (summaries), optionally ?status=&from=&to=.',
      handle: async ({ params, query }) => ({ body: { plans: filterPlans(await ports().plans.listPlanSummaries(params.tenantId!, 'procurement'), query) } }),
    },
    {
      method: 'GET', path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}', access: 'tenant', summary: 'One version of a procurement plan, with its history.',
      handle: async ({ params }) => {
        const stored = await ports().plans.getProcurementPlan(params.tenantId!, dateParam(params.planDate, 'planDate'), versionParam(params.version));
        if (!stored) throw new PlanNotFoundError(`Procurement plan v${params.version} of ${params.planDate}`);
        return { body: { ...stored.plan, revision: stored.revision } };
      },
    },
    {
      method: 'POST', path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/status', access: 'tenant',
      summary: 'Change the status (approve, reject with a reason, …); 409 on an illegal move or a concurrent change.', body: StatusChangeSchema,
      handle: async ({ params, body, caller }) => {
        const input = body as z.infer<typeof StatusChangeSchema>;
        const result = await changeProcurementStatus(ports(), {
          tenantId: params.tenantId!, planDate: dateParam(params.planDate, 'planDate'), version: versionParam(params.version),
          to: input.status, by: caller.subject, ...(input.reason ? { reason: input.reason } : {}),
          ...(input.expectedRevision ? { expectedRevision: input.expectedRevision } : {}),
        });
        return { body: { ...result.plan, revision: result.revision, regeneration: result.regeneration ?? null } };
      },
    },
    {
      method: 'POST', path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/modifications', access: 'tenant',
      summary: 'Change order quantities: creates the next version and cancels this one.', body: ModificationSchema,
      handle: async ({ params, body, caller }) => {
        const input = body as z.infer<typeof ModificationSchema>;
        const plan = await modifyProcurementPlan(ports(), {
          tenantId: params.tenantId!, planDate: dateParam(params.planDate, 'planDate'), version: versionParam(params.version),
          changes: input.changes, by: caller.subject, reason: input.reason, ...(input.expectedRevision ? { expectedRevision: input.expectedRevision } : {}),
        });
        return { status: 201, body: plan };
      },
    },
    {
      method: 'GET', path: '/tenants/{tenantId}/forecasts', access: 'tenant', summary: 'Forecasts for ?date= (default: tomorrow, local), each with `cached`.',
      handle: async ({ params, query }) => {
        const tenant = await tenantOr404(params.tenantId!);
        const today = localDateAt(ports().now(), tenant.timezone);
        const date = query.date ? dateParam(query.date, 'date') : addDays(today, 1);
        const catalog = await ports().catalog.getCatalog(tenant.tenantId);
        const run = await getForecasts(ports(), tenant, catalog.products.map((p) => p.productId), [date], addDays(today, -1));
        await ports().metrics.flush();
        return { body: { date, forecasts: run.forecasts.map(({ errors: _errors, ...f }) => f), hits: run.hits, misses: run.misses } };
      },
    },
    {
      method: 'GET', path: '/tenants/{tenantId}/forecast-cache/stats', access: 'tenant', summary: 'Entries, hits, misses, hit rate.',
      handle: async ({ params }) => ({ body: await ports().forecastCache.stats(params.tenantId!, ports().now()) }),
    },
    {
      method: 'DELETE', path: '/tenants/{tenantId}/forecast-cache', access: 'tenant', summary: "Invalidate the tenant's cached forecasts.",
      handle: async ({ params }) => ({ body: { invalidated: await invalidate(ports(), params.tenantId!, 'tenant') } }),
    },
    {
      method: 'DELETE', path: '/tenants/{tenantId}/forecast-cache/products/{productId}', access: 'tenant', summary: "Invalidate one product's cached forecasts.",
      handle: async ({ params }) => ({ body: { invalidated: await invalidate(ports(), params.tenantId!, 'product', params.productId!) } }),
    },
    {
      method: 'DELETE', path: '/forecast-cache', access: 'admin', summary: 'Invalidate every tenant’s cached forecasts.',
      handle: async () => {
        const zones = await ports().tenants.listZones();
        const tenants = (await Promise.all(zones.map((z) => ports().tenants.listTenantsInZone(z.timezone)))).flat();
        let invalidated = 0;
        for (const t of tenants) invalidated += await invalidate(ports(), t.tenantId, 'all');
        return { body: { tenants: tenants.length, invalidated } };
      },
    },
    {
      method: 'POST', path: '/runs', access: 'admin', summary: 'Run a job now for all tenants, one zone, or a list of tenants, for a date.', body: ManualRunSchema,
      handle: async ({ body }) => {
        const input = body as z.infer<typeof ManualRunSchema>;
        const runs = await runManual(ports(), {
          job: input.job, includeDemo: input.includeDemo, ...(input.planDate ? { planDate: input.planDate } : {}),
          ...(input.timezone ? { timezone: input.timezone } : {}), ...(input.tenantIds ? { tenantIds: input.tenantIds } : {}),
        });
        return { status: 202, body: { runs, enqueued: runs.reduce((t, r) => t + r.enqueued, 0) } };
      },
    },
  ];
}

function filterPlans<T extends { planDate: string; status: string }>(plans: T[], query: Record<string, string | undefined>): T[] {
  return plans.filter((p) =>
    (!query.status || p.status === query.status) && (!query.from || p.planDate >= query.from) && (!query.to || p.planDate <= query.to));
}

async function invalidate(ports: PlannerPorts, tenantId: string, reason: 'tenant' | 'product' | 'all', productId?: string): Promise<number> {
  const count = productId ? await ports.forecastCache.invalidateProduct(tenantId, productId) : await ports.forecastCache.invalidateTenant(tenantId);
  ports.metrics.record('ForecastCacheInvalidations', count, { Reason: reason }, { tenantId });
  await ports.metrics.flush();
  return count;
}
