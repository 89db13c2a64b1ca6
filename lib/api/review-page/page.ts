// The review page's script, run in the browser (bundled into the page by scripts/build-review-page.ts).
// It signs in with the API's issuer (authorization code + PKCE), reads GET /tenants/{id}/morning and
// draws it; approving or rejecting calls the same route as the CLI. Every value from the API is
// escaped before it becomes HTML.
import type { Morning } from '../../app/morning.ts';
import type { SignInConfig } from '../../config.ts';
import type { EventDetailType } from '../../events/catalogue.ts';
import { moneyFormatter } from '../../money.ts';
import type { DailyActual } from '../../planning/actuals.ts';
import type { PlanQuality } from '../../planning/plan-quality.ts';
import type { PrepTask } from '../../planning/prep-sheet.ts';
import type { PurchaseOrder } from '../../planning/purchase-orders.ts';
import type { WebhookEndpointView } from '../../webhooks/endpoint.ts';
import { fill, type Message } from '../../words/message.ts';
import { type Translate, translator } from '../../words/words.ts';

type Plan = NonNullable<Morning['procurement']>;
type Schedule = NonNullable<Morning['production']>;
type Chart = Morning['charts'][number];
type Claims = Record<string, unknown>;

interface TokenAnswer {
  id_token?: string;
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

interface Session {
  bearer: string;
  refresh?: string;
  expiresAt: number;
}

interface Formatters {
  money(amount: number): string;
  number(value: number): string;
  /** Pieces, counted whole. */
  units(value: number): string;
  day(date: string): string;
  moment(instant: string): string;
}

/** An element the page's markup always has (page.html). */
function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no #${id}.`);
  return element as T;
}
/** An element that is there only in some states (the decision bar, its feedback). */
const maybe = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T | null;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
const store = sessionStorage;
let config: SignInConfig | null = null;
let morning: Morning | null = null;
let fmt: Formatters;
/** The words of the bakery's language (before sign-in: the browser's). */
let _: Translate = translator(navigator.language);
const statusWord = (status: string) => _(status.replace('_', ' '));

function readJson<T>(key: string): T | null {
  return JSON.parse(store.getItem(key) ?? 'null') as T | null;
}

// ── Sign-in: authorization code + PKCE ───────────────────────────────────────────────────────────
const b64url = (bytes: ArrayBuffer | Uint8Array) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const redirectUri = () => location.origin + location.pathname;

function claims(token: string): Claims {
  try {
    const payload = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Claims;
  } catch {
    return {};
  }
}

function signInConfig(): SignInConfig {
  if (!config) throw new Error('This API has no sign-in configured.');
  return config;
}

async function startSignIn(): Promise<void> {
  const issuer = signInConfig();
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  store.setItem('pkce', JSON.stringify({ verifier, state }));
  const url = new URL(issuer.authorizeUrl, location.href);
  const params = {
    response_type: 'code',
    client_id: issuer.clientId,
    redirect_uri: redirectUri(),
    scope: issuer.scopes.join(' '),
    state,
    code_challenge: b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
    code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  location.assign(url.toString());
}

async function tokenRequest(form: Record<string, string>): Promise<TokenAnswer> {
  const response = await fetch(new URL(signInConfig().tokenUrl, location.href), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json().catch(() => ({}))) as TokenAnswer;
  if (!response.ok) throw new Error(`Sign-in failed: ${body.error_description || body.error || response.status}`);
  return body;
}

function keepTokens(tokens: TokenAnswer): void {
  const bearer = signInConfig().bearer === 'access_token' ? tokens.access_token : tokens.id_token;
  if (!bearer) throw new Error('Sign-in failed: the issuer sent no token.');
  const refresh = tokens.refresh_token || readJson<Session>('session')?.refresh;
  const session: Session = {
    bearer,
    ...(refresh ? { refresh } : {}),
    expiresAt: Date.now() + (tokens.expires_in || 3600) * 1000,
  };
  store.setItem('session', JSON.stringify(session));
}

async function finishSignIn(params: URLSearchParams): Promise<void> {
  const pending = readJson<{ verifier: string; state: string }>('pkce');
  store.removeItem('pkce');
  history.replaceState(null, '', location.pathname);
  if (params.get('error')) throw new Error(`Sign-in failed: ${params.get('error_description') || params.get('error')}`);
  if (!pending || params.get('state') !== pending.state)
    throw new Error("Sign-in failed: the answer does not match this browser's request; sign in again.");
  keepTokens(
    await tokenRequest({
      grant_type: 'authorization_code',
      client_id: signInConfig().clientId,
      code: params.get('code') ?? '',
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  );
}

// One refresh at a time: the issuer rotates refresh tokens, so parallel requests share the first one's.
let refreshing: Promise<void> | null = null;

async function bearer(): Promise<string> {
  const session = readJson<Session>('session');
  if (!session) throw new Error('Not signed in.');
  if (session.expiresAt - 60000 > Date.now() || !session.refresh || !config) return session.bearer;
  const form = { grant_type: 'refresh_token', client_id: config.clientId, refresh_token: session.refresh };
  refreshing ??= tokenRequest(form)
    .then(keepTokens)
    .finally(() => {
      refreshing = null;
    });
  await refreshing;
  return readJson<Session>('session')?.bearer ?? '';
}

async function signOut(): Promise<void> {
  const refresh = readJson<Session>('session')?.refresh;
  store.clear();
  // The refresh token dies with the session: a copy of it is worth nothing after sign-out.
  if (refresh && config?.revokeUrl)
    await fetch(new URL(config.revokeUrl, location.href), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refresh, client_id: config.clientId }),
    }).catch(() => undefined);
  if (config?.logoutUrl) {
    const url = new URL(config.logoutUrl, location.href);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('logout_uri', redirectUri());
    location.assign(url.toString());
  } else location.reload();
}

// ── API ──────────────────────────────────────────────────────────────────────────────────────────
async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${await bearer()}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const data = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (response.status === 401) {
    store.removeItem('session');
    showSignIn(_('Your session has ended; sign in again.'));
    throw new Error('Signed out.');
  }
  // Someone else changed the plan since it was drawn: said in the bakery's words (the API speaks English).
  if (response.status === 409 && 'currentRevision' in data)
    throw new PlanChangedError(
      _('This plan changed meanwhile (someone else acted on it); it is shown again as it is now.'),
    );
  if (!response.ok) throw new Error(data.error || `Error ${response.status}`);
  return data;
}

class PlanChangedError extends Error {}

/** A change that did not happen: the plan drawn again when someone else changed it, then why, in the feedback line. */
async function refused(error: unknown, say: (text: string, ok: boolean) => void): Promise<void> {
  if (error instanceof PlanChangedError) await load().catch(() => undefined);
  say((error as Error).message, false);
}
const tenantPath = () => `/tenants/${encodeURIComponent($<HTMLSelectElement>('tenant').value)}`;

// ── Rendering ────────────────────────────────────────────────────────────────────────────────────
function formatters(t: Morning['tenant']): Formatters {
  const money = moneyFormatter(t.currency, t.locale);
  const number = new Intl.NumberFormat(t.locale, { maximumFractionDigits: 2 });
  const units = new Intl.NumberFormat(t.locale, { maximumFractionDigits: 0 });
  const day = new Intl.DateTimeFormat(t.locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  const moment = new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: t.timezone });
  return {
    money,
    number: (n) => number.format(n),
    units: (n) => units.format(n),
    day: (d) => day.format(new Date(`${d}T00:00:00Z`)),
    moment: (i) => moment.format(new Date(i)),
  };
}
const badge = (priority: string, reason: string) =>
  `<span class="badge ${esc(priority)}" title="${esc(reason)}">${esc(_(priority))}</span>`;
/** A reason as a person reads it: its ISO dates in the bakery's words ("Sat, 28 Nov"). */
const words = (text: string) => text.replace(/\b\d{4}-\d\d-\d\d\b/g, (date) => fmt.day(date));
/**
 * A sentence of the planner in the bakery's language: its template translated, its numbers in the
 * locale, its dates as days. A plan made before sentences were kept as messages reads in English.
 */
const said = (message: Message | undefined, english: string) =>
  message
    ? fill(
        message.text,
        message.values,
        (text) => _(text),
        (value) => (typeof value === 'number' ? fmt.number(value) : words(value)),
      )
    : words(english);
const td = (label: string, html: string | number, cls?: string) =>
  `<td data-label="${esc(_(label))}"${cls ? ` class="${cls}"` : ''}><span>${html}</span></td>`;

/** An empty morning says why, and offers to plan today when that is the fix. */
function emptyHtml(m: Morning): string {
  if (!m.empty) return '';
  return (
    `<p class="muted">${esc(said(m.empty.message, m.empty.reason))}</p>` +
    (m.empty.catchUp
      ? `<p class="actions"><button class="primary" id="planNow" type="button">${_('Plan today now')}</button></p><p class="feedback" id="planNowFeedback" role="status"></p>`
      : '')
  );
}

function productionHtml(m: Morning): string {
  const p = m.production;
  if (!p)
    return `<section aria-labelledby="bakes"><h2 id="bakes">${_("Today's bakes")}</h2><p>${_('No production schedule for this day.')}</p>${emptyHtml(m)}</section>`;
  const lanes = new Map<string, Schedule['batches']>();
  for (const b of [...p.batches].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.sequence - b.sequence)) {
    const lane = b.equipmentId ? p.equipmentNames[b.equipmentId] || b.equipmentId : _('Bench');
    lanes.set(lane, [...(lanes.get(lane) ?? []), b]);
  }
  const units = p.batches.reduce((t, b) => t + b.quantity, 0);
  let html =
    `<section aria-labelledby="bakes"><h2 id="bakes">${_("Today's bakes")} <span class="status">· ${esc(statusWord(p.status))}</span></h2>` +
    `<p class="muted">${_('{batches} batches, {units} units', { batches: p.batches.length, units: fmt.number(units) })}${p.catchUp ? _(' · planned by a catch-up') : ''}</p>` +
    `<p class="noprint bar"><button id="prepButton" type="button">${_('Prep sheet')}</button>` +
    (p.planDate <= m.today ? `<button id="actualsButton" type="button">${_('What sold')}</button>` : '') +
    `<button id="qualityButton" type="button">${_('Plan quality')}</button></p>`;
  for (const [lane, batches] of lanes) {
    html +=
      `<div class="lane"><h3>${esc(lane)}</h3><table><thead><tr><th>${_('Start')}</th><th>${_('Product')}</th><th class="num">${_('Units')}</th><th class="num wide">${_('Minutes')}</th><th class="wide">${_('Batch')}</th></tr></thead><tbody>` +
      batches
        .map(
          (b) =>
            `<tr>${td('Start', esc(b.startsAt))}${td('Product', esc(p.productNames[b.productId] || b.productId))}${td('Units', fmt.number(b.quantity), 'num')}` +
            `${td('Minutes', b.minutes, 'num wide')}${td('Batch', `<details><summary>${esc(b.batchNumber)}</summary><span class="muted">${esc(said(b.reasoningMessage, b.reasoning))}</span></details>`, 'wide')}</tr>`,
        )
        .join('') +
      '</tbody></table></div>';
  }
  if (p.shortfalls.length)
    html += `<p class="critical">${_('Not placed')}: ${p.shortfalls.map((s) => `${esc(p.productNames[s.productId] || s.productId)} ${fmt.number(s.units)} (${esc(said(s.message, s.reason))})`).join('; ')}</p>`;
  return `${html}</section>`;
}

function procurementHtml(m: Morning): string {
  const plan = m.procurement;
  if (!plan)
    return `<section aria-labelledby="orders"><h2 id="orders">${_('Orders')}</h2><p>${_('No procurement plan for this day.')}</p>${m.production ? emptyHtml(m) : ''}</section>`;
  const count = (priority: string) => plan.requirements.filter((r) => r.priority === priority).length;
  // Still to decide: the quantities can be changed (a new version, the changes recorded with it), and
  // the lines approved a supplier or a line at a time.
  const editable = plan.actions.includes('approved');
  const signedOff = new Map((plan.approvedLines ?? []).map((a) => [a.ingredientId, a]));
  let html =
    `<section aria-labelledby="orders"><h2 id="orders">${_('Orders')} · ${esc(plan.planId)} <span class="status" id="planStatus">${esc(statusWord(plan.status))}</span></h2>` +
    `<div class="summary"><div>${_('Total')}<strong>${fmt.money(plan.totalCost)}</strong></div><div>${_('Suppliers')}<strong>${plan.bySupplier.length}</strong></div>` +
    `<div>${_('Critical')}<strong class="critical">${count('critical')}</strong></div><div>${_('Order today')}<strong class="high">${count('high')}</strong></div>` +
    `<div>${_('Review by')}<strong>${esc(m.tenant.reviewDeadline)}</strong></div></div>`;
  if (m.procurementVersions.length > 1) {
    html += `<p class="muted">${_('Versions')}: ${m.procurementVersions.map((v) => `v${v.version} ${esc(statusWord(v.status))}`).join(' · ')}${plan.supersedes ? ` — ${esc(_('this one supersedes {plan}', { plan: plan.supersedes }))}` : ''}</p>`;
  }
  for (const group of plan.bySupplier) {
    html +=
      `<h3>${esc(group.supplierName)} — ${fmt.money(group.totalCost)}${supplierApproval(group, signedOff, editable)}</h3><table class="stack"><thead><tr>` +
      ['Priority', 'Ingredient', 'Order by', 'Need by'].map((h) => `<th>${_(h)}</th>`).join('') +
      ['On hand', 'On order', 'Needed', 'Cover', 'Quantity', 'Unit price', 'Cost']
        .map((h) => `<th class="num">${_(h)}</th>`)
        .join('') +
      `<th>${_('Why')}</th><th>${_('Approved')}</th></tr></thead><tbody>` +
      group.lines
        .map(
          (r) =>
            `<tr>${td('Priority', badge(r.priority, said(r.priorityMessage, r.priorityReason)))}${td('Ingredient', esc(r.ingredientName))}${td('Order by', esc(fmt.day(r.orderDate)))}` +
            `${td('Need by', esc(fmt.day(r.needDate)))}${td('On hand', `${fmt.number(r.availableStock)} ${esc(r.unit)}`, 'num')}` +
            `${td('On order', `${fmt.number(r.onOrder)} ${esc(r.unit)}`, 'num')}${td('Needed', `${fmt.number(r.grossQuantity)} ${esc(r.unit)}`, 'num')}` +
            `${td('Cover', `${fmt.number(r.daysOfCover)} d`, 'num')}` +
            `${td('Quantity', editable ? `<input class="qty" type="number" min="0" step="any" inputmode="decimal" data-edit="${esc(r.ingredientId)}" data-was="${r.orderQuantity}" value="${r.orderQuantity}" aria-label="${esc(r.ingredientName)} (${esc(r.unit)})"> ${esc(r.unit)}` : `${fmt.number(r.orderQuantity)} ${esc(r.unit)}`, 'num')}${td('Unit price', fmt.money(r.unitPrice), 'num')}` +
            `${td('Cost', fmt.money(r.estimatedCost), 'num')}${td('Why', esc(said(r.priorityMessage, r.priorityReason)) + (r.adjustments.length ? `<br><span class="muted">${r.adjustments.map((a) => esc(said(a.message, a.reason))).join('; ')}</span>` : ''), 'why')}` +
            `${td('Approved', lineApproval(r, signedOff, editable))}</tr>`,
        )
        .join('') +
      `</tbody><tfoot><tr><td colspan="10">${esc(_('{supplier} total', { supplier: group.supplierName }))}</td><td class="num">${fmt.money(group.totalCost)}</td><td></td><td></td></tr></tfoot></table>`;
  }
  html += actionsHtml(plan);
  html += `<h3>${_('History')}</h3><ul>${plan.history
    .map(
      (h) =>
        `<li><time datetime="${esc(h.at)}">${esc(fmt.moment(h.at))}</time> · ${esc(h.by)}: ${esc(h.from ? statusWord(h.from) : _('new'))} → ${esc(statusWord(h.to))}${h.reason ? ` (${esc(_(h.reason))})` : ''}</li>`,
    )
    .join('')}</ul>`;
  return `${html}</section>`;
}

type Line = NonNullable<Morning['procurement']>['bySupplier'][number]['lines'][number];
type SignedOff = ReadonlyMap<string, { by: string; at: string }>;

/** A supplier's lines approved at once, while some of them wait; or that they all are. */
function supplierApproval(
  group: NonNullable<Morning['procurement']>['bySupplier'][number],
  signedOff: SignedOff,
  editable: boolean,
): string {
  const ordering = group.lines.filter((l) => l.orderQuantity > 0);
  if (!ordering.length) return '';
  const waiting = ordering.filter((l) => !signedOff.has(l.ingredientId));
  if (!waiting.length) return ` <span class="approved">✓ ${esc(_('approved'))}</span>`;
  return editable && group.supplierId
    ? ` <button class="approveLines" type="button" data-approve-supplier="${esc(group.supplierId)}">${esc(_('Approve {supplier}', { supplier: group.supplierName }))}</button>`
    : '';
}

/** Who approved a line, or a button to approve it alone while the plan waits. */
function lineApproval(line: Line, signedOff: SignedOff, editable: boolean): string {
  const approval = signedOff.get(line.ingredientId);
  if (approval) return `<span class="approved" title="${esc(fmt.moment(approval.at))}">✓ ${esc(approval.by)}</span>`;
  return editable && line.orderQuantity > 0
    ? `<button class="approveLines" type="button" data-approve-line="${esc(line.ingredientId)}" aria-label="${esc(_('Approve {ingredient}', { ingredient: line.ingredientName }))}">${esc(_('Approve'))}</button>`
    : '';
}

/** What a person can do with the plan now, in the words of the bakery's morning. */
const LIFE_ACTIONS: readonly { status: Plan['status']; id: string; label: string }[] = [
  { status: 'in_execution', id: 'ordered', label: 'Mark orders sent' },
  { status: 'completed', id: 'received', label: 'Mark goods received' },
];

function actionsHtml(plan: Plan): string {
  const can = (status: Plan['status']) => plan.actions.includes(status);
  const life = LIFE_ACTIONS.filter((a) => can(a.status));
  if (!can('approved') && !can('rejected') && life.length === 0 && !can('cancelled'))
    return `<p class="muted" id="noActions">${esc(_('This plan is {status}: nothing to decide.', { status: statusWord(plan.status) }))}</p>`;
  return (
    `<div class="actions" aria-labelledby="decide"><h3 id="decide">${_('Decide')}</h3>` +
    `<div class="bar">${can('approved') ? `<button class="primary" id="approve" type="button">${esc(_('Approve {amount}', { amount: fmt.money(plan.totalCost) }))}</button>` : ''}` +
    life.map((a) => `<button class="primary" id="${a.id}" type="button">${_(a.label)}</button>`).join('') +
    (can('cancelled') && plan.status !== 'draft' && plan.status !== 'pending_approval'
      ? `<button id="cancel" type="button">${_('Cancel plan…')}</button>`
      : '') +
    (plan.status === 'approved' || plan.status === 'in_execution'
      ? `<button id="poButton" type="button">${_('Purchase orders')}</button>`
      : '') +
    '</div>' +
    (can('approved')
      ? `<div class="bar"><button id="saveQuantities" type="button" disabled>${_('Save changed quantities')}</button>` +
        `<span class="muted">${_('Changed quantities make a new version of the plan, to approve in its turn.')}</span></div>`
      : '') +
    (can('rejected')
      ? `<div class="bar"><label for="reason">${_('Reason to reject')}</label>` +
        `<input id="reason" list="reasons" placeholder="${esc(_('e.g. stale data: stock count is from last week'))}">` +
        '<datalist id="reasons"><option value="stale data: sales or stock are out of date"><option value="prices changed"><option value="wrong supplier"></datalist>' +
        `<button id="reject" type="button">${_('Reject')}</button></div><p class="muted">${_('A reason that says the data is stale (stale, outdated, datos antiguos…) rebuilds the plan by itself.')}</p>`
      : '') +
    (life.length
      ? `<p class="muted">${_('Orders sent: the order lines count as on order from tomorrow. Goods received: they become stock, dated by shelf life.')}</p>`
      : '') +
    '<p class="feedback" id="feedback" role="status" aria-live="polite"></p></div>'
  );
}

/**
 * The phone's decision bar, kept in view at the bottom of the screen: the total, what is critical and
 * what must be ordered today, and the one or two moves the plan allows now.
 */
function decisionBarHtml(plan: Plan): string {
  const can = (status: Plan['status']) => plan.actions.includes(status);
  const count = (priority: string) => plan.requirements.filter((r) => r.priority === priority).length;
  const next = LIFE_ACTIONS.find((a) => can(a.status));
  const ordering = plan.requirements.filter((r) => r.orderQuantity > 0).length;
  const signed = plan.approvedLines?.length ?? 0;
  const buttons =
    (can('approved') ? `<button class="primary" data-go="approve" type="button">${_('Approve')}</button>` : '') +
    (can('rejected') ? `<button data-go="reason" type="button">${_('Reject…')}</button>` : '') +
    (next ? `<button class="primary" data-go="${next.id}" type="button">${_(next.label)}</button>` : '');
  if (!buttons) return '';
  return (
    `<div class="decision" id="decisionBar" role="region" aria-label="${_('Decision')}">` +
    `<span><strong>${fmt.money(plan.totalCost)}</strong> · <span class="critical">${_('{n} critical', { n: count('critical') })}</span> · ` +
    `<span class="high">${_('{n} order today', { n: count('high') })}</span> · ${esc(statusWord(plan.status))}${
      signed && can('approved') ? ` · ${esc(_('{k} of {n} lines approved', { k: signed, n: ordering }))}` : ''
    }</span>` +
    `<span class="bar">${buttons}</span></div>`
  );
}

/** A round step for about three gridlines up to `top`: 1, 2 or 5 times a power of ten. */
function tickStep(top: number): number {
  const raw = Math.max(top / 3, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw)!;
}

function chartSvg(c: Chart): string {
  const [W, H, L, B, T] = [300, 130, 34, 18, 8];
  const points = [...c.sales.map((s) => s.units ?? 0), ...c.forecast.map((f) => f.p90)];
  const max = Math.max(1, ...points) * 1.1;
  const n = c.sales.length + c.forecast.length;
  const x = (i: number) => L + (i * (W - L - 4)) / Math.max(1, n - 1);
  const y = (v: number) => T + (H - B - T) * (1 - v / max);
  let salesPath = '';
  c.sales.forEach((s, i) => {
    if (s.units === null) return;
    const joined = i > 0 && c.sales[i - 1]?.units !== null;
    salesPath += `${joined ? 'L' : 'M'}${x(i).toFixed(1)} ${y(s.units).toFixed(1)}`;
  });
  const f0 = c.sales.length;
  const band = c.forecast
    .map((f, i) => `${x(f0 + i).toFixed(1)},${y(f.p90).toFixed(1)}`)
    .concat(
      c.forecast
        .slice()
        .reverse()
        .map((f, i) => `${x(f0 + c.forecast.length - 1 - i).toFixed(1)},${y(f.p10).toFixed(1)}`),
    )
    .join(' ');
  const median = c.forecast.map((f, i) => `${i ? 'L' : 'M'}${x(f0 + i).toFixed(1)} ${y(f.p50).toFixed(1)}`).join('');
  const next = c.forecast[0];
  // People count pieces: whole units, never "123,11 baguettes".
  const u = fmt.units;
  const label = `${c.name}: last ${c.sales.length} days of sales, then the forecast${next ? `; today ${u(next.p50)} units (p10 ${u(next.p10)} – p90 ${u(next.p90)})` : ''}`;
  const first = c.sales[0];
  const step = tickStep(max / 1.1);
  const ticks = Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step).filter((v) => v <= max);
  const text = (tx: number, ty: number, content: string, anchor = 'start') =>
    `<text x="${tx.toFixed(1)}" y="${ty.toFixed(1)}" font-size="11" text-anchor="${anchor}" fill="#5a4a3c">${content}</text>`;
  return (
    `<figure><figcaption>${esc(c.name)}${next ? ` <span class="muted">${esc(_('today {n}', { n: u(next.p50) }))} (${u(next.p10)}–${u(next.p90)})</span>` : ''}</figcaption>` +
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title>` +
    ticks
      .map(
        (v) =>
          `<line x1="${L}" x2="${W}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${v ? '#eee5da' : '#c9b9a6'}"/>` +
          text(L - 4, y(v) + 4, u(v), 'end'),
      )
      .join('') +
    `<line x1="${x(f0).toFixed(1)}" x2="${x(f0).toFixed(1)}" y1="${T}" y2="${y(0)}" stroke="#c9b9a6" stroke-dasharray="3 3"/>` +
    (band ? `<polygon points="${band}" fill="#e0a458" fill-opacity=".35"><title>p10–p90</title></polygon>` : '') +
    `<path d="${salesPath}" fill="none" stroke="#6b3e26" stroke-width="1.6"/>` +
    (median ? `<path d="${median}" fill="none" stroke="#b35c00" stroke-width="2" stroke-dasharray="4 2"/>` : '') +
    (first ? text(x(0), H - 4, esc(fmt.day(first.date))) : '') +
    text(x(f0), H - 4, esc(_('today')), 'middle') +
    '</svg></figure>'
  );
}

/** The page's fixed words (page.html's `data-t` elements) and its title in the current language. */
function translateStatic(lang: string): void {
  document.documentElement.lang = lang;
  document.title = _('Bakery planner — morning review');
  for (const element of document.querySelectorAll<HTMLElement>('[data-t]')) element.textContent = _(element.dataset.t!);
}

function render(m: Morning): void {
  morning = m;
  fmt = formatters(m.tenant);
  _ = translator(m.tenant.locale);
  translateStatic(m.tenant.locale);
  $('title').textContent = `${m.tenant.name} · ${fmt.day(m.date)}`;
  $('morning').innerHTML =
    productionHtml(m) +
    procurementHtml(m) +
    `<section aria-labelledby="charts"><h2 id="charts">${_('Sales and forecast')}</h2><p class="muted">${_('Brown: units sold each day (gaps: closed). Orange: the forecast, with the band where 8 days in 10 should fall (p10–p90).')}</p>` +
    `<div class="charts">${m.charts.map(chartSvg).join('')}</div></section>` +
    '<div id="connectionsBox"></div>' +
    (m.procurement ? decisionBarHtml(m.procurement) : '');
  $('morning').hidden = false;
  const on = (id: string, act: () => void) => {
    const button = maybe(id);
    if (button) button.onclick = act;
  };
  on('planNow', () => void planToday());
  const save = maybe<HTMLButtonElement>('saveQuantities');
  for (const input of document.querySelectorAll<HTMLInputElement>('input[data-edit]'))
    input.oninput = () => {
      if (save) save.disabled = changedQuantities() === null || changedQuantities()!.length === 0;
    };
  on('saveQuantities', () => void saveQuantities());
  on('prepButton', () => void showPrepSheet().catch((error: Error) => alert(error.message)));
  on('actualsButton', () => void showActuals().catch((error: Error) => alert(error.message)));
  on('qualityButton', () => void showQuality().catch((error: Error) => alert(error.message)));
  on('poButton', () => void showPurchaseOrders().catch((error: Error) => alert(error.message)));
  on('approve', () => decide('approved'));
  for (const button of document.querySelectorAll<HTMLButtonElement>('button.approveLines'))
    button.onclick = () =>
      void approveLines(
        button.dataset.approveSupplier
          ? { supplierIds: [button.dataset.approveSupplier] }
          : { ingredientIds: [button.dataset.approveLine!] },
      );
  on('reject', () => decide('rejected'));
  on('ordered', () => decide('in_execution'));
  on('received', () => decide('completed'));
  on('cancel', () => {
    const button = $<HTMLButtonElement>('cancel');
    // Two steps: a cancelled plan cannot come back.
    if (button.dataset.armed) return void decide('cancelled');
    button.dataset.armed = 'yes';
    button.textContent = _('Confirm: cancel this plan');
  });
  // The bar's buttons do what the same buttons in the plan do; Reject… goes to the reason first.
  for (const button of document.querySelectorAll<HTMLButtonElement>('#decisionBar [data-go]'))
    button.onclick = () => {
      const target = maybe(button.dataset.go ?? '');
      if (target instanceof HTMLInputElement) {
        target.scrollIntoView({ block: 'center' });
        target.focus();
      } else target?.click();
    };
}

/** The event types a bakery's systems usually want (docs/webhooks.md lists them all). */
const HOOK_TYPES: readonly EventDetailType[] = [
  'procurement.plan.status_changed',
  'procurement.plan.generated',
  'production.schedule.generated',
  'plan.escalation.unapproved',
  'webhook.endpoint.disabled',
];

function connectionsHtml(endpoints: readonly WebhookEndpointView[], secret?: string): string {
  const state = (e: WebhookEndpointView) =>
    e.enabled
      ? e.failingSince
        ? `<span class="high">${esc(_('failing since {moment}', { moment: fmt.moment(e.failingSince) }))}</span>`
        : esc(_('receiving'))
      : `<span class="critical">${esc(_('stopped: {reason}', { reason: e.disabled?.reason ?? '' }))}</span> <button type="button" data-enable="${esc(e.endpointId)}">${_('Enable again')}</button>`;
  const rows = endpoints
    .map(
      (e) =>
        `<tr>${td('Address', esc(e.url))}${td('Events', esc(e.eventTypes.join(', ')))}${td('State', state(e))}</tr>`,
    )
    .join('');
  return (
    `<section aria-labelledby="connections"><h2 id="connections">${_('Connections')}</h2>` +
    `<p class="muted">${_('Your other systems (an ERP, a POS, a chat) can receive plan events at an https address, signed (Standard Webhooks).')}</p>` +
    (endpoints.length
      ? `<table class="stack"><thead><tr><th>${_('Address')}</th><th>${_('Events')}</th><th>${_('State')}</th></tr></thead><tbody>${rows}</tbody></table>`
      : `<p>${_('No connections yet.')}</p>`) +
    (secret
      ? `<p class="feedback ok" role="status">${_('Connected. Its signing secret, shown this once:')} <code id="hookSecret">${esc(secret)}</code></p>`
      : '') +
    `<form id="hookForm" class="actions"><div class="bar"><label for="hookUrl">${_('Address')}</label><input id="hookUrl" type="url" required placeholder="https://erp.example.com/hooks"></div>` +
    `<fieldset class="bar"><legend>${_('Events')}</legend>${HOOK_TYPES.map((t, i) => `<label><input type="checkbox" name="hookType" value="${t}"${i === 0 ? ' checked' : ''}> ${t}</label>`).join('')}</fieldset>` +
    `<div class="bar"><button type="submit">${_('Connect')}</button></div><p class="feedback" id="hookFeedback" role="status"></p></form></section>`
  );
}

/** The tenant's webhook endpoints below the morning: their state, enable a stopped one, connect another. */
async function loadConnections(secret?: string): Promise<void> {
  const box = maybe('connectionsBox');
  if (!box) return;
  const { endpoints } = await api<{ endpoints: WebhookEndpointView[] }>('GET', `${tenantPath()}/webhooks`);
  box.innerHTML = connectionsHtml(endpoints, secret);
  for (const button of box.querySelectorAll<HTMLButtonElement>('[data-enable]'))
    button.onclick = async () => {
      button.disabled = true;
      await api('PUT', `${tenantPath()}/webhooks/${button.dataset.enable}`, { enabled: true });
      await loadConnections();
    };
  $<HTMLFormElement>('hookForm').onsubmit = async (event) => {
    event.preventDefault();
    const eventTypes = [...box.querySelectorAll<HTMLInputElement>('input[name=hookType]:checked')].map((c) => c.value);
    try {
      const created = await api<{ secret: string }>('POST', `${tenantPath()}/webhooks`, {
        url: $<HTMLInputElement>('hookUrl').value.trim(),
        eventTypes,
      });
      await loadConnections(created.secret);
    } catch (error) {
      const feedback = $('hookFeedback');
      feedback.textContent = (error as Error).message;
      feedback.className = 'feedback error';
    }
  };
}

/** An outcome in a feedback line, if the page shows it: marked ok or error, its other classes kept. */
function tell(id: string, text: string, ok: boolean): void {
  const feedback = maybe(id);
  if (!feedback) return;
  feedback.textContent = text;
  feedback.classList.toggle('ok', ok);
  feedback.classList.toggle('error', !ok);
}

function setButtonsDisabled(disabled: boolean): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('.actions button, button.approveLines'))
    button.disabled = disabled;
}

/** One printable page per supplier: who, what, delivered when, the total. */
function purchaseOrdersHtml(orders: readonly PurchaseOrder[], status: string): string {
  const contact = (o: PurchaseOrder) =>
    [o.supplier.contact?.name, o.supplier.contact?.email, o.supplier.contact?.phone]
      .filter(Boolean)
      .map(esc)
      .join(' · ');
  return (
    `<section id="purchaseOrders" class="printable" aria-labelledby="poTitle"><h2 id="poTitle">${_('Purchase orders')}</h2>` +
    `<div class="bar noprint"><button id="poPrint" type="button">${_('Print')}</button><button id="poCsv" type="button">${_('Download CSV')}</button>` +
    `<button class="primary" id="poSend" type="button">${status === 'approved' ? _('Send to suppliers (marks orders sent)') : _('Send again')}</button></div>` +
    '<p class="feedback noprint" id="poFeedback" role="status" aria-live="polite"></p>' +
    (orders.length ? '' : `<p>${_('Nothing to order in this plan.')}</p>`) +
    orders
      .map(
        (o) =>
          `<article class="po"><h3>${esc(o.number)} — ${esc(o.supplier.name)}</h3>` +
          `<p class="muted">${contact(o) || esc(_('no contact in the catalog'))} · ${esc(_('ordered {day}', { day: fmt.day(o.orderedOn) }))}` +
          `${o.supplier.orderCutoff ? esc(_(' before {time}', { time: o.supplier.orderCutoff })) : ''} · ${esc(_('delivery {day}', { day: fmt.day(o.deliverOn) }))}</p>` +
          `<table class="stack"><thead><tr><th>${_('Ingredient')}</th>` +
          ['Quantity', 'Unit price', 'Cost'].map((h) => `<th class="num">${_(h)}</th>`).join('') +
          '</tr></thead><tbody>' +
          o.lines
            .map(
              (l) =>
                `<tr>${td('Ingredient', esc(l.name))}${td('Quantity', `${fmt.number(l.quantity)} ${esc(l.unit)}`, 'num')}` +
                `${td('Unit price', fmt.money(l.unitPrice), 'num')}${td('Cost', fmt.money(l.cost), 'num')}</tr>`,
            )
            .join('') +
          `</tbody><tfoot><tr><td colspan="3">${_('Total')}</td><td class="num">${fmt.money(o.total)}</td></tr></tfoot></table></article>`,
      )
      .join('') +
    '</section>'
  );
}

async function showPurchaseOrders(): Promise<void> {
  const plan = morning?.procurement;
  if (!plan) return;
  const path = `${tenantPath()}/procurement-plans/${plan.planDate}/versions/${plan.version}/purchase-orders`;
  const { purchaseOrders } = await api<{ purchaseOrders: PurchaseOrder[] }>('GET', path);
  maybe('purchaseOrders')?.remove();
  $('orders').closest('section')!.insertAdjacentHTML('afterend', purchaseOrdersHtml(purchaseOrders, plan.status));
  const say = (text: string, ok: boolean) => tell('poFeedback', text, ok);
  $('poPrint').onclick = () => window.print();
  $('poCsv').onclick = async () => {
    const response = await fetch(`${path}.csv`, { headers: { authorization: `Bearer ${await bearer()}` } });
    if (!response.ok) return say(`Error ${response.status}`, false);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = `purchase-orders-${plan.planDate}-v${plan.version}.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  $('poSend').onclick = async () => {
    $<HTMLButtonElement>('poSend').disabled = true;
    try {
      const result = await api<{
        sent: { number: string; to: string }[];
        notSent: { number: string; reason: string }[];
      }>('POST', `${path}/send`);
      await load();
      await showPurchaseOrders();
      say(
        [
          ...result.sent.map((s) => _('{number} sent to {to}.', { number: s.number, to: s.to })),
          ...result.notSent.map((n) => `${n.number}: ${_(n.reason)}.`),
        ].join(' '),
        result.notSent.length === 0,
      );
    } catch (error) {
      say((error as Error).message, false);
      $<HTMLButtonElement>('poSend').disabled = false;
    }
  };
  $('purchaseOrders').scrollIntoView({ block: 'start' });
}

/** The baker's sheet: what to make when, with its weights; preps the evening before first. */
async function showPrepSheet(): Promise<void> {
  const date = morning?.production?.planDate;
  if (!date) return;
  const { tasks } = await api<{ tasks: PrepTask[] }>('GET', `${tenantPath()}/production-schedules/${date}/prep-sheet`);
  const amount = (q: number, unit: string) =>
    unit === 'unit' ? `${fmt.units(q)} ${_('pcs')}` : `${fmt.number(q)} ${esc(unit)}`;
  const rows = tasks
    .map(
      (t) =>
        `<tr class="${t.kind}">${td('When', `${t.day === date ? '' : `${esc(fmt.day(t.day))} `}${esc(t.startsAt)}`)}` +
        `${td('Make', `<strong>${esc(t.name)}</strong> ${amount(t.quantity, t.unit)}${t.kind === 'prep' ? ` <span class="muted">${_('(prep)')}</span>` : ''}`)}` +
        `${td('Weights', t.weights.map((w) => `${esc(w.name)} ${amount(w.quantity, w.unit)}`).join(' · '))}` +
        `${td('Batch', esc(t.batchNumber))}</tr>`,
    )
    .join('');
  maybe('prepSheet')?.remove();
  $('bakes')
    .closest('section')!
    .insertAdjacentHTML(
      'afterend',
      '<section id="prepSheet" class="printable" aria-labelledby="prepTitle">' +
        `<h2 id="prepTitle">${esc(_('Prep sheet · {day}', { day: fmt.day(date) }))}</h2><p class="noprint"><button id="prepPrint" type="button">${_('Print')}</button></p>` +
        `<table class="stack"><thead><tr>${['When', 'Make', 'Weights', 'Batch'].map((h) => `<th>${_(h)}</th>`).join('')}</tr></thead>` +
        `<tbody>${rows}</tbody></table></section>`,
    );
  $('prepPrint').onclick = () => window.print();
  $('prepSheet').scrollIntoView({ block: 'start' });
}

/**
 * The evening form: per product of the day's bakes, what sold, what was left and kept for tomorrow,
 * and when it sold out. Filled from what is recorded already; saving records the whole day again.
 */
async function showActuals(): Promise<void> {
  const p = morning?.production;
  if (!p) return;
  const { actuals } = await api<{ actuals: DailyActual[] }>(
    'GET',
    `${tenantPath()}/actuals?from=${p.planDate}&to=${p.planDate}`,
  );
  const recorded = new Map(actuals.map((a) => [a.productId, a]));
  const products = [...new Set([...p.lines.map((l) => l.productId)])];
  // Counts as whole numbers; the sold-out time as text (HH:MM): one field a row to tab through.
  const input = (id: string, field: string, value: number | string | undefined, label: string, time = false) =>
    `<input ${time ? 'type="text" inputmode="numeric" pattern="([01][0-9]|2[0-3]):[0-5][0-9]" placeholder="--:--" maxlength="5"' : 'type="number" min="0" step="1" inputmode="numeric"'} data-actual="${esc(id)}" data-field="${field}" value="${esc(String(value ?? ''))}" aria-label="${esc(label)}">`;
  const rows = products
    .map((id) => {
      const name = p.productNames[id] || id;
      const a = recorded.get(id);
      const keeps = (p.shelfLifeDays[id] ?? 1) >= 2;
      return (
        `<div class="actual"><span class="name">${esc(name)}</span>` +
        input(id, 'sold', a?.sold, _('{product}: sold', { product: name })) +
        input(id, 'leftover', a?.leftover, _('{product}: left over', { product: name })) +
        (keeps
          ? input(id, 'carriedOver', a?.carriedOver, _('{product}: kept for tomorrow', { product: name }))
          : '<span class="muted">—</span>') +
        input(id, 'soldOutAt', a?.soldOutAt, _('{product}: sold out at', { product: name }), true) +
        '</div>'
      );
    })
    .join('');
  maybe('actualsForm')?.remove();
  $('bakes')
    .closest('section')!
    .insertAdjacentHTML(
      'afterend',
      '<section id="actualsForm" aria-labelledby="actualsTitle">' +
        `<h2 id="actualsTitle">${esc(_('What sold · {day}', { day: fmt.day(p.planDate) }))}</h2>` +
        `<p class="muted">${_('Left over: at closing. Kept: of it, what you sell tomorrow. Sold out: the time, if it did.')}</p>` +
        `<form id="actualsEntry"><div class="actual head"><span></span><span>${_('Sold')}</span><span>${_('Left')}</span><span>${_('Kept')}</span><span>${_('Sold out')}</span></div>` +
        `${rows}<p class="bar"><button class="primary" type="submit">${_('Save the day')}</button></p>` +
        '<p class="feedback" id="actualsFeedback" role="status" aria-live="polite"></p></form></section>',
    );
  $<HTMLFormElement>('actualsEntry').onsubmit = (event) => {
    event.preventDefault();
    void saveActuals(p.planDate, products);
  };
  $('actualsForm').scrollIntoView({ block: 'start' });
  document.querySelector<HTMLInputElement>('#actualsForm input')?.focus();
}

/** Records the form's day: every product with a number sold (a blank row is left out). */
async function saveActuals(date: string, products: readonly string[]): Promise<void> {
  const say = (text: string, ok: boolean) => tell('actualsFeedback', text, ok);
  const value = (id: string, field: string) =>
    document
      .querySelector<HTMLInputElement>(`#actualsForm input[data-actual="${CSS.escape(id)}"][data-field="${field}"]`)
      ?.value.trim() ?? '';
  const actuals = products.flatMap((id) => {
    if (value(id, 'sold') === '') return [];
    const soldOutAt = value(id, 'soldOutAt');
    return [
      {
        date,
        productId: id,
        sold: Number(value(id, 'sold')),
        leftover: Number(value(id, 'leftover') || 0),
        carriedOver: Number(value(id, 'carriedOver') || 0),
        ...(soldOutAt ? { soldOutAt } : {}),
      },
    ];
  });
  if (actuals.length === 0) return say(_('Give at least one number sold.'), false);
  try {
    const result = await api<{ recorded: number; carriedOver: number }>('POST', `${tenantPath()}/actuals`, { actuals });
    say(
      _('{n} products recorded; {kept} kept for tomorrow.', {
        n: result.recorded,
        kept: fmt.number(result.carriedOver),
      }),
      true,
    );
  } catch (error) {
    say((error as Error).message, false);
  }
}

/** The 28 days' plan quality through the day shown: the score as a line, and each day's figures. */
async function showQuality(): Promise<void> {
  // Through the day shown: its evening counts once recorded.
  const through = morning?.date ? `?to=${morning.date}` : '';
  const { days } = await api<{ days: PlanQuality[] }>('GET', `${tenantPath()}/plan-quality${through}`);
  const share = (v: number | null) => (v === null ? '—' : `${fmt.number(Math.round(v * 1000) / 10)} %`);
  const chart = days.length > 1 ? qualitySvg(days) : '';
  const rows = days
    .slice()
    .reverse()
    .map(
      (d) =>
        `<tr>${td('Day', `${esc(fmt.day(d.date))}${d.basis === 'sales' ? ' *' : ''}`)}${td('Score', share(d.score), 'num')}${td('Forecast error', share(d.wape), 'num')}` +
        `${td('Waste', `${fmt.number(d.wasteUnits)} (${fmt.money(d.wasteCost)})`, 'num')}${td('Fill rate', share(d.fillRate), 'num')}` +
        `${td('Lost sales', fmt.number(d.lostSales), 'num')}${td('Profit', fmt.money(d.profit.realized), 'num')}</tr>`,
    )
    .join('');
  maybe('quality')?.remove();
  $('bakes')
    .closest('section')!
    .insertAdjacentHTML(
      'afterend',
      '<section id="quality" aria-labelledby="qualityTitle">' +
        `<h2 id="qualityTitle">${_('Plan quality, last 28 days')}</h2>` +
        (days.length
          ? `<p class="muted">${_('Score: the profit made as a share of what perfect foresight would have made (100 %).')}</p>${chart}` +
            `<table class="stack"><thead><tr>${['Day', 'Score', 'Forecast error', 'Waste', 'Fill rate', 'Lost sales', 'Profit'].map((h) => `<th>${_(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>` +
            (days.some((d) => d.basis === 'sales')
              ? `<p class="muted">${_("* From the day's sales alone: nobody recorded what was left.")}</p>`
              : '')
          : `<p>${_('No day has both a plan and what sold yet: record the evening with What sold.')}</p>`) +
        '</section>',
    );
  $('quality').scrollIntoView({ block: 'start' });
}

/** The score of each day as a line, 0–100 %. */
function qualitySvg(days: readonly PlanQuality[]): string {
  const w = 320;
  const h = 90;
  const x = (i: number) => 10 + (i * (w - 20)) / Math.max(1, days.length - 1);
  const y = (score: number) => h - 10 - Math.max(0, Math.min(1, score)) * (h - 20);
  const points = days.map((d, i) => `${x(i).toFixed(1)},${y(d.score ?? 0).toFixed(1)}`).join(' ');
  return (
    `<figure><svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(_('Plan quality, last 28 days'))}">` +
    [0, 0.5, 1]
      .map((g) => `<line x1="10" x2="${w - 10}" y1="${y(g)}" y2="${y(g)}" stroke="${g ? '#eee5da' : '#c9b9a6'}"/>`)
      .join('') +
    `<polyline points="${points}" fill="none" stroke="#6b3e26" stroke-width="2"/></svg></figure>`
  );
}

/** The quantities changed in the plan's inputs, or null when one is not a number of 0 or more. */
function changedQuantities(): { ingredientId: string; orderQuantity: number }[] | null {
  const changes: { ingredientId: string; orderQuantity: number }[] = [];
  for (const input of document.querySelectorAll<HTMLInputElement>('input[data-edit]')) {
    const value = input.valueAsNumber;
    if (!Number.isFinite(value) || value < 0) return null;
    if (value !== Number(input.dataset.was)) changes.push({ ingredientId: input.dataset.edit!, orderQuantity: value });
  }
  return changes;
}

/** Saves the changed quantities as the plan's next version (the modifications route), then shows it. */
async function saveQuantities(): Promise<void> {
  const plan = morning?.procurement;
  const changes = changedQuantities();
  if (!plan || !changes?.length) return;
  const say = (text: string, ok: boolean) => tell('feedback', text, ok);
  setButtonsDisabled(true);
  try {
    const next = await api<{ planId: string }>(
      'POST',
      `${tenantPath()}/procurement-plans/${plan.planDate}/versions/${plan.version}/modifications`,
      { changes, reason: 'quantities changed on the review page', expectedRevision: plan.revision },
    );
    await load(() =>
      say(
        changes.length > 1
          ? _('{plan}: {n} quantities changed; review and approve it.', { plan: next.planId, n: changes.length })
          : _('{plan}: 1 quantity changed; review and approve it.', { plan: next.planId }),
        true,
      ),
    );
  } catch (error) {
    await refused(error, say);
    setButtonsDisabled(false);
  }
}

/** Approves one supplier's lines or one line (the line-approvals route); the last one approves the plan. */
async function approveLines(selection: { supplierIds: string[] } | { ingredientIds: string[] }): Promise<void> {
  const plan = morning?.procurement;
  if (!plan) return;
  const say = (text: string, ok: boolean) => tell('feedback', text, ok);
  setButtonsDisabled(true);
  try {
    const result = await api<{ planId: string; status: string; remaining: number }>(
      'POST',
      `${tenantPath()}/procurement-plans/${plan.planDate}/versions/${plan.version}/line-approvals`,
      { ...selection, expectedRevision: plan.revision },
    );
    await load(() =>
      say(
        result.remaining === 0
          ? _('{plan} is now {status}.', { plan: result.planId, status: statusWord(result.status) })
          : result.remaining === 1
            ? _('1 line still to approve.')
            : _('{n} lines still to approve.', { n: result.remaining }),
        true,
      ),
    );
  } catch (error) {
    await refused(error, say);
    setButtonsDisabled(false);
  }
}

/** Plans a missing today (the catch-up route), then looks until the plans show. */
async function planToday(): Promise<void> {
  const button = $<HTMLButtonElement>('planNow');
  const say = (text: string) => {
    const feedback = maybe('planNowFeedback');
    if (feedback) feedback.textContent = text;
  };
  button.disabled = true;
  try {
    const due = await api<{ planDate: string; jobs: string[] }>('POST', `${tenantPath()}/catch-up`);
    say(_('Planning {date}: {jobs}…', { date: fmt.day(due.planDate), jobs: due.jobs.join(', ') }));
    for (let i = 0; i < 40 && !morning?.procurement; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await load();
    }
  } catch (error) {
    say((error as Error).message);
    button.disabled = false;
  }
}

/** After a stale-data rejection: looks every 3 s, for up to 2 minutes, until the rebuilt version shows. */
async function awaitVersion(version: number, say: (text: string, ok: boolean) => void): Promise<void> {
  for (let i = 0; i < 40; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    let ready = false;
    await load(() => {
      ready = (morning?.procurement?.version ?? 0) >= version;
      if (ready && maybe('feedback')) say(_('v{version} is ready: review it.', { version }), true);
    });
    if (ready) return;
  }
  say(_('v{version} is not ready after 2 minutes; reload the page later.', { version }), false);
}

async function decide(status: 'approved' | 'rejected' | 'in_execution' | 'completed' | 'cancelled'): Promise<void> {
  const plan = morning?.procurement;
  if (!plan) return;
  const say = (text: string, ok: boolean) => tell('feedback', text, ok);
  const reasonInput = maybe<HTMLInputElement>('reason');
  const reason = reasonInput ? reasonInput.value.trim() : '';
  if (status === 'rejected' && !reason) {
    say(_('Give a reason to reject.'), false);
    reasonInput?.focus();
    return;
  }
  setButtonsDisabled(true);
  try {
    const result = await api<{ status: string; regeneration: { job: { version: number } } | null }>(
      'POST',
      `${tenantPath()}/procurement-plans/${plan.planDate}/versions/${plan.version}/status`,
      { status, expectedRevision: plan.revision, ...(status === 'rejected' ? { reason } : {}) },
    );
    const now = statusWord(result.status);
    const text = result.regeneration
      ? _('{plan} is now {status}: stale data recognised, v{version} is being built.', {
          plan: plan.planId,
          status: now,
          version: result.regeneration.job.version,
        })
      : _('{plan} is now {status}.', { plan: plan.planId, status: now });
    await load(() => {
      if (!maybe('feedback')) {
        const p = document.createElement('p');
        p.id = 'feedback';
        p.className = 'feedback';
        p.setAttribute('role', 'status');
        $('noActions').after(p);
      }
      say(text, true);
      $('feedback').scrollIntoView({ block: 'nearest' });
    });
    if (result.regeneration) await awaitVersion(result.regeneration.job.version, say);
  } catch (error) {
    await refused(error, say);
    setButtonsDisabled(false);
  }
}

/**
 * Reloads the chosen day's morning, then the connections. After an action, `say` tells what it did in
 * the same turn as the render, so the result never shows without its message.
 */
async function load(say?: () => void): Promise<void> {
  const dateInput = $<HTMLInputElement>('date');
  const date = dateInput.value ? `?date=${dateInput.value}` : '';
  const answer = await api<Morning>('GET', `${tenantPath()}/morning${date}`);
  render(answer);
  if (!dateInput.value) dateInput.value = answer.date;
  say?.();
  await loadConnections();
}

function showSignIn(message?: string): void {
  $('who').hidden = true;
  $('morning').hidden = true;
  $('signin').hidden = false;
  $('signinMessage').textContent = message || '';
  $('signinButton').hidden = !config;
  $('tokenForm').hidden = !!config;
}

const claimText = (value: unknown) => (typeof value === 'string' ? value : '');

async function enter(): Promise<void> {
  const c = claims(await bearer());
  $('signin').hidden = true;
  $('who').hidden = false;
  $('user').textContent =
    claimText(c.name) || claimText(c['cognito:username']) || claimText(c.email) || claimText(c.sub);
  const own = claimText(c['custom:tenant_id']) || claimText(c.tenant_id);
  const admin = ([] as unknown[]).concat(c['cognito:groups'] ?? []).includes('admin');
  const tenant = $<HTMLSelectElement>('tenant');
  if (admin) {
    const { tenants } = await api<{ tenants: { tenantId: string; name: string }[] }>('GET', '/tenants');
    tenant.innerHTML = tenants.map((t) => `<option value="${esc(t.tenantId)}">${esc(t.name)}</option>`).join('');
    tenant.value = store.getItem('tenant') || own || tenants[0]?.tenantId || '';
    $('tenantPick').hidden = false;
  } else tenant.innerHTML = `<option value="${esc(own)}">${esc(own)}</option>`;
  await load();
}

$('signinButton').onclick = () => startSignIn().catch((e: Error) => showSignIn(e.message));
$('signout').onclick = () => void signOut();
$('tenant').onchange = () => {
  store.setItem('tenant', $<HTMLSelectElement>('tenant').value);
  $<HTMLInputElement>('date').value = '';
  load().catch((e: Error) => showSignIn(e.message));
};
$('date').onchange = () => load().catch((e: Error) => alert(e.message));
$('tokenForm').onsubmit = (event) => {
  event.preventDefault();
  const session: Session = { bearer: $<HTMLInputElement>('pasted').value.trim(), expiresAt: Date.now() + 3600000 };
  store.setItem('session', JSON.stringify(session));
  enter().catch((e: Error) => showSignIn(e.message));
};

(async () => {
  translateStatic(navigator.language);
  const response = await fetch('/review/config');
  config = response.ok ? ((await response.json()) as SignInConfig) : null;
  const params = new URLSearchParams(location.search);
  if (config && (params.get('code') || params.get('error'))) await finishSignIn(params);
  if (!store.getItem('session')) return showSignIn();
  await enter();
})().catch((e: Error) => showSignIn(e.message));
