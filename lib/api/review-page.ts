// The review page: a procurement manager's morning. It signs in with the API's issuer (authorization
// code + PKCE: the user pool's hosted UI in the cloud, the local issuer on `npm run serve`), then shows
// today's bakes by equipment and start time, the procurement plan grouped by supplier with order-by
// dates and costs in the bakery's currency, a chart per product of recent sales and the coming
// forecast with its p10–p90 band (plain SVG), and the plan's history in the bakery's local time. Only
// the actions the plan's status allows are offered; their result shows next to them. It reads
// GET /tenants/{id}/morning and calls the same routes as the CLI.
export const REVIEW_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bakery planner — morning review</title>
<style>
  :root { --brown: #6b3e26; --line: #e3d9cc; --muted: #6b5a4a; --bg: #faf7f2; --red: #b00020; --amber: #9a5200; }
  * { box-sizing: border-box; }
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; background: var(--bg); color: #2b2118; }
  a { color: var(--brown); }
  .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 6px; z-index: 2; }
  header { background: var(--brown); color: #fff; padding: 10px 16px; display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between; }
  header h1 { font-size: 1.1em; margin: 0; }
  header .who { font-size: .9em; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  header button { background: transparent; color: #fff; border-color: #fff; }
  main { padding: 12px 16px 40px; max-width: 1120px; margin: 0 auto; }
  section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; margin-bottom: 14px; }
  h2 { font-size: 1.05em; margin: 0 0 8px; } h3 { font-size: .98em; margin: 12px 0 6px; }
  .muted { color: var(--muted); font-size: .9em; }
  input, textarea, select { font: inherit; padding: 6px 8px; border: 1px solid #c9b9a6; border-radius: 4px; max-width: 100%; }
  button { font: inherit; padding: 7px 14px; border-radius: 4px; border: 1px solid var(--brown); background: #fff; color: var(--brown); cursor: pointer; }
  button.primary { background: var(--brown); color: #fff; }
  button:disabled { opacity: .5; cursor: default; }
  :focus-visible { outline: 3px solid #e0a458; outline-offset: 2px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eee5da; vertical-align: top; }
  th { font-size: .85em; color: var(--muted); font-weight: 600; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  tfoot td { font-weight: 600; border-bottom: 0; }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: .8em; font-weight: 600; border: 1px solid; white-space: nowrap; }
  .critical { color: var(--red); } .high { color: var(--amber); } .medium { color: #5b6b00; } .low { color: var(--muted); }
  .status { font-weight: 600; }
  .bar { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
  .summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; }
  .summary div { background: var(--bg); border-radius: 6px; padding: 8px 10px; } .summary strong { display: block; font-size: 1.25em; }
  .lane { margin-bottom: 10px; }
  .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 12px; }
  figure { margin: 0; } figcaption { font-size: .9em; font-weight: 600; } svg { width: 100%; height: auto; display: block; }
  .actions { display: grid; gap: 8px; margin-top: 10px; }
  .feedback { min-height: 1.4em; font-weight: 600; } .feedback.error { color: var(--red); } .feedback.ok { color: #2d6a2d; }
  #signin { max-width: 420px; margin: 40px auto; text-align: center; }
  @media (max-width: 640px) {
    main { padding: 8px; } section { padding: 10px; }
    table.stack thead { display: none; }
    table.stack tr { display: block; border-bottom: 1px solid var(--line); padding: 6px 0; }
    table.stack td { display: flex; justify-content: space-between; gap: 12px; border: 0; padding: 2px 4px; text-align: right; }
    table.stack td::before { content: attr(data-label); color: var(--muted); font-size: .85em; text-align: left; }
    table.stack tfoot td::before { content: ''; }
    .wide { display: none; }
    table.stack td.why { display: block; text-align: left; } table.stack td.why::before { content: none; }
  }
</style>
</head>
<body>
<a class="skip" href="#content">Skip to the plan</a>
<header>
  <h1 id="title">Bakery planner</h1>
  <div class="who" id="who" hidden>
    <span id="user"></span>
    <label id="tenantPick" hidden>Bakery <select id="tenant"></select></label>
    <label>Day <input type="date" id="date"></label>
    <button id="signout" type="button">Sign out</button>
  </div>
</header>
<main id="content" tabindex="-1">
  <section id="signin" hidden>
    <h2>Sign in to review today's plans</h2>
    <p class="muted" id="signinText">You will be sent to your organisation's sign-in page and back.</p>
    <p><button class="primary" id="signinButton" type="button">Sign in</button></p>
    <form id="tokenForm" hidden>
      <p class="muted">This API has no sign-in configured: paste a bearer token.</p>
      <p><input id="pasted" size="40" aria-label="Bearer token" required> <button class="primary">Use token</button></p>
    </form>
    <p class="feedback error" id="signinMessage" role="alert"></p>
  </section>
  <div id="morning" hidden></div>
</main>
<script>
'use strict';
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const store = sessionStorage;
let config = null, morning = null, fmt = null;

// ── Sign-in: authorization code + PKCE ───────────────────────────────────────────────────────────
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const redirectUri = () => location.origin + location.pathname;
function claims(token) {
  try { return JSON.parse(decodeURIComponent(escape(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))))); } catch { return {}; }
}
async function startSignIn() {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  store.setItem('pkce', JSON.stringify({ verifier, state }));
  const url = new URL(config.authorizeUrl, location.href);
  const params = { response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: config.scopes.join(' '), state,
    code_challenge: b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))), code_challenge_method: 'S256' };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  location.assign(url.toString());
}
async function tokenRequest(form) {
  const response = await fetch(new URL(config.tokenUrl, location.href), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error('Sign-in failed: ' + (body.error_description || body.error || response.status));
  return body;
}
function keepTokens(tokens) {
  const bearer = config.bearer === 'access_token' ? tokens.access_token : tokens.id_token;
  store.setItem('session', JSON.stringify({ bearer, refresh: tokens.refresh_token || JSON.parse(store.getItem('session') || '{}').refresh, expiresAt: Date.now() + (tokens.expires_in || 3600) * 1000 }));
}
async function finishSignIn(params) {
  const pending = JSON.parse(store.getItem('pkce') || 'null');
  store.removeItem('pkce');
  history.replaceState(null, '', location.pathname);
  if (params.get('error')) throw new Error('Sign-in failed: ' + (params.get('error_description') || params.get('error')));
  if (!pending || params.get('state') !== pending.state) throw new Error('Sign-in failed: the answer does not match this browser\\'s request; sign in again.');
  keepTokens(await tokenRequest({ grant_type: 'authorization_code', client_id: config.clientId, code: params.get('code'), redirect_uri: redirectUri(), code_verifier: pending.verifier }));
}
async function bearer() {
  const session = JSON.parse(store.getItem('session') || 'null');
  if (!session) throw new Error('Not signed in.');
  if (session.expiresAt - 60000 > Date.now() || !session.refresh || !config) return session.bearer;
  keepTokens(await tokenRequest({ grant_type: 'refresh_token', client_id: config.clientId, refresh_token: session.refresh }));
  return JSON.parse(store.getItem('session')).bearer;
}
function signOut() {
  store.clear();
  if (config && config.logoutUrl) {
    const url = new URL(config.logoutUrl, location.href);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('logout_uri', redirectUri());
    location.assign(url.toString());
  } else location.reload();
}

// ── API ──────────────────────────────────────────────────────────────────────────────────────────
async function api(method, path, body) {
  const response = await fetch(path, { method, headers: { authorization: 'Bearer ' + await bearer(), 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const data = await response.json().catch(() => ({}));
  if (response.status === 401) { store.removeItem('session'); showSignIn('Your session has ended; sign in again.'); throw new Error('Signed out.'); }
  if (!response.ok) throw new Error(data.error || ('Error ' + response.status));
  return data;
}
const tenantPath = () => '/tenants/' + encodeURIComponent($('tenant').value);

// ── Rendering ────────────────────────────────────────────────────────────────────────────────────
function formatters(t) {
  const money = new Intl.NumberFormat(t.locale, { style: 'currency', currency: t.currency });
  const number = new Intl.NumberFormat(t.locale, { maximumFractionDigits: 2 });
  const day = new Intl.DateTimeFormat(t.locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  const moment = new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: t.timezone });
  return { money: (n) => money.format(n), number: (n) => number.format(n), day: (d) => day.format(new Date(d + 'T00:00:00Z')), moment: (i) => moment.format(new Date(i)) };
}
const badge = (p, reason) => '<span class="badge ' + esc(p) + '" title="' + esc(reason) + '">' + esc(p) + '</span>';
const td = (label, html, cls) => '<td data-label="' + esc(label) + '"' + (cls ? ' class="' + cls + '"' : '') + '><span>' + html + '</span></td>';

function productionHtml(p) {
  if (!p) return '<section aria-labelledby="bakes"><h2 id="bakes">Today\\'s bakes</h2><p class="muted">No production schedule for this day yet (it is made at 05:30 local).</p></section>';
  const lanes = new Map();
  for (const b of [...p.batches].sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.sequence - b.sequence)) {
    const lane = b.equipmentId ? (p.equipmentNames[b.equipmentId] || b.equipmentId) : 'Bench';
    if (!lanes.has(lane)) lanes.set(lane, []);
    lanes.get(lane).push(b);
  }
  const units = p.batches.reduce((t, b) => t + b.quantity, 0);
  let html = '<section aria-labelledby="bakes"><h2 id="bakes">Today\\'s bakes <span class="status">· ' + esc(p.status) + '</span></h2>' +
    '<p class="muted">' + p.batches.length + ' batches, ' + fmt.number(units) + ' units' + (p.catchUp ? ' · planned by a catch-up' : '') + '</p>';
  for (const [lane, batches] of lanes) {
    html += '<div class="lane"><h3>' + esc(lane) + '</h3><table><thead><tr><th>Start</th><th>Product</th><th class="num">Units</th><th class="num wide">Minutes</th><th class="wide">Batch</th></tr></thead><tbody>' +
      batches.map((b) => '<tr>' + td('Start', esc(b.startsAt)) + td('Product', esc(p.productNames[b.productId] || b.productId)) + td('Units', fmt.number(b.quantity), 'num') +
        td('Minutes', b.minutes, 'num wide') + td('Batch', '<span class="muted" title="' + esc(b.reasoning) + '">' + esc(b.batchNumber) + '</span>', 'wide') + '</tr>').join('') + '</tbody></table></div>';
  }
  if (p.shortfalls.length) html += '<p class="critical">Not placed: ' + p.shortfalls.map((s) => esc(p.productNames[s.productId] || s.productId) + ' ' + fmt.number(s.units) + ' (' + esc(s.reason) + ')').join('; ') + '</p>';
  return html + '</section>';
}

function procurementHtml(m) {
  const plan = m.procurement;
  if (!plan) return '<section aria-labelledby="orders"><h2 id="orders">Orders</h2><p class="muted">No procurement plan for this day yet (it is made at 06:00 local).</p></section>';
  const counts = plan.requirements.reduce((c, r) => (c[r.priority] = (c[r.priority] || 0) + 1, c), {});
  let html = '<section aria-labelledby="orders"><h2 id="orders">Orders · ' + esc(plan.planId) + ' <span class="status" id="planStatus">' + esc(plan.status.replace('_', ' ')) + '</span></h2>' +
    '<div class="summary"><div>Total<strong>' + fmt.money(plan.totalCost) + '</strong></div><div>Suppliers<strong>' + plan.bySupplier.length + '</strong></div>' +
    '<div>Critical<strong class="critical">' + (counts.critical || 0) + '</strong></div><div>Order today<strong class="high">' + (counts.high || 0) + '</strong></div>' +
    '<div>Review by<strong>' + esc(m.tenant.reviewDeadline) + '</strong></div></div>';
  if (m.procurementVersions.length > 1) {
    html += '<p class="muted">Versions: ' + m.procurementVersions.map((v) => 'v' + v.version + ' ' + esc(v.status.replace('_', ' '))).join(' · ') + (plan.supersedes ? ' — this one supersedes ' + esc(plan.supersedes) : '') + '</p>';
  }
  for (const group of plan.bySupplier) {
    html += '<h3>' + esc(group.supplierName) + ' — ' + fmt.money(group.totalCost) + '</h3><table class="stack"><thead><tr><th>Priority</th><th>Ingredient</th><th>Order by</th><th>Need by</th>' +
      '<th class="num">Quantity</th><th class="num">Unit price</th><th class="num">Cost</th><th>Why</th></tr></thead><tbody>' +
      group.lines.map((r) => '<tr>' + td('Priority', badge(r.priority, r.priorityReason)) + td('Ingredient', esc(r.ingredientName)) + td('Order by', esc(fmt.day(r.orderDate))) +
        td('Need by', esc(fmt.day(r.needDate))) + td('Quantity', fmt.number(r.orderQuantity) + ' ' + esc(r.unit), 'num') + td('Unit price', fmt.money(r.unitPrice), 'num') +
        td('Cost', fmt.money(r.estimatedCost), 'num') + td('Why', esc(r.priorityReason) + (r.adjustments.length ? '<br><span class="muted">' + r.adjustments.map((a) => esc(a.reason)).join('; ') + '</span>' : ''), 'why') + '</tr>').join('') +
      '</tbody><tfoot><tr><td colspan="6">' + esc(group.supplierName) + ' total</td><td class="num">' + fmt.money(group.totalCost) + '</td><td></td></tr></tfoot></table>';
  }
  html += actionsHtml(plan);
  html += '<h3>History</h3><ul>' + plan.history.map((h) => '<li><time datetime="' + esc(h.at) + '">' + esc(fmt.moment(h.at)) + '</time> · ' + esc(h.by) + ': ' +
    esc(h.from || 'new') + ' → ' + esc(h.to) + (h.reason ? ' (' + esc(h.reason) + ')' : '') + '</li>').join('') + '</ul>';
  return html + '</section>';
}

function actionsHtml(plan) {
  const can = (s) => plan.actions.includes(s);
  if (!can('approved') && !can('rejected')) return '<p class="muted" id="noActions">This plan is ' + esc(plan.status.replace('_', ' ')) + ': nothing to decide.</p>';
  return '<div class="actions" aria-labelledby="decide"><h3 id="decide">Decide</h3>' +
    '<div class="bar">' + (can('approved') ? '<button class="primary" id="approve" type="button">Approve ' + fmt.money(plan.totalCost) + '</button>' : '') + '</div>' +
    (can('rejected') ? '<div class="bar"><label for="reason">Reason to reject</label>' +
      '<input id="reason" list="reasons" size="44" placeholder="e.g. stale data: stock count is from last week">' +
      '<datalist id="reasons"><option value="stale data: sales or stock are out of date"><option value="prices changed"><option value="wrong supplier"></datalist>' +
      '<button id="reject" type="button">Reject</button></div><p class="muted">A reason that says the data is stale (stale, outdated, datos antiguos…) rebuilds the plan by itself.</p>' : '') +
    '<p class="feedback" id="feedback" role="status" aria-live="polite"></p></div>';
}

function chartSvg(c) {
  const W = 300, H = 120, L = 30, B = 16, T = 8;
  const points = [...c.sales.map((s) => s.units ?? 0), ...c.forecast.map((f) => f.p90)];
  const max = Math.max(1, ...points) * 1.1;
  const n = c.sales.length + c.forecast.length;
  const x = (i) => L + (i * (W - L - 4)) / Math.max(1, n - 1);
  const y = (v) => T + (H - B - T) * (1 - v / max);
  const salesPath = c.sales.map((s, i) => s.units == null ? null : [x(i), y(s.units)]).reduce((d, p, i, all) => p ? d + (i && all[i - 1] ? 'L' : 'M') + p[0].toFixed(1) + ' ' + p[1].toFixed(1) : d, '');
  const f0 = c.sales.length;
  const band = c.forecast.map((f, i) => x(f0 + i).toFixed(1) + ',' + y(f.p90).toFixed(1)).concat(c.forecast.slice().reverse().map((f, i) => x(f0 + c.forecast.length - 1 - i).toFixed(1) + ',' + y(f.p10).toFixed(1))).join(' ');
  const median = c.forecast.map((f, i) => (i ? 'L' : 'M') + x(f0 + i).toFixed(1) + ' ' + y(f.p50).toFixed(1)).join('');
  const next = c.forecast[0];
  const label = c.name + ': last ' + c.sales.length + ' days of sales, then the forecast' + (next ? '; today ' + fmt.number(next.p50) + ' units (p10 ' + fmt.number(next.p10) + ' – p90 ' + fmt.number(next.p90) + ')' : '');
  return '<figure><figcaption>' + esc(c.name) + (next ? ' <span class="muted">today ' + fmt.number(next.p50) + ' (' + fmt.number(next.p10) + '–' + fmt.number(next.p90) + ')</span>' : '') + '</figcaption>' +
    '<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="' + esc(label) + '"><title>' + esc(label) + '</title>' +
    '<line x1="' + L + '" x2="' + W + '" y1="' + y(0) + '" y2="' + y(0) + '" stroke="#ddd"/>' +
    '<text x="' + (L - 4) + '" y="' + (y(max / 1.1) + 4) + '" font-size="9" text-anchor="end" fill="#6b5a4a">' + Math.round(max / 1.1) + '</text>' +
    '<text x="' + (L - 4) + '" y="' + (y(0) + 3) + '" font-size="9" text-anchor="end" fill="#6b5a4a">0</text>' +
    '<line x1="' + x(f0).toFixed(1) + '" x2="' + x(f0).toFixed(1) + '" y1="' + T + '" y2="' + y(0) + '" stroke="#c9b9a6" stroke-dasharray="3 3"/>' +
    (band ? '<polygon points="' + band + '" fill="#e0a458" fill-opacity=".35"><title>p10–p90</title></polygon>' : '') +
    '<path d="' + salesPath + '" fill="none" stroke="#6b3e26" stroke-width="1.6"/>' +
    (median ? '<path d="' + median + '" fill="none" stroke="#b35c00" stroke-width="2" stroke-dasharray="4 2"/>' : '') +
    '<text x="' + x(0) + '" y="' + (H - 3) + '" font-size="9" fill="#6b5a4a">' + esc(fmt.day(c.sales[0].date)) + '</text>' +
    '<text x="' + x(f0) + '" y="' + (H - 3) + '" font-size="9" fill="#6b5a4a">today</text></svg></figure>';
}

function render(m) {
  morning = m;
  fmt = formatters(m.tenant);
  $('title').textContent = m.tenant.name + ' · ' + fmt.day(m.date);
  $('morning').innerHTML = productionHtml(m.production) + procurementHtml(m) +
    '<section aria-labelledby="charts"><h2 id="charts">Sales and forecast</h2><p class="muted">Brown: units sold each day (gaps: closed). Orange: the forecast, with the band where 8 days in 10 should fall (p10–p90).</p>' +
    '<div class="charts">' + m.charts.map(chartSvg).join('') + '</div></section>';
  $('morning').hidden = false;
  if ($('approve')) $('approve').onclick = () => decide('approved');
  if ($('reject')) $('reject').onclick = () => decide('rejected');
}

async function decide(status) {
  const plan = morning.procurement;
  const say = (text, ok) => { const f = $('feedback'); f.textContent = text; f.className = 'feedback ' + (ok ? 'ok' : 'error'); };
  const reason = $('reason') ? $('reason').value.trim() : '';
  if (status === 'rejected' && !reason) { say('Give a reason to reject.', false); $('reason').focus(); return; }
  document.querySelectorAll('.actions button').forEach((b) => b.disabled = true);
  try {
    const result = await api('POST', tenantPath() + '/procurement-plans/' + plan.planDate + '/versions/' + plan.version + '/status',
      { status, expectedRevision: plan.revision, ...(status === 'rejected' ? { reason } : {}) });
    const text = plan.planId + ' is now ' + result.status + (result.regeneration ? ': stale data recognised, v' + result.regeneration.job.version + ' is being built.' : '.');
    await load();
    if (!$('feedback')) { const p = document.createElement('p'); p.id = 'feedback'; p.setAttribute('role', 'status'); $('noActions').after(p); }
    say(text, true);
    $('feedback').scrollIntoView({ block: 'nearest' });
  } catch (error) {
    say(error.message, false);
    document.querySelectorAll('.actions button').forEach((b) => b.disabled = false);
  }
}

async function load() {
  const date = $('date').value ? '?date=' + $('date').value : '';
  render(await api('GET', tenantPath() + '/morning' + date));
  if (!$('date').value) $('date').value = morning.date;
}

function showSignIn(message) {
  $('who').hidden = true; $('morning').hidden = true; $('signin').hidden = false;
  $('signinMessage').textContent = message || '';
  $('signinButton').hidden = !config; $('tokenForm').hidden = !!config;
}

async function enter() {
  const c = claims(await bearer());
  $('signin').hidden = true; $('who').hidden = false;
  $('user').textContent = c.name || c['cognito:username'] || c.email || c.sub || '';
  const own = c['custom:tenant_id'] || c.tenant_id;
  const admin = [].concat(c['cognito:groups'] || []).includes('admin');
  const tenant = $('tenant');
  if (admin) {
    const { tenants } = await api('GET', '/tenants');
    tenant.innerHTML = tenants.map((t) => '<option value="' + esc(t.tenantId) + '">' + esc(t.name) + '</option>').join('');
    tenant.value = store.getItem('tenant') || own || (tenants[0] && tenants[0].tenantId) || '';
    $('tenantPick').hidden = false;
  } else tenant.innerHTML = '<option value="' + esc(own) + '">' + esc(own) + '</option>';
  await load();
}

$('signinButton').onclick = () => startSignIn().catch((e) => showSignIn(e.message));
$('signout').onclick = signOut;
$('tenant').onchange = () => { store.setItem('tenant', $('tenant').value); $('date').value = ''; load().catch((e) => showSignIn(e.message)); };
$('date').onchange = () => load().catch((e) => alert(e.message));
$('tokenForm').onsubmit = (event) => {
  event.preventDefault();
  store.setItem('session', JSON.stringify({ bearer: $('pasted').value.trim(), expiresAt: Date.now() + 3600000 }));
  enter().catch((e) => showSignIn(e.message));
};

(async () => {
  const response = await fetch('/review/config');
  config = response.ok ? await response.json() : null;
  const params = new URLSearchParams(location.search);
  if (config && (params.get('code') || params.get('error'))) await finishSignIn(params);
  if (!store.getItem('session')) return showSignIn();
  await enter();
})().catch((e) => showSignIn(e.message));
</script>
</body>
</html>
`;
