// Webhook endpoints of a tenant: create (the secret is shown once), list, read, change, rotate the
// secret, delete, the delivery log, and replays.

import { z } from 'zod';
import {
  createEndpoint,
  deleteEndpoint,
  deliveryLog,
  getEndpoint,
  listEndpoints,
  replay,
  rotateSecret,
  updateEndpoint,
} from '../../app/webhooks.ts';
import type { PlannerPorts } from '../../ports.ts';
import {
  DeliveryLogAnswer,
  ReplayAnswer,
  WebhookDeletedAnswer,
  WebhookEndpointAnswer,
  WebhookListAnswer,
  WebhookWithSecretAnswer,
} from '../answers.ts';
import { type Route, route } from '../router.ts';
import { WebhookCreateSchema, WebhookReplaySchema, WebhookRotateSchema, WebhookUpdateSchema } from '../schemas.ts';

const LogQuerySchema = z.object({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function webhookRoutes(ports: () => PlannerPorts): Route[] {
  return [
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/webhooks',
      access: 'tenant',
      answer: { schema: WebhookListAnswer },
      summary: "The tenant's webhook endpoints (never their secrets).",
      handle: async ({ tenant }) => ({ body: { endpoints: await listEndpoints(ports(), tenant.tenantId) } }),
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/webhooks',
      access: 'tenant',
      answer: { status: 201, schema: WebhookWithSecretAnswer },
      summary:
        'Add a webhook endpoint: an https URL of a public address, the event types it receives, a description. The answer carries its signing secret (`secret`, Standard Webhooks `whsec_…`), shown this once.',
      body: WebhookCreateSchema,
      handle: async ({ tenant, body }) => ({ status: 201, body: await createEndpoint(ports(), tenant.tenantId, body) }),
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/webhooks/{endpointId}',
      access: 'tenant',
      answer: { schema: WebhookEndpointAnswer },
      summary: 'A webhook endpoint: its URL, event types, whether it is enabled (and why not), since when it fails.',
      handle: async ({ tenant, params }) => ({ body: await getEndpoint(ports(), tenant.tenantId, params.endpointId) }),
    }),
    route({
      method: 'PUT',
      path: '/tenants/{tenantId}/webhooks/{endpointId}',
      access: 'tenant',
      answer: { schema: WebhookEndpointAnswer },
      summary:
        'Change the URL, event types or description, or disable (`enabled: false`) or enable it again (the failing clock starts over). `expectedRevision`: 409 if it changed meanwhile.',
      body: WebhookUpdateSchema,
      handle: async ({ tenant, params, body, caller }) => ({
        body: await updateEndpoint(ports(), tenant.tenantId, params.endpointId, body, caller.subject),
      }),
    }),
    route({
      method: 'DELETE',
      path: '/tenants/{tenantId}/webhooks/{endpointId}',
      access: 'tenant',
      answer: { schema: WebhookDeletedAnswer },
      summary: 'Delete a webhook endpoint; deliveries still queued for it are dropped.',
      handle: async ({ tenant, params }) => {
        await deleteEndpoint(ports(), tenant.tenantId, params.endpointId);
        return { body: { deleted: params.endpointId } };
      },
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/webhooks/{endpointId}/rotate-secret',
      access: 'tenant',
      answer: { schema: WebhookWithSecretAnswer },
      summary:
        'A new signing secret, shown this once; the previous one keeps signing beside it for `overlapHours` (default 24, 0 to stop at once).',
      body: WebhookRotateSchema,
      handle: async ({ tenant, params, body }) => ({
        body: await rotateSecret(ports(), tenant.tenantId, params.endpointId, body.overlapHours),
      }),
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/webhooks/{endpointId}/deliveries',
      access: 'tenant',
      answer: { schema: DeliveryLogAnswer },
      query: LogQuerySchema,
      summary:
        'The delivery log, newest first (kept 30 days): each attempt with its event, status, latency, the start of the answer and the next attempt. Query: `from`, `to` (ISO instants), `limit` (1–200, default 50).',
      handle: async ({ tenant, params, query }) => ({
        body: { attempts: await deliveryLog(ports(), tenant.tenantId, params.endpointId, LogQuerySchema.parse(query)) },
      }),
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/webhooks/{endpointId}/replay',
      access: 'tenant',
      answer: { status: 202, schema: ReplayAnswer },
      summary:
        'Deliver again one event (`eventId`) or every event first sent within `from`–`to` (ISO instants), from the delivery log; same ids, so receivers drop what they had.',
      body: WebhookReplaySchema,
      handle: async ({ tenant, params, body }) => ({
        status: 202,
        body: await replay(ports(), tenant.tenantId, params.endpointId, body),
      }),
    }),
  ];
}
