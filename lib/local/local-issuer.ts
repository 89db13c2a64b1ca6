// The local issuer of `npm run serve`: the same authorization code + PKCE sign-in as the user pool's
// hosted UI, so the review page and `planner login` run locally exactly as they do in the cloud.
// Users come from .local/users.json (created on first serve, passwords printed once); tokens are the
// local HS256 JWTs the local server verifies; refresh tokens are local JWTs of `token_use` refresh.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pkceChallenge } from '../auth/sign-in.ts';
import type { SignInConfig } from '../config.ts';
import { UnauthorizedError } from '../errors.ts';
import { signLocalToken, verifyLocalToken } from './local-token.ts';

export const LOCAL_CLIENT_ID = 'bakery-planner-local-client';
export const LOCAL_SIGN_IN: SignInConfig = {
  authorizeUrl: '/local-auth/authorize',
  tokenUrl: '/local-auth/token',
  logoutUrl: '/local-auth/logout',
  clientId: LOCAL_CLIENT_ID,
  scopes: ['openid', 'email', 'profile'],
  bearer: 'id_token',
};
const ID_TOKEN_SECONDS = 3600;
const REFRESH_TOKEN_SECONDS = 7 * 24 * 3600;
const CODE_SECONDS = 60;

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
function allowedRedirect(uri: string, origin: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.hash) return false;
  if (`${url.origin}${url.pathname}` === `${origin}/review`) return true;
  return (
    url.protocol === 'http:' &&
    (url.hostname === '127.0.0.1' || url.hostname === 'localhost') &&
    url.pathname === '/callback'
  );
}

function signInForm(params: URLSearchParams, message = ''): IssuerResponse {
  const hidden = [...params]
    .filter(([k]) => !['username', 'password'].includes(k))
    .map(([k, v]) => `<input type="hidden" name="${html(k)}" value="${html(v)}">`)
    .join('');
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in — Bakery planner (local)</title>
<style>body{font:16px/1.4 system-ui,sans-serif;background:#faf7f2;color:#2b2118;display:grid;place-items:center;min-height:100vh;margin:0}
form{background:#fff;border:1px solid #e3d9cc;border-radius:8px;padding:24px;width:min(340px,90vw)}label{display:block;margin:12px 0 4px}
input{font:inherit;width:100%;box-sizing:border-box;padding:8px;border:1px solid #c9b9a6;border-radius:4px}
button{margin-top:16px;width:100%;font:inherit;padding:10px;border:0;border-radius:4px;background:#6b3e26;color:#fff;cursor:pointer}
.error{color:#b00020}</style></head><body>
<form method="post" action="/local-auth/authorize"><h1 style="font-size:1.2em;margin:0 0 4px">Bakery planner</h1><p style="margin:0;color:#6b5a4a">Local sign-in</p>
${message ? `<p class="error" role="alert">${html(message)}</p>` : ''}${hidden}
<label for="username">User name</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form></body></html>`;
  return { status: message ? 401 : 200, body, contentType: 'text/html; charset=utf-8' };
}

export interface LocalIssuer {
  /** Answers a /local-auth/* request, or null for any other path. */
  handle(method: string, path: string, query: URLSearchParams, body: string, origin: string): IssuerResponse | null;
}

export function createLocalIssuer(users: readonly LocalUser[], key: string, now: () => number = Date.now): LocalIssuer {
  const codes = new Map<string, PendingCode>();
  const tokens = (user: LocalUser) => ({
    id_token: signLocalToken(idClaims(user), key, ID_TOKEN_SECONDS, now()),
    access_token: signLocalToken({ ...idClaims(user), token_use: 'access' }, key, ID_TOKEN_SECONDS, now()),
    refresh_token: signLocalToken({ sub: user.username, token_use: 'refresh' }, key, REFRESH_TOKEN_SECONDS, now()),
    expires_in: ID_TOKEN_SECONDS,
    token_type: 'Bearer',
  });
  const findUser = (username: string) => users.find((u) => u.username === username);

  const authorize = (params: URLSearchParams, origin: string): IssuerResponse | { params: URLSearchParams } => {
    if (params.get('client_id') !== LOCAL_CLIENT_ID)
      return oauthError('invalid_client', `client_id must be ${LOCAL_CLIENT_ID}.`);
    if (!allowedRedirect(params.get('redirect_uri') ?? '', origin))
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

  return {
    handle(method, path, query, body, origin) {
      if (!path.startsWith('/local-auth/')) return null;
      if (path === '/local-auth/authorize' && method === 'GET') {
        const checked = authorize(query, origin);
        return 'params' in checked ? signInForm(checked.params) : checked;
      }
      if (path === '/local-auth/authorize' && method === 'POST') {
        const form = new URLSearchParams(body);
        const checked = authorize(form, origin);
        if (!('params' in checked)) return checked;
        const user = findUser(form.get('username') ?? '');
        const given = Buffer.from(form.get('password') ?? '');
        const expected = Buffer.from(user?.password ?? '');
        if (!user || given.length !== expected.length || !timingSafeEqual(given, expected))
          return signInForm(form, 'Wrong user name or password.');
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
          return json(200, tokens(pending.user));
        }
        if (form.get('grant_type') === 'refresh_token') {
          let claims: Record<string, unknown>;
          try {
            claims = verifyLocalToken(form.get('refresh_token') ?? '', key, now());
          } catch (error) {
            return oauthError(
              'invalid_grant',
              error instanceof UnauthorizedError ? error.message : 'The refresh token is invalid.',
            );
          }
          const user = claims.token_use === 'refresh' ? findUser(String(claims.sub)) : undefined;
          if (!user)
            return oauthError('invalid_grant', 'The refresh token is not one, or its user is gone; sign in again.');
          const { refresh_token: _kept, ...fresh } = tokens(user);
          return json(200, fresh);
        }
        return oauthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
      }
      if (path === '/local-auth/logout' && method === 'GET') {
        const back = query.get('logout_uri') ?? query.get('redirect_uri') ?? '';
        return allowedRedirect(back, origin)
          ? { status: 302, body: '', location: back }
          : { status: 200, body: 'Signed out.', contentType: 'text/plain' };
      }
      return json(404, { error: `No ${method} ${path} at the local issuer.` });
    },
  };
}
