// An operator's invalidations of cached forecasts: one product, one tenant, or every tenant (admin).
// Unlike a regeneration's, a failure here is the answer: the operator asked and is told.
import type { PlannerPorts } from '../ports.ts';
import { listTenants } from './tenant-profile.ts';

export type InvalidationScope = { tenantId: string; productId?: string };

export async function invalidateCachedForecasts(ports: PlannerPorts, scope: InvalidationScope): Promise<number> {
  const count = scope.productId
    ? await ports.forecastCache.invalidateProduct(scope.tenantId, scope.productId)
    : await ports.forecastCache.invalidateTenant(scope.tenantId);
  const reason = scope.productId ? 'product' : 'tenant';
  ports.metrics.record('ForecastCacheInvalidations', count, { Reason: reason }, { tenantId: scope.tenantId });
  return count;
}

export async function invalidateEveryTenantsForecasts(
  ports: PlannerPorts,
): Promise<{ tenants: number; invalidated: number }> {
  const { tenants } = await listTenants(ports);
  let invalidated = 0;
  for (const tenant of tenants) {
    const count = await ports.forecastCache.invalidateTenant(tenant.tenantId);
    ports.metrics.record('ForecastCacheInvalidations', count, { Reason: 'all' }, { tenantId: tenant.tenantId });
    invalidated += count;
  }
  return { tenants: tenants.length, invalidated };
}
