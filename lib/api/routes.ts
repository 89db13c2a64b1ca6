// The HTTP API's route table: the groups of lib/api/routes/, each route validating its input, calling a
// use case and shaping the answer; routes under /tenants/{tenantId} first load the tenant (404 without).
import { z } from 'zod';
import type { SignInConfig } from '../config.ts';
import type { Tenant } from '../domain.ts';
import { PlannerError, TooManyRequestsError } from '../errors.ts';
import { calendarDate, entityId } from '../input/grammar.ts';
import type { PlannerPorts } from '../ports.ts';
import { type ParamGrammar, ROUTE_LIMITS, type Route } from './router.ts';
import { adminRoutes } from './routes/admin.ts';
import { bakeryDataRoutes } from './routes/bakery-data.ts';
import { forecastRoutes } from './routes/forecasts.ts';
import { planRoutes } from './routes/plans.ts';
import { pageRoutes } from './routes/sign-in-page.ts';
import { tenantRoutes } from './routes/tenants.ts';
import { webhookRoutes } from './routes/webhooks.ts';

/** The grammar of every path parameter: checked by the router before any route runs. */
export const PATH_PARAMS: ParamGrammar = {
  tenantId: entityId,
  productId: entityId,
  planDate: calendarDate,
  version: z.string().regex(/^[1-9]\d{0,2}$/, 'expected a plan version, a whole number from 1 to 999'),
  endpointId: z.string().regex(/^ep-[0-9a-f]{16}$/, 'expected a webhook endpoint id (ep- and 16 hex digits)'),
};

export function apiRoutes(ports: () => PlannerPorts, signIn: () => SignInConfig | null = () => null): Route[] {
  const tenantOr404 = async (tenantId: string): Promise<Tenant> => {
    const tenant = await ports().tenants.getTenant(tenantId);
    if (!tenant) throw new PlannerError('not_found', `Tenant "${tenantId}" does not exist.`);
    return tenant;
  };
  const routes = [
    ...pageRoutes(signIn),
    ...tenantRoutes(ports),
    ...bakeryDataRoutes(ports),
    ...planRoutes(ports),
    ...forecastRoutes(ports),
    ...webhookRoutes(ports),
    ...adminRoutes(ports),
  ];
  // A tenant's share of an expensive route: counted before any work, refused with 429 and Retry-After past it.
  const withinLimit = async (declared: Route, tenantId: string, admin: boolean) => {
    if (!declared.limit || admin) return;
    const { requests, windowSeconds } = ROUTE_LIMITS[declared.limit];
    const taken = await ports().limits.take(`${tenantId}#${declared.limit}`, requests, windowSeconds, ports().now());
    if (!taken.allowed)
      throw new TooManyRequestsError(
        `Tenant "${tenantId}" made more than ${requests} ${declared.limit === 'reads' ? 'forecast reads' : 'imports'} in ${windowSeconds} s; try again in ${taken.retryAfterSeconds} s.`,
        taken.retryAfterSeconds,
      );
  };
  // Every route under /tenants/{tenantId} answers 404 for a tenant that does not exist, before it reads or writes.
  return routes.map((declared) => {
    if (!declared.path.includes('{tenantId}')) return declared;
    return {
      ...declared,
      handle: async (ctx) => {
        const tenant = await tenantOr404(String(ctx.params.tenantId));
        await withinLimit(declared, tenant.tenantId, ctx.caller.admin);
        return declared.handle({ ...ctx, tenant });
      },
    };
  });
}
