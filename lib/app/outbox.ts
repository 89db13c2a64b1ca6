// Plan changes store their events with them (an outbox) in the same write; publishing follows. If
// publishing fails the events wait on the plan, and the next sweep (every cleanup run, and the next
// change to the plan) publishes them. Ids are stable, so a repeat is dropped by subscribers.
import type { PlanEvent } from '../events/catalogue.ts';
import type { PlannerPorts } from '../ports.ts';
import type { PlanSummary } from '../workflow/cleanup.ts';

export async function publishOutbox(ports: PlannerPorts, tenantId: string, plan: PlanSummary, events: readonly PlanEvent[]): Promise<void> {
  await ports.events.publish(events);
  await ports.plans.clearOutbox(tenantId, plan, events);
  // A plan version announced from an outbox (a modification) is marked published like any other.
  for (const event of events) {
    if (event.detailType === 'procurement.plan.generated') {
      const detail = event.detail as { planDate: string; version: number };
      await ports.plans.markEventsPublished(tenantId, { kind: 'procurement', planDate: detail.planDate, version: detail.version });
    }
  }
}

/** Publishes every pending outbox of a tenant; returns how many events went out. */
export async function sweepOutboxes(ports: PlannerPorts, tenantId: string): Promise<number> {
  let published = 0;
  for (const { plan, events } of await ports.plans.listOutboxes(tenantId)) {
    await publishOutbox(ports, tenantId, plan, events);
    published += events.length;
    ports.log.warn('Published events left pending by an earlier failure', { tenantId, planId: plan.planId, events: events.length });
  }
  return published;
}
