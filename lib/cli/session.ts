// `planner login`: the CLI signs in the way the review page does (authorization code + PKCE), with the
// code sent back to a loopback listener (http://127.0.0.1:<port>/callback, registered as a callback
// URL). The session — the bearer token, its refresh token and where to refresh — is kept in a file
// readable by its owner only, and refreshed before it expires. `--token` stays for automation.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname } from 'node:path';
import { pkcePair, requestTokens, revokeToken, SignInError, type TokenResponse } from '../auth/sign-in.ts';
import { cliConfig, type SignInConfig } from '../config.ts';

export const DEFAULT_LOGIN_PORT = 8765;

export interface StoredSession {
  api: string;
  bearer: string;
  refreshToken?: string;
  /** Epoch milliseconds after which `bearer` is no longer accepted. */
  expiresAt: number;
  tokenUrl: string;
  /** Where the refresh token is revoked at `planner logout`. */
  revokeUrl?: string;
  clientId: string;
  bearerKind: SignInConfig['bearer'];
}

export function sessionFile(): string {
  return cliConfig().sessionFile;
}

function writeSession(session: StoredSession, file = sessionFile()): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(session, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function readSession(file = sessionFile()): StoredSession | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StoredSession;
  } catch {
    return null;
  }
}

/**
 * Ends the session: its refresh token is revoked at the issuer (so a copy of it is worth nothing),
 * then the file is removed. `revoked` is false when the issuer could not be reached or has no revocation.
 */
export async function logout(file = sessionFile()): Promise<{ removed: boolean; revoked: boolean }> {
  const session = readSession(file);
  if (!existsSync(file)) return { removed: false, revoked: false };
  const revoked =
    session?.refreshToken && session.revokeUrl
      ? await revokeToken(session.revokeUrl, { token: session.refreshToken, client_id: session.clientId })
      : false;
  rmSync(file);
  return { removed: true, revoked };
}

function bearerOf(tokens: TokenResponse, kind: SignInConfig['bearer']): string {
  const bearer = kind === 'id_token' ? tokens.id_token : tokens.access_token;
  if (!bearer) throw new SignInError(`The issuer answered without an ${kind}; check the app client's scopes (openid).`);
  return bearer;
}

/** The API's sign-in settings, with the issuer's URLs made absolute (the local issuer gives them relative to the API). */
async function fetchSignInConfig(api: string): Promise<SignInConfig> {
  const base = api.replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/review/config`);
  } catch (error) {
    throw new SignInError(
      `Cannot reach ${base} (${(error as Error).message}). Is "npm run serve" running, or is --api right?`,
    );
  }
  if (!response.ok) throw new SignInError(`${base} has no sign-in configured (${response.status}); use --token.`);
  const config = (await response.json()) as SignInConfig;
  const absolute = (url: string) => new URL(url, `${base}/`).toString();
  return {
    ...config,
    authorizeUrl: absolute(config.authorizeUrl),
    tokenUrl: absolute(config.tokenUrl),
    ...(config.logoutUrl ? { logoutUrl: absolute(config.logoutUrl) } : {}),
    ...(config.revokeUrl ? { revokeUrl: absolute(config.revokeUrl) } : {}),
  };
}

/**
 * Signs in: prints the issuer's sign-in URL (`show`), waits for the browser to come back to the loopback
 * listener with the code, exchanges it with the PKCE verifier and stores the session.
 */
export async function login(options: {
  api: string;
  port?: number;
  show: (url: string) => void;
  timeoutMs?: number;
  file?: string;
}): Promise<StoredSession> {
  const config = await fetchSignInConfig(options.api);
  const port = options.port ?? DEFAULT_LOGIN_PORT;
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  const code = await new Promise<string>((resolve, reject) => {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', redirectUri);
      if (url.pathname !== '/callback') {
        response.writeHead(404).end();
        return;
      }
      const problem =
        url.searchParams.get('error') ??
        (url.searchParams.get('state') !== state ? 'state mismatch' : url.searchParams.get('code') ? null : 'no code');
      response.writeHead(problem ? 400 : 200, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(
        problem
          ? `Sign-in failed: ${problem}. Run planner login again.`
          : 'Signed in: you can close this tab and go back to the terminal.',
      );
      finish(problem ? new SignInError(`Sign-in failed: ${problem}.`) : null, url.searchParams.get('code') ?? '');
    });
    const timer = setTimeout(
      () => finish(new SignInError('Nobody signed in within the time allowed; run planner login again.'), ''),
      options.timeoutMs ?? 300_000,
    );
    function finish(error: Error | null, value: string) {
      clearTimeout(timer);
      server.close();
      if (error) reject(error);
      else resolve(value);
    }
    server.on('error', (error) =>
      finish(
        new SignInError(
          `Cannot listen on ${redirectUri} (${error.message}); pick another --port registered as a callback URL.`,
        ),
        '',
      ),
    );
    server.listen(port, '127.0.0.1', () => {
      const url = new URL(config.authorizeUrl);
      for (const [name, value] of Object.entries({
        response_type: 'code',
        client_id: config.clientId,
        redirect_uri: redirectUri,
        scope: config.scopes.join(' '),
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }))
        url.searchParams.set(name, value);
      options.show(url.toString());
    });
  });
  const tokens = await requestTokens(config.tokenUrl, {
    grant_type: 'authorization_code',
    client_id: config.clientId,
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  const session: StoredSession = {
    api: options.api,
    bearer: bearerOf(tokens, config.bearer),
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000,
    tokenUrl: config.tokenUrl,
    ...(config.revokeUrl ? { revokeUrl: config.revokeUrl } : {}),
    clientId: config.clientId,
    bearerKind: config.bearer,
  };
  writeSession(session, options.file);
  return session;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** One API however it is spelled: a trailing slash, or another name of this machine (localhost, 127.0.0.1, ::1). */
export function sameApi(a: string, b: string): boolean {
  const canonical = (api: string) => {
    try {
      const url = new URL(api);
      const host = LOOPBACK.has(url.hostname) ? 'loopback' : url.hostname;
      return `${url.protocol}//${host}:${url.port}${url.pathname.replace(/\/+$/, '')}`;
    } catch {
      return api.replace(/\/+$/, '');
    }
  };
  return canonical(a) === canonical(b);
}

/** The stored session's bearer token for `api`, refreshed when it expires within a minute; null without a session for it. */
export async function sessionBearer(api: string, file = sessionFile(), now = Date.now()): Promise<string | null> {
  const session = readSession(file);
  if (!session || !sameApi(session.api, api)) return null;
  if (session.expiresAt - 60_000 > now) return session.bearer;
  if (!session.refreshToken) throw new SignInError('The session has expired; run planner login again.');
  const tokens = await requestTokens(session.tokenUrl, {
    grant_type: 'refresh_token',
    client_id: session.clientId,
    refresh_token: session.refreshToken,
  });
  const refreshed = {
    ...session,
    // An issuer that rotates refresh tokens sends a new one: the old one is spent.
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    bearer: bearerOf(tokens, session.bearerKind),
    expiresAt: now + (tokens.expires_in ?? 3600) * 1000,
  };
  writeSession(refreshed, file);
  return refreshed.bearer;
}
