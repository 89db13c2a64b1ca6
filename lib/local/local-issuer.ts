// The local issuer of `npm run serve`: the same authorization code + PKCE sign-in as the user pool's
// hosted UI, so the review page and `planner login` run locally exactly as they do in the cloud.
// Users come from .local/users.json (created on first serve, passwords printed once); ID and access
// tokens are the local HS256 JWTs the local server verifies. As strict as the hosted UI: failed
// sign-ins are limited per user and per client, refresh tokens are opaque, single use and rotated
// (a reused one ends its whole sign-in), revoked at sign-out, and redirects are checked against the
// server's configured origins, never against the request's Host header.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pagePolicy } from '../api/security-headers.ts';
import { pkceChallenge } from '../auth/sign-in.ts';
import type { SignInConfig } from '../config.ts';
import { signLocalToken } from './local-token.ts';

export const LOCAL_CLIENT_ID = 'bakery-planner-local-client';
export const LOCAL_SIGN_IN: SignInConfig = {
  authorizeUrl: '/local-auth/authorize',
  tokenUrl: '/local-auth/token',
  logoutUrl: '/local-auth/logout',
  revokeUrl: '/local-auth/revoke',
  clientId: LOCAL_CLIENT_ID,
  scopes: ['openid', 'email', 'profile'],
  bearer: 'id_token',
};
const ID_TOKEN_SECONDS = 3600;
const REFRESH_TOKEN_SECONDS = 7 * 24 * 3600;
const CODE_SECONDS = 60;
/** Failed sign-ins allowed per user name and per client address in a window, as a hosted UI locks out guessing. */
export const SIGN_IN_LIMITS = { perUser: 5, perClient: 20, windowSeconds: 15 * 60 };
/** How long a refresh token just used may be used again (parallel refreshes of one tab), as Cognito's grace period. */
const REFRESH_GRACE_SECONDS = 10;

export interface LocalUser {
  username: string;
  password: string;
  name: string;
  tenantId?: string;
  admin?: boolean;
}

export const DEFAULT_USERS_FILE = '.local/users.json';

/** The local users: the file if it exists, else an admin and one manager per tenant with new passwords, written to the file. */
export function localUsers(tenantIds: readonly string[], file = DEFAULT_USERS_FILE): LocalUser[] {
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { users: LocalUser[] }).users;
  const password = () => randomBytes(9).toString('base64url');
  const users: LocalUser[] = [
    { username: 'admin', password: password(), name: 'Platform admin', admin: true },
    ...tenantIds.map((tenantId) => ({
      username: `${tenantId}-manager`,
      password: password(),
      name: `Manager of ${tenantId}`,
      tenantId,
    })),
  ];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ users }, null, 2), { mode: 0o600 });
  return users;
}

/** The claims of a user's ID token, shaped as the user pool's (custom:tenant_id, cognito:groups). */
function idClaims(user: LocalUser): Record<string, unknown> {
  return {
    sub: user.username,
    token_use: 'id',
    name: user.name,
    'cognito:username': user.username,
    ...(user.tenantId ? { 'custom:tenant_id': user.tenantId } : {}),
    ...(user.admin ? { 'cognito:groups': ['admin'] } : {}),
  };
}

interface PendingCode {
  user: LocalUser;
  clientId: string;
  redirectUri: string;
  challenge: string;
  expires: number;
}

interface IssuerResponse {
  status: number;
  body: string;
  contentType?: string;
  location?: string;
  headers?: Record<string, string>;
}

interface RefreshGrant {
  username: string;
  /** The sign-in it descends from: a reused token revokes every token of it. */
  family: string;
  expires: number;
  usedAt?: number;
}

const html = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const json = (status: number, body: unknown): IssuerResponse => ({
  status,
  body: JSON.stringify(body),
  contentType: 'application/json',
});
const oauthError = (error: string, description: string) => json(400, { error, error_description: description });

/**
 * Where a code may be sent: the review page on the server itself, or a CLI's loopback listener
 * (http://127.0.0.1 or localhost, any port, path /callback), as a public client registers them.
 */
function allowedRedirect(uri: string, origins: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.hash) return false;
  if (origins.some((origin) => `${url.origin}${url.pathname}` === `${origin}/review`)) return true;
  return (
    url.protocol === 'http:' &&
    (url.hostname === '127.0.0.1' || url.hostname === 'localhost') &&
    url.pathname === '/callback'
  );
}

const FORM_STYLE = `body{font:16px/1.4 system-ui,sans-serif;background:#faf7f2;color:#2b2118;display:grid;place-items:center;min-height:100vh;margin:0}
form{background:#fff;border:1px solid #e3d9cc;border-radius:8px;padding:24px;width:min(340px,90vw)}h1{font-size:1.2em;margin:0 0 4px}
.sub{margin:0;color:#6b5a4a}label{display:block;margin:12px 0 4px}
input{font:inherit;width:100%;box-sizing:border-box;padding:8px;border:1px solid #c9b9a6;border-radius:4px}
button{margin-top:16px;width:100%;font:inherit;padding:10px;border:0;border-radius:4px;background:#6b3e26;color:#fff;cursor:pointer}
.error{color:#b00020}`;

function signInForm(params: URLSearchParams, message = '', status = message ? 401 : 200): IssuerResponse {
  const hidden = [...params]
    .filter(([k]) => !['username', 'password'].includes(k))
    .map(([k, v]) => `<input type="hidden" name="${html(k)}" value="${html(v)}">`)
    .join('');
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in — Bakery planner (local)</title>
<style>${FORM_STYLE}</style></head><body>
<form method="post" action="/local-auth/authorize"><h1>Bakery planner</h1><p class="sub">Local sign-in</p>
${message ? `<p class="error" role="alert">${html(message)}</p>` : ''}${hidden}
<label for="username">User name</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></body></html>`;
  return {
    status,
    body,
    contentType: 'text/html; charset=utf-8',
    // The code goes back to the review page (this server) or to a CLI's loopback listener.
    headers: {
      'content-security-policy': pagePolicy(body, { formTargets: ['http://127.0.0.1:*', 'http://localhost:*'] }),
    },
  };
}

export interface LocalIssuer {
  /**
   * Answers a /local-auth/* request, or null for any other path. `origins` are the server's own
   * (where the review page is), `client` the caller's address (failed sign-ins are counted by it).
   */
  handle(request: {
    method: string;
    path: string;
    query: URLSearchParams;
    body: string;
    origins: readonly string[];
    client: string;
  }): IssuerResponse | null;
}

/** Failed attempts per key in the current window; the oldest windows are dropped when the map grows. */
function attemptCounter(now: () => number) {
  const failures = new Map<string, { count: number; since: number }>();
  const windowMs = SIGN_IN_LIMITS.windowSeconds * 1000;
  const current = (key: string) => {
    const entry = failures.get(key);
    return entry && now() - entry.since < windowMs ? entry : undefined;
  };
  return {
    /** Seconds until `key` may try again, or 0. */
    blockedFor(key: string, limit: number): number {
      const entry = current(key);
      return entry && entry.count >= limit ? Math.ceil((entry.since + windowMs - now()) / 1000) : 0;
    },
    fail(key: string): void {
      if (failures.size > 10_000) for (const [k, v] of failures) if (now() - v.since >= windowMs) failures.delete(k);
      const entry = current(key) ?? { count: 0, since: now() };
      failures.set(key, { ...entry, count: entry.count + 1 });
    },
    clear: (key: string) => failures.delete(key),
  };
}

export function createLocalIssuer(users: readonly LocalUser[], key: string, now: () => number = Date.now): LocalIssuer {
  const codes = new Map<string, PendingCode>();
  // Refresh tokens by their SHA-256 (the token itself is never kept).
  const grants = new Map<string, RefreshGrant>();
  const attempts = attemptCounter(now);
  const digest = (token: string) => createHash('sha256').update(token).digest('base64url');
  const newRefreshToken = (grant: RefreshGrant) => {
    const token = randomBytes(32).toString('base64url');
    grants.set(digest(token), grant);
    return token;
  };
  const revokeFamily = (family: string) => {
    for (const [id, grant] of grants) if (grant.family === family) grants.delete(id);
  };
  const tokens = (user: LocalUser, refreshToken: string) => ({
    id_token: signLocalToken(idClaims(user), key, ID_TOKEN_SECONDS, now()),
    access_token: signLocalToken({ ...idClaims(user), token_use: 'access' }, key, ID_TOKEN_SECONDS, now()),
    refresh_token: refreshToken,
    expires_in: ID_TOKEN_SECONDS,
    token_type: 'Bearer',
  });
  const findUser = (username: string) => users.find((u) => u.username === username);

  const authorize = (
    params: URLSearchParams,
    origins: readonly string[],
  ): IssuerResponse | { params: URLSearchParams } => {
    if (params.get('client_id') !== LOCAL_CLIENT_ID)
      return oauthError('invalid_client', `client_id must be ${LOCAL_CLIENT_ID}.`);
    if (!allowedRedirect(params.get('redirect_uri') ?? '', origins))
      return oauthError('invalid_request', 'redirect_uri is not registered (the review page or a loopback /callback).');
    if (params.get('response_type') !== 'code')
      return oauthError('unsupported_response_type', 'response_type must be code.');
    if (
      params.get('code_challenge_method') !== 'S256' ||
      !/^[A-Za-z0-9_-]{43}$/.test(params.get('code_challenge') ?? '')
    ) {
      return oauthError(
        'invalid_request',
        'PKCE is required: code_challenge (S256, 43 characters) and code_challenge_method=S256.',
      );
    }
    return { params };
  };

  const signIn = (form: URLSearchParams, client: string): IssuerResponse => {
    const username = form.get('username') ?? '';
    const userKey = `user:${username.toLowerCase()}`;
    const clientKey = `client:${client}`;
    const wait = Math.max(
      attempts.blockedFor(userKey, SIGN_IN_LIMITS.perUser),
      attempts.blockedFor(clientKey, SIGN_IN_LIMITS.perClient),
    );
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60);
      const refused = signInForm(
        form,
        `Too many failed sign-ins; try again in ${minutes} minute${minutes > 1 ? 's' : ''}.`,
        429,
      );
      return { ...refused, headers: { ...refused.headers, 'retry-after': String(wait) } };
    }
    const user = findUser(username);
    const given = Buffer.from(form.get('password') ?? '');
    const expected = Buffer.from(user?.password ?? '');
    if (!user || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      attempts.fail(userKey);
      attempts.fail(clientKey);
      return signInForm(form, 'Wrong user name or password.');
    }
    attempts.clear(userKey);
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      user,
      clientId: LOCAL_CLIENT_ID,
      redirectUri: form.get('redirect_uri')!,
      challenge: form.get('code_challenge')!,
      expires: now() + CODE_SECONDS * 1000,
    });
    const target = new URL(form.get('redirect_uri')!);
    target.searchParams.set('code', code);
    if (form.get('state')) target.searchParams.set('state', form.get('state')!);
    return { status: 302, body: '', location: target.toString() };
  };

  const refresh = (token: string): IssuerResponse => {
    const id = digest(token);
    const grant = grants.get(id);
    if (!grant || grant.expires <= now())
      return oauthError('invalid_grant', 'The refresh token is unknown, revoked or expired; sign in again.');
    if (grant.usedAt !== undefined && now() - grant.usedAt > REFRESH_GRACE_SECONDS * 1000) {
      // A used token again: someone holds a copy. End the whole sign-in, the rightful holder's too.
      revokeFamily(grant.family);
      return oauthError(
        'invalid_grant',
        'The refresh token was already used; every session of it is ended. Sign in again.',
      );
    }
    const user = findUser(grant.username);
    if (!user) return oauthError('invalid_grant', 'The user of this refresh token is gone; sign in again.');
    grants.set(id, { ...grant, usedAt: grant.usedAt ?? now() });
    // The new token lives as long as the sign-in's first one, as Cognito's rotation does.
    return json(
      200,
      tokens(user, newRefreshToken({ username: user.username, family: grant.family, expires: grant.expires })),
    );
  };

  return {
    handle({ method, path, query, body, origins, client }) {
      if (!path.startsWith('/local-auth/')) return null;
      if (path === '/local-auth/authorize' && method === 'GET') {
        const checked = authorize(query, origins);
        return 'params' in checked ? signInForm(checked.params) : checked;
      }
      if (path === '/local-auth/authorize' && method === 'POST') {
        const form = new URLSearchParams(body);
        const checked = authorize(form, origins);
        return 'params' in checked ? signIn(form, client) : checked;
      }
      if (path === '/local-auth/token' && method === 'POST') {
        const form = new URLSearchParams(body);
        if (form.get('client_id') !== LOCAL_CLIENT_ID)
          return oauthError('invalid_client', `client_id must be ${LOCAL_CLIENT_ID}.`);
        if (form.get('grant_type') === 'authorization_code') {
          const pending = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? ''); // single use, whatever happens next
          if (!pending || pending.expires < now())
            return oauthError('invalid_grant', 'The code is unknown, used or expired; sign in again.');
          if (pending.redirectUri !== form.get('redirect_uri'))
            return oauthError('invalid_grant', 'redirect_uri differs from the one signed in with.');
          if (pkceChallenge(form.get('code_verifier') ?? '') !== pending.challenge)
            return oauthError('invalid_grant', 'The PKCE code_verifier does not match the challenge.');
          const grant = {
            username: pending.user.username,
            family: randomBytes(12).toString('base64url'),
            expires: now() + REFRESH_TOKEN_SECONDS * 1000,
          };
          return json(200, tokens(pending.user, newRefreshToken(grant)));
        }
        if (form.get('grant_type') === 'refresh_token') return refresh(form.get('refresh_token') ?? '');
        return oauthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
      }
      if (path === '/local-auth/revoke' && method === 'POST') {
        // RFC 7009: the answer is 200 whether the token was known or not.
        const form = new URLSearchParams(body);
        if (form.get('client_id') !== LOCAL_CLIENT_ID)
          return oauthError('invalid_client', `client_id must be ${LOCAL_CLIENT_ID}.`);
        const grant = grants.get(digest(form.get('token') ?? ''));
        if (grant) revokeFamily(grant.family);
        return json(200, {});
      }
      if (path === '/local-auth/logout' && method === 'GET') {
        const back = query.get('logout_uri') ?? query.get('redirect_uri') ?? '';
        return allowedRedirect(back, origins)
          ? { status: 302, body: '', location: back }
          : { status: 200, body: 'Signed out.', contentType: 'text/plain' };
      }
      return json(404, { error: `No ${method} ${path} at the local issuer.` });
    },
  };
}
