// Every answer carries the security headers; the review page's policy names exactly its own inline
// script and styles by hash (no 'unsafe-inline') and lets it fetch only itself and the issuer.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { httpApiEvent } from '../../lib/api/http-event.ts';
import { REVIEW_PAGE } from '../../lib/api/review-page/bundle.ts';
import { createRouter } from '../../lib/api/router.ts';
import { pageRoutes } from '../../lib/api/routes/sign-in-page.ts';
import type { SignInConfig } from '../../lib/config.ts';
import { createLogger } from '../../lib/log.ts';

const COGNITO: SignInConfig = {
  authorizeUrl: 'https://bakery.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
  tokenUrl: 'https://bakery.auth.eu-west-1.amazoncognito.com/oauth2/token',
  revokeUrl: 'https://revoke.example.com/oauth2/revoke',
  clientId: 'c',
  scopes: ['openid'],
  bearer: 'id_token',
};
const router = (config: SignInConfig | null) =>
  createRouter(
    pageRoutes(() => config),
    createLogger(() => {}),
  );
const get = (config: SignInConfig | null, path: string) =>
  router(config)(httpApiEvent({ method: 'GET', path })).then((answer) => ({
    status: answer.statusCode,
    headers: answer.headers as Record<string, string>,
  }));
const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const inner = (tag: string) => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(REVIEW_PAGE)![1]!;

describe('security headers', () => {
  it("the review page: its script and styles by hash, fetches to itself and the issuer's endpoints, never framed", async () => {
    const { headers } = await get(COGNITO, '/review');
    const policy = headers['content-security-policy']!;
    expect(policy.split('; ')).toEqual([
      "default-src 'none'",
      `script-src ${hashOf(inner('script'))}`,
      `style-src ${hashOf(inner('style'))}`,
      "img-src 'self' data:",
      "connect-src 'self' https://bakery.auth.eu-west-1.amazoncognito.com https://revoke.example.com",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ]);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'content-type': 'text/html; charset=utf-8',
    });
    // The local issuer's endpoints are relative: the page's own origin covers them.
    expect((await get(null, '/review')).headers['content-security-policy']).toContain("connect-src 'self'; ");
  });

  it.each([
    ['an answer', '/review/config', 200],
    ['an error', '/review/config', 404],
    ['no route', '/nowhere', 404],
  ])('JSON (%s): nothing may load, frame or cache it', async (_name, path, status) => {
    const answer = await get(status === 404 && path === '/review/config' ? null : COGNITO, path);
    expect(answer.status).toBe(status);
    expect(answer.headers).toMatchObject({
      'content-type': 'application/json',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'strict-transport-security': 'max-age=63072000; includeSubDomains',
    });
  });
});
