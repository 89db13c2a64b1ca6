import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { HttpsWebhookSender } from '../../lib/aws/https-webhook-sender.ts';

let requests = 0;
const server = createServer((request, response) => {
  requests += 1;
  request.resume();
  if (request.url === '/redirect') {
    response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
    response.end();
  } else if (request.url === '/huge') {
    response.writeHead(200);
    response.end('x'.repeat(1_000_000));
  } else {
    response.writeHead(200);
    response.end('ok');
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
afterAll(() => server.close());

describe('the webhook sender', () => {
  it('refuses a host name that resolves to a loopback, private or metadata address, without connecting', async () => {
    for (const addresses of [['127.0.0.1'], ['93.184.215.14', '10.0.0.7'], ['169.254.169.254'], ['::1'], ['fd00::5']]) {
      const sender = new HttpsWebhookSender(false, async () =>
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
      const before = requests;
      const outcome = await sender.post(`https://hooks.example.com:${port}/`, {}, '{}');
      expect(outcome, addresses.join()).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^refused: hooks\.example\.com resolves to/),
      });
      expect(requests).toBe(before);
    }
  });

  it('connects to the address it checked, follows no redirect and reads a bounded answer', async () => {
    // The name resolves to this machine (allowed in local mode only): the request goes to the checked address.
    const sender = new HttpsWebhookSender(true, async () => [{ address: '127.0.0.1', family: 4 }]);
    expect(await sender.post(`http://localhost:${port}/`, {}, '{}')).toMatchObject({
      ok: true,
      status: 200,
      excerpt: 'ok',
    });
    const before = requests;
    expect(await sender.post(`http://localhost:${port}/redirect`, {}, '{}')).toMatchObject({
      ok: false,
      status: 302,
      error: expect.stringContaining('redirects are not followed'),
    });
    expect(requests).toBe(before + 1);
    const huge = await sender.post(`http://localhost:${port}/huge`, {}, '{}');
    expect(huge).toMatchObject({ ok: true, status: 200 });
    expect(huge.excerpt!.length).toBe(500);
  });

  it('says so when nothing listens or the name does not resolve', async () => {
    const closed = new HttpsWebhookSender(true, async () => [{ address: '127.0.0.1', family: 4 }]);
    expect(await closed.post('http://localhost:1/', {}, '{}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('could not connect'),
    });
    const unknown = new HttpsWebhookSender(false, async () => {
      throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
    });
    expect(await unknown.post('https://nowhere.example/', {}, '{}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('ENOTFOUND'),
    });
  });
});
