import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFromClaims } from '../../lib/api/auth.ts';
import { UnauthorizedError } from '../../lib/errors.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, signLocalToken, verifyLocalToken } from '../../lib/local/local-token.ts';
import { type RunningServer, startLocalServer } from '../support/local-server.ts';
import type { TestStack } from '../support/local-stack.ts';

const KEY = 'test-key-0123456789';
let stack: TestStack;
let running: RunningServer;
let base: string;

beforeAll(async () => {
  running = await startLocalServer(KEY);
  ({ stack, base } = running);
});
afterAll(() => running.close());

const get = (path: string, token?: string) =>
  fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('local tokens', () => {
  it('round-trips claims and refuses a wrong key, a wrong algorithm or an expired token', () => {
    const token = signLocalToken({ sub: 'u', 'custom:tenant_id': 'a' }, KEY);
    expect(verifyLocalToken(token, KEY)).toMatchObject({
      sub: 'u',
      'custom:tenant_id': 'a',
      iss: 'bakery-planner-local',
    });
    expect(() => verifyLocalToken(token, 'another-key')).toThrow('The bearer token signature is invalid.');
    expect(() => verifyLocalToken(signLocalToken({ sub: 'u' }, KEY, 60, Date.now() - 3_600_000), KEY)).toThrow(
      'The bearer token has expired.',
    );
    const [, payload, signature] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.${signature}`;
    expect(() => verifyLocalToken(none, KEY)).toThrow(UnauthorizedError);
  });

  it('reads tenant and admin claims from Cognito or plain claims', () => {
    expect(callerFromClaims({ sub: 'x', 'custom:tenant_id': 'a' })).toEqual({
      subject: 'x',
      tenantId: 'a',
      admin: false,
    });
    expect(callerFromClaims({ sub: 'x', 'cognito:groups': '[admin ops]' })).toEqual({ subject: 'x', admin: true });
    expect(callerFromClaims({ sub: 'x', tenant_id: 'b', role: 'admin' })).toEqual({
      subject: 'x',
      tenantId: 'b',
      admin: true,
    });
    expect(() => callerFromClaims({ 'custom:tenant_id': 'a' })).toThrow(UnauthorizedError);
  });
});

/** A request with its path sent byte for byte (fetch would resolve dot segments before sending). */
function raw(
  method: string,
  path: string,
  token?: string,
  body?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe("strict local tokens (as API Gateway's JWT authorizer)", () => {
  const token = () => signLocalToken({ sub: 'u', 'custom:tenant_id': 'a' }, KEY);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const resign = (header: unknown, claims: unknown) => {
    const unsigned = `${b64(header)}.${b64(claims)}`;
    return `${unsigned}.${createHmac('sha256', KEY).update(unsigned).digest('base64url')}`;
  };
  const now = Math.floor(Date.now() / 1000);
  const good = { sub: 'u', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: now, exp: now + 600 };

  it('refuses a token with an extra segment, a missing one, or padding', () => {
    expect(() => verifyLocalToken(`${token()}.x`, KEY)).toThrow('not a JWT');
    expect(() => verifyLocalToken(token().split('.').slice(0, 2).join('.'), KEY)).toThrow('not a JWT');
    expect(() => verifyLocalToken(`${token()}=`, KEY)).toThrow('not a JWT');
  });

  it('checks the algorithm, issuer, audience, expiry, not-before, issued-at and subject', () => {
    expect(verifyLocalToken(resign({ alg: 'HS256', typ: 'JWT' }, good), KEY)).toMatchObject({ sub: 'u' });
    expect(() => verifyLocalToken(resign({ alg: 'HS512' }, good), KEY)).toThrow('HS256');
    expect(() => verifyLocalToken(resign({ alg: 'HS256' }, { ...good, iss: 'someone' }), KEY)).toThrow('issuer');
    expect(() => verifyLocalToken(resign({ alg: 'HS256' }, { ...good, aud: 'other-api' }), KEY)).toThrow('audience');
    expect(() => verifyLocalToken(resign({ alg: 'HS256' }, { ...good, exp: undefined }), KEY)).toThrow('expired');
    expect(() => verifyLocalToken(resign({ alg: 'HS256' }, { ...good, nbf: now + 600 }), KEY)).toThrow('not valid yet');
    expect(() => verifyLocalToken(resign({ alg: 'HS256' }, { ...good, iat: now + 600 }), KEY)).toThrow('future');
    expect(() => verifyLocalToken(resign({ alg: 'HS256' }, { ...good, sub: '' }), KEY)).toThrow('subject');
    expect(() => verifyLocalToken(resign({ alg: 'HS256' }, ['not', 'claims']), KEY)).toThrow('cannot be read');
  });

  it('refuses minting an expired or endless token', () => {
    expect(() => signLocalToken({ sub: 'u' }, KEY, -5 * 3600)).toThrow(RangeError);
    expect(() => signLocalToken({ sub: 'u' }, KEY, 400 * 24 * 3600)).toThrow(RangeError);
  });

  it('accepts a token only unchanged: every generated edit is refused with a 401 reason', () => {
    const original = token();
    const edit = fc.oneof(
      fc
        .tuple(fc.nat(original.length - 1), fc.string({ minLength: 1, maxLength: 3 }))
        .map(([at, text]) => original.slice(0, at) + text + original.slice(at + 1)),
      fc.string({ maxLength: 10 }).map((suffix) => `${original}${suffix}`),
      fc.nat(original.length - 1).map((at) => original.slice(0, at)),
      fc.string({ maxLength: 400 }),
    );
    fc.assert(
      fc.property(edit, (candidate) => {
        if (candidate === original) return;
        try {
          verifyLocalToken(candidate, KEY);
          expect.unreachable(`accepted ${candidate}`);
        } catch (error) {
          expect(error).toBeInstanceOf(UnauthorizedError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the local server', () => {
  it('refuses a token with an extra segment over HTTP', async () => {
    expect((await get('/tenants/a', `${signLocalToken({ sub: 'u', 'custom:tenant_id': 'a' }, KEY)}.x`)).status).toBe(
      401,
    );
  });

  it('takes paths as sent: dot segments and malformed encodings are 400, never resolved', async () => {
    const admin = signLocalToken({ sub: 'ops', 'cognito:groups': ['admin'] }, KEY);
    expect(await raw('DELETE', '/tenants/../forecast-cache', admin)).toMatchObject({
      status: 400,
      body: { field: 'path' },
    });
    expect(await raw('GET', '/tenants/a/./catalog', admin)).toMatchObject({ status: 400 });
    expect(await raw('GET', '/tenants/%E0%A4%A/catalog')).toMatchObject({ status: 400, body: { field: 'tenantId' } });
  });

  it('answers 413 to a body past the limit', async () => {
    const admin = signLocalToken({ sub: 'ops', 'cognito:groups': ['admin'] }, KEY);
    expect((await raw('POST', '/tenants', admin, 'x'.repeat(1024 * 1024 + 1))).status).toBe(413);
  });

  it('verifies tokens as the cloud authorizer would', async () => {
    expect((await get('/tenants/a')).status).toBe(401);
    expect((await get('/tenants/a', 'not-a-jwt')).status).toBe(401);
    expect((await get('/tenants/a', signLocalToken({ sub: 'u', 'custom:tenant_id': 'a' }, 'wrong-key'))).status).toBe(
      401,
    );
    const ok = await get('/tenants/a', signLocalToken({ sub: 'u', 'custom:tenant_id': 'a' }, KEY));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ tenantId: 'a', timezone: 'Europe/Madrid' });
    expect((await get('/tenants/a', signLocalToken({ sub: 'u', 'custom:tenant_id': 'b' }, KEY))).status).toBe(403);
  });

  it('serves the review page as HTML', async () => {
    const page = await get('/review');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Bakery planner — morning review</title>');
  });

  it('works off queued jobs in the background after a manual run', async () => {
    const admin = signLocalToken({ sub: 'ops', 'cognito:groups': ['admin'] }, KEY);
    const response = await fetch(`${base}/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ job: 'production', tenantIds: ['a'], planDate: '2026-11-28' }),
    });
    expect(response.status).toBe(202);
    for (let i = 0; i < 50 && !(await stack.ports.plans.getProductionSchedule('a', '2026-11-28')); i += 1)
      await new Promise((r) => setTimeout(r, 100));
    expect(await stack.ports.plans.getProductionSchedule('a', '2026-11-28')).not.toBeNull();
  });
});
