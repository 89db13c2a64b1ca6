// Who is calling: the verified JWT claims (API Gateway's JWT authorizer in the cloud, the local
// server's verifier locally) turned into a caller, and the rules of what a caller may touch.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Caller {
  subject: string;
  /** The tenant the caller belongs to (absent for a platform admin without a tenant). */
  tenantId?: string;
  admin: boolean;
}

export class UnauthorizedError extends Error {
  constructor(message = 'A valid bearer token is required.') {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** Claim names: Cognito puts custom attributes under `custom:` and groups under `cognito:groups`. */
export const TENANT_CLAIMS = ['custom:tenant_id', 'tenant_id'] as const;
export const ADMIN_GROUP = 'admin';

export function callerFromClaims(claims: Record<string, unknown> | undefined): Caller {
  if (!claims || typeof claims.sub !== 'string') throw new UnauthorizedError();
  const tenantId = TENANT_CLAIMS.map((c) => claims[c]).find((v): v is string => typeof v === 'string' && v.length > 0);
  const groups = claims['cognito:groups'];
  const groupList = Array.isArray(groups) ? groups : typeof groups === 'string' ? groups.replace(/^\[|\]$/g, '').split(/[ ,]+/) : [];
  const admin = groupList.includes(ADMIN_GROUP) || claims.role === ADMIN_GROUP;
  return { subject: claims.sub, ...(tenantId ? { tenantId } : {}), admin };
}

export function assertTenantAccess(caller: Caller, tenantId: string): void {
  if (caller.admin || caller.tenantId === tenantId) return;
  throw new ForbiddenError(`This token belongs to ${caller.tenantId ? `tenant "${caller.tenantId}"` : 'no tenant'} and cannot act on tenant "${tenantId}".`);
}

export function assertAdmin(caller: Caller): void {
  if (!caller.admin) throw new ForbiddenError('This operation needs an admin token.');
}

// ── Local tokens: HS256 JWTs signed with a local key, for the local server and the CLI ────────────

const base64url = (input: Buffer | string) => Buffer.from(input).toString('base64url');

export const LOCAL_ISSUER = 'bakery-planner-local';
/** The audience of local tokens, as API Gateway's JWT authorizer checks the user pool client's. */
export const LOCAL_AUDIENCE = 'bakery-planner-api';
/** The longest a local token may live: the same order as a user pool's refresh-backed access tokens. */
export const MAX_LOCAL_TOKEN_HOURS = 24 * 7;

export function signLocalToken(claims: Record<string, unknown>, key: string, ttlSeconds = 12 * 3600, now = Date.now()): string {
  if (!(ttlSeconds > 0 && ttlSeconds <= MAX_LOCAL_TOKEN_HOURS * 3600)) throw new RangeError(`A token lives more than 0 and at most ${MAX_LOCAL_TOKEN_HOURS} hours.`);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const iat = Math.floor(now / 1000);
  const payload = base64url(JSON.stringify({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat, nbf: iat, exp: iat + Math.floor(ttlSeconds), ...claims }));
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
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UnauthorizedError('The bearer token cannot be read.');
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
  if (parsedHeader.alg !== 'HS256' || (parsedHeader.typ !== undefined && parsedHeader.typ !== 'JWT') || parsedHeader.crit !== undefined) {
    throw new UnauthorizedError('The bearer token must be signed with HS256.');
  }
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.toString('base64url') !== signature || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UnauthorizedError('The bearer token signature is invalid.');
  }
  const claims = decodeJson(payload);
  const seconds = now / 1000;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== LOCAL_ISSUER) throw new UnauthorizedError('The bearer token has the wrong issuer.');
  if (!audiences.includes(LOCAL_AUDIENCE)) throw new UnauthorizedError('The bearer token is not meant for this API (audience).');
  if (typeof claims.exp !== 'number' || claims.exp <= seconds) throw new UnauthorizedError('The bearer token has expired.');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > seconds)) throw new UnauthorizedError('The bearer token is not valid yet.');
  if (claims.iat !== undefined && (typeof claims.iat !== 'number' || claims.iat > seconds)) throw new UnauthorizedError('The bearer token was issued in the future.');
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) throw new UnauthorizedError('The bearer token has no subject.');
  return claims;
}
