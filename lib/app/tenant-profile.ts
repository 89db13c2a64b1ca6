// Creating a tenant and changing its zone: the zone is stored by its canonical name, and the change is
// handed over (zone-handover.ts) so that every local date is planned exactly once across it.
import type { Tenant, TenantHandover } from '../domain.ts';
import { catchUpSequences, type Handover, zoneHandover } from '../jobs/zone-handover.ts';
import type { PlannerPorts, ZoneInUse } from '../ports.ts';
import { type LocalDate, localDateAt } from '../time/tenant-clock.ts';
import { reviewIsDue } from '../workflow/review-deadline.ts';
import { type CatchUpSequence, catchUpMessages, enqueueHandoverCatchUp, startZoneRecords } from './catch-up.ts';
import { reviewDeadlineFor } from './jobs/tenant-job.ts';

/** Whether the tenant's review of a date is due at `now` in `timezone` (review-deadline.ts). */
const reviewDueBy =
  (tenant: Pick<Tenant, 'reviewDeadline'>, timezone: string, now: Date) =>
  (date: LocalDate): boolean =>
    reviewIsDue(tenant, date, timezone, now);

function handoverRecord(handover: Handover, from: string | null, to: string, at: Date): TenantHandover {
  return {
    at: at.toISOString(),
    from,
    to,
    plannedThrough: Object.fromEntries(Object.entries(handover).map(([job, h]) => [job, h.plannedThrough])),
  };
}

/**
 * A new tenant: today's jobs whose time has passed are not run by themselves (the catalog and sales
 * usually come later the same day); `catchUpDue` says which, for `POST /tenants/{id}/catch-up`.
 */
export async function createTenant(
  ports: PlannerPorts,
  input: Omit<Tenant, 'createdAt' | 'handover'>,
): Promise<{ tenant: Tenant; catchUpDue: CatchUpSequence[] }> {
  const now = ports.now();
  const handover = zoneHandover(null, input.timezone, now, reviewDueBy(input, input.timezone, now));
  const tenant: Tenant = {
    ...input,
    createdAt: now.toISOString(),
    handover: handoverRecord(handover, null, input.timezone, now),
  };
  await ports.tenants.putTenant(tenant);
  await startZoneRecords(ports, tenant.timezone);
  return { tenant, catchUpDue: input.demo ? [] : catchUpSequences(handover) };
}

/** Name, demo flag or zone; a zone change records the handover and enqueues the dates neither zone will plan. */
export async function updateTenant(
  ports: PlannerPorts,
  current: Tenant,
  update: Partial<
    Pick<
      Tenant,
      'name' | 'timezone' | 'demo' | 'currency' | 'locale' | 'reviewDeadline' | 'openingHours' | 'publicHolidays'
    >
  >,
): Promise<{ tenant: Tenant; catchUp: CatchUpSequence[] }> {
  const moving = update.timezone !== undefined && update.timezone !== current.timezone;
  if (!moving) {
    const tenant = { ...current, ...update };
    await ports.tenants.putTenant(tenant);
    await rekeyTodaysReview(ports, current, tenant);
    return { tenant, catchUp: [] };
  }
  const now = ports.now();
  const handover = zoneHandover(
    current.timezone,
    update.timezone!,
    now,
    reviewDueBy({ ...current, ...update }, update.timezone!, now),
    current.handover && new Date(current.handover.at),
  );
  const tenant: Tenant = {
    ...current,
    ...update,
    handover: handoverRecord(handover, current.timezone, update.timezone!, now),
  };
  await ports.tenants.putTenant(tenant);
  ports.log.info('Tenant changed zone', {
    tenantId: tenant.tenantId,
    from: current.timezone,
    to: tenant.timezone,
    plannedThrough: tenant.handover!.plannedThrough,
  });
  await startZoneRecords(ports, tenant.timezone);
  await rekeyTodaysReview(ports, current, tenant);
  return { tenant, catchUp: await enqueueHandoverCatchUp(ports, tenant, handover) };
}

/**
 * After a change of zone, review deadline or demo flag, today's plans still waiting for a person are
 * filed under the new zone and deadline (today in either zone), so that the review firing of the new
 * deadline checks them — not the old zone's firing, which would find the tenant's deadline not due.
 */
async function rekeyTodaysReview(ports: PlannerPorts, before: Tenant, after: Tenant): Promise<void> {
  const deadline = reviewDeadlineFor(after);
  if (before.timezone === after.timezone && reviewDeadlineFor(before) === deadline) return;
  const now = ports.now();
  const dates = [...new Set([localDateAt(now, before.timezone), localDateAt(now, after.timezone)])];
  const moved = await ports.plans.rekeyReview(after.tenantId, dates, after.timezone, deadline);
  if (!moved) return;
  ports.log.info("Today's plans awaiting review follow the new zone or deadline", {
    tenantId: after.tenantId,
    moved,
    timezone: after.timezone,
    deadline: deadline ?? null,
  });
  // A deadline already past in the new zone (a move east, an earlier deadline): its firing is over, so
  // the review of each such date runs now, as a catch-up (it escalates each plan once a day whatever runs it).
  const due = deadline ? dates.filter(reviewDueBy(after, after.timezone, now)) : [];
  await ports.queue.enqueue(
    catchUpMessages(
      after,
      due.map((planDate) => ({ planDate, jobs: ['review'] })),
      now,
    ),
  );
}

/**
 * The one-off migration to canonical zone names: every tenant indexed under an alias ("US/Eastern",
 * "europe/madrid") is written again under the canonical name. The zone counts move with it, so the
 * schedule sync deletes the alias zone's schedules and alarm and ensures the canonical zone's.
 */
export async function canonicalizeZones(ports: PlannerPorts): Promise<{ from: string; to: string; tenants: number }[]> {
  const moved: { from: string; to: string; tenants: number }[] = [];
  for (const zone of await ports.tenants.listZones()) {
    const tenants = await ports.tenants.listTenantsInZone(zone.timezone);
    // Tenants read back carry the canonical name; those indexed under another name are re-written.
    const aliased = tenants.filter((t) => t.timezone !== zone.timezone);
    for (const tenant of aliased) await ports.tenants.putTenant(tenant);
    if (aliased.length) moved.push({ from: zone.timezone, to: aliased[0]!.timezone, tenants: aliased.length });
  }
  if (moved.length) ports.log.info('Alias zones merged into canonical ones', { moved });
  return moved;
}

/** Every tenant, zone by zone, with the zones in use. */
export async function listTenants(ports: PlannerPorts): Promise<{ tenants: Tenant[]; zones: ZoneInUse[] }> {
  const zones = await ports.tenants.listZones();
  const tenants = (await Promise.all(zones.map((z) => ports.tenants.listTenantsInZone(z.timezone)))).flat();
  return { tenants, zones };
}
