// Local tokens: HS256 JWTs signed with a local key, for the local server, its sign-in issuer and the
// CLI, verified as strictly as API Gateway's JWT authorizer verifies the user pool's in the cloud.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cliConfig } from '../config.ts';
import { UnauthorizedError } from '../errors.ts';

const base64url = (input: Buffer | string) => Buffer.from(input).toString('base64url');

export const LOCAL_ISSUER = 'bakery-planner-local';
/** The audience of local tokens, as API Gateway's JWT authorizer checks the user pool client's. */
export const LOCAL_AUDIENCE = 'bakery-planner-api';
/** The longest a local token may live: the same order as a user pool's refresh-backed access tokens. */
export const MAX_LOCAL_TOKEN_HOURS = 24 * 7;

export function signLocalToken(
  claims: Record<string, unknown>,
  key: string,
  ttlSeconds = 12 * 3600,
  now = Date.now(),
): string {
  if (!(ttlSeconds > 0 && ttlSeconds <= MAX_LOCAL_TOKEN_HOURS * 3600))
    throw new RangeError(`A token lives more than 0 and at most ${MAX_LOCAL_TOKEN_HOURS} hours.`);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const iat = Math.floor(now / 1000);
  const payload = base64url(
    JSON.stringify({
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      iat,
      nbf: iat,
      exp: iat + Math.floor(ttlSeconds),
      ...claims,
    }),
  );
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

function decodeJson(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new UnauthorizedError('The bearer token cannot be read.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new UnauthorizedError('The bearer token cannot be read.');
  return value as Record<string, unknown>;
}

/**
 * Verifies a local token as strictly as API Gateway's JWT authorizer: a compact JWS of exactly three
 * base64url segments, `alg` HS256 (nothing else, never `none`), a valid signature, and the issuer,
 * audience, expiry, not-before and issued-at claims. Returns the claims or throws UnauthorizedError saying why.
 */
export function verifyLocalToken(token: string, key: string, now = Date.now()): Record<string, unknown> {
  const segments = token.split('.');
  if (token.length > 8192 || segments.length !== 3 || !segments.every((s) => SEGMENT.test(s))) {
    throw new UnauthorizedError('The bearer token is not a JWT (three base64url segments separated by dots).');
  }
  const [header, payload, signature] = segments as [string, string, string];
  const parsedHeader = decodeJson(header);
  if (
    parsedHeader.alg !== 'HS256' ||
    (parsedHeader.typ !== undefined && parsedHeader.typ !== 'JWT') ||
    parsedHeader.crit !== undefined
  ) {
    throw new UnauthorizedError('The bearer token must be signed with HS256.');
  }
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (
    given.toString('base64url') !== signature ||
    given.length !== expected.length ||
    !timingSafeEqual(given, expected)
  ) {
    throw new UnauthorizedError('The bearer token signature is invalid.');
  }
  const claims = decodeJson(payload);
  const seconds = now / 1000;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== LOCAL_ISSUER) throw new UnauthorizedError('The bearer token has the wrong issuer.');
  if (!audiences.includes(LOCAL_AUDIENCE))
    throw new UnauthorizedError('The bearer token is not meant for this API (audience).');
  if (typeof claims.exp !== 'number' || claims.exp <= seconds)
    throw new UnauthorizedError('The bearer token has expired.');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > seconds))
    throw new UnauthorizedError('The bearer token is not valid yet.');
  if (claims.iat !== undefined && (typeof claims.iat !== 'number' || claims.iat > seconds))
    throw new UnauthorizedError('The bearer token was issued in the future.');
  if (typeof claims.sub !== 'string' || claims.sub.length === 0)
    throw new UnauthorizedError('The bearer token has no subject.');
  return claims;
}

const DEFAULT_KEY_FILE = '.local/jwt-key';

/** The local signing key: PLANNER_LOCAL_KEY, else a key file created on first use. */
export function localSigningKey(keyFile = DEFAULT_KEY_FILE): string {
  const configured = cliConfig().localKey;
  if (configured) return configured;
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(keyFile, 'utf8').trim();
}

export function mintLocalToken(options: {
  tenant?: string;
  admin?: boolean;
  subject?: string;
  hours?: number;
}): string {
  const claims: Record<string, unknown> = {
    sub: options.subject ?? (options.admin ? 'local-admin' : `local-operator-${options.tenant}`),
  };
  if (options.tenant) claims['custom:tenant_id'] = options.tenant;
  if (options.admin) claims['cognito:groups'] = ['admin'];
  return signLocalToken(claims, localSigningKey(), (options.hours ?? 12) * 3600);
}
