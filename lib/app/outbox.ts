// Every event goes through the outbox: a change and the events announcing it are written together
// (plan-store.ts), and delivery publishes whatever is pending and deletes it. Delivery runs right after
// each change, again shortly after when the bus failed (a delayed delivery job), and at every cleanup;
// so an event is published at least once, with a stable id that subscribers deduplicate on. An event
// the bus refuses for itself, time after time, moves to a dead-letter record and never holds back others.

import type { Tenant } from '../domain.ts';
import type { PlanEvent } from '../events/catalogue.ts';
import { idempotencyKey, type TenantJob } from '../jobs/job-message.ts';
import type { PendingEvent, PlannerPorts } from '../ports.ts';
import { PublishRefusedError } from '../ports.ts';
import type { LocalDate } from '../time/tenant-clock.ts';

/** Refusals of one event for itself before it leaves the outbox for a dead-letter record. */
export const OUTBOX_DEAD_LETTER_AFTER = 5;
/**
 * Refusals of one event with a transient code (throttling, an internal failure) before it leaves too:
 * at the retries' 15-minute spacing, over half a day of the bus answering and refusing only it.
 */
const OUTBOX_DEAD_LETTER_AFTER_TRANSIENT = 50;
/** Delayed delivery retries after a failed publication: 1, 2, 4, 8 and 15 minutes later. */
const DELIVERY_RETRIES = 5;
const deliveryRetryDelaySeconds = (attempt: number) => Math.min(900, 60 * 2 ** (attempt - 1));

export interface Delivery {
  published: number;
  /** Left in the outbox for a later delivery. */
  pending: number;
  deadLettered: number;
}

/**
 * Publishes the tenant's pending events — or, right after a change, just the events it wrote (no need
 * to read the outbox back). Never throws because of the bus: what fails stays pending.
 */
export async function deliverPending(
  ports: PlannerPorts,
  tenantId: string,
  written?: readonly PlanEvent[],
): Promise<Delivery> {
  const pending = written
    ? written.map((event) => ({ event, attempts: 0 }))
    : await ports.plans.pendingEvents(tenantId);
  if (pending.length === 0) return { published: 0, pending: 0, deadLettered: 0 };
  const published: string[] = [];
  const failed: { entry: PendingEvent; error: unknown }[] = [];
  try {
    await ports.events.publish(pending.map((p) => p.event));
    published.push(...pending.map((p) => p.event.detail.eventId));
  } catch (error) {
    // What the bus took is not sent again; when the publisher cannot tell, every event is retried.
    const named = error instanceof PublishRefusedError ? error.undelivered : undefined;
    const undelivered = named ? new Set(named) : null;
    const retried = undelivered ? pending.filter((p) => undelivered.has(p.event.detail.eventId)) : pending;
    if (undelivered)
      published.push(
        ...pending.filter((p) => !undelivered.has(p.event.detail.eventId)).map((p) => p.event.detail.eventId),
      );
    // One event the bus refuses must not hold back the others: find it by publishing one at a time.
    for (const entry of retried) {
      try {
        await ports.events.publish([entry.event]);
        published.push(entry.event.detail.eventId);
      } catch (error) {
        failed.push({ entry, error });
      }
    }
  }
  if (published.length > 0) await ports.plans.removePublished(tenantId, published);
  let deadLettered = 0;
  for (const { entry, error } of failed) {
    const message = error instanceof Error ? error.message : String(error);
    // An unreachable bus is not the event's fault: only the bus refusing the event counts towards the dead
    // letter, soon for a refusal of the event itself, after many for a transient code.
    if (!(error instanceof PublishRefusedError && error.refused)) continue;
    const limit = error.permanent ? OUTBOX_DEAD_LETTER_AFTER : OUTBOX_DEAD_LETTER_AFTER_TRANSIENT;
    if ((await ports.plans.recordPublishFailure(tenantId, entry.event, message, limit)) === 'dead-lettered') {
      deadLettered += 1;
      ports.metrics.record(
        'OutboxDeadLetters',
        1,
        {},
        { tenantId, eventId: entry.event.detail.eventId, detailType: entry.event.detailType },
      );
      ports.log.error('The bus refused an event every time; it left the outbox for a dead-letter record', {
        tenantId,
        eventId: entry.event.detail.eventId,
        error: message,
      });
    }
  }
  const left = failed.length - deadLettered;
  if (left > 0) {
    ports.metrics.record('OutboxEventsPending', left, {}, { tenantId });
    ports.log.warn('Events could not be published; they wait in the outbox', {
      tenantId,
      pending: left,
      error: String(failed[0]!.error),
    });
  }
  return { published: published.length, pending: left, deadLettered };
}

/** The job that delivers a tenant's outbox a little later, after the bus failed. */
function deliveryRetryJob(job: TenantJob, attempt: number): TenantJob {
  const { then: _then, ...rest } = job;
  return {
    ...rest,
    deliverOnly: attempt,
    idempotencyKey: `${idempotencyKey(job.tenantId, job.job, job.planDate)}#deliver${attempt}`,
  };
}

/** Delivers after a change (its `written` events, or the whole outbox); when events are left, schedules a delivery retry. */
export async function deliverAfter(
  ports: PlannerPorts,
  job: TenantJob,
  written?: readonly PlanEvent[],
): Promise<Delivery> {
  const delivery = await deliverPending(ports, job.tenantId, written);
  const attempt = (job.deliverOnly ?? 0) + 1;
  if (delivery.pending > 0 && attempt <= DELIVERY_RETRIES) {
    await ports.queue.enqueue([deliveryRetryJob(job, attempt)], { delaySeconds: deliveryRetryDelaySeconds(attempt) });
  }
  return delivery;
}

/**
 * Delivers an operator's change (a status change, a modification) as a job's: its events now and, when
 * the bus fails, the same chain of delayed retries, so the change is announced minutes after the bus
 * returns rather than at the next morning's cleanup.
 */
export async function deliverAfterOperatorChange(
  ports: PlannerPorts,
  tenant: Pick<Tenant, 'tenantId' | 'timezone'>,
  planDate: LocalDate,
  written: readonly PlanEvent[],
): Promise<Delivery> {
  const job: TenantJob = {
    job: 'procurement',
    tenantId: tenant.tenantId,
    timezone: tenant.timezone,
    planDate,
    trigger: 'manual',
    scheduledTime: ports.now().toISOString(),
    idempotencyKey: idempotencyKey(tenant.tenantId, 'procurement', planDate),
  };
  return deliverAfter(ports, job, written);
}
