// The review page and where it signs in: public routes, no token.

import type { SignInConfig } from '../../config.ts';
import { PlannerError } from '../../errors.ts';
import { SignInConfigAnswer } from '../answers.ts';
import { REVIEW_PAGE } from '../review-page/bundle.ts';
import { type Route, route } from '../router.ts';
import { pagePolicy } from '../security-headers.ts';

/** The origins the page may fetch besides its own: the issuer's token and revocation endpoints. */
function issuerOrigins(config: SignInConfig | null): string[] {
  const origins = new Set<string>();
  for (const url of [config?.tokenUrl, config?.revokeUrl])
    if (url && /^https?:\/\//.test(url)) origins.add(new URL(url).origin);
  return [...origins];
}

export function pageRoutes(signIn: () => SignInConfig | null): Route[] {
  return [
    route({
      method: 'GET',
      path: '/review',
      access: 'public',
      answer: { html: true },
      summary: 'The plan review page (HTML; it asks for a token and calls the routes below).',
      handle: async () => ({
        body: REVIEW_PAGE,
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': pagePolicy(REVIEW_PAGE, { connect: issuerOrigins(signIn()) }) },
      }),
    }),
    route({
      method: 'GET',
      path: '/review/config',
      access: 'public',
      answer: { schema: SignInConfigAnswer },
      summary:
        'Where the review page and `planner login` sign in: authorization code + PKCE endpoints, client id, scopes (404 when the API has no sign-in configured).',
      handle: async () => {
        const config = signIn();
        if (!config)
          throw new PlannerError(
            'not_found',
            'This API has no sign-in configured; use a bearer token (see docs/sign-in.md).',
          );
        return { body: config };
      },
    }),
  ];
}
