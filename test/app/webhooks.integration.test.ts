// Webhooks end to end on DynamoDB Local: endpoints through the API, plan events from a real planning run,
// delivered by the real handler to a receiver on this machine over HTTP, signed per Standard Webhooks.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiHandler } from '../../functions/api/handler.ts';
import { createFanOutHandler } from '../../functions/fan-out/handler.ts';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { createWebhookDeliveryHandler } from '../../functions/webhook-delivery/handler.ts';
import { planEvent } from '../../lib/events/catalogue.ts';
import { apiEvent, tenantClaims } from '../support/api.ts';
import { seedBakery, type TestStack, tenant, testStack } from '../support/local-stack.ts';

const context = {} as Context;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 answering each request with the next status of `answers` (the last one repeats). */
async function receiver(answers: number[]) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = answers.length > 1 ? answers.shift()! : answers[0]!;
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status < 300 ? 'thanks' : `no (${status})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}
const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function call(stack: TestStack, method: string, path: string, body?: unknown) {
  const response = await createApiHandler(() => stack.ports)(
    apiEvent(method, path, { claims: tenantClaims('w'), ...(body === undefined ? {} : { body }) }),
    context,
  );
  return { status: response.statusCode!, body: JSON.parse(String(response.body)) as Record<string, any> };
}

/** A receiver's check of a delivery, at the simulated time it was sent (the signature's timestamp must be within 5 minutes). */
function verify(secret: string, delivery: Received): any {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Number(delivery.headers['webhook-timestamp']) * 1000);
  try {
    return new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>);
  } finally {
    vi.useRealTimers();
  }
}

const deliver = (stack: TestStack) =>
  stack.webhookQueue.drain((event) => createWebhookDeliveryHandler(() => stack.ports)(event, context));

/** Plans the tenant's 15 January in Madrid: the production schedule's event goes to the webhook queue. */
async function planDay(stack: TestStack) {
  stack.setNow(new Date('2027-01-15T04:30:00Z'));
  await createFanOutHandler(() => stack.ports)(
    { job: 'production', timezone: 'Europe/Madrid', scheduledTime: '2027-01-15T04:30:00Z' },
    context,
  );
  await stack.queue.drain((event) =>
    createPlanWorkerHandler(
      () => stack.ports,
      () => 60_000,
    )(event, context),
  );
}

async function setUp(answers: number[], eventTypes = ['production.schedule.generated']) {
  const stack = await testStack();
  await seedBakery(stack, tenant('w', 'Europe/Madrid'), '2027-01-15');
  const hook = await receiver(answers);
  stack.setNow(new Date('2027-01-15T04:00:00Z'));
  const created = await call(stack, 'POST', '/tenants/w/webhooks', {
    url: hook.url,
    eventTypes,
    description: 'ERP',
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { stack, hook, endpoint: created.body, secret: String(created.body.secret) };
}

describe('webhooks', () => {
  it('delivers a plan event signed per Standard Webhooks, with the event id as webhook-id, and logs it', async () => {
    const { stack, hook, endpoint, secret } = await setUp([200]);
    expect(secret).toMatch(/^whsec_/);
    // The secret is shown once: never again by a read or a list.
    const read = await call(stack, 'GET', `/tenants/w/webhooks/${endpoint.endpointId}`);
    expect(JSON.stringify(read.body)).not.toContain(secret);
    expect(read.body.secrets[0]).not.toHaveProperty('sealed');
    expect(JSON.stringify((await call(stack, 'GET', '/tenants/w/webhooks')).body)).not.toContain('sealed');

    await planDay(stack);
    await deliver(stack);
    expect(hook.received).toHaveLength(1);
    const [delivery] = hook.received;
    const payload = verify(secret, delivery!);
    const event = stack.bus.published.find((e) => e.detailType === 'production.schedule.generated')!;
    expect(payload).toMatchObject({ type: 'production.schedule.generated', data: { planId: 'prod-w-2027-01-15' } });
    expect(delivery!.headers['webhook-id']).toBe(event.detail.eventId);
    // Another secret does not verify it.
    expect(() => verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, delivery!)).toThrow(/signature/);
    const log = await call(stack, 'GET', `/tenants/w/webhooks/${endpoint.endpointId}/deliveries`);
    expect(log.body.attempts).toMatchObject([
      { eventId: event.detail.eventId, attempt: 1, outcome: 'delivered', status: 200, excerpt: 'thanks' },
    ]);
    // Events it did not ask for are not sent.
    expect(stack.bus.published.some((e) => e.detailType === 'plan.escalation.unapproved')).toBe(false);
  });

  it('retries a receiver that is down for an hour with backoff, then delivers once with the same id', async () => {
    const { stack, hook } = await setUp([500, 503, 500, 200]);
    await planDay(stack);
    await deliver(stack);
    expect(hook.received).toHaveLength(1);
    // The clock moves on: each retry waits its delay (5 s, 5 min, 30 min, ±20 %), then is delivered.
    for (const minutes of [1, 8, 45, 60]) {
      stack.setNow(new Date(Date.parse('2027-01-15T04:30:00Z') + minutes * 60_000));
      await deliver(stack);
    }
    expect(hook.received).toHaveLength(4);
    expect(new Set(hook.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(stack.webhookQueue.depth).toBe(0);
    const [endpoint] = (await call(stack, 'GET', '/tenants/w/webhooks')).body.endpoints;
    expect(endpoint).not.toHaveProperty('failingSince');
    const log = await call(stack, 'GET', `/tenants/w/webhooks/${endpoint.endpointId}/deliveries`);
    expect(log.body.attempts.map((a: any) => [a.attempt, a.outcome, a.status])).toEqual([
      [4, 'delivered', 200],
      [3, 'failed', 500],
      [2, 'failed', 503],
      [1, 'failed', 500],
    ]);
  });

  it('disables an endpoint that answers 410, says why, and delivers nothing more to it', async () => {
    const { stack, hook, endpoint } = await setUp([410]);
    await planDay(stack);
    await deliver(stack);
    const read = await call(stack, 'GET', `/tenants/w/webhooks/${endpoint.endpointId}`);
    expect(read.body).toMatchObject({
      enabled: false,
      disabled: { by: 'delivery', reason: expect.stringContaining('410') },
    });
    // The tenant is told by an event (to the notifications, and to its other endpoints that want it).
    await stack.relay.pump();
    expect(
      stack.bus.published.filter((e) => e.detailType === 'webhook.endpoint.disabled').map((e) => e.detail),
    ).toEqual([
      expect.objectContaining({
        tenantId: 'w',
        endpointId: endpoint.endpointId,
        url: hook.url,
        reason: expect.stringContaining('410'),
      }),
    ]);
    await deliver(stack); // the event itself goes to no endpoint: the only one is disabled
    expect(stack.webhookQueue.depth).toBe(0);
    // A replay of a disabled endpoint is refused; enabled again, it is delivered (same id).
    const eventId = hook.received[0]!.headers['webhook-id'];
    expect((await call(stack, 'POST', `/tenants/w/webhooks/${endpoint.endpointId}/replay`, { eventId })).status).toBe(
      409,
    );
    expect((await call(stack, 'PUT', `/tenants/w/webhooks/${endpoint.endpointId}`, { enabled: true })).status).toBe(
      200,
    );
    expect((await call(stack, 'POST', `/tenants/w/webhooks/${endpoint.endpointId}/replay`, { eventId })).body).toEqual({
      replayed: 1,
    });
    await deliver(stack);
    expect(hook.received.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId]);
  });

  it('disables an endpoint whose every delivery failed for 72 hours, and sends it nothing after', async () => {
    const { stack, hook, endpoint } = await setUp([500]);
    const start = Date.parse('2027-01-15T04:30:00Z');
    const receivedAt: number[] = [];
    for (let hour = 0; hour <= 100; hour += 1) {
      stack.setNow(new Date(start + hour * 3_600_000));
      // One schedule a day, as the planner publishes them.
      if (hour % 24 === 0) {
        const planDate = new Date(start + hour * 3_600_000).toISOString().slice(0, 10);
        stack.webhookQueue.receive(
          planEvent('production.schedule.generated', ['w', planDate], {
            tenantId: 'w',
            planId: `prod-w-${planDate}`,
            planDate,
            occurredAt: stack.ports.now().toISOString(),
            timezone: 'Europe/Madrid',
            products: 2,
            batches: 3,
            plannedUnits: 120,
            shortfallUnits: 0,
            trigger: 'scheduled',
          }),
        );
      }
      const before = hook.received.length;
      await deliver(stack);
      for (let i = before; i < hook.received.length; i += 1) receivedAt.push(stack.ports.now().getTime());
    }
    const read = await call(stack, 'GET', `/tenants/w/webhooks/${endpoint.endpointId}`);
    expect(read.body).toMatchObject({ enabled: false, disabled: { reason: expect.stringContaining('72 hours') } });
    const disabledAt = Date.parse(read.body.disabled.at);
    expect(disabledAt - start).toBeGreaterThanOrEqual(72 * 3_600_000);
    expect(receivedAt.filter((at) => at > disabledAt)).toEqual([]);
    expect(stack.webhookQueue.depth).toBe(0);
  });

  it('sends at most four deliveries to one endpoint at a time; the others wait on the queue, none is lost', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('w', 'Europe/Madrid'), '2027-01-15');
    let inFlight = 0;
    let most = 0;
    const ids: string[] = [];
    const server = createServer((request, response) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      ids.push(String(request.headers['webhook-id']));
      request.resume();
      setTimeout(() => {
        inFlight -= 1;
        response.writeHead(200).end();
      }, 150);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    stack.setNow(new Date('2027-01-15T04:00:00Z'));
    const created = await call(stack, 'POST', '/tenants/w/webhooks', {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
      eventTypes: ['plan.escalation.unapproved'],
    });
    expect(created.status).toBe(201);
    for (let i = 0; i < 10; i += 1)
      stack.webhookQueue.receive(
        planEvent('plan.escalation.unapproved', [`p${i}`], {
          tenantId: 'w',
          planId: `p${i}`,
          planDate: '2027-01-15',
          occurredAt: '2027-01-15T09:00:00.000Z',
          kind: 'procurement',
          status: 'draft',
          deadline: '10:00',
        }),
      );
    await deliver(stack);
    const waiting = stack.webhookQueue.depth;
    for (let seconds = 20; seconds <= 200 && stack.webhookQueue.depth > 0; seconds += 20) {
      stack.setNow(new Date(Date.parse('2027-01-15T04:00:00Z') + seconds * 1000));
      await deliver(stack);
    }
    expect(most).toBeLessThanOrEqual(4);
    expect(waiting).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(10);
    expect(ids).toHaveLength(10);
  });

  it('signs with both secrets during a rotation’s overlap, then with the new one only', async () => {
    const { stack, hook, endpoint, secret } = await setUp([200]);
    const rotated = await call(stack, 'POST', `/tenants/w/webhooks/${endpoint.endpointId}/rotate-secret`, {
      overlapHours: 2,
    });
    expect(rotated.status).toBe(200);
    const newer = String(rotated.body.secret);
    await planDay(stack);
    await deliver(stack);
    const headers = hook.received[0]!.headers as Record<string, string>;
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const s of [secret, newer]) expect(() => verify(s, hook.received[0]!)).not.toThrow();
    // Past the overlap (the event replayed at 07:00Z), only the new secret signs.
    stack.setNow(new Date('2027-01-15T07:00:00Z'));
    await call(stack, 'POST', `/tenants/w/webhooks/${endpoint.endpointId}/replay`, {
      eventId: headers['webhook-id'],
    });
    await deliver(stack);
    const later = hook.received[1]!.headers as Record<string, string>;
    expect(later['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(() => verify(newer, hook.received[1]!)).not.toThrow();
    expect(() => verify(secret, hook.received[1]!)).toThrow(/signature/);
  });

  it('refuses URLs of private, loopback, link-local and metadata addresses however they are written', async () => {
    const stack = await testStack();
    await seedBakery(stack, tenant('w', 'Europe/Madrid'), '2027-01-15');
    // The cloud's sender: no loopback.
    stack.ports.webhookSender = new (await import('../../lib/aws/https-webhook-sender.ts')).HttpsWebhookSender(false);
    for (const url of [
      'http://example.com/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://2130706433/',
      'https://0177.0.0.1/',
      'https://0x7f.0.0.1/',
      'https://[::1]/',
      'https://[::ffff:10.0.0.1]/',
      'https://[fd00::1]/',
      'https://localhost/',
      'https://user:pass@example.com/',
      'https://intranet/',
      'ftp://example.com/',
      'http://127.0.0.1:8080/',
    ]) {
      const answer = await call(stack, 'POST', '/tenants/w/webhooks', {
        url,
        eventTypes: ['procurement.plan.generated'],
      });
      expect(answer.status, url).toBe(400);
      expect(answer.body.field, url).toBe('url');
    }
    expect((await call(stack, 'GET', '/tenants/w/webhooks')).body.endpoints).toEqual([]);
  });
});
