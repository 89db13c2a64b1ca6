// Sign-in with OAuth 2.0 authorization code + PKCE (RFC 7636), the same for the review page, the CLI
// and every issuer: the user pool's hosted UI in the cloud, an external OIDC provider, or the local
// issuer of `npm run serve`. GET /review/config tells a client where to go.

import { createHash, randomBytes } from 'node:crypto';
import { PlannerError } from '../errors.ts';

/** A PKCE pair: the verifier stays with the client, the S256 challenge goes to the issuer. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** The tokens an issuer's token endpoint answers with (the fields this product uses). */
export interface TokenResponse {
  id_token?: string;
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  token_type?: string;
}

export class SignInError extends PlannerError {
  constructor(message: string) {
    super('unauthenticated', message);
  }
}

/** POSTs a form to the token endpoint (authorization_code or refresh_token grant). */
export async function requestTokens(tokenUrl: string, form: Record<string, string>): Promise<TokenResponse> {
  let response: Response;
  try {
    response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  } catch (error) {
    throw new SignInError(`Cannot reach the token endpoint ${tokenUrl} (${(error as Error).message}).`);
  }
  const body = (await response.json().catch(() => ({}))) as TokenResponse & {
    error?: string;
    error_description?: string;
  };
  if (!response.ok)
    throw new SignInError(
      `The issuer refused the ${form.grant_type} grant: ${body.error ?? response.status}${body.error_description ? ` (${body.error_description})` : ''}.`,
    );
  return body;
}

/** Revokes a refresh token (RFC 7009) and every token issued from it; false when the issuer could not be reached or refused. */
export async function revokeToken(revokeUrl: string, form: { token: string; client_id: string }): Promise<boolean> {
  try {
    const response = await fetch(revokeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return response.ok;
  } catch {
    return false;
  }
}
