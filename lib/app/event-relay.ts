// The event relay: every change that announces something carries its events on the item it writes
// (plan-store.ts), and the table's stream brings each changed item here, in order, to be published.
// The stream holds what waits (24 hours) and its consumer retries from the first record not done, so an
// event is published at least once, with a stable id, without an outbox item, a transaction or a delete.
// An event the bus refuses for itself moves to a dead-letter record and never holds back the others.

import type { PlanEvent } from '../events/catalogue.ts';
import type { ChangedItem, PlannerPorts } from '../ports.ts';
import { PublishRefusedError } from '../ports.ts';

/**
 * How long an event may be refused with a transient code (throttling, an internal failure) while the
 * bus answers before it leaves for a dead-letter record: well inside the stream's 24 hours.
 */
export const TRANSIENT_REFUSAL_DEAD_LETTER_HOURS = 6;

export interface RelayResult {
  published: number;
  deadLettered: number;
  /** The first record not done: the stream retries from it (none when every record is done). */
  retryFrom?: string;
}

type RelayPorts = Pick<PlannerPorts, 'events' | 'metrics' | 'log' | 'plans' | 'now'>;

/** The events a change adds: those on the item now and not before (a write that carries none adds none). */
function eventsToAnnounce(item: ChangedItem): PlanEvent[] {
  const earlier = new Set(item.earlierEventIds);
  return item.events.filter((event) => !earlier.has(event.detail.eventId));
}

/**
 * Publishes the events of each changed item in stream order. A record whose events the bus did not
 * all take is where the stream retries from, and nothing after it is published in this run (it would
 * be sent again). Never throws because of the bus.
 */
export async function relayEvents(ports: RelayPorts, items: readonly ChangedItem[]): Promise<RelayResult> {
  const result: RelayResult = { published: 0, deadLettered: 0 };
  for (const item of items) {
    const events = eventsToAnnounce(item);
    if (events.length === 0) continue;
    const failure = await publishOrFailure(ports, events);
    if (!failure) {
      result.published += events.length;
      continue;
    }
    const named = failure instanceof PublishRefusedError ? failure.undelivered : undefined;
    const undelivered = named ? events.filter((e) => named.includes(e.detail.eventId)) : events;
    result.published += events.length - undelivered.length;
    const waiting: PlanEvent[] = [];
    for (const event of undelivered) {
      // Alone, so that one event the bus refuses for itself shows as such and holds back no other.
      const alone = undelivered.length === 1 ? failure : await publishOrFailure(ports, [event]);
      if (!alone) result.published += 1;
      else if (refusedForItself(alone, item, ports.now())) {
        await deadLetter(ports, item.tenantId, event, alone instanceof Error ? alone.message : String(alone));
        result.deadLettered += 1;
      } else waiting.push(event);
    }
    if (waiting.length === 0) continue;
    ports.metrics.record('EventsWaiting', waiting.length, {}, { tenantId: item.tenantId });
    ports.log.warn('Events could not be published; the stream retries them from this change', {
      tenantId: item.tenantId,
      events: waiting.map((e) => e.detail.eventId),
      error: failure instanceof Error ? failure.message : String(failure),
    });
    result.retryFrom = item.sequence;
    return result;
  }
  return result;
}

async function publishOrFailure(ports: RelayPorts, events: readonly PlanEvent[]): Promise<unknown> {
  try {
    await ports.events.publish(events);
    return null;
  } catch (error) {
    return error ?? new Error('publication failed');
  }
}

/**
 * The bus answered and refused the event: for good (a permanent code), or with a transient code for
 * longer than the dead-letter time. An unreachable bus is never the event's fault.
 */
function refusedForItself(failure: unknown, item: ChangedItem, now: Date): boolean {
  if (!(failure instanceof PublishRefusedError) || !failure.refused) return false;
  return (
    failure.permanent || now.getTime() - item.changedAt.getTime() > TRANSIENT_REFUSAL_DEAD_LETTER_HOURS * 3_600_000
  );
}

async function deadLetter(ports: RelayPorts, tenantId: string, event: PlanEvent, error: string): Promise<void> {
  await ports.plans.putDeadLetter(tenantId, event, error);
  ports.metrics.record(
    'EventDeadLetters',
    1,
    {},
    { tenantId, eventId: event.detail.eventId, detailType: event.detailType },
  );
  ports.log.error('The bus refused an event for itself; it was kept as a dead-letter record', {
    tenantId,
    eventId: event.detail.eventId,
    error,
  });
}
