// Webhooks: a tenant's endpoints (create, change, rotate the secret, delete), the delivery of each plan
// event to the endpoints that want it — signed, retried with backoff for about a day, an endpoint that
// keeps failing disabled — its delivery log, and replays.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PlannerError } from '../errors.ts';
import {
  EVENT_DETAIL_TYPES,
  EVENT_SOURCE,
  type EventDetailType,
  type PlanEvent,
  planEvent,
} from '../events/catalogue.ts';
import type { DeliveryAttempt, PlannerPorts, WebhookDelivery } from '../ports.ts';
import {
  afterFailure,
  DEFAULT_OVERLAP_HOURS,
  MAX_CONCURRENT_DELIVERIES,
  MAX_ENDPOINTS,
  RETRY_DELAYS_SECONDS,
  refusedUrl,
  SLOT_HOLD_SECONDS,
  signingSecrets,
  viewOf,
  type WebhookEndpoint,
  type WebhookEndpointView,
  wantsEvent,
  webhookBody,
} from '../webhooks/endpoint.ts';
import { newSecret, signedHeaders } from '../webhooks/signing.ts';

/** SQS's longest delay: a later attempt waits in hops of this. */
const MAX_QUEUE_DELAY_SECONDS = 900;

const sealContext = (endpoint: Pick<WebhookEndpoint, 'tenantId' | 'endpointId'>) => ({
  tenantId: endpoint.tenantId,
  endpointId: endpoint.endpointId,
});

function assertDeliverable(ports: PlannerPorts, url: string): void {
  const why = refusedUrl(url, ports.webhookSender.allowLoopback);
  if (why) throw new PlannerError('invalid', `url: ${why}.`, { field: 'url' });
}

async function endpointOr404(ports: PlannerPorts, tenantId: string, endpointId: string): Promise<WebhookEndpoint> {
  const endpoint = await ports.webhooks.get(tenantId, endpointId);
  if (!endpoint) throw new PlannerError('not_found', `Webhook endpoint "${endpointId}" does not exist.`);
  return endpoint;
}

export async function listEndpoints(ports: PlannerPorts, tenantId: string): Promise<WebhookEndpointView[]> {
  return (await ports.webhooks.list(tenantId)).map(viewOf);
}

export async function getEndpoint(ports: PlannerPorts, tenantId: string, endpointId: string) {
  return viewOf(await endpointOr404(ports, tenantId, endpointId));
}

/** A new endpoint and its signing secret: the only time the secret is shown. */
export async function createEndpoint(
  ports: PlannerPorts,
  tenantId: string,
  input: Pick<WebhookEndpoint, 'url' | 'eventTypes'> & { description?: string | undefined },
): Promise<WebhookEndpointView & { secret: string }> {
  assertDeliverable(ports, input.url);
  if ((await ports.webhooks.list(tenantId)).length >= MAX_ENDPOINTS)
    throw new PlannerError('conflict', `A tenant has at most ${MAX_ENDPOINTS} webhook endpoints; delete one first.`);
  const now = ports.now().toISOString();
  const endpointId = `ep-${randomBytes(8).toString('hex')}`;
  const secret = newSecret();
  const endpoint: WebhookEndpoint = {
    tenantId,
    endpointId,
    url: input.url,
    eventTypes: input.eventTypes,
    description: input.description ?? '',
    enabled: true,
    secrets: [{ sealed: await ports.secrets.seal(secret, { tenantId, endpointId }), createdAt: now }],
    createdAt: now,
    updatedAt: now,
    revision: 1,
  };
  await ports.webhooks.put(endpoint);
  ports.log.info('Webhook endpoint created', { tenantId, endpointId, eventTypes: endpoint.eventTypes });
  return { ...viewOf(endpoint), secret };
}

async function replace(ports: PlannerPorts, current: WebhookEndpoint, next: WebhookEndpoint): Promise<void> {
  if (!(await ports.webhooks.put(next, current.revision)))
    throw new PlannerError('conflict', 'The endpoint changed meanwhile; read it again and retry.', {
      currentRevision: (await ports.webhooks.get(current.tenantId, current.endpointId))?.revision,
    });
}

export async function updateEndpoint(
  ports: PlannerPorts,
  tenantId: string,
  endpointId: string,
  change: Partial<Pick<WebhookEndpoint, 'url' | 'eventTypes' | 'description' | 'enabled'>> & {
    expectedRevision?: number | undefined;
  },
  by: string,
): Promise<WebhookEndpointView> {
  const current = await endpointOr404(ports, tenantId, endpointId);
  if (change.expectedRevision !== undefined && change.expectedRevision !== current.revision)
    throw new PlannerError('conflict', 'The endpoint changed since you read it; read it again.', {
      currentRevision: current.revision,
    });
  if (change.url !== undefined) assertDeliverable(ports, change.url);
  const now = ports.now().toISOString();
  const { expectedRevision: _r, enabled, ...fields } = change;
  const next: WebhookEndpoint = { ...current, ...fields, updatedAt: now, revision: current.revision + 1 };
  if (enabled === true) {
    // Enabled again by a person: the failing clock starts over.
    next.enabled = true;
    delete next.disabled;
    delete next.failingSince;
  } else if (enabled === false && current.enabled) {
    next.enabled = false;
    next.disabled = { at: now, by, reason: 'disabled by a person' };
  }
  await replace(ports, current, next);
  return viewOf(next);
}

/** A new secret; the previous ones keep signing for `overlapHours` (both signatures are sent meanwhile). */
export async function rotateSecret(
  ports: PlannerPorts,
  tenantId: string,
  endpointId: string,
  overlapHours = DEFAULT_OVERLAP_HOURS,
): Promise<WebhookEndpointView & { secret: string }> {
  const current = await endpointOr404(ports, tenantId, endpointId);
  const now = ports.now();
  const until = new Date(now.getTime() + overlapHours * 3_600_000).toISOString();
  const secret = newSecret();
  const next: WebhookEndpoint = {
    ...current,
    secrets: [
      { sealed: await ports.secrets.seal(secret, sealContext(current)), createdAt: now.toISOString() },
      ...signingSecrets(current, now)
        .filter(() => overlapHours > 0)
        .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < until ? s.expiresAt : until })),
    ],
    updatedAt: now.toISOString(),
    revision: current.revision + 1,
  };
  await replace(ports, current, next);
  ports.log.info('Webhook secret rotated', { tenantId, endpointId, overlapHours });
  return { ...viewOf(next), secret };
}

export async function deleteEndpoint(ports: PlannerPorts, tenantId: string, endpointId: string): Promise<void> {
  if (!(await ports.webhooks.remove(tenantId, endpointId)))
    throw new PlannerError('not_found', `Webhook endpoint "${endpointId}" does not exist.`);
}

export async function deliveryLog(
  ports: PlannerPorts,
  tenantId: string,
  endpointId: string,
  options: { from?: string; to?: string; limit: number },
): Promise<Omit<DeliveryAttempt, 'event'>[]> {
  await endpointOr404(ports, tenantId, endpointId);
  return (await ports.webhooks.attempts(tenantId, endpointId, options)).map(({ event: _event, ...attempt }) => attempt);
}

/** Delivers one event again (by id) or every event first attempted within a time range, from the log. */
export async function replay(
  ports: PlannerPorts,
  tenantId: string,
  endpointId: string,
  which: { eventId: string } | { from: string; to: string },
): Promise<{ replayed: number }> {
  const endpoint = await endpointOr404(ports, tenantId, endpointId);
  if (!endpoint.enabled)
    throw new PlannerError('conflict', 'The endpoint is disabled; enable it before a replay.', { field: 'enabled' });
  const range = 'from' in which ? { from: which.from, to: which.to } : {};
  const log = await ports.webhooks.attempts(tenantId, endpointId, { ...range, limit: 1000 });
  const events = new Map<string, PlanEvent>();
  for (const a of log) if (!('eventId' in which) || a.eventId === which.eventId) events.set(a.eventId, a.event);
  if ('eventId' in which && events.size === 0)
    throw new PlannerError('not_found', `Event ${which.eventId} was not sent to this endpoint in the last 30 days.`);
  const notBefore = ports.now().toISOString();
  await ports.webhookQueue.enqueue(
    [...events.values()].map((event) => ({ tenantId, endpointId, event, attempt: 1, notBefore, replay: true })),
  );
  return { replayed: events.size };
}

/** A plan event: one first attempt per endpoint of its tenant that wants it (the endpoint list is one query). */
async function deliverEvent(ports: PlannerPorts, event: PlanEvent): Promise<number> {
  const endpoints = (await ports.webhooks.list(event.detail.tenantId)).filter((e) => wantsEvent(e, event));
  const notBefore = ports.now().toISOString();
  await Promise.all(
    endpoints.map((endpoint) =>
      attempt(ports, endpoint, {
        tenantId: endpoint.tenantId,
        endpointId: endpoint.endpointId,
        event,
        attempt: 1,
        notBefore,
      }),
    ),
  );
  return endpoints.length;
}

/** A queued delivery: waits again if it is early, else one attempt. */
async function deliverQueued(ports: PlannerPorts, delivery: WebhookDelivery): Promise<void> {
  const wait = Math.ceil((Date.parse(delivery.notBefore) - ports.now().getTime()) / 1000);
  if (wait > 0) {
    await ports.webhookQueue.enqueue([delivery], Math.min(wait, MAX_QUEUE_DELAY_SECONDS));
    return;
  }
  const endpoint = await ports.webhooks.get(delivery.tenantId, delivery.endpointId);
  // A replay goes to an enabled endpoint whatever it asks for now; a retry only if it still wants the event.
  if (!endpoint?.enabled || !(delivery.replay || wantsEvent(endpoint, delivery.event))) {
    ports.log.info('Webhook delivery dropped: the endpoint is gone, disabled or no longer wants it', {
      tenantId: delivery.tenantId,
      endpointId: delivery.endpointId,
      eventId: delivery.event.detail.eventId,
    });
    return;
  }
  await attempt(ports, endpoint, delivery);
}

/** The endpoint's concurrency limit: an attempt holds one of its slots, or waits 5–15 s on the queue. */
async function attempt(ports: PlannerPorts, endpoint: WebhookEndpoint, delivery: WebhookDelivery): Promise<void> {
  const now = ports.now();
  const until = new Date(now.getTime() + SLOT_HOLD_SECONDS * 1000);
  const slot = await ports.webhooks.takeSlot(
    endpoint.tenantId,
    endpoint.endpointId,
    MAX_CONCURRENT_DELIVERIES,
    now,
    until,
  );
  if (slot === null) {
    const wait = 5 + Math.floor(Math.random() * 10);
    await ports.webhookQueue.enqueue(
      [{ ...delivery, notBefore: new Date(now.getTime() + wait * 1000).toISOString() }],
      wait,
    );
    return;
  }
  try {
    await attemptInSlot(ports, endpoint, delivery, now);
  } finally {
    await ports.webhooks.releaseSlot(endpoint.tenantId, endpoint.endpointId, slot, until);
  }
}

async function attemptInSlot(
  ports: PlannerPorts,
  endpoint: WebhookEndpoint,
  delivery: WebhookDelivery,
  now: Date,
): Promise<void> {
  const { event } = delivery;
  const secrets = await Promise.all(
    signingSecrets(endpoint, now).map((s) => ports.secrets.open(s.sealed, sealContext(endpoint))),
  );
  const body = webhookBody(event);
  const outcome = await ports.webhookSender.post(
    endpoint.url,
    signedHeaders(secrets, event.detail.eventId, now, body),
    body,
  );
  const record: DeliveryAttempt = {
    tenantId: endpoint.tenantId,
    endpointId: endpoint.endpointId,
    eventId: event.detail.eventId,
    eventType: event.detailType,
    attempt: delivery.attempt,
    at: now.toISOString(),
    outcome: outcome.ok ? 'delivered' : 'failed',
    latencyMs: outcome.latencyMs,
    event,
    ...(outcome.status !== undefined ? { status: outcome.status } : {}),
    ...(outcome.excerpt ? { excerpt: outcome.excerpt } : {}),
    ...(outcome.ok ? {} : { error: outcome.error }),
    ...(delivery.replay ? { replay: true } : {}),
  };
  const log = ports.log.child({
    tenantId: endpoint.tenantId,
    endpointId: endpoint.endpointId,
    eventId: record.eventId,
  });
  ports.metrics.record(
    'WebhookDeliveries',
    1,
    { Outcome: record.outcome },
    { tenantId: endpoint.tenantId, endpointId: endpoint.endpointId, latencyMs: outcome.latencyMs },
  );
  if (outcome.ok) {
    await ports.webhooks.recordAttempt(record);
    if (endpoint.failingSince)
      await ports.webhooks.markOutcome(endpoint.tenantId, endpoint.endpointId, true, record.at);
    return;
  }
  const next = afterFailure(endpoint, outcome, delivery.attempt, now);
  if ('retryAt' in next) {
    record.nextAttemptAt = next.retryAt.toISOString();
    await ports.webhookQueue.enqueue(
      [{ ...delivery, attempt: delivery.attempt + 1, notBefore: record.nextAttemptAt }],
      Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil((next.retryAt.getTime() - now.getTime()) / 1000)),
    );
  }
  await ports.webhooks.recordAttempt(record);
  if (!endpoint.failingSince)
    await ports.webhooks.markOutcome(endpoint.tenantId, endpoint.endpointId, false, record.at);
  if ('disable' in next) await disable(ports, endpoint, next.disable);
  else if ('giveUp' in next) log.warn('Webhook delivery given up', { reason: next.giveUp });
  else
    log.info('Webhook delivery failed; retrying', {
      status: outcome.status,
      error: outcome.error,
      next: record.nextAttemptAt,
    });
}

/** The circuit breaker: the endpoint is disabled and says why, until a person enables it again. */
async function disable(ports: PlannerPorts, endpoint: WebhookEndpoint, reason: string): Promise<void> {
  const current = await ports.webhooks.get(endpoint.tenantId, endpoint.endpointId);
  if (!current?.enabled) return;
  const at = ports.now().toISOString();
  // The tenant is told: the event goes to the notifications, and to its other endpoints that want it.
  const event = planEvent('webhook.endpoint.disabled', [current.endpointId, at], {
    tenantId: current.tenantId,
    occurredAt: at,
    endpointId: current.endpointId,
    url: current.url,
    reason,
    ...(current.failingSince ? { failingSince: current.failingSince } : {}),
  });
  await ports.webhooks.put(
    {
      ...current,
      enabled: false,
      disabled: { at, by: 'delivery', reason },
      updatedAt: at,
      revision: current.revision + 1,
    },
    current.revision,
    [event],
  );
  ports.metrics.record(
    'WebhookEndpointsDisabled',
    1,
    {},
    { tenantId: endpoint.tenantId, endpointId: endpoint.endpointId },
  );
  ports.log.warn('Webhook endpoint disabled', { tenantId: endpoint.tenantId, endpointId: endpoint.endpointId, reason });
}

const EventEnvelopeSchema = z.object({
  source: z.literal(EVENT_SOURCE),
  'detail-type': z.enum(EVENT_DETAIL_TYPES as [EventDetailType, ...EventDetailType[]]),
  detail: z.looseObject({ eventId: z.string().min(1), tenantId: z.string().min(1) }),
});
const PlanEventSchema = z.object({
  detailType: z.enum(EVENT_DETAIL_TYPES as [EventDetailType, ...EventDetailType[]]),
  detail: z.looseObject({ eventId: z.string().min(1), tenantId: z.string().min(1) }),
});
const DeliverySchema = z.object({
  tenantId: z.string().min(1),
  endpointId: z.string().min(1),
  event: PlanEventSchema,
  attempt: z
    .number()
    .int()
    .min(1)
    .max(RETRY_DELAYS_SECONDS.length + 1),
  notBefore: z.iso.datetime(),
  replay: z.boolean().optional(),
});

/**
 * The webhook queue's messages: a plan event as the bus rule sends it (first attempts to every endpoint
 * that wants it) or a queued delivery (a retry, a replay). Returns the ids of the messages to retry
 * (a storage error); a malformed message is logged and dropped, never retried.
 */
export async function processWebhookMessages(
  ports: PlannerPorts,
  messages: readonly { messageId: string; body: string }[],
): Promise<string[]> {
  const failed: string[] = [];
  await Promise.all(
    messages.map(async ({ messageId, body }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      const envelope = EventEnvelopeSchema.safeParse(parsed);
      const delivery = envelope.success ? undefined : DeliverySchema.safeParse(parsed);
      try {
        if (envelope.success)
          await deliverEvent(ports, {
            detailType: envelope.data['detail-type'],
            detail: envelope.data.detail,
          } as PlanEvent);
        else if (delivery?.success) await deliverQueued(ports, delivery.data as WebhookDelivery);
        else ports.log.error('Malformed webhook queue message dropped', { messageId, body: body.slice(0, 500) });
      } catch (error) {
        ports.log.error('Webhook message failed; the queue will retry it', { messageId, error });
        failed.push(messageId);
      }
    }),
  );
  return failed;
}
