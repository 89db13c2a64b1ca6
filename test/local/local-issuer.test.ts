// The local issuer as strict as a hosted one: failed sign-ins limited per user and per client,
// refresh tokens single use and rotated (a reuse ends the sign-in), revoked at sign-out, redirects
// checked against the configured origins only, and a sign-in form that loads nothing inline unhashed.
import { describe, expect, it } from 'vitest';
import { pkcePair } from '../../lib/auth/sign-in.ts';
import { createLocalIssuer, LOCAL_CLIENT_ID, type LocalUser, SIGN_IN_LIMITS } from '../../lib/local/local-issuer.ts';
import { verifyLocalToken } from '../../lib/local/local-token.ts';

const USERS: LocalUser[] = [
  { username: 'ana', password: 'correct horse', name: 'Ana', tenantId: 'a' },
  { username: 'ben', password: 'battery staple', name: 'Ben', tenantId: 'b' },
];
const KEY = 'issuer-test-key';
const ORIGINS = ['http://127.0.0.1:8787', 'http://localhost:8787'];

function issuerAt(start = Date.parse('2026-12-02T08:00:00Z')) {
  let clock = start;
  const issuer = createLocalIssuer(USERS, KEY, () => clock);
  const call = (method: string, path: string, form: Record<string, string> = {}, client = '10.0.0.1') =>
    issuer.handle({
      method,
      path,
      query: new URLSearchParams(method === 'GET' ? form : {}),
      body: method === 'POST' ? new URLSearchParams(form).toString() : '',
      origins: ORIGINS,
      client,
    })!;
  const pkce = pkcePair();
  const authorizeForm = (user: string, password: string, redirect = `${ORIGINS[0]}/review`) => ({
    response_type: 'code',
    client_id: LOCAL_CLIENT_ID,
    redirect_uri: redirect,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    username: user,
    password,
  });
  const signIn = (user: string, password: string, client?: string) =>
    call('POST', '/local-auth/authorize', authorizeForm(user, password), client);
  /** Signs in and exchanges the code: the token answer. */
  const tokensOf = (user: LocalUser) => {
    const answer = signIn(user.username, user.password);
    expect(answer.status).toBe(302);
    const code = new URL(answer.location!).searchParams.get('code')!;
    const tokens = call('POST', '/local-auth/token', {
      grant_type: 'authorization_code',
      client_id: LOCAL_CLIENT_ID,
      code,
      redirect_uri: `${ORIGINS[0]}/review`,
      code_verifier: pkce.verifier,
    });
    expect(tokens.status).toBe(200);
    return JSON.parse(tokens.body) as { id_token: string; refresh_token: string };
  };
  const refresh = (token: string) => {
    const answer = call('POST', '/local-auth/token', {
      grant_type: 'refresh_token',
      client_id: LOCAL_CLIENT_ID,
      refresh_token: token,
    });
    return { status: answer.status, body: JSON.parse(answer.body) as Record<string, string> };
  };
  return {
    call,
    signIn,
    tokensOf,
    refresh,
    authorizeForm,
    advance: (seconds: number) => {
      clock += seconds * 1000;
    },
  };
}

describe('failed sign-ins', () => {
  it(`lock a user name out after ${SIGN_IN_LIMITS.perUser} failures for the window, even with the right password, and say when to come back`, () => {
    const issuer = issuerAt();
    for (let i = 0; i < SIGN_IN_LIMITS.perUser; i++) expect(issuer.signIn('ana', `guess ${i}`).status).toBe(401);
    const locked = issuer.signIn('ana', 'correct horse');
    expect(locked.status).toBe(429);
    expect(locked.body).toContain('Too many failed sign-ins; try again in 15 minutes.');
    expect(Number(locked.headers?.['retry-after'])).toBe(SIGN_IN_LIMITS.windowSeconds);
    // Another user from another address is not held back by Ana's lock.
    expect(issuer.signIn('ben', 'battery staple', '10.0.0.2').status).toBe(302);
    issuer.advance(SIGN_IN_LIMITS.windowSeconds - 60);
    expect(issuer.signIn('ana', 'correct horse').status).toBe(429);
    issuer.advance(61);
    expect(issuer.signIn('ana', 'correct horse').status).toBe(302);
  });

  it(`limit one address to ${SIGN_IN_LIMITS.perClient} failures across user names (password spraying)`, () => {
    const issuer = issuerAt();
    for (let i = 0; i < SIGN_IN_LIMITS.perClient; i++)
      expect(issuer.signIn(`user-${i}`, 'Summer2026!', '10.9.9.9').status).toBe(401);
    expect(issuer.signIn('ben', 'battery staple', '10.9.9.9').status).toBe(429);
    expect(issuer.signIn('ben', 'battery staple', '10.0.0.3').status).toBe(302);
  });

  it('counts a user name however it is cased', () => {
    const issuer = issuerAt();
    for (let i = 0; i < SIGN_IN_LIMITS.perUser; i++)
      expect(issuer.signIn(i % 2 ? 'ANA' : 'Ana', 'x', `10.1.0.${i}`).status).toBe(401);
    expect(issuer.signIn('ana', 'correct horse', '10.1.1.1').status).toBe(429);
  });
});

describe('refresh tokens', () => {
  it('are opaque, single use and rotated: each refresh answers a new one that lives as long as the sign-in', () => {
    const issuer = issuerAt();
    const first = issuer.tokensOf(USERS[0]!);
    expect(first.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    issuer.advance(3600);
    const second = issuer.refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(verifyLocalToken(second.body.id_token!, KEY, Date.parse('2026-12-02T09:00:00Z'))).toMatchObject({
      sub: 'ana',
      'custom:tenant_id': 'a',
    });
    issuer.advance(7 * 24 * 3600 - 3600);
    expect(issuer.refresh(second.body.refresh_token!).body.error_description).toMatch(/unknown, revoked or expired/);
  });

  it('allow a second use within a 10-second grace (two tabs refreshing at once), not after', () => {
    const issuer = issuerAt();
    const { refresh_token } = issuer.tokensOf(USERS[0]!);
    const a = issuer.refresh(refresh_token);
    issuer.advance(5);
    const b = issuer.refresh(refresh_token);
    expect([a.status, b.status]).toEqual([200, 200]);
    issuer.advance(6);
    expect(issuer.refresh(refresh_token).status).toBe(400);
  });

  it('end the whole sign-in when a spent token comes back (a stolen copy), the rightful holder included', () => {
    const issuer = issuerAt();
    const stolen = issuer.tokensOf(USERS[0]!).refresh_token;
    const rightful = issuer.refresh(stolen).body.refresh_token!;
    issuer.advance(60);
    const replay = issuer.refresh(stolen);
    expect(replay.status).toBe(400);
    expect(replay.body.error_description).toMatch(/already used; every session of it is ended/);
    expect(issuer.refresh(rightful).body.error).toBe('invalid_grant');
    // Another sign-in of the same user is untouched.
    expect(issuer.refresh(issuer.tokensOf(USERS[0]!).refresh_token).status).toBe(200);
  });

  it('are revoked at sign-out with every token of their sign-in, and revocation answers 200 for anything', () => {
    const issuer = issuerAt();
    const first = issuer.tokensOf(USERS[0]!).refresh_token;
    const current = issuer.refresh(first).body.refresh_token!;
    const other = issuer.tokensOf(USERS[1]!).refresh_token;
    const revoke = (token: string) =>
      issuer.call('POST', '/local-auth/revoke', { token, client_id: LOCAL_CLIENT_ID }).status;
    expect(revoke(current)).toBe(200);
    expect(issuer.refresh(current).status).toBe(400);
    expect(issuer.refresh(first).status).toBe(400);
    expect(revoke('not-a-token')).toBe(200);
    expect(issuer.call('POST', '/local-auth/revoke', { token: other, client_id: 'someone' }).status).toBe(400);
    expect(issuer.refresh(other).status).toBe(200);
  });

  it('are never bearer tokens', () => {
    const issuer = issuerAt();
    expect(() => verifyLocalToken(issuer.tokensOf(USERS[0]!).refresh_token, KEY)).toThrow();
  });
});

describe('redirects', () => {
  it("go back only to the configured origins' review page or a loopback /callback, whatever Host says", () => {
    const issuer = issuerAt();
    const at = (redirect: string) =>
      issuer.call('POST', '/local-auth/authorize', issuer.authorizeForm('ana', 'correct horse', redirect));
    expect(at('http://localhost:8787/review').status).toBe(302);
    expect(at('http://127.0.0.1:45123/callback').status).toBe(302);
    for (const refused of [
      'http://evil.example/review',
      'http://127.0.0.1:9999/review',
      'https://127.0.0.1:8787/review',
      'http://127.0.0.1:8787/review/../admin',
      'http://evil.example/callback',
    ])
      expect(JSON.parse(at(refused).body).error_description, refused).toMatch(/redirect_uri is not registered/);
  });
});

describe('the sign-in form', () => {
  it('has a policy naming its one inline style by hash, no script, framed by nobody, sending forms to itself and loopback only', () => {
    const issuer = issuerAt();
    const form = issuer.call('GET', '/local-auth/authorize', {
      response_type: 'code',
      client_id: LOCAL_CLIENT_ID,
      redirect_uri: `${ORIGINS[0]}/review`,
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    });
    const policy = form.headers?.['content-security-policy'] ?? '';
    expect(policy).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; /);
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('script-src');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("form-action 'self' http://127.0.0.1:* http://localhost:*");
    expect(form.body).not.toMatch(/ style=/);
  });
});
