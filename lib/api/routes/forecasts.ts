// Forecasts: the operator's read (each says whether it was cached), the review page's morning, and the
// forecast cache's statistics and invalidation.

import { invalidateCachedForecasts } from '../../app/cache-invalidation.ts';
import { forecastsForDate } from '../../app/forecasts.ts';
import { morningOf } from '../../app/morning.ts';
import type { PlannerPorts } from '../../ports.ts';
import { localDateAt } from '../../time/tenant-clock.ts';
import { CacheStatsAnswer, ForecastsAnswer, InvalidatedAnswer, MorningAnswer } from '../answers.ts';
import { type Route, route } from '../router.ts';
import { DateQuery, dateQuery } from './query.ts';

export function forecastRoutes(ports: () => PlannerPorts): Route[] {
  return [
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/forecasts',
      access: 'tenant',
      answer: { schema: ForecastsAnswer },
      query: DateQuery,
      limit: 'reads',
      summary:
        'Forecasts for ?date= (default: tomorrow, local), each with `cached`; without a current model, the seasonal-naive baseline (`method: baseline:…`) and a refit queued.',
      handle: async ({ query, tenant }) => ({
        body: await forecastsForDate(ports(), tenant, dateQuery(query.date, 'date')),
      }),
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/morning',
      access: 'tenant',
      answer: { schema: MorningAnswer },
      query: DateQuery,
      limit: 'reads',
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
      answer: { schema: CacheStatsAnswer },
      summary: 'Entries, hits, misses, hit rate.',
      handle: async ({ params }) => ({ body: await ports().forecastCache.stats(params.tenantId, ports().now()) }),
    }),
    route({
      method: 'DELETE',
      path: '/tenants/{tenantId}/forecast-cache',
      access: 'tenant',
      answer: { schema: InvalidatedAnswer },
      summary: "Invalidate the tenant's cached forecasts.",
      handle: async ({ params }) => ({ body: { invalidated: await invalidateCachedForecasts(ports(), params) } }),
    }),
    route({
      method: 'DELETE',
      path: '/tenants/{tenantId}/forecast-cache/products/{productId}',
      access: 'tenant',
      answer: { schema: InvalidatedAnswer },
      summary: "Invalidate one product's cached forecasts.",
      handle: async ({ params }) => ({ body: { invalidated: await invalidateCachedForecasts(ports(), params) } }),
    }),
  ];
}
