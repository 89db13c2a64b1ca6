// A table stream record as the event relay reads it: the tenant, when the change was written, the
// events the item carries now and the ids of those it carried before. Only those attributes are
// unmarshalled (a plan's packed body is binary, which the Lambda event gives as base64 text).
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { PlanEvent } from '../events/catalogue.ts';
import type { ChangedItem } from '../ports.ts';

type Image = Record<string, unknown> | undefined;

/** The fields of a stream record that the relay needs, as both the Lambda event and the streams API give them. */
export interface StreamRecord {
  eventName?: string;
  dynamodb?: {
    SequenceNumber?: string;
    /** Epoch seconds in a Lambda event; a Date from the streams API. */
    ApproximateCreationDateTime?: number | Date;
    NewImage?: Image;
    OldImage?: Image;
  };
}

function eventsOf(image: Image): PlanEvent[] {
  const attribute = image?.events;
  if (!attribute) return [];
  const { events } = unmarshall({ events: attribute as AttributeValue });
  return Array.isArray(events) ? (events as PlanEvent[]) : [];
}

/** The changed item a record shows, or null when it carries no event (most writes: caches, sales, TTL deletes). */
export function changedItemOf(record: StreamRecord): ChangedItem | null {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return null;
  const image = record.dynamodb?.NewImage;
  const events = eventsOf(image);
  if (events.length === 0) return null;
  const created = record.dynamodb?.ApproximateCreationDateTime;
  const pk = (image?.PK as { S?: string } | undefined)?.S ?? '';
  return {
    sequence: record.dynamodb?.SequenceNumber ?? '',
    tenantId: pk.replace(/^TENANT#/, ''),
    changedAt: created instanceof Date ? created : new Date(Number(created ?? 0) * 1000),
    events,
    earlierEventIds: eventsOf(record.dynamodb?.OldImage).map((e) => e.detail.eventId),
  };
}
