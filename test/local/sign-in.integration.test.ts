// Sign-in against the local issuer: the authorization code + PKCE flow the review page and
// `planner login` use (as with the user pool's hosted UI), and what it refuses.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pkcePair } from '../../lib/auth/sign-in.ts';
import { apiCall } from '../../lib/cli/api-client.ts';
import { login, logout, readSession, sessionBearer } from '../../lib/cli/session.ts';
import { LOCAL_CLIENT_ID, type LocalUser } from '../../lib/local/local-issuer.ts';
import { createLocalServer } from '../../lib/local/local-server.ts';
import { startLocalServer } from '../support/local-server.ts';
import { seedBakery, tenant, testStack } from '../support/local-stack.ts';

const USERS: LocalUser[] = [
  { username: 'ana', password: 'correct horse', name: 'Ana', tenantId: 'a' },
  { username: 'root', password: 'admin pass', name: 'Admin', admin: true },
];
let base: string;
const json = async (response: Response) => (await response.json()) as Record<string, any>;
let close: () => Promise<void>;

beforeAll(async () => {
  const stack = await testStack();
  await seedBakery(stack, tenant('a', 'Europe/Madrid'), '2026-11-28');
  const server = createLocalServer(stack, 'sign-in-test-key', { users: USERS });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

/** What a browser does with the sign-in URL: fill the form, follow the redirect back to the client. */
async function signInAs(url: string, user: { username: string; password: string }): Promise<Response> {
  const params = new URL(url).searchParams;
  expect((await fetch(url)).status).toBe(200);
  params.set('username', user.username);
  params.set('password', user.password);
  return fetch(`${base}/local-auth/authorize`, { method: 'POST', body: params, redirect: 'manual' });
}

const authorizeUrl = (overrides: Record<string, string> = {}, challenge = pkcePair().challenge) =>
  `${base}/local-auth/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: LOCAL_CLIENT_ID,
    redirect_uri: `${base}/review`,
    scope: 'openid',
    state: 's1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  })}`;

const token = (form: Record<string, string>) =>
  fetch(`${base}/local-auth/token`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: LOCAL_CLIENT_ID, ...form }),
  });

describe('planner login', () => {
  it('signs in through the loopback callback, keeps the session private, calls the API with it and refreshes it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'planner-session-')), 'session.json');
    const session = await login({
      api: base,
      port: 18765 + Math.floor(Math.random() * 1000),
      file,
      show: (url) => void signInAs(url, USERS[0]!).then((answer) => fetch(answer.headers.get('location')!)),
    });
    expect(readSession(file)).toEqual(session);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const bearer = await sessionBearer(base, file);
    expect(bearer).toBe(session.bearer);
    expect((await apiCall<{ tenantId: string }>({ baseUrl: base, token: bearer! }, 'GET', '/tenants/a')).tenantId).toBe(
      'a',
    );
    await expect(apiCall({ baseUrl: base, token: bearer! }, 'GET', '/tenants')).rejects.toThrow(/403/);
    // An hour later the token has expired: the refresh token gets a new one, stored for the next call.
    const later = await sessionBearer(base, file, session.expiresAt + 1000);
    const refreshed = readSession(file)!;
    expect(refreshed).toMatchObject({ bearer: later, expiresAt: session.expiresAt + 1000 + 3600_000 });
    // The issuer rotates refresh tokens: the session keeps the new one.
    expect(refreshed.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(refreshed.refreshToken).not.toBe(session.refreshToken);
    expect((await apiCall<{ tenantId: string }>({ baseUrl: base, token: later! }, 'GET', '/tenants/a')).tenantId).toBe(
      'a',
    );
    expect(await sessionBearer('http://elsewhere.example', file)).toBeNull();
    // planner logout revokes it at the issuer: a copy taken before is worth nothing.
    expect(await logout(file)).toEqual({ removed: true, revoked: true });
    const copied = await token({ grant_type: 'refresh_token', refresh_token: refreshed.refreshToken! });
    expect(copied.status).toBe(400);
    expect((await json(copied)).error_description).toMatch(/unknown, revoked or expired/);
    expect(await logout(file)).toEqual({ removed: false, revoked: false });
  });

  it('says what to do when the API or the token endpoint cannot be reached, and keeps the stored session', async () => {
    await expect(login({ api: 'http://127.0.0.1:9', show: () => {} })).rejects.toThrow(
      /Cannot reach http:\/\/127\.0\.0\.1:9 .*Is "npm run serve" running, or is --api right\?/,
    );
    const file = join(mkdtempSync(join(tmpdir(), 'planner-session-')), 'session.json');
    const stored = {
      api: base,
      bearer: 'old',
      refreshToken: 'r',
      expiresAt: 0,
      tokenUrl: 'http://127.0.0.1:9/token',
      clientId: LOCAL_CLIENT_ID,
      bearerKind: 'id_token' as const,
    };
    writeFileSync(file, JSON.stringify(stored));
    await expect(sessionBearer(base, file)).rejects.toThrow(
      /Cannot reach the token endpoint http:\/\/127\.0\.0\.1:9\/token/,
    );
    expect(readSession(file)).toEqual(stored);
  });
});

describe('the local issuer', () => {
  it('issues tokens for a code only with the matching PKCE verifier, once', async () => {
    const { verifier, challenge } = pkcePair();
    const answer = await signInAs(authorizeUrl({}, challenge), USERS[1]!);
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('s1');
    const code = back.searchParams.get('code')!;
    const wrong = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: `${base}/review`,
      code_verifier: pkcePair().verifier,
    });
    expect(wrong.status).toBe(400);
    expect((await json(wrong)).error).toBe('invalid_grant');
    // The failed attempt used the code up: even the right verifier is refused now.
    const again = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: `${base}/review`,
      code_verifier: verifier,
    });
    expect((await json(again)).error_description).toMatch(/unknown, used or expired/);

    const fresh = pkcePair();
    const code2 = new URL(
      (await signInAs(authorizeUrl({}, fresh.challenge), USERS[1]!)).headers.get('location')!,
    ).searchParams.get('code')!;
    const tokens = await json(
      await token({
        grant_type: 'authorization_code',
        code: code2,
        redirect_uri: `${base}/review`,
        code_verifier: fresh.verifier,
      }),
    );
    expect(Object.keys(tokens).sort()).toEqual([
      'access_token',
      'expires_in',
      'id_token',
      'refresh_token',
      'token_type',
    ]);
    expect((await fetch(`${base}/tenants`, { headers: { authorization: `Bearer ${tokens.id_token}` } })).status).toBe(
      200,
    );
    // A refresh token is no bearer token.
    expect(
      (await fetch(`${base}/tenants`, { headers: { authorization: `Bearer ${tokens.refresh_token}` } })).status,
    ).toBe(401);
  });

  it.each([
    ['an unregistered redirect', { redirect_uri: 'https://evil.example/review' }, /redirect_uri/],
    ['a redirect with a fragment', { redirect_uri: 'http://127.0.0.1:9/callback#x' }, /redirect_uri/],
    ['no PKCE', { code_challenge: '' }, /PKCE/],
    ['plain PKCE', { code_challenge_method: 'plain' }, /PKCE/],
    ['another client', { client_id: 'someone-else' }, /client_id/],
    ['the implicit flow', { response_type: 'token' }, /response_type/],
  ])('refuses %s', async (_name, overrides, message) => {
    const answer = await fetch(authorizeUrl(overrides));
    expect(answer.status).toBe(400);
    expect((await json(answer)).error_description).toMatch(message);
  });

  it('answers with the security headers: the page, JSON, an unauthenticated call, the sign-in form', async () => {
    const answers = await Promise.all([
      fetch(`${base}/review`),
      fetch(`${base}/review/config`),
      fetch(`${base}/tenants`, { headers: { authorization: 'Bearer nonsense' } }),
      fetch(authorizeUrl()),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 401, 200]);
    for (const answer of answers) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('content-security-policy')).toMatch(/^default-src 'none'; .*frame-ancestors 'none'/);
    }
    expect(answers[0]!.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);
    expect(answers[3]!.headers.get('content-security-policy')).toMatch(/style-src 'sha256-/);
  });

  it('sends a sign-in back to its own origins only, whatever the Host header claims', async () => {
    const spoofed = await fetch(authorizeUrl({ redirect_uri: 'http://evil.example/review' }), {
      headers: { host: 'evil.example' },
    });
    expect(spoofed.status).toBe(400);
    expect((await json(spoofed)).error_description).toMatch(/redirect_uri is not registered/);
    expect(
      (await fetch(authorizeUrl({ redirect_uri: `${base.replace('127.0.0.1', 'localhost')}/review` }))).status,
    ).toBe(200);
  });

  it('says so on a wrong password and issues nothing', async () => {
    const answer = await signInAs(authorizeUrl(), { username: 'ana', password: 'wrong horse' });
    expect(answer.status).toBe(401);
    expect(await answer.text()).toContain('Wrong user name or password.');
    expect(answer.headers.get('location')).toBeNull();
  });

  it('tells clients where to sign in, and a server without users says it has no sign-in', async () => {
    expect(await json(await fetch(`${base}/review/config`))).toMatchObject({
      authorizeUrl: '/local-auth/authorize',
      tokenUrl: '/local-auth/token',
      revokeUrl: '/local-auth/revoke',
      clientId: LOCAL_CLIENT_ID,
      bearer: 'id_token',
    });
    const bare = await startLocalServer('no-users-key');
    try {
      const answer = await fetch(`${bare.base}/review/config`);
      expect(answer.status).toBe(404);
      expect((await json(answer)).error).toMatch(/no sign-in configured; use a bearer token/);
      expect((await fetch(`${bare.base}/local-auth/authorize`)).status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
