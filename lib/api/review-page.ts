// The small review page for procurement managers: paste a token, see the tenant's procurement plans,
// open one, approve it or reject it with a reason. It calls the same API as everything else.
export const REVIEW_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bakery planner — plan review</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 0; background: #faf7f2; color: #2b2118; }
  header { background: #6b3e26; color: #fff; padding: 12px 20px; }
  main { padding: 16px 20px; max-width: 1100px; }
  form, .box { background: #fff; border: 1px solid #e3d9cc; border-radius: 6px; padding: 12px; margin-bottom: 14px; }
  input, textarea { font: inherit; padding: 6px; border: 1px solid #c9b9a6; border-radius: 4px; }
  button { font: inherit; padding: 6px 12px; border-radius: 4px; border: 1px solid #6b3e26; background: #fff; cursor: pointer; }
  button.primary { background: #6b3e26; color: #fff; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eee5da; }
  .critical { color: #b00020; font-weight: 600; } .high { color: #b35c00; }
  .status { font-weight: 600; } #message { min-height: 1.4em; }
</style>
</head>
<body>
<header><strong>Bakery planner</strong> — procurement plan review</header>
<main>
  <form id="login">
    <label>Tenant <input id="tenant" required placeholder="fournil-madrid"></label>
    <label>Token <input id="token" required size="40" placeholder="Bearer token (planner token --tenant …)"></label>
    <button class="primary">Show plans</button>
  </form>
  <div id="message" role="status"></div>
  <div class="box" id="plans" hidden></div>
  <div class="box" id="plan" hidden></div>
</main>
<script>
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
$('tenant').value = sessionStorage.getItem('tenant') || '';
$('token').value = sessionStorage.getItem('token') || '';
async function api(method, path, body) {
  const response = await fetch(path, { method, headers: { authorization: 'Bearer ' + $('token').value.trim(), 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || response.status);
  return data;
}
function say(text) { $('message').textContent = text; }
async function showPlans() {
  const tenant = $('tenant').value.trim();
  sessionStorage.setItem('tenant', tenant); sessionStorage.setItem('token', $('token').value.trim());
  const { plans } = await api('GET', '/tenants/' + encodeURIComponent(tenant) + '/procurement-plans');
  plans.sort((a, b) => (b.planDate + b.version).localeCompare(a.planDate + a.version));
  $('plans').hidden = false;
  $('plans').innerHTML = '<h3>Procurement plans</h3><table><tr><th>date</th><th>version</th><th>status</th><th></th></tr>' +
    plans.map((p) => '<tr><td>' + esc(p.planDate) + '</td><td>v' + p.version + '</td><td class="status">' + esc(p.status) + '</td><td><button data-date="' + esc(p.planDate) + '" data-version="' + p.version + '">Open</button></td></tr>').join('') + '</table>';
  $('plans').querySelectorAll('button').forEach((b) => b.onclick = () => showPlan(b.dataset.date, b.dataset.version).catch((e) => say(e.message)));
}
async function showPlan(date, version) {
  const tenant = $('tenant').value.trim();
  const path = '/tenants/' + encodeURIComponent(tenant) + '/procurement-plans/' + date + '/versions/' + version;
  const plan = await api('GET', path);
  $('plan').hidden = false;
  $('plan').innerHTML = '<h3>' + esc(plan.planId) + ' — <span class="status">' + esc(plan.status) + '</span> — ' + esc(new Intl.NumberFormat(navigator.language, { style: 'currency', currency: plan.currency || 'EUR' }).format(plan.totalCost)) + '</h3>' +
    (plan.supersedes ? '<p>Supersedes ' + esc(plan.supersedes) + '</p>' : '') +
    '<table><tr><th>priority</th><th>ingredient</th><th>supplier</th><th>order by</th><th>need by</th><th>order</th><th>why</th></tr>' +
    plan.requirements.map((r) => '<tr><td class="' + r.priority + '">' + r.priority + '</td><td>' + esc(r.ingredientId) + '</td><td>' + esc(r.supplierId || '—') + '</td><td>' + r.orderDate + '</td><td>' + r.needDate + '</td><td>' + r.orderQuantity + ' ' + r.unit + '</td><td>' + r.adjustments.map((a) => esc(a.reason)).join('; ') + '</td></tr>').join('') +
    '</table><h4>History</h4><ul>' + plan.history.map((h) => '<li>' + esc(h.at) + ' ' + esc(h.by) + ': ' + esc(h.from || '∅') + ' → ' + esc(h.to) + (h.reason ? ' (' + esc(h.reason) + ')' : '') + '</li>').join('') + '</ul>' +
    '<p><button class="primary" id="approve">Approve</button> <input id="reason" size="50" placeholder="Reason to reject (stale data regenerates the plan)"> <button id="reject">Reject</button></p>';
  const change = async (status) => {
    const body = { status, expectedRevision: plan.revision, ...(status === 'rejected' ? { reason: $('reason').value } : {}) };
    const result = await api('POST', path + '/status', body);
    say(result.planId + ' is now ' + result.status + (result.regeneration ? ': stale data recognised, v' + result.regeneration.job.version + ' is being built.' : '.'));
    await showPlans(); await showPlan(date, version);
  };
  $('approve').onclick = () => change('approved').catch((e) => say(e.message));
  $('reject').onclick = () => change('rejected').catch((e) => say(e.message));
}
$('login').onsubmit = (event) => { event.preventDefault(); showPlans().then(() => say('')).catch((e) => say(e.message)); };
// A link may carry tenant, token, date and version in its fragment (never sent to a server).
const link = new URLSearchParams(location.hash.slice(1));
if (link.get('tenant')) $('tenant').value = link.get('tenant');
if (link.get('token')) $('token').value = link.get('token');
if ($('tenant').value && $('token').value) {
  showPlans().then(() => link.get('date') && showPlan(link.get('date'), link.get('version') || '1')).catch((e) => say(e.message));
}
</script>
</body>
</html>
`;
