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

export function signLocalToken(claims: Record<string, unknown>, key: string, ttlSeconds = 12 * 3600, now = Date.now()): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const iat = Math.floor(now / 1000);
  const payload = base64url(JSON.stringify({ iss: LOCAL_ISSUER, iat, exp: iat + ttlSeconds, ...claims }));
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Verifies signature, issuer and expiry; returns the claims or throws UnauthorizedError saying why. */
export function verifyLocalToken(token: string, key: string, now = Date.now()): Record<string, unknown> {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) throw new UnauthorizedError('The bearer token is not a JWT.');
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UnauthorizedError('The bearer token signature is invalid.');
  let claims: Record<string, unknown>;
  try {
    const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string };
    if (parsedHeader.alg !== 'HS256') throw new Error('alg');
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  } catch {
    throw new UnauthorizedError('The bearer token cannot be read.');
  }
  if (claims.iss !== LOCAL_ISSUER) throw new UnauthorizedError('The bearer token has the wrong issuer.');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) throw new UnauthorizedError('The bearer token has expired.');
  return claims;
}
