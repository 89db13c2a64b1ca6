// Admin operations across tenants: every tenant's cached forecasts invalidated, zone-name migration,
// manual runs of any job.

import { invalidateEveryTenantsForecasts } from '../../app/cache-invalidation.ts';
import { runManual } from '../../app/manual-run.ts';
import { canonicalizeZones } from '../../app/tenant-profile.ts';
import type { PlannerPorts } from '../../ports.ts';
import { CanonicalizedAnswer, FleetInvalidatedAnswer, RunsAnswer } from '../answers.ts';
import { type Route, route } from '../router.ts';
import { ManualRunSchema } from '../schemas.ts';

export function adminRoutes(ports: () => PlannerPorts): Route[] {
  return [
    route({
      method: 'DELETE',
      path: '/forecast-cache',
      access: 'admin',
      answer: { schema: FleetInvalidatedAnswer },
      summary: 'Invalidate every tenant’s cached forecasts.',
      handle: async () => ({ body: await invalidateEveryTenantsForecasts(ports()) }),
    }),
    route({
      method: 'POST',
      path: '/zones/canonicalize',
      access: 'admin',
      answer: { schema: CanonicalizedAnswer },
      summary:
        'One-off migration: move tenants stored under an alias zone name ("US/Eastern") to the canonical name; alias schedules are removed by the schedule sync.',
      handle: async () => ({ body: { moved: await canonicalizeZones(ports()) } }),
    }),
    route({
      method: 'POST',
      path: '/runs',
      access: 'admin',
      answer: { status: 202, schema: RunsAnswer },
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
}
