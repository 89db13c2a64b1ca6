// The HTTP API's routes: each validates, calls a use case or a store, and shapes the answer.
import { z } from 'zod';
import { importDrivers, importSales, replaceStock } from '../app/bakery-data.ts';
import { invalidateCachedForecasts, invalidateEveryTenantsForecasts } from '../app/cache-invalidation.ts';
import { catchUpTenantToday } from '../app/catch-up.ts';
import { forecastsForDate } from '../app/forecasts.ts';
import { runManual } from '../app/manual-run.ts';
import { morningOf } from '../app/morning.ts';
import { changeProcurementStatus, modifyProcurementPlan, PlanNotFoundError } from '../app/plan-review.ts';
import { canonicalizeZones, createTenant, listTenants, updateTenant } from '../app/tenant-profile.ts';
import type { SignInConfig } from '../config.ts';
import { PROCUREMENT_STATUSES, PRODUCTION_STATUSES, type Tenant } from '../domain.ts';
import { PlannerError } from '../errors.ts';
import { driversFromImportCsv } from '../input/drivers-csv.ts';
import { calendarDate, entityId } from '../input/grammar.ts';
import { salesRowsFromCsv } from '../input/sales-csv.ts';
import type { PlannerPorts } from '../ports.ts';
import { localDateAt } from '../time/tenant-clock.ts';
import { assertAdmin } from './auth.ts';
import { REVIEW_PAGE } from './review-page/bundle.ts';
import { type ParamGrammar, type Route, route } from './router.ts';
import {
  CatalogSchema,
  ManualRunSchema,
  ModificationSchema,
  type SalesImport,
  SalesImportSchema,
  SalesRowSchema,
  StatusChangeSchema,
  StockSchema,
  TenantCreateSchema,
  TenantUpdateSchema,
} from './schemas.ts';

/** The grammar of every path parameter: checked by the router before any route runs. */
export const PATH_PARAMS: ParamGrammar = {
  tenantId: entityId,
  productId: entityId,
  planDate: calendarDate,
  version: z.string().regex(/^[1-9]\d{0,2}$/, 'expected a plan version, a whole number from 1 to 999'),
};

const versionParam = (value: string | undefined) => Number(value);

/** A query parameter that must be a calendar date when given. */
function dateQuery(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!calendarDate.safeParse(value).success)
    throw new PlannerError('invalid', `${name}: expected a real calendar date as YYYY-MM-DD.`, { field: name });
  return value;
}

/** The plan lists' filters: `status` one of the kind's statuses, `from`/`to` dates. */
function planFilter(query: Record<string, string | undefined>, statuses: readonly string[]) {
  if (query.status !== undefined && !statuses.includes(query.status)) {
    throw new PlannerError('invalid', `status: expected one of ${statuses.join(', ')}.`, { field: 'status' });
  }
  const from = dateQuery(query.from, 'from');
  const to = dateQuery(query.to, 'to');
  return <T extends { planDate: string; status: string }>(plans: T[]) =>
    plans.filter(
      (p) => (!query.status || p.status === query.status) && (!from || p.planDate >= from) && (!to || p.planDate <= to),
    );
}

/** A sales import from JSON or CSV, validated whole: CSV rows pass the same row grammar, and errors name the line. */
function parseSalesImport(rawBody: string, contentType: string): SalesImport {
  if (!contentType.startsWith('text/csv')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody || '{}');
    } catch {
      throw new PlannerError('invalid', 'The request body is not valid JSON (send CSV with content-type text/csv).', {
        field: 'body',
      });
    }
    return SalesImportSchema.parse(parsed);
  }
  const rows = salesRowsFromCsv(rawBody).map(({ line, ...row }) => {
    const checked = SalesRowSchema.safeParse(row);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      const field = String(issue.path[0] ?? 'row');
      throw new PlannerError('invalid', `Line ${line}, ${field}: ${issue.message}.`, { field, line });
    }
    return checked.data;
  });
  const checked = SalesImportSchema.safeParse({ rows });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const line = typeof issue.path[1] === 'number' ? issue.path[1] + 2 : undefined;
    throw new PlannerError('invalid', `${line ? `Line ${line}: ` : ''}${issue.message}.`, {
      field: 'rows',
      ...(line ? { line } : {}),
    });
  }
  return checked.data;
}

export function apiRoutes(ports: () => PlannerPorts, signIn: () => SignInConfig | null = () => null): Route[] {
  const tenantOr404 = async (tenantId: string): Promise<Tenant> => {
    const tenant = await ports().tenants.getTenant(tenantId);
    if (!tenant) throw new PlannerError('not_found', `Tenant "${tenantId}" does not exist.`);
    return tenant;
  };
  const routes: Route[] = [
    route({
      method: 'GET',
      path: '/review',
      access: 'public',
      summary: 'The plan review page (HTML; it asks for a token and calls the routes below).',
      handle: async () => ({ body: REVIEW_PAGE, contentType: 'text/html; charset=utf-8' }),
    }),
    route({
      method: 'GET',
      path: '/review/config',
      access: 'public',
      summary:
        'Where the review page and `planner login` sign in: authorization code + PKCE endpoints, client id, scopes (404 when the API has no sign-in configured).',
      handle: async () => {
        const config = signIn();
        if (!config)
          throw new PlannerError(
            'not_found',
            'This API has no sign-in configured; use a bearer token (see docs/sign-in.md).',
          );
        return { body: config };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants',
      access: 'admin',
      summary: 'List every tenant, zone by zone.',
      handle: async () => ({ body: await listTenants(ports()) }),
    }),
    route({
      method: 'POST',
      path: '/tenants',
      access: 'admin',
      summary:
        "Create a tenant (zone stored by its canonical name). `catchUpDue`: today's jobs whose time has passed; run them with POST /tenants/{tenantId}/catch-up once catalog and sales are in.",
      body: TenantCreateSchema,
      handle: async ({ body: input }) => {
        if (await ports().tenants.getTenant(input.tenantId))
          throw new PlannerError(
            'conflict',
            `Tenant "${input.tenantId}" already exists; use PUT /tenants/${input.tenantId}.`,
          );
        const { tenant, catchUpDue } = await createTenant(ports(), input);
        return { status: 201, body: { ...tenant, catchUpDue } };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}',
      access: 'tenant',
      summary: 'A tenant.',
      handle: async ({ tenant }) => ({ body: tenant }),
    }),
    route({
      method: 'PUT',
      path: '/tenants/{tenantId}',
      access: 'tenant',
      summary:
        'Update name, timezone, currency, locale, `reviewDeadline` (a whole local hour 07:00–23:00 after which unapproved plans of the day escalate; default 10:00) or the demo flag (admin). A zone change plans every local date once: `catchUp` lists the dates planned now.',
      body: TenantUpdateSchema,
      handle: async ({ body: update, caller, tenant }) => {
        if (update.demo !== undefined) assertAdmin(caller);
        const result = await updateTenant(ports(), tenant, update);
        return { body: { ...result.tenant, catchUp: result.catchUp } };
      },
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/catch-up',
      access: 'tenant',
      summary:
        "Run today's jobs whose local time has passed, in order (a tenant created late, or after an outage); plans are marked `catchUp`.",
      handle: async ({ tenant }) => ({ status: 202, body: await catchUpTenantToday(ports(), tenant) }),
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/catalog',
      access: 'tenant',
      summary: 'Products, ingredients, recipes, suppliers, equipment.',
      handle: async ({ params }) => ({ body: await ports().catalog.getCatalog(params.tenantId) }),
    }),
    route({
      method: 'PUT',
      path: '/tenants/{tenantId}/catalog',
      access: 'tenant',
      summary: 'Replace the catalog, whole and atomically (ids unique, references and recipe cycles checked).',
      body: CatalogSchema,
      handle: async ({ params, body }) => {
        await ports().catalog.putCatalog(params.tenantId, body);
        return { body: await ports().catalog.getCatalog(params.tenantId) };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/stock',
      access: 'tenant',
      summary: 'Finished goods, ingredient lots and open purchase orders.',
      handle: async ({ params }) => ({ body: await ports().stock.getStock(params.tenantId) }),
    }),
    route({
      method: 'PUT',
      path: '/tenants/{tenantId}/stock',
      access: 'tenant',
      summary: 'Replace the stock snapshot, whole and atomically (ids must be in the catalog).',
      body: StockSchema,
      handle: async ({ params, body }) => ({ body: await replaceStock(ports(), params.tenantId, body) }),
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/sales',
      access: 'tenant',
      summary: 'Import daily sales: JSON rows, or CSV with columns productId,date,units.',
      handle: async ({ params, rawBody, contentType }) => ({
        status: 201,
        body: await importSales(ports(), params.tenantId, parseSalesImport(rawBody, contentType)),
      }),
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/drivers',
      access: 'tenant',
      summary:
        'Import daily drivers (temperature, promotions…): CSV with a date column and one column per driver (at most 20; empty = unknown). Merged by date and driver; the next model refit uses them as features.',
      handle: async ({ params, rawBody }) => ({
        status: 201,
        body: await importDrivers(ports(), params.tenantId, driversFromImportCsv(rawBody)),
      }),
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/production-schedules',
      access: 'tenant',
      summary: 'Production schedules (summaries), optionally ?from=&to=&status=.',
      handle: async ({ params, query }) => {
        const filter = planFilter(query, PRODUCTION_STATUSES);
        return { body: { schedules: filter(await ports().plans.listPlanSummaries(params.tenantId, 'production')) } };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/production-schedules/{planDate}',
      access: 'tenant',
      summary: 'One production schedule with its batches.',
      handle: async ({ params }) => {
        const stored = await ports().plans.getProductionSchedule(params.tenantId, params.planDate);
        if (!stored) throw new PlannerError('not_found', `No production schedule for ${params.planDate}.`);
        return { body: { ...stored.plan, revision: stored.revision } };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/procurement-plans',
      access: 'tenant',
      summary: 'Procurement plans (summaries), optionally ?status=&from=&to=.',
      handle: async ({ params, query }) => {
        const filter = planFilter(query, PROCUREMENT_STATUSES);
        return { body: { plans: filter(await ports().plans.listPlanSummaries(params.tenantId, 'procurement')) } };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}',
      access: 'tenant',
      summary: 'One version of a procurement plan, with its history.',
      handle: async ({ params }) => {
        const stored = await ports().plans.getProcurementPlan(
          params.tenantId,
          params.planDate,
          versionParam(params.version),
        );
        if (!stored) throw new PlanNotFoundError(`Procurement plan v${params.version} of ${params.planDate}`);
        return { body: { ...stored.plan, revision: stored.revision } };
      },
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/status',
      access: 'tenant',
      summary: 'Change the status (approve, reject with a reason, …); 409 on an illegal move or a concurrent change.',
      body: StatusChangeSchema,
      handle: async ({ params, body: input, caller }) => {
        const result = await changeProcurementStatus(ports(), {
          tenantId: params.tenantId,
          planDate: params.planDate,
          version: versionParam(params.version),
          to: input.status,
          by: caller.subject,
          ...(input.reason ? { reason: input.reason } : {}),
          ...(input.expectedRevision ? { expectedRevision: input.expectedRevision } : {}),
        });
        return { body: { ...result.plan, revision: result.revision, regeneration: result.regeneration ?? null } };
      },
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/modifications',
      access: 'tenant',
      summary: 'Change order quantities: creates the next version and cancels this one.',
      body: ModificationSchema,
      handle: async ({ params, body: input, caller }) => {
        const plan = await modifyProcurementPlan(ports(), {
          tenantId: params.tenantId,
          planDate: params.planDate,
          version: versionParam(params.version),
          changes: input.changes,
          by: caller.subject,
          reason: input.reason,
          ...(input.expectedRevision ? { expectedRevision: input.expectedRevision } : {}),
        });
        return { status: 201, body: plan };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/forecasts',
      access: 'tenant',
      summary: 'Forecasts for ?date= (default: tomorrow, local), each with `cached`.',
      handle: async ({ query, tenant }) => ({
        body: await forecastsForDate(ports(), tenant, dateQuery(query.date, 'date')),
      }),
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/morning',
      access: 'tenant',
      summary:
        "The review page's read for ?date= (default: today, local): today's bakes, the latest procurement plan grouped by supplier with the actions its status allows, and per product 28 days of sales and 7 days of forecast (p10–p90).",
      handle: async ({ query, tenant }) => {
        const date = dateQuery(query.date, 'date') ?? localDateAt(ports().now(), tenant.timezone);
        const morning = await morningOf(ports(), tenant, date);
        return { body: morning };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/forecast-cache/stats',
      access: 'tenant',
      summary: 'Entries, hits, misses, hit rate.',
      handle: async ({ params }) => ({ body: await ports().forecastCache.stats(params.tenantId, ports().now()) }),
    }),
    route({
      method: 'DELETE',
      path: '/tenants/{tenantId}/forecast-cache',
      access: 'tenant',
      summary: "Invalidate the tenant's cached forecasts.",
      handle: async ({ params }) => ({ body: { invalidated: await invalidateCachedForecasts(ports(), params) } }),
    }),
    route({
      method: 'DELETE',
      path: '/tenants/{tenantId}/forecast-cache/products/{productId}',
      access: 'tenant',
      summary: "Invalidate one product's cached forecasts.",
      handle: async ({ params }) => ({ body: { invalidated: await invalidateCachedForecasts(ports(), params) } }),
    }),
    route({
      method: 'DELETE',
      path: '/forecast-cache',
      access: 'admin',
      summary: 'Invalidate every tenant’s cached forecasts.',
      handle: async () => ({ body: await invalidateEveryTenantsForecasts(ports()) }),
    }),
    route({
      method: 'POST',
      path: '/zones/canonicalize',
      access: 'admin',
      summary:
        'One-off migration: move tenants stored under an alias zone name ("US/Eastern") to the canonical name; alias schedules are removed by the schedule sync.',
      handle: async () => ({ body: { moved: await canonicalizeZones(ports()) } }),
    }),
    route({
      method: 'POST',
      path: '/runs',
      access: 'admin',
      summary: 'Run a job now for all tenants, one zone, or a list of tenants, for a date.',
      body: ManualRunSchema,
      handle: async ({ body: input }) => {
        const runs = await runManual(ports(), {
          job: input.job,
          includeDemo: input.includeDemo,
          ...(input.planDate ? { planDate: input.planDate } : {}),
          ...(input.timezone ? { timezone: input.timezone } : {}),
          ...(input.tenantIds ? { tenantIds: input.tenantIds } : {}),
        });
        return { status: 202, body: { runs, enqueued: runs.reduce((t, r) => t + r.enqueued, 0) } };
      },
    }),
  ];
  // Every route under /tenants/{tenantId} answers 404 for a tenant that does not exist, before it reads or writes.
  return routes.map((declared) => {
    if (!declared.path.includes('{tenantId}')) return declared;
    return {
      ...declared,
      handle: async (ctx) => declared.handle({ ...ctx, tenant: await tenantOr404(String(ctx.params.tenantId)) }),
    };
  });
}
