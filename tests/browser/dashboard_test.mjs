// The county dashboard in Chromium against the real county server (started
// by run.sh). Each check is a named step that prints PASS or FAIL; the
// first failure stops the test (exit 1) after a screenshot of the page.
// Environment (from run.sh): CHZ_URL, CHZ_CITY_URL (a city's dashboard),
// CHZ_PASSWORD, CHZ_ROUTES (the JSON of `chizheng-server routes`),
// CHZ_SHOTS (screenshot folder), CHZ_WORK (temp folder), CHZ_CHROMIUM,
// CHZ_XSS (the HTML injection in demo names).
import { createRequire } from 'module';
import fs from 'fs';
import path from 'path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const pwVersion = require('playwright-core/package.json').version;

const BASE = process.env.CHZ_URL;
const PASSWORD = process.env.CHZ_PASSWORD;
const SHOTS = process.env.CHZ_SHOTS;
const WORK = process.env.CHZ_WORK;
const XSS = process.env.CHZ_XSS || '<img src=x onerror=window.__xss=1>';
const API = '/api/v1/dash/';
const started = Date.now();

console.log(`node ${process.version}, playwright-core ${pwVersion}, server ${BASE}`);

let browser;
let current = null;  // the page to photograph on failure

function fail(msg) { throw new Error(msg); }
function check(cond, msg) { if (!cond) fail(msg); }
function eq(a, b, what) {
  if (a !== b) fail(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
}

const PENDING = Number(process.env.CHZ_PENDING || '0');
// 人员查询: a person run.sh enrolled with a known ID number (their key: the
// holder of the kiosk's first certificate).
const PERSON_ID = process.env.CHZ_PERSON_ID || '';
const PERSON_NAME = process.env.CHZ_PERSON_NAME || '';
const PERSON_KEY = process.env.CHZ_PERSON_KEY || '';
function skip(name, why) { console.log(`SKIP ${name}: ${why}`); }

async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    console.log(`PASS ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e && e.message ? e.message : e}`);
    if (current) {
      await current.screenshot({ path: path.join(SHOTS, 'failure.png'), fullPage: true }).catch(() => {});
      console.log(`  screenshot: ${path.join(SHOTS, 'failure.png')}`);
    }
    if (browser) await browser.close().catch(() => {});
    process.exit(1);
  }
}

// ---- helpers ------------------------------------------------------------------

function chinaToday() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
function daysBefore(day, n) {
  return new Date(Date.parse(day + 'T00:00:00Z') - n * 86400000).toISOString().slice(0, 10);
}

async function newPage(width, height) {
  const context = await browser.newContext({
    viewport: { width, height }, locale: 'zh-CN', timezoneId: 'UTC', acceptDownloads: true
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  // Refused requests (the first GET me, the refusal checks) log "Failed to
  // load resource": their statuses are checked where they are expected.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) page.errors.push('console: ' + m.text());
  });
  page.on('dialog', (d) => { page.errors.push('dialog: ' + d.message()); d.dismiss().catch(() => {}); });
  current = page;
  return page;
}

async function waitReady(page, what) {
  try {
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 20000 });
  } catch (e) {
    fail(`${what || 'the page'} never set data-ready="1"`);
  }
  const msg = await page.evaluate(() => {
    const m = document.getElementById('message');
    return m && !m.hidden && /message-error/.test(m.className) ? m.textContent : '';
  });
  if (msg) fail(`${what || 'the page'} shows an error: ${msg}`);
}

// Runs `action` (which starts a section load) and waits until that load is done.
async function act(page, action, what) {
  await page.evaluate(() => { document.body.dataset.ready = ''; });
  await action();
  await waitReady(page, what);
}

async function goto(page, section) {
  await act(page, () => page.evaluate((s) => { window.location.hash = '#' + s; }, section), '#' + section);
  await page.waitForFunction((s) => !document.getElementById('view-' + s).hidden, section, { timeout: 5000 });
}

// fetch from inside the page (its session cookie); POSTs carry `csrf` when given.
async function call(page, method, p, { csrf, body } = {}) {
  return page.evaluate(async ({ method, url, csrf, body }) => {
    const headers = { Accept: 'application/json' };
    if (csrf) headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(url, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch (e) { json = null; }
    return { status: r.status, json, text };
  }, { method, url: p.startsWith('/') ? p : API + p, csrf, body });
}
async function getJson(page, p) {
  const r = await call(page, 'GET', p);
  if (r.status !== 200) fail(`GET ${p}: ${r.status} ${r.text.slice(0, 200)}`);
  return r.json;
}

async function signIn(page, name, password) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(API + 'login') && r.request().method() === 'POST'),
    (async () => {
      await page.fill('#login-name', name);
      await page.fill('#login-password', password);
      await page.click('#login-submit');
    })()
  ]);
  return res;
}

// The number a page shows for an indicator ("32.9%", "9,647.9", "1,000").
function shownNumber(text) { return Number(String(text).replace(/[,%\s]/g, '')); }
function expectedShown(ind, v) {
  if (ind.rate) return Number((v * 100).toFixed(1));
  if (ind.hours) return Number(v.toFixed(1));
  return v;
}

// A small RFC 4180 reader (quotes, doubled quotes, CRLF), BOM dropped.
function parseCsv(text) {
  text = text.replace(/^\uFEFF/, '');
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
// A CSV cell as a number: "91.7%" → 91.7, "1,234" → 1234.
function csvNumber(s) { return Number(String(s).replace(/[,%\s]/g, '')); }

// An 18-digit ID number (GB 11643) with its check digit; `bad` breaks it.
function idNumber(region, birth, seq, bad) {
  const body = region + birth.replace(/-/g, '') + String(seq).padStart(3, '0');
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body[i]) * w[i];
  const codes = '10X98765432';
  let check = codes[s % 11];
  if (bad) check = codes[(s + 1) % 11];
  return body + check;
}

async function tableRows(page) {
  return page.$$eval('#cuts-table .tabulator-tableholder .tabulator-row', (rows) => rows.map((r) => {
    const cells = Array.from(r.querySelectorAll('.tabulator-cell'));
    return cells.map((c) => c.textContent);
  }));
}

async function shoot(page, name) {
  const file = path.join(SHOTS, name + '.png');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// ---- the test -------------------------------------------------------------------------

browser = await chromium.launch({
  executablePath: process.env.CHZ_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync']
});
console.log(`chromium ${browser.version()}`);

const routes = JSON.parse(fs.readFileSync(process.env.CHZ_ROUTES, 'utf8'));
const admin = await newPage(1366, 768);
let meta, period, adminCsrf;

await step('the sign-in form is shown to a visitor with no session', async () => {
  await admin.goto(BASE + '/?test=1');
  await waitReady(admin, 'the sign-in form');
  check(await admin.isVisible('#login-form'), 'no sign-in form');
  check(!(await admin.isVisible('#nav')), 'navigation shown before sign-in');
});

await step('sign in as admin: the admin sections are shown, the others are not', async () => {
  const res = await signIn(admin, 'admin', PASSWORD);
  eq(res.status(), 200, 'login status');
  await waitReady(admin, 'the overview');
  check(await admin.isVisible('#view-overview'), 'overview not shown after sign-in');
  const shown = await admin.$$eval('#nav a', (as) => as.filter((a) => !a.hidden).map((a) => a.dataset.section));
  eq(shown.join(','), 'overview,cuts,targets,freshness,certificates,person,import,devices', 'sections shown to admin');
  const me = await getJson(admin, 'me');
  eq(me.role, 'admin', 'me.role');
  check(typeof me.csrf === 'string' && me.csrf.length >= 16, 'me.csrf missing');
  adminCsrf = me.csrf;
  meta = await getJson(admin, 'indicators');
  meta.byKey = {};
  for (const i of meta.indicators) meta.byKey[i.key] = i;
});

await step('overview: the default period is this calendar year to today (China time)', async () => {
  const today = chinaToday();
  eq(await admin.inputValue('#period-from'), today.slice(0, 4) + '-01-01', 'period from');
  eq(await admin.inputValue('#period-to'), today, 'period to');
  period = { from: today.slice(0, 4) + '-01-01', to: today };
});

await step('overview: the cards equal report?by=total for the same period', async () => {
  const query = await admin.getAttribute('#cards', 'data-query');
  eq(query, `from=${period.from}&to=${period.to}&by=total`, 'the cards\' query');
  const rep = await getJson(admin, `report?${query}&format=json`);
  const cards = await admin.$$eval('#cards .card', (cs) => cs.map((c) => ({
    key: c.dataset.key, value: c.dataset.value, text: c.querySelector('.card-value').textContent,
    name: c.querySelector('.card-name').textContent
  })));
  const want = ['cert_rate', 'trained_enrolments', 'trained_people', 'hours', 'pass_rate', 'mid_high_share',
    'new_certified'];
  eq(cards.map((c) => c.key).join(','), want.join(','), 'the cards shown');
  let nonzero = 0;
  for (const c of cards) {
    const v = rep.total.values[c.key];
    check(typeof v === 'number', `report total has no number for ${c.key}`);
    eq(Number(c.value), v, `card ${c.key} data-value`);
    eq(shownNumber(c.text), expectedShown(meta.byKey[c.key], v), `card ${c.key} shown "${c.text}"`);
    eq(c.name, meta.byKey[c.key].name, `card ${c.key} name`);
    if (v > 0) nonzero++;
  }
  check(nonzero >= 5, `only ${nonzero} cards are non-zero: the demo county has figures`);
});

await step('overview: the alerts as GET alerts', async () => {
  const a = (await getJson(admin, 'alerts')).alerts;
  const shown = await admin.$$eval('#overview-alerts li', (ls) => ls.map((l) => l.textContent));
  eq(shown.slice().sort().join('|'), a.map((x) => x.message).sort().join('|'), 'alerts shown');
  check(a.some((x) => x.kind === 'pending') === (PENDING > 0), 'a pending-certificates alert iff certificates are pending');
});

await step('overview: ⓘ shows the indicator\'s definition', async () => {
  await admin.click('#cards .card[data-key="cert_rate"] .info');
  check(await admin.isVisible('#definition'), 'definition box not shown');
  eq(await admin.textContent('#definition-text'), meta.byKey.cert_rate.definition, 'definition text');
  await admin.click('#definition-close');
  check(!(await admin.isVisible('#definition')), 'definition box not closed');
});

await step('overview: every trend chart rendered (canvas of non-zero size)', async () => {
  const charts = await admin.$$eval('#view-overview .chart', (cs) => cs.map((c) => {
    const canvas = c.querySelector('canvas');
    const r = canvas ? canvas.getBoundingClientRect() : { width: 0, height: 0 };
    return { id: c.id, rendered: c.dataset.rendered, w: r.width, h: r.height };
  }));
  eq(charts.length, 3, 'charts');
  for (const c of charts) {
    eq(c.rendered, '1', `${c.id} finished`);
    check(c.w > 100 && c.h > 100, `${c.id} canvas is ${c.w}×${c.h}`);
  }
});

await step('screenshots at 1366×768: overview', async () => {
  await shoot(admin, 'overview_1366');
});

// The cuts over the last 200 days, so the demo county's training (the last
// 120 days) is inside whatever day the test runs on.
const cutPeriod = { from: daysBefore(chinaToday(), 200), to: chinaToday() };
function q(p) {
  let s = `from=${cutPeriod.from}&to=${cutPeriod.to}&by=${p.by}`;
  if (p.township) s += '&township=' + encodeURIComponent(p.township);
  if (p.site) s += '&site=' + encodeURIComponent(p.site);
  return s;
}
async function checkCut(level, what) {
  const query = await admin.getAttribute('#cuts-table', 'data-query');
  eq(query, q(level), `${what}: the table's query`);
  const rep = await getJson(admin, `report?${query}&format=json`);
  const rows = await tableRows(admin);
  eq(rows.length, rep.rows.length, `${what}: table rows vs API rows`);
  eq(Number(await admin.getAttribute('#cuts-count', 'data-rows')), rep.rows.length, `${what}: row count`);
  const labels = rows.map((r) => r[0]).sort();
  eq(JSON.stringify(labels), JSON.stringify(rep.rows.map((r) => r.label).sort()), `${what}: row labels`);
  // Each row's figures as the API's, column by column.
  const byLabel = new Map(rep.rows.map((r) => [r.label, r]));
  for (const r of rows) {
    const api = byLabel.get(r[0]);
    rep.columns.forEach((key, i) => {
      const v = api.values[key];
      if (typeof v !== 'number') return;
      eq(shownNumber(r[i + 1]), expectedShown(meta.byKey[key], v), `${what}: ${r[0]} ${key}`);
    });
  }
  const calc = await admin.$$eval('#cuts-table .tabulator-calcs-bottom .tabulator-cell', (cs) => cs.map((c) => c.textContent));
  check(calc.length > 1, `${what}: no total row`);
  rep.columns.forEach((key, i) => {
    const v = rep.total.values[key];
    if (typeof v === 'number') eq(shownNumber(calc[i + 1]), expectedShown(meta.byKey[key], v), `${what}: total ${key}`);
  });
  return rep;
}

let townshipRep;
await step('cuts: by township, the table equals the API (rows, figures, total)', async () => {
  await goto(admin, 'cuts');
  await admin.fill('#period-from', cutPeriod.from);
  await admin.fill('#period-to', cutPeriod.to);
  await act(admin, () => admin.click('#period-apply'), 'cuts after the period');
  await act(admin, () => admin.selectOption('#cut-select', 'township'), 'cut township');
  townshipRep = await checkCut({ by: 'township' }, 'township');
  check(townshipRep.rows.length >= 3, 'fewer than 3 townships');
});

await step('cuts: a header filter narrows the table to the matching townships', async () => {
  const label = townshipRep.rows.find((r) => r.label.length >= 2).label;
  const part = label.slice(0, 2);
  const want = townshipRep.rows.filter((r) => r.label.indexOf(part) >= 0).length;
  // As an input method enters it: one `input` event, no key events.
  await admin.fill('#cuts-table .tabulator-col[tabulator-field="label"] .tabulator-header-filter input', part);
  await admin.waitForFunction((n) => document.getElementById('cuts-count').dataset.shown === String(n), want,
    { timeout: 5000 }).catch(() => {});
  eq(Number(await admin.getAttribute('#cuts-count', 'data-shown')), want, `rows shown for "${part}"`);
  eq((await tableRows(admin)).length, want, `table rows for "${part}"`);
  await admin.fill('#cuts-table .tabulator-col[tabulator-field="label"] .tabulator-header-filter input', '');
  await admin.waitForFunction((n) => document.getElementById('cuts-count').dataset.shown === String(n),
    townshipRep.rows.length, { timeout: 5000 });
});

function exact(s) { return new RegExp('^' + s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$'); }

await step('cuts: drill down township → site → class, breadcrumb and rows as the API', async () => {
  const town = townshipRep.rows.find((r) => r.values.trained_enrolments > 0);
  check(town, 'no township with training');
  await act(admin, () => admin.locator('#cuts-table .tabulator-row .drill', { hasText: exact(town.label) }).first().click(),
    'drill to sites');
  eq(await admin.getAttribute('#crumbs', 'data-depth'), '2', 'breadcrumb depth');
  check((await admin.textContent('#crumbs')).indexOf(town.label) >= 0, 'breadcrumb does not name the township');
  const sites = await checkCut({ by: 'site', township: town.key }, 'sites of ' + town.label);
  const site = sites.rows.find((r) => r.values.trained_enrolments > 0);
  check(site, 'no site with training in ' + town.label);
  await act(admin, () => admin.locator('#cuts-table .tabulator-row .drill', { hasText: exact(site.label) }).first().click(),
    'drill to classes');
  eq(await admin.getAttribute('#crumbs', 'data-depth'), '3', 'breadcrumb depth');
  const crumbs = await admin.textContent('#crumbs');
  check(crumbs.indexOf(town.label) >= 0 && crumbs.indexOf(site.label) >= 0, `breadcrumb "${crumbs}"`);
  const classes = await checkCut({ by: 'class', site: site.key }, 'classes of ' + site.label);
  check(classes.rows.length >= 1, 'no class');
  await act(admin, () => admin.click('#crumbs button[data-level="1"]'), 'back to sites');
  eq(await admin.getAttribute('#crumbs', 'data-depth'), '2', 'breadcrumb depth after going back');
  await checkCut({ by: 'site', township: town.key }, 'sites again');
  await act(admin, () => admin.click('#crumbs button[data-level="0"]'), 'back to townships');
  await checkCut({ by: 'township' }, 'townships again');
});

await step('screenshots at 1366×768: cuts', async () => {
  await shoot(admin, 'cuts_1366');
});

await step('cuts: CSV export has the API\'s figures, XLSX is a workbook; both ask the same query', async () => {
  const query = await admin.getAttribute('#cuts-table', 'data-query');
  const [csvDl] = await Promise.all([admin.waitForEvent('download'), admin.click('#export-csv')]);
  eq(new URL(csvDl.url()).search, '?' + query + '&format=csv', 'CSV download query');
  const csv = fs.readFileSync(await csvDl.path(), 'utf8');
  const rows = parseCsv(csv);
  const head = rows.findIndex((r) => r[0] === '序号');
  check(head >= 0, 'no header row (序号) in the CSV');
  const names = rows[head];
  const rep = await getJson(admin, `report?${query}&format=json`);
  const byLabel = new Map(rep.rows.map((r) => [r.label, r]));
  let seen = 0, compared = 0;
  for (const r of rows.slice(head + 1)) {
    const api = byLabel.get(r[1]);
    if (!api) continue;
    seen++;
    names.forEach((name, i) => {
      const ind = meta.indicators.find((x) => x.name === name);
      if (!ind || typeof api.values[ind.key] !== 'number') return;
      eq(csvNumber(r[i]), expectedShown(ind, api.values[ind.key]), `CSV ${r[1]} ${name}`);
      compared++;
    });
  }
  eq(seen, rep.rows.length, 'CSV rows matching the API rows');
  check(compared >= rep.rows.length * 5, `only ${compared} CSV figures compared`);
  const [xlsxDl] = await Promise.all([admin.waitForEvent('download'), admin.click('#export-xlsx')]);
  eq(new URL(xlsxDl.url()).search, '?' + query + '&format=xlsx', 'XLSX download query');
  const xlsx = fs.readFileSync(await xlsxDl.path());
  eq(xlsx.slice(0, 2).toString('latin1'), 'PK', 'XLSX header');
  check(xlsx.includes(Buffer.from('xl/worksheets/')), 'XLSX has no xl/worksheets/');
  console.log(`  CSV ${csvDl.suggestedFilename()} (${seen} rows, ${compared} figures), XLSX ${xlsxDl.suggestedFilename()} (${xlsx.length} bytes)`);
});

await step('a POST without X-CSRF-Token is refused 403 csrf', async () => {
  const r = await call(admin, 'POST', 'certificates/reject', { body: { number: 'none', reason: 'test' } });
  eq(r.status, 403, 'status');
  eq(r.json && r.json.error, 'csrf', 'error code');
});

await step('freshness: the table lists the kiosks and the pending count as the API', async () => {
  await goto(admin, 'freshness');
  const f = await getJson(admin, 'freshness?silent_days=7');
  const n = await admin.$$eval('#fresh-table .tabulator-tableholder .tabulator-row', (r) => r.length);
  eq(n, f.devices.length, 'kiosk rows');
  eq(await admin.getAttribute('#fresh-cards [data-key="pending_certificates"]', 'data-value'),
    String(f.pending_certificates || 0), 'pending certificates');
  const silent = await admin.$$eval('#fresh-table .row-silent', (r) => r.length);
  eq(silent, f.devices.filter((d) => d.silent).length, 'silent kiosks flagged');
  await shoot(admin, 'freshness_1366');
});

// ---- 目标完成: the table as GET targets, set and withdraw through the form -----------

// The rows of a Tabulator table as the texts of their cells.
async function tabRows(page, id) {
  return page.$$eval(`#${id} .tabulator-tableholder .tabulator-row`, (rows) => rows.map((r) =>
    Array.from(r.querySelectorAll('.tabulator-cell')).map((c) => c.textContent)));
}
// A report_json cell as the page shows it (report_table.h's formats).
function reportShown(type, v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (type === 'percent1') return (v * 100).toFixed(1) + '%';
  return v.toLocaleString('zh-CN', type === 'decimal1'
    ? { minimumFractionDigits: 1, maximumFractionDigits: 1 } : { maximumFractionDigits: 0 });
}
// The 目标完成 table against GET targets: titles, every row, every cell, 合计.
async function checkTargetsTable(page, year, what) {
  const r = await getJson(page, 'targets?year=' + year);
  check(r.table, `${what}: the API has no table`);
  const head = await page.$$eval('#targets-table .tabulator-col .tabulator-col-title',
    (cs) => cs.map((c) => c.textContent));
  eq(head.join('|'), ['序号'].concat(r.table.columns.map((c) => c.title)).join('|'), `${what}: column titles`);
  const rows = await tabRows(page, 'targets-table');
  eq(rows.length, r.table.rows.length, `${what}: rows`);
  r.table.rows.forEach((row, i) => {
    eq(rows[i][0], String(i + 1), `${what}: 序号 of row ${i + 1}`);
    row.forEach((v, c) => eq(rows[i][c + 1], reportShown(r.table.columns[c].type, v),
      `${what}: row ${i + 1} ${r.table.columns[c].title}`));
  });
  if (r.table.total.length) {
    const calc = await page.$$eval('#targets-table .tabulator-calcs-bottom .tabulator-cell', (cs) => cs.map((c) => c.textContent));
    r.table.total.forEach((v, c) => eq(calc[c + 1], reportShown(r.table.columns[c].type, v),
      `${what}: 合计 ${r.table.columns[c].title}`));
  }
  eq(await page.$$eval('#view-targets img', (i) => i.length), 0, `${what}: img elements`);
  return r;
}
// Sets (or, with value null, withdraws) a target through the form; the table reloads.
async function formTarget(page, { county, indicator, value }) {
  if (county !== undefined) await page.selectOption('#target-county', county);
  await page.selectOption('#target-indicator', indicator);
  if (value !== null) await page.fill('#target-value', value);
  const path = value === null ? 'targets/clear' : 'targets/set';
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(API + path)),
    act(page, () => page.click(value === null ? '#target-clear' : '#target-set'), `the table after ${path}`)
  ]);
  eq(res.status(), 200, `${path} ${indicator} ${value}`);
}

const targetYear = Number(chinaToday().slice(0, 4));
await step('targets: 目标完成 offers to set one; an admin sets 培训人数 and 持证率 in the form; the table is GET targets', async () => {
  await goto(admin, 'targets');
  eq(await admin.inputValue('#targets-year'), String(targetYear), 'the year shown');
  const before = await getJson(admin, 'targets?year=' + targetYear);
  check(before.table === null && before.targets.length === 0, `the demo county has targets: ${JSON.stringify(before.targets)}`);
  check(await admin.isVisible('#targets-none'), 'no "no targets" notice');
  check(!(await admin.isVisible('#targets-xlsx')), 'an export offered without a table');
  check(await admin.isVisible('#target-edit'), 'no form for the admin');
  check(!(await admin.isVisible('#target-county-field')), 'a county choice at a county');
  const kinds = await admin.$$eval('#target-indicator option', (os) => os.map((o) => o.value));
  eq(kinds.join(','), meta.indicators.map((i) => i.key).concat(['employed_cert_rate']).join(','), 'indicators offered');
  // A value the server refuses: its reason shows, nothing is written.
  await admin.selectOption('#target-indicator', 'trained_people');
  await admin.fill('#target-value', '2.5');
  const [bad] = await Promise.all([
    admin.waitForResponse((r) => r.url().endsWith(API + 'targets/set')),
    admin.click('#target-set')
  ]);
  eq(bad.status(), 400, 'a fractional 培训人数');
  const reason = (await bad.json()).message;
  await admin.waitForSelector('#message.message-error:not([hidden])', { timeout: 5000 });
  check((await admin.textContent('#message')).indexOf(reason) >= 0, 'the refusal\'s reason is not shown');
  eq((await getJson(admin, 'targets?year=' + targetYear)).targets.length, 0, 'targets after the refusal');

  await formTarget(admin, { indicator: 'trained_people', value: '4000' });
  await formTarget(admin, { indicator: 'cert_rate', value: '55%' });
  const r = await checkTargetsTable(admin, targetYear, 'after setting two');
  eq(r.table.columns.length, 7, 'columns: unit and three per target');
  const row = (await tabRows(admin, 'targets-table'))[0];
  eq(row[2], '4,000', 'the 培训人数 target shown');
  eq(row[5], '55.0%', 'the 持证率 target shown');
  eq(await admin.getAttribute('#targets-table', 'data-rows'), '1', 'one row at a county');
  const listed = await admin.$$eval('#targets-list-rows tr', (rs) => rs.map((x) => x.dataset.indicator + '=' + x.dataset.value));
  eq(listed.join(','), r.targets.map((x) => x.indicator + '=' + x.value).join(','), 'the targets listed');
  check((await admin.textContent('#targets-period')).indexOf(`${targetYear}-01-01 至 `) >= 0, 'no period shown');
});

await step('targets: a listed target fills the form; 撤销 withdraws it; XLSX and CSV are the table', async () => {
  await admin.click('#targets-list-rows tr[data-indicator="cert_rate"]');
  eq(await admin.inputValue('#target-indicator'), 'cert_rate', 'the indicator put in the form');
  eq(await admin.inputValue('#target-value'), '55%', 'the value put in the form');
  await formTarget(admin, { indicator: 'cert_rate', value: null });
  let r = await checkTargetsTable(admin, targetYear, 'after withdrawing 持证率');
  eq(r.table.columns.length, 4, 'columns after withdrawing');
  await formTarget(admin, { indicator: 'cert_rate', value: '0.6' });
  r = await checkTargetsTable(admin, targetYear, 'after setting 持证率 again');
  eq((await tabRows(admin, 'targets-table'))[0][5], '60.0%', 'a rate typed as 0.6');

  const [xl] = await Promise.all([admin.waitForEvent('download'), admin.click('#targets-xlsx')]);
  eq(new URL(xl.url()).search, `?year=${targetYear}&format=xlsx`, 'XLSX query');
  check(/目标完成情况表.*\.xlsx$/.test(xl.suggestedFilename()), `XLSX name ${xl.suggestedFilename()}`);
  const xlsx = fs.readFileSync(await xl.path());
  eq(xlsx.slice(0, 4).toString('latin1'), 'PK\x03\x04', 'XLSX header');
  check(xlsx.length > 4000 && xlsx.includes(Buffer.from('xl/worksheets/')), `XLSX of ${xlsx.length} bytes`);
  const [cv] = await Promise.all([admin.waitForEvent('download'), admin.click('#targets-csv')]);
  const rows = parseCsv(fs.readFileSync(await cv.path(), 'utf8'));
  const head = rows.findIndex((x) => x[0] === '序号');
  check(head >= 0, 'no header row (序号) in the CSV');
  eq(rows[head].slice(1, 1 + r.table.columns.length).join('|'), r.table.columns.map((c) => c.title).join('|'), 'CSV header');
  eq(rows[head + 1][1], r.table.rows[0][0], 'CSV unit');
  eq(csvNumber(rows[head + 1][2]), r.table.rows[0][1], 'CSV 培训人数目标');
  await admin.evaluate(() => { document.getElementById('toast').hidden = true; });
  await shoot(admin, 'targets_1366');
  check(admin.errors.length === 0, 'page errors: ' + admin.errors.join(' | '));
});

let pending;
const certSteps = PENDING > 0 ? step : (name) => skip(name, 'no kiosk issued certificates (build chizheng-kioskctl and chz-test-issue-certificates)');
await certSteps('certificates: the pending list as GET certificates/pending', async () => {
  await goto(admin, 'certificates');
  pending = (await getJson(admin, 'certificates/pending')).certificates;
  eq(pending.length, PENDING, 'pending certificates (the kiosk issued them)');
  eq(await admin.$$eval('#cert-table img', (i) => i.length), 0, 'img elements in the pending list');
  const numbers = await admin.$$eval('#cert-rows tr', (rs) => rs.map((r) => r.dataset.number));
  eq(numbers.sort().join(','), pending.map((c) => c.number).sort().join(','), 'pending numbers');
  await shoot(admin, 'certificates_1366');
});

await certSteps('certificates: confirm one in the page; it leaves the pending list', async () => {
  // The enrolled person's (masked 张*): 人员查询 annuls it below.
  const first = pending.findIndex((x) => String(x.name).startsWith(PERSON_NAME.slice(0, 1)));
  if (first > 0) pending.unshift(pending.splice(first, 1)[0]);
  const c = pending[0];
  await admin.click(`#cert-rows button[data-number="${c.number}"]`);
  check(await admin.isVisible('#cert-decision'), 'decision form not shown');
  await admin.selectOption('#cert-kind', '专项职业能力证书');
  await admin.fill('#cert-qual-number', 'S1405212026' + String(Date.now()).slice(-7));
  await act(admin, () => admin.click('#cert-confirm'), 'the list after confirming');
  const after = (await getJson(admin, 'certificates/pending')).certificates;
  check(!after.some((x) => x.number === c.number), `${c.number} still pending`);
  eq(after.length, pending.length - 1, 'pending after confirming');
  const rows = await admin.$$eval('#cert-rows tr', (rs) => rs.map((r) => r.dataset.number));
  check(rows.indexOf(c.number) < 0, `${c.number} still in the page's list`);
});

// ---- 人员查询: one person, name matches, 注销 ---------------------------------------------

async function lookUp(page, text) {
  await page.fill('#person-query', text);
  await act(page, () => page.click('#person-search'), `the lookup of ${text}`);
}
// The person view against GET person?key= (facts, classes, exams, certificates with history, held).
async function checkPersonView(page, key, what) {
  const r = await getJson(page, 'person?key=' + encodeURIComponent(key));
  check(await page.isVisible('#person-view'), `${what}: no person shown`);
  eq(await page.getAttribute('#person-view', 'data-key'), r.person.key, `${what}: the person shown`);
  eq(await page.textContent('#person-name'), r.person.name, `${what}: name`);
  eq(await page.textContent('#person-facts [data-fact="id"] dd'), r.person.id_masked, `${what}: masked ID`);
  eq(await page.getAttribute('#person-facts [data-fact="registry"]', 'data-member'),
    r.person.registry && r.person.registry.member ? '1' : '0', `${what}: registry membership`);
  for (const [table, list] of [['person-classes', r.classes], ['person-exams', r.exams],
    ['person-certs', r.certificates], ['person-held', r.held]]) {
    eq(await page.getAttribute('#' + table, 'data-count'), String(list.length), `${what}: rows of ${table}`);
  }
  const certs = await page.$$eval('#person-cert-rows tr[data-number]', (rs) => rs.map((tr) => ({
    number: tr.dataset.number, status: tr.dataset.status,
    history: Array.from(tr.querySelectorAll('.history li')).map((li) => li.dataset.status)
  })));
  eq(JSON.stringify(certs), JSON.stringify(r.certificates.map((c) => ({
    number: c.number, status: c.status, history: (c.history || []).map((h) => h.status)
  }))), `${what}: certificates and their history`);
  eq(await page.$$eval('#view-person img', (i) => i.length), 0, `${what}: img elements`);
  return r;
}

let personKey;
await step('person: an ID number shows the person (name, masked ID, classes) as GET person?id=', async () => {
  check(PERSON_ID && PERSON_NAME, 'run.sh gave no CHZ_PERSON_ID / CHZ_PERSON_NAME');
  await goto(admin, 'person');
  await lookUp(admin, PERSON_ID);
  const r = await getJson(admin, 'person?id=' + PERSON_ID);
  eq(r.person.name, PERSON_NAME, 'the API\'s name');
  check(r.person.id_masked && r.person.id_masked !== PERSON_ID &&
    r.person.id_masked.indexOf(PERSON_ID.slice(6, 14)) < 0, `the ID is not masked: ${r.person.id_masked}`);
  eq(await admin.textContent('#person-name'), PERSON_NAME, 'the name shown');
  eq(await admin.textContent('#person-facts [data-fact="id"] dd'), r.person.id_masked, 'the masked ID shown');
  check((await admin.textContent('#view-person')).indexOf(PERSON_ID) < 0, 'the full ID number is on the page');
  check(r.classes.some((c) => c.class === 'class-site-11-1'), 'the class run.sh enrolled the person in');
  personKey = r.person.key;
  await checkPersonView(admin, personKey, 'by ID number');
});

await step('person: a malformed ID number shows the server\'s refusal', async () => {
  const bad = PERSON_ID.slice(0, 17) + String((Number(PERSON_ID[17]) + 1) % 10);
  const r = await call(admin, 'GET', 'person?id=' + bad);
  eq(r.status, 400, 'status');
  eq(r.json && r.json.error, 'malformed', 'error code');
  await lookUp(admin, bad);
  check(await admin.isVisible('#person-refusal'), 'no refusal shown');
  eq(await admin.textContent('#person-refusal'), r.json.message, 'the refusal shown');
  check(!(await admin.isVisible('#person-view')), 'a person still shown');
});

await step('person: a name lists the matches as GET person?name=; a click opens the person', async () => {
  await lookUp(admin, PERSON_NAME);
  const m = (await getJson(admin, 'person?name=' + encodeURIComponent(PERSON_NAME))).matches;
  check(m.some((x) => x.key === personKey), 'the person is not among the matches');
  const keys = await admin.$$eval('#person-match-rows tr', (rs) => rs.map((r) => r.dataset.key));
  eq(keys.join(','), m.map((x) => x.key).join(','), 'the matches listed');
  await act(admin, () => admin.click(`#person-match-rows tr[data-key="${personKey}"]`), 'the person from the matches');
  check(!(await admin.isVisible('#person-matches')), 'the matches still shown');
  await checkPersonView(admin, personKey, 'from the matches');
  if (PENDING === 0) await shoot(admin, 'person_1366');
});

await certSteps('person: 注销 the certificate confirmed above in its holder\'s view; the history shows 注销', async () => {
  const number = pending[0].number;
  eq(personKey, PERSON_KEY, 'the key run.sh gave the kiosk');
  const holder = { name: PERSON_NAME, key: personKey };
  check((await getJson(admin, 'person?key=' + personKey)).certificates.some((c) => c.number === number),
    `${number} is not ${PERSON_NAME}'s`);
  await lookUp(admin, PERSON_ID);
  await checkPersonView(admin, holder.key, 'the holder');
  eq(await admin.getAttribute(`#person-cert-rows tr[data-number="${number}"]`, 'data-status'), '已确认', 'status before');
  await admin.click(`#person-cert-rows button[data-annul="${number}"]`);
  check(await admin.isVisible('#person-annul-reason'), 'no reason field');
  const reason = '测试：重复发证 <b>x</b>';
  await admin.fill('#person-annul-reason', reason);
  const [res] = await Promise.all([
    admin.waitForResponse((r) => r.url().endsWith(API + 'certificates/annul')),
    act(admin, () => admin.click('#person-annul-confirm'), 'the holder after 注销')
  ]);
  eq(res.status(), 200, 'annul status');
  eq((await res.json()).status, '注销', 'the answer\'s status');
  const r = await checkPersonView(admin, holder.key, 'after 注销');
  const c = r.certificates.find((x) => x.number === number);
  eq(c.status, '注销', 'the API\'s status');
  const h = (c.history || []).find((x) => x.status === '注销');
  check(h && h.reason === reason, `no 注销 with the reason in the history: ${JSON.stringify(c.history)}`);
  const row = `#person-cert-rows tr[data-number="${number}"]`;
  eq(await admin.getAttribute(row, 'data-status'), '注销', 'status shown');
  check((await admin.textContent(row + ' .history li[data-status="注销"]')).indexOf(reason) >= 0,
    'the history shown lacks the 注销 and its reason');
  eq(await admin.$$eval(row + ' button[data-annul]', (b) => b.length), 0, 'an annulled certificate offers 注销');
  eq(await admin.evaluate(() => window.__xss), undefined, 'window.__xss');
  await admin.evaluate(() => { document.getElementById('toast').hidden = true; });
  await shoot(admin, 'person_1366');
  // The same decision again writes nothing; no reason: 400; a rejected certificate: 409.
  const again = await call(admin, 'POST', 'certificates/annul', { csrf: adminCsrf, body: { number, reason: 'x' } });
  eq(again.status, 200, `annulling it again (${again.text.slice(0, 120)})`);
  eq(again.json.written, false, 'annulling it again writes');
  if (pending[1]) {
    const other = pending[1].number;
    const noReason = await call(admin, 'POST', 'certificates/annul', { csrf: adminCsrf, body: { number: other, reason: '' } });
    eq(noReason.status, 400, 'annul without a reason');
    eq((await call(admin, 'POST', 'certificates/reject',
      { csrf: adminCsrf, body: { number: other, reason: '照片不清' } })).status, 200, 'reject the other');
    const r409 = await call(admin, 'POST', 'certificates/annul', { csrf: adminCsrf, body: { number: other, reason: 'x' } });
    eq(r409.status, 409, `annul a rejected certificate (${r409.text.slice(0, 120)})`);
    eq(r409.json && r409.json.error, 'conflict', 'error code');
  }
});

await step('registry import: a dry run shows the row-level error table, then the import', async () => {
  await goto(admin, 'import');
  const good = idNumber('140521', '1986-04-12', 731);
  const csv = '姓名,身份证号,性别,乡镇,村,联系电话,就业状态,重点群体\n' +
    `${XSS},${good},,${XSS},${XSS},13800000731,已就业,\n` +
    `测试乙,${idNumber('140521', '1990-07-01', 732, true)},,城关镇,东关村,,,\n` +
    `,${idNumber('140521', '1979-01-09', 733)},,城关镇,西关村,,,\n`;
  fs.writeFileSync(path.join(WORK, 'registry.csv'), csv);
  await admin.selectOption('#import-kind', 'registry');
  await admin.setInputFiles('#import-file', path.join(WORK, 'registry.csv'));
  const [res] = await Promise.all([
    admin.waitForResponse((r) => r.url().indexOf(API + 'registry/import') >= 0),
    act(admin, () => admin.click('#import-dry'), 'the dry run')
  ]);
  eq(res.status(), 200, 'dry run status');
  const dry = await res.json();
  check(dry.dry_run === true, 'the answer is not a dry run');
  const issues = dry.refused || dry.issues || [];
  const refused = issues.filter((i) => i.refused !== false);
  check(refused.length >= 2, `only ${refused.length} rows refused: ${JSON.stringify(dry)}`);
  const shown = await admin.$$eval('#import-issue-rows tr', (rs) => rs.map((r) =>
    Array.from(r.children).slice(0, 3).map((c) => c.textContent)));
  eq(JSON.stringify(shown), JSON.stringify(issues.map((i) => [String(i.row), i.column, i.message])),
    'the error table');
  check(refused.some((i) => i.row === 3) && refused.some((i) => i.row === 4), 'rows 3 and 4 not both refused');
  eq(await admin.getAttribute('#import-result', 'data-refused'), String(refused.length), 'refused rows shown');
  eq(await admin.getAttribute('#import-result', 'data-dry-run'), '1', 'result marked dry run');
  check(!(await admin.isDisabled('#import-run')), 'import button still disabled after the dry run');
  await shoot(admin, 'import_1366');
  const [res2] = await Promise.all([
    admin.waitForResponse((r) => r.url().indexOf(API + 'registry/import') >= 0),
    act(admin, () => admin.click('#import-run'), 'the import')
  ]);
  eq(res2.status(), 200, 'import status');
  const done = await res2.json();
  check(done.dry_run === false, 'the import answered as a dry run');
  eq(done.added, 1, 'people added');
  eq(done.left, 0, 'people left (refused rows skip leaves)');
});

await step('HTML in names shows as text and runs nothing', async () => {
  await goto(admin, 'cuts');
  // A long cut (every village): drawn in well under the 3 s idle limit.
  const t0 = Date.now();
  await act(admin, () => admin.selectOption('#cut-select', 'residence'), 'cut residence');
  check(Date.now() - t0 < 1500, `the residence cut took ${Date.now() - t0} ms`);
  await act(admin, () => admin.selectOption('#cut-select', 'township'), 'cut township');
  const labels = (await tableRows(admin)).map((r) => r[0]);
  if (labels.indexOf(XSS) < 0) {
    const info = await admin.evaluate(() => ({
      query: document.getElementById('cuts-table').dataset.query,
      count: document.getElementById('cuts-count').textContent,
      html: document.getElementById('cuts-table').innerHTML.length
    }));
    fail(`no township shown literally as ${XSS} (rows: ${labels.join(' | ')}; ${JSON.stringify(info)})`);
  }
  const imgs = await admin.$$eval('#cuts-table img, #cards img, #crumbs img', (i) => i.length);
  eq(imgs, 0, 'img elements in the tables');
  await act(admin, () => admin.locator('#cuts-table .tabulator-row .drill', { hasText: exact(XSS) }).first().click(),
    'drill into the injected township');
  check((await admin.textContent('#crumbs')).indexOf(XSS) >= 0, 'breadcrumb does not show the name as text');
  eq(await admin.evaluate(() => window.__xss), undefined, 'window.__xss');
  await act(admin, () => admin.click('#crumbs button[data-level="0"]'), 'back to townships');
});

await step('kiosks: the list as GET devices; an enrollment code and its USB file; revoke a kiosk', async () => {
  await goto(admin, 'devices');
  const d = await getJson(admin, 'devices');
  const rows = await admin.$$eval('#devices-rows tr', (rs) => rs.map((r) => r.dataset.device));
  eq(rows.sort().join(','), d.devices.map((x) => x.device).sort().join(','), 'kiosks listed');
  // Each kiosk's short number (the one in its certificates) in the 编号 column.
  for (const x of d.devices) {
    const shown = await admin.textContent(`#devices-rows tr[data-device="${x.device}"] td:nth-child(3)`);
    eq(shown, x.number > 0 ? String(x.number).padStart(3, '0') : '—', `number of ${x.device}`);
  }
  check(d.devices.some((x) => x.number > 0), 'some kiosk has a short number');
  const sites = await admin.$$eval('#code-site option', (os) => os.map((o) => o.value));
  eq(sites.sort().join(','), d.sites.map((x) => x.site).sort().join(','), 'sites offered');
  await admin.selectOption('#code-site', '140521199');
  await admin.fill('#code-hours', '2');
  const [res] = await Promise.all([
    admin.waitForResponse((r) => r.url().endsWith(API + 'devices/code')),
    admin.click('#code-issue')
  ]);
  eq(res.status(), 200, 'code status');
  const code = (await res.json()).code;
  await admin.waitForSelector('#code-result:not([hidden])');
  eq(await admin.textContent('#code-value'), code, 'the code shown');
  const [dl] = await Promise.all([admin.waitForEvent('download'), admin.click('#code-usb')]);
  eq(dl.suggestedFilename(), 'chizheng-enroll.txt', 'USB file name');
  const file = fs.readFileSync(await dl.path(), 'utf8');
  check(/^server=\S+$/m.test(file) && file.indexOf('code=' + code) >= 0, `USB file: ${JSON.stringify(file)}`);
  const kiosk = d.devices.find((x) => x.site === '140521199' && !x.revoked);
  if (PENDING > 0) {
    check(kiosk, 'the test kiosk is not listed');
    await admin.click(`#devices-rows button[data-device="${kiosk.device}"]`);
    eq(await admin.textContent(`#devices-rows button[data-device="${kiosk.device}"]`), '确认吊销？', 'asks first');
    await act(admin, () => admin.click(`#devices-rows button[data-device="${kiosk.device}"]`), 'the kiosks after revoking');
    check((await getJson(admin, 'devices')).devices.some((x) => x.device === kiosk.device && x.revoked), 'not revoked');
    check((await admin.textContent(`#devices-rows tr[data-device="${kiosk.device}"]`)).indexOf('已吊销') >= 0,
      'the page does not show it revoked');
  }
  await shoot(admin, 'devices_1366');
});

await step('screenshots at 390×844: overview, cuts, targets, freshness, certificates, person', async () => {
  await admin.setViewportSize({ width: 390, height: 844 });
  for (const s of ['overview', 'cuts', 'targets', 'freshness', 'certificates', 'person']) {
    await goto(admin, s);
    if (s === 'overview') {
      await act(admin, () => admin.click('#period-year'), 'the overview for this year');
      const w = await admin.$$eval('#view-overview .chart canvas', (cs) => cs.map((c) => c.getBoundingClientRect().width));
      check(w.length === 3 && w.every((x) => x > 200 && x <= 390), `phone charts are ${w.join(',')} wide`);
      const scroll = await admin.evaluate(() => document.documentElement.scrollWidth);
      check(scroll <= 390, `the overview is ${scroll} px wide on a 390 px phone`);
    }
    await shoot(admin, s + '_390');
  }
  await admin.setViewportSize({ width: 1366, height: 768 });
  check(admin.errors.length === 0, 'page errors: ' + admin.errors.join(' | '));
});

await step('sign-out: the sign-in form, and the session is gone (GET me → 401)', async () => {
  await act(admin, () => admin.click('#signout'), 'the sign-in form after signing out');
  check(await admin.isVisible('#login-form'), 'no sign-in form after signing out');
  check(!(await admin.isVisible('#nav')), 'navigation still shown');
  eq((await call(admin, 'GET', 'me')).status, 401, 'GET me after signing out');
});

// ---- the viewer: refusals by role, the session's end ---------------------------------

const viewer = await newPage(1366, 768);
let viewerCsrf;
await step('sign in as viewer: only the viewer\'s sections are shown', async () => {
  await viewer.goto(BASE + '/?test=1');
  await waitReady(viewer, 'the sign-in form');
  const res = await signIn(viewer, 'viewer', PASSWORD);
  eq(res.status(), 200, 'login status');
  await waitReady(viewer, 'the viewer\'s overview');
  const shown = await viewer.$$eval('#nav a', (as) => as.filter((a) => !a.hidden).map((a) => a.dataset.section));
  eq(shown.join(','), 'overview,cuts,targets,freshness', 'sections shown to viewer');
  viewerCsrf = (await getJson(viewer, 'me')).csrf;
  // 目标完成 for a viewer: the table the admin set, no form.
  await goto(viewer, 'targets');
  check(await viewer.isVisible('#targets-table .tabulator-row'), 'no targets table for the viewer');
  check(!(await viewer.isVisible('#target-edit')), 'the target form shown to a viewer');
});

await step('viewer: every route whose roles do not name viewer answers 403', async () => {
  const list = Array.isArray(routes) ? routes : (routes.routes || []);
  const refused = list.filter((r) => String(r.path).startsWith(API) && Array.isArray(r.roles) &&
    r.roles.length > 0 && r.roles.indexOf('viewer') < 0 &&
    !r.roles.some((x) => /^(anyone|any|public|signed[ _-]?in|\*)$/i.test(x)));
  check(refused.length >= 8, `only ${refused.length} routes closed to the viewer in: ${JSON.stringify(list).slice(0, 300)}`);
  const bad = [];
  for (const r of refused) {
    const res = r.method === 'GET'
      ? await call(viewer, 'GET', r.path)
      : await call(viewer, r.method, r.path, { csrf: viewerCsrf, body: {} });
    if (res.status !== 403 || !res.json || res.json.error !== 'forbidden') {
      bad.push(`${r.method} ${r.path} → ${res.status} ${res.text.slice(0, 80)}`);
    }
  }
  check(bad.length === 0, bad.join('; '));
  console.log(`  ${refused.length} routes refused: ${refused.map((r) => r.method + ' ' + r.path.slice(API.length)).join(', ')}`);
});

await step('viewer: after more than 3 s idle the session has ended (401) and the page asks to sign in', async () => {
  await viewer.waitForTimeout(4200);
  const r = await call(viewer, 'GET', 'me');
  eq(r.status, 401, 'GET me after idle');
  await act(viewer, () => viewer.evaluate(() => { window.location.hash = '#freshness'; }), 'the sign-in form');
  check(await viewer.isVisible('#login-form'), 'no sign-in form after the session ended');
  const text = await viewer.textContent('#login-error');
  check(text.indexOf('过期') >= 0, `no expiry message: "${text}"`);
});

// ---- lockout ---------------------------------------------------------------------------------

await step('five wrong passwords lock the user: the sixth (right) attempt answers 423', async () => {
  const page = await newPage(1366, 768);
  await page.goto(BASE + '/?test=1');
  await waitReady(page, 'the sign-in form');
  for (let i = 1; i <= 5; i++) {
    const res = await signIn(page, 'locktest', 'Wrong-Password-' + i);
    eq(res.status(), 401, `wrong password ${i}`);
    await page.waitForFunction(() => !document.getElementById('login-submit').disabled);
    check((await page.textContent('#login-error')).indexOf('密码错误') >= 0, 'no wrong-password message');
  }
  const res = await signIn(page, 'locktest', PASSWORD);
  eq(res.status(), 423, 'the sixth attempt');
  const body = await res.json();
  eq(body.error, 'locked', 'error code');
  check(typeof body.retry_after_s === 'number' && body.retry_after_s > 0, 'no retry_after_s');
  await page.waitForFunction(() => !document.getElementById('login-submit').disabled);
  const text = await page.textContent('#login-error');
  check(text.indexOf('锁定') >= 0 && text.indexOf(String(body.retry_after_s)) >= 0, `locked message: "${text}"`);
  await shoot(page, 'locked_1366');
});

// ---- security and audit: their own sections only ----------------------------------------
// Sign-ins so far: admin, viewer, six for locktest; these two make ten, the
// server's limit per address and minute (an eleventh would answer 429).

await step('security: only 用户; the list as GET users; add a user and unlock one in the page', async () => {
  const page = await newPage(1366, 768);
  await page.goto(BASE + '/?test=1');
  await waitReady(page, 'the sign-in form');
  eq((await signIn(page, 'security', PASSWORD)).status(), 200, 'login status');
  await waitReady(page, 'the users');
  const shown = await page.$$eval('#nav a', (as) => as.filter((a) => !a.hidden).map((a) => a.dataset.section));
  eq(shown.join(','), 'users', 'sections shown to security');
  const users = (await getJson(page, 'users')).users;
  const names = await page.$$eval('#users-rows tr', (rs) => rs.map((r) => r.dataset.name));
  eq(names.join(','), users.map((u) => u.name).join(','), 'users listed');
  check(users.some((u) => u.name === 'locktest' && u.locked), 'locktest is not locked');
  await page.fill('#user-add input[name="name"]', 'clerk');
  await page.selectOption('#user-add select[name="role"]', 'viewer');
  await page.fill('#user-add input[name="password"]', 'Lingshan-Tea-2026?');
  await act(page, () => page.click('#user-add button[type="submit"]'), 'the users after adding');
  const after = (await getJson(page, 'users')).users;
  check(after.some((u) => u.name === 'clerk' && u.role === 'viewer'), 'clerk not added');
  check(await page.isVisible('#users-rows tr[data-name="clerk"]'), 'clerk not in the page\'s list');
  await page.click('#users-rows tr[data-name="locktest"]');
  eq(await page.inputValue('#user-unlock input[name="name"]'), 'locktest', 'clicking a user fills the forms');
  await act(page, () => page.click('#user-unlock button[type="submit"]'), 'the users after unlocking');
  check((await getJson(page, 'users')).users.some((u) => u.name === 'locktest' && !u.locked), 'locktest still locked');
  await shoot(page, 'users_1366');
  check(page.errors.length === 0, 'page errors: ' + page.errors.join(' | '));
});

await step('audit: only 审计; the entries and the verified flag as GET audit', async () => {
  const page = await newPage(1366, 768);
  await page.goto(BASE + '/?test=1');
  await waitReady(page, 'the sign-in form');
  eq((await signIn(page, 'auditor', PASSWORD)).status(), 200, 'login status');
  await waitReady(page, 'the audit log');
  const shown = await page.$$eval('#nav a', (as) => as.filter((a) => !a.hidden).map((a) => a.dataset.section));
  eq(shown.join(','), 'audit', 'sections shown to audit');
  const a = await getJson(page, 'audit?after=0');
  eq(await page.getAttribute('#audit-verified', 'data-verified'), a.verified ? '1' : '0', 'verified flag');
  check(a.verified === true, 'the audit chain does not verify');
  const rows = await page.$$eval('#audit-rows tr', (rs) => rs.map((r) => r.children[0].textContent));
  // GET audit above added nothing; the page's own GET came first, so the lists agree.
  eq(rows.join(','), a.entries.map((e) => String(e.seq)).join(','), 'entries listed');
  const whats = a.entries.map((e) => e.what);
  for (const w of ['login', 'login_failed']) check(whats.indexOf(w) >= 0, `no ${w} in the audit log: ${whats.join(',')}`);
  await shoot(page, 'audit_1366');
  check(page.errors.length === 0, 'page errors: ' + page.errors.join(' | '));
});

await step('more than 10 sign-in attempts a minute from one address: 429 and the page says so', async () => {
  const page = await newPage(390, 844);
  await page.goto(BASE + '/?test=1');
  await waitReady(page, 'the sign-in form');
  // Ten came before within the minute unless the machine is very slow: then a few more.
  let status = 0;
  for (let i = 0; i < 12 && status !== 429; i++) {
    status = (await signIn(page, 'nobody', 'Wrong-Password-x' + i)).status();
    await page.waitForFunction(() => !document.getElementById('login-submit').disabled);
  }
  eq(status, 429, 'status');
  const text = await page.textContent('#login-error');
  check(text.indexOf('频繁') >= 0, `rate message: "${text}"`);
  await shoot(page, 'rate_390');
});

// ---- the city: 各县报送情况 and targets per county ----------------------------------------
// run.sh's city issued codes to 沁水县 (enrolled upward, forwarded) and 阳城县.

const CITY = process.env.CHZ_CITY_URL || '';
const citySteps = CITY ? step : (name) => skip(name, 'run.sh started no city (CHZ_CITY_URL)');
let city;
await citySteps('city: 各县报送情况 lists the counties as GET freshness, above the kiosks', async () => {
  city = await newPage(1366, 768);
  await city.goto(CITY + '/?test=1');
  await waitReady(city, 'the city\'s sign-in form');
  eq((await signIn(city, 'cityadmin', PASSWORD)).status(), 200, 'login status');
  await waitReady(city, 'the city\'s overview');
  await goto(city, 'freshness');
  const f = await getJson(city, 'freshness?silent_days=7');
  check(f.counties.some((c) => c.area === '140521' && c.name === '沁水县' && !c.behind && c.last_ms > 0),
    `沁水县 forwarded but is not listed as reporting: ${JSON.stringify(f.counties)}`);
  check(await city.isVisible('#fresh-counties-box'), 'no 各县报送情况 at a city');
  const rows = await city.$$eval('#fresh-counties .tabulator-tableholder .tabulator-row',
    (rs) => rs.map((r) => ({ area: r.dataset.area, cells: Array.from(r.querySelectorAll('.tabulator-cell')).map((c) => c.textContent) })));
  eq(rows.map((r) => r.area).sort().join(','), f.counties.map((c) => c.area).sort().join(','), 'counties listed');
  for (const c of f.counties) {
    const r = rows.find((x) => x.area === c.area).cells;
    eq(r[0], c.behind ? '未报送' : '正常', `${c.name}: state`);
    eq(r[1], c.name, `${c.name}: name`);
    check(c.last_ms ? r[2] !== '从未报送' : r[2] === '从未报送', `${c.name}: last arrival "${r[2]}"`);
    eq(r[3], c.records.toLocaleString('zh-CN'), `${c.name}: records`);
    eq(r[4], String(c.kiosks), `${c.name}: kiosks`);
    eq(r[5], String(c.silent), `${c.name}: silent kiosks`);
  }
  const boxY = await city.$eval('#fresh-counties', (n) => n.getBoundingClientRect().top);
  const kioskY = await city.$eval('#fresh-table', (n) => n.getBoundingClientRect().top);
  check(boxY < kioskY, 'the counties are not above the kiosks');
  await shoot(city, 'freshness_city_1366');
});

await citySteps('city: targets for a county and for the city in the form; a row per county and 合计', async () => {
  await goto(city, 'targets');
  check(await city.isVisible('#target-county-field'), 'no county choice at a city');
  const units = await city.$$eval('#target-county option', (os) => os.map((o) => o.value + ':' + o.textContent));
  eq(units.join(','), ':本市,140521:沁水县 (140521),140522:阳城县 (140522)', 'units offered');
  await formTarget(city, { county: '140521', indicator: 'trained_people', value: '200' });
  await formTarget(city, { county: '', indicator: 'trained_people', value: '500' });
  await formTarget(city, { county: '140522', indicator: 'cert_rate', value: '48%' });
  const r = await checkTargetsTable(city, targetYear, 'the city');
  eq(r.table.columns[0].title, '县（市、区）', 'the unit column');
  eq(r.table.rows.map((x) => x[0]).join(','), '沁水县,阳城县', 'a row per county');
  eq(r.table.total[0], '合计', 'the 合计 row');
  const rows = await tabRows(city, 'targets-table');
  eq(rows[0][2], '200', '沁水县\'s 培训人数 target');
  eq(rows[1][2], '—', '阳城县 has no 培训人数 target');
  const listed = await city.$$eval('#targets-list-rows tr', (rs) => rs.map((x) => x.children[0].textContent));
  eq(listed.slice().sort().join(','), '本市,沁水县,阳城县', 'units in the targets listed');
  await city.evaluate(() => { document.getElementById('toast').hidden = true; });
  await shoot(city, 'targets_city_1366');
  check(city.errors.length === 0, 'page errors: ' + city.errors.join(' | '));
});

await browser.close();
console.log(`all steps passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${SHOTS}`);
