// The headers every answer of the API, the review page and the local sign-in carries: no sniffing,
// no framing, no referrer, nothing cached, and a content security policy. The API's JSON allows
// nothing at all; an HTML page allows exactly its own inline script and styles, named by hash.
import { createHash } from 'node:crypto';

const BASE: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** The policy of every answer that is not a page: nothing may load, frame it or be based on it. */
const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A CSP source naming one inline script or style by the SHA-256 of its text. */
const cspHash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const inline = (html: string, tag: 'script' | 'style') =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => cspHash(match[1]!));

/**
 * The policy of an HTML page: its inline `<script>` and `<style>` elements by hash (no `unsafe-inline`,
 * and no `style` attribute works), fetches to itself and to `connect`, forms sent to itself and to
 * `formTargets` (redirects after a form count), never framed.
 */
export function pagePolicy(html: string, options: { connect?: string[]; formTargets?: string[] } = {}): string {
  const scripts = inline(html, 'script');
  return [
    "default-src 'none'",
    ...(scripts.length ? [`script-src ${scripts.join(' ')}`] : []),
    `style-src ${inline(html, 'style').join(' ') || "'none'"}`,
    "img-src 'self' data:",
    ['connect-src', "'self'", ...(options.connect ?? [])].join(' '),
    ['form-action', "'self'", ...(options.formTargets ?? [])].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** `headers` with the security headers added; a route's own `cache-control` or policy is kept. */
export function withSecurityHeaders(headers: Record<string, string> = {}): Record<string, string> {
  return {
    ...BASE,
    'cache-control': 'no-store',
    'content-security-policy': DATA_POLICY,
    ...headers,
  };
}
