// An operator's invalidations of cached forecasts: one product, one tenant, or every tenant (admin).
// Unlike a regeneration's, a failure here is the answer: the operator asked and is told.
import type { PlannerPorts } from '../ports.ts';
import { listTenants } from './tenant-profile.ts';

export type InvalidationScope = { tenantId: string; productId?: string };

/** Invalidates and counts, by why: one product, one tenant, or every tenant. */
async function invalidate(
  ports: PlannerPorts,
  scope: InvalidationScope,
  reason: 'product' | 'tenant' | 'all',
): Promise<number> {
  const count = scope.productId
    ? await ports.forecastCache.invalidateProduct(scope.tenantId, scope.productId)
    : await ports.forecastCache.invalidateTenant(scope.tenantId);
  ports.metrics.record('ForecastCacheInvalidations', count, { Reason: reason }, { tenantId: scope.tenantId });
  return count;
}

export function invalidateCachedForecasts(ports: PlannerPorts, scope: InvalidationScope): Promise<number> {
  return invalidate(ports, scope, scope.productId ? 'product' : 'tenant');
}

export async function invalidateEveryTenantsForecasts(
  ports: PlannerPorts,
): Promise<{ tenants: number; invalidated: number }> {
  const { tenants } = await listTenants(ports);
  let invalidated = 0;
  for (const tenant of tenants) invalidated += await invalidate(ports, { tenantId: tenant.tenantId }, 'all');
  return { tenants: tenants.length, invalidated };
}
