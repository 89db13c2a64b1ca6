// Tenants: list (admin), create (admin), read, update (a zone change plans every date once), and catch up
// today's jobs whose time has passed.

import { catchUpTenantToday } from '../../app/catch-up.ts';
import { createTenant, listTenants, updateTenant } from '../../app/tenant-profile.ts';
import { PlannerError } from '../../errors.ts';
import type { PlannerPorts } from '../../ports.ts';
import { CatchUpAnswer, CreatedTenantAnswer, TenantAnswer, TenantListAnswer, UpdatedTenantAnswer } from '../answers.ts';
import { assertAdmin } from '../auth.ts';
import { type Route, route } from '../router.ts';
import { TenantCreateSchema, TenantUpdateSchema } from '../schemas.ts';

export function tenantRoutes(ports: () => PlannerPorts): Route[] {
  return [
    route({
      method: 'GET',
      path: '/tenants',
      access: 'admin',
      answer: { schema: TenantListAnswer },
      summary: 'List every tenant, zone by zone.',
      handle: async () => ({ body: await listTenants(ports()) }),
    }),
    route({
      method: 'POST',
      path: '/tenants',
      access: 'admin',
      answer: { status: 201, schema: CreatedTenantAnswer },
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
      answer: { schema: TenantAnswer },
      summary: 'A tenant.',
      handle: async ({ tenant }) => ({ body: tenant }),
    }),
    route({
      method: 'PUT',
      path: '/tenants/{tenantId}',
      access: 'tenant',
      answer: { schema: UpdatedTenantAnswer },
      summary:
        'Update name, timezone, currency, locale, `reviewDeadline` (a whole local hour 07:00–23:00 after which unapproved plans of the day escalate; default 10:00) or the demo flag (admin). A zone change plans every local date once: `catchUp` lists the dates enqueued now (the gap between the zones, and the dates the old zone fired for it in the last 96 hours, which run as duplicates where planned already).',
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
      answer: { status: 202, schema: CatchUpAnswer },
      summary:
        "Run today's jobs whose local time has passed, in order (a tenant created late, or after an outage); plans are marked `catchUp`.",
      handle: async ({ tenant }) => ({ status: 202, body: await catchUpTenantToday(ports(), tenant) }),
    }),
  ];
}
