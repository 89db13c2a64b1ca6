// Who is calling: the verified JWT claims (API Gateway's JWT authorizer in the cloud, the local
// server's verifier locally) turned into a caller, and the rules of what a caller may touch.
import { ForbiddenError, UnauthorizedError } from '../errors.ts';

export interface Caller {
  subject: string;
  /** The tenant the caller belongs to (absent for a platform admin without a tenant). */
  tenantId?: string;
  admin: boolean;
}

/** Claim names: Cognito puts custom attributes under `custom:` and groups under `cognito:groups`. */
const TENANT_CLAIMS = ['custom:tenant_id', 'tenant_id'] as const;
export const ADMIN_GROUP = 'admin';

export function callerFromClaims(claims: Record<string, unknown> | undefined): Caller {
  if (!claims || typeof claims.sub !== 'string') throw new UnauthorizedError();
  const tenantId = TENANT_CLAIMS.map((c) => claims[c]).find((v): v is string => typeof v === 'string' && v.length > 0);
  const groups = claims['cognito:groups'];
  const groupList = Array.isArray(groups)
    ? groups
    : typeof groups === 'string'
      ? groups.replace(/^\[|\]$/g, '').split(/[ ,]+/)
      : [];
  const admin = groupList.includes(ADMIN_GROUP) || claims.role === ADMIN_GROUP;
  return { subject: claims.sub, ...(tenantId ? { tenantId } : {}), admin };
}

export function assertTenantAccess(caller: Caller, tenantId: string): void {
  if (caller.admin || caller.tenantId === tenantId) return;
  throw new ForbiddenError(
    `This token belongs to ${caller.tenantId ? `tenant "${caller.tenantId}"` : 'no tenant'} and cannot act on tenant "${tenantId}".`,
  );
}

export function assertAdmin(caller: Caller): void {
  if (!caller.admin) throw new ForbiddenError('This operation needs an admin token.');
}
