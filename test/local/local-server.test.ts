import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { callerFromClaims, signLocalToken, verifyLocalToken, UnauthorizedError } from '../../lib/api/auth.ts';
import { createLocalServer } from '../../lib/local/local-server.ts';
import { seedBakery, tenant, testStack, type TestStack } from '../support/local-stack.ts';

const KEY = 'test-key-0123456789';
let stack: TestStack;
let server: Server;
let base: string;

beforeAll(async () => {
  stack = await testStack();
  await seedBakery(stack, tenant('a', 'Europe/Madrid'), '2026-11-28');
  server = createLocalServer(stack, KEY);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = (path: string, token?: string) => fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('local tokens', () => {
  it('round-trips claims and refuses a wrong key, a wrong algorithm or an expired token', () => {
    const token = signLocalToken({ sub: 'u', 'custom:tenant_id': 'a' }, KEY);
    expect(verifyLocalToken(token, KEY)).toMatchObject({ sub: 'u', 'custom:tenant_id': 'a', iss: 'bakery-planner-local' });
    expect(() => verifyLocalToken(token, 'another-key')).toThrow('The bearer token signature is invalid.');
    expect(() => verifyLocalToken(signLocalToken({ sub: 'u' }, KEY, 60, Date.now() - 3_600_000), KEY)).toThrow('The bearer token has expired.');
    const [, payload, signature] = token.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.${signature}`;
    expect(() => verifyLocalToken(none, KEY)).toThrow(UnauthorizedError);
  });

  it('reads tenant and admin claims from Cognito or plain claims', () => {
    expect(callerFromClaims({ sub: 'x', 'custom:tenant_id': 'a' })).toEqual({ subject: 'x', tenantId: 'a', admin: false });
    expect(callerFromClaims({ sub: 'x', 'cognito:groups': '[admin ops]' })).toEqual({ subject: 'x', admin: true });
    expect(callerFromClaims({ sub: 'x', tenant_id: 'b', role: 'admin' })).toEqual({ subject: 'x', tenantId: 'b', admin: true });
    expect(() => callerFromClaims({ 'custom:tenant_id': 'a' })).toThrow(UnauthorizedError);
  });
});

describe('the local server', () => {
  it('verifies tokens as the cloud authorizer would', async () => {
    expect((await get('/tenants/a')).status).toBe(401);
    expect((await get('/tenants/a', 'not-a-jwt')).status).toBe(401);
    expect((await get('/tenants/a', signLocalToken({ sub: 'u', 'custom:tenant_id': 'a' }, 'wrong-key'))).status).toBe(401);
    const ok = await get('/tenants/a', signLocalToken({ sub: 'u', 'custom:tenant_id': 'a' }, KEY));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ tenantId: 'a', timezone: 'Europe/Madrid' });
    expect((await get('/tenants/a', signLocalToken({ sub: 'u', 'custom:tenant_id': 'b' }, KEY))).status).toBe(403);
  });

  it('serves the review page as HTML', async () => {
    const page = await get('/review');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Bakery planner — plan review</title>');
  });

  it('works off queued jobs in the background after a manual run', async () => {
    const admin = signLocalToken({ sub: 'ops', 'cognito:groups': ['admin'] }, KEY);
    const response = await fetch(`${base}/runs`, {
      method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ job: 'production', tenantIds: ['a'], planDate: '2026-11-28' }),
    });
    expect(response.status).toBe(202);
    for (let i = 0; i < 50 && !(await stack.ports.plans.getProductionSchedule('a', '2026-11-28')); i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(await stack.ports.plans.getProductionSchedule('a', '2026-11-28')).not.toBeNull();
  });
});
