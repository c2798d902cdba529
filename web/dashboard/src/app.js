// The county dashboard (docs/dashboard.md): plain JavaScript (ES2017), no
// framework, no build step, for Chromium 80 and newer. The page computes
// nothing: every figure comes from /api/v1/dash/. Text from the server is
// only ever put into the page with textContent (or Tabulator formatters that
// return DOM nodes built with textContent), never as HTML.
(function () {
  'use strict';

  var t = window.I18N.t;
  var TEST = document.documentElement.dataset.test === '1' || /[?&]test=1(&|$)/.test(window.location.search);
  var API = '/api/v1/dash/';

  // Which roles may use each section, in the navigation's order (the server
  // enforces the same through its route table).
  var SECTIONS = [
    { key: 'overview', roles: ['viewer', 'admin'], period: true },
    { key: 'cuts', roles: ['viewer', 'admin'], period: true },
    { key: 'targets', roles: ['viewer', 'admin'] },
    { key: 'freshness', roles: ['viewer', 'admin'] },
    { key: 'certificates', roles: ['admin'] },
    { key: 'person', roles: ['admin'] },
    { key: 'import', roles: ['admin'] },
    { key: 'devices', roles: ['admin'] },
    { key: 'users', roles: ['security'] },
    { key: 'audit', roles: ['audit'] }
  ];
  var CUT_KEYS = ['county', 'township', 'site', 'occupation', 'level', 'group', 'gender', 'age', 'residence'];
  var CARD_KEYS = ['cert_rate', 'trained_enrolments', 'trained_people', 'hours', 'pass_rate',
    'mid_high_share', 'new_certified'];
  var BASIC_ROWS = 150;
  var LEVELS = { 5: '五级/初级工', 4: '四级/中级工', 3: '三级/高级工', 2: '二级/技师', 1: '一级/高级技师', 0: '专项' };

  var state = {
    me: null,            // {name, role, csrf, county}
    meta: null,          // GET indicators: {indicators, cuts}
    section: null,
    period: null,        // {from, to}
    cutStack: null,      // drill-down levels: [{by, township, site, label}]
    charts: {},
    tables: {},
    loadSeq: 0,
    importFile: null,    // the file last checked (dry run), its kind
    importKind: null,
    person: null,        // 人员查询: {key} of the person shown, or {name} of the matches listed
    targetsYear: null,   // 目标完成: the year shown (default this year)
    auditAfter: 0
  };

  // ---- small DOM helpers ---------------------------------------------------

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  // A cell per value (as text), then a cell holding a good/bad badge.
  function cellsWithBadge(tr, values, good, goodText, badText) {
    values.forEach(function (v) { tr.appendChild(el('td', null, v)); });
    var td = el('td');
    td.appendChild(el('span', good ? 'badge badge-ok' : 'badge badge-bad', good ? goodText : badText));
    tr.appendChild(td);
  }
  function show(node, on) { node.hidden = !on; }

  function chinaToday() {
    return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  }
  function chinaTime(ms) {
    if (!ms) return '';
    return new Date(Number(ms) + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
  }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function group(v, digits) {
    return v.toLocaleString(window.I18N.lang() === 'en' ? 'en-US' : 'zh-CN',
      { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  // An indicator's value as shown: rates in per cent (one decimal), hours
  // with one decimal, counts whole; "—" when the server has none.
  function formatValue(ind, v) {
    if (!isNum(v)) return '—';
    if (ind && ind.rate) return (v * 100).toFixed(1) + '%';
    if (ind && ind.hours) return group(v, 1);
    return group(v, 0);
  }

  var toastTimer = null;
  function showMessage(text, kind) {
    var m = $('message');
    m.textContent = text;
    m.className = 'message' + (kind ? ' message-' + kind : '');
    show(m, !!text);
  }
  function toast(text) {
    var n = $('toast');
    n.textContent = text;
    show(n, true);
    if (toastTimer) clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { show(n, false); }, 4000);
  }

  // ---- the API ---------------------------------------------------------------

  function ApiError(status, body) {
    this.status = status;
    this.body = body || {};
    this.code = this.body.error || '';
    this.message = this.body.message || ('HTTP ' + status);
  }
  ApiError.prototype = Object.create(Error.prototype);

  // fetch with the session cookie; every method but GET carries the CSRF
  // token. A 401 (no or expired session) returns to the sign-in form.
  function api(method, path, opts) {
    opts = opts || {};
    var headers = { Accept: 'application/json' };
    var body;
    if (method !== 'GET' && state.me && state.me.csrf) headers['X-CSRF-Token'] = state.me.csrf;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.raw !== undefined) {
      headers['Content-Type'] = 'application/octet-stream';
      body = opts.raw;
    }
    return fetch(API + path, {
      method: method, headers: headers, body: body, credentials: 'same-origin', cache: 'no-store'
    }).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var err = new ApiError(res.status, data);
          if (res.status === 401 && !opts.login) signedOut('login.expired');
          throw err;
        }
        return data;
      });
    });
  }

  function errorText(err) {
    if (err instanceof ApiError) {
      if (err.status === 403 && err.code !== 'csrf') return t('common.forbidden');
      return t('common.error', { m: err.message });
    }
    return t('common.error', { m: (err && err.message) || String(err) });
  }

  // ---- readiness (body[data-ready]) -------------------------------------------

  function beginLoad() {
    state.loadSeq += 1;
    document.body.dataset.ready = '';
    return state.loadSeq;
  }
  function current(seq) { return seq === state.loadSeq; }
  function finishLoad(seq, promise) {
    return Promise.resolve(promise).then(function () {
      if (current(seq)) document.body.dataset.ready = '1';
    }, function (err) {
      if (!current(seq)) return;
      if (!(err instanceof ApiError && err.status === 401)) showMessage(errorText(err), 'error');
      document.body.dataset.ready = '1';
    });
  }

  // ---- sign-in, sign-out ------------------------------------------------------

  function setMe(me) {
    state.me = me;
    $('who').textContent = me.name + ' · ' + t('role.' + me.role);
    show($('who'), true);
    show($('signout'), true);
    $('county').textContent = me.county || '';
    var links = $('nav').querySelectorAll('a[data-section]');
    for (var i = 0; i < links.length; i++) {
      show(links[i], allowed(links[i].getAttribute('data-section')));
    }
    show($('nav'), true);
  }

  function signedOut(messageKey) {
    state.me = null;
    state.meta = null;
    state.person = null;
    disposeAll();
    show($('who'), false);
    show($('signout'), false);
    show($('nav'), false);
    showLogin(messageKey);
  }

  function showLogin(messageKey) {
    beginLoad();
    hideViews();
    show($('period'), false);
    show($('view-login'), true);
    showMessage('');
    var e = $('login-error');
    if (messageKey) {
      e.textContent = t(messageKey);
      e.className = messageKey === 'login.signedout' ? 'notice' : 'refusal';
    }
    show(e, !!messageKey);
    $('login-submit').disabled = false;
    $('login-password').value = '';
    ($('login-name').value ? $('login-password') : $('login-name')).focus();
    document.body.dataset.ready = '1';
  }

  function onLogin(ev) {
    ev.preventDefault();
    var name = $('login-name').value.trim();
    var password = $('login-password').value;
    var e = $('login-error');
    show(e, false);
    // Not ready until the first section has loaded (or the refusal shows).
    var seq = beginLoad();
    $('login-submit').disabled = true;
    $('login-submit').textContent = t('login.busy');
    api('POST', 'login', { json: { name: name, password: password }, login: true }).then(function (r) {
      $('login-password').value = '';
      return api('GET', 'me').then(function (me) {
        setMe({ name: me.name || r.name, role: me.role || r.role, csrf: me.csrf || r.csrf, county: me.county });
      }, function () {
        setMe({ name: r.name, role: r.role, csrf: r.csrf, county: '' });
      });
    }).then(function () {
      show($('view-login'), false);
      route();
    }, function (err) {
      var key;
      var params = {};
      if (err instanceof ApiError) {
        if (err.status === 401) key = 'login.wrong';
        else if (err.status === 423) {
          key = 'login.locked';
          params.s = isNum(err.body.retry_after_s) ? err.body.retry_after_s : '60';
        } else if (err.status === 429) key = 'login.rate';
        else if (err.status === 503) key = 'login.unavailable';
      }
      e.textContent = key ? t(key, params) : errorText(err);
      e.className = 'refusal';
      e.dataset.status = err instanceof ApiError ? String(err.status) : '';
      show(e, true);
      if (current(seq)) document.body.dataset.ready = '1';
    }).then(function () {
      $('login-submit').disabled = false;
      $('login-submit').textContent = t('login.submit');
    });
  }

  function onSignOut() {
    api('POST', 'logout', { json: {}, login: true }).catch(function () { /* ends here anyway */ })
      .then(function () {
        if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
        signedOut('login.signedout');
      });
  }

  // ---- routing ------------------------------------------------------------------

  function sectionInfo(key) {
    for (var i = 0; i < SECTIONS.length; i++) if (SECTIONS[i].key === key) return SECTIONS[i];
    return null;
  }
  function allowed(key) {
    var s = sectionInfo(key);
    return !!(s && state.me && s.roles.indexOf(state.me.role) >= 0);
  }
  function hideViews() {
    var views = document.querySelectorAll('main > .view');
    for (var i = 0; i < views.length; i++) views[i].hidden = true;
  }

  function route() {
    show($('toast'), false);
    hideDefinition();
    if (!state.me) { showLogin(); return; }
    var key = window.location.hash.replace(/^#/, '');
    if (!allowed(key)) {
      key = null;
      for (var i = 0; i < SECTIONS.length; i++) {
        if (allowed(SECTIONS[i].key)) { key = SECTIONS[i].key; break; }
      }
      if (!key) { showMessage(t('common.forbidden'), 'error'); return; }
      window.history.replaceState(null, '', '#' + key);
    }
    showSection(key);
  }

  var LOADERS = {};

  function showSection(key) {
    var seq = beginLoad();
    state.section = key;
    showMessage('');
    hideViews();
    show($('view-login'), false);
    show($('view-' + key), true);
    show($('period'), !!sectionInfo(key).period);
    var links = $('nav').querySelectorAll('a[data-section]');
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute('data-section') === key) links[i].setAttribute('aria-current', 'page');
      else links[i].removeAttribute('aria-current');
    }
    finishLoad(seq, LOADERS[key](seq));
  }

  function reload() {
    if (state.me && state.section) showSection(state.section);
  }

  // ---- the period -------------------------------------------------------------

  function defaultPeriod() {
    var today = chinaToday();
    return { from: today.slice(0, 4) + '-01-01', to: today };
  }
  function setPeriodInputs() {
    $('period-from').value = state.period.from;
    $('period-to').value = state.period.to;
  }
  function onPeriod(ev) {
    ev.preventDefault();
    var from = $('period-from').value;
    var to = $('period-to').value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to) || to < from) {
      showMessage(t('period.bad'), 'error');
      return;
    }
    state.period = { from: from, to: to };
    reload();
  }

  // The report's query string, always in the same order, so the page's
  // figures and its exports ask the server exactly the same thing.
  function reportQuery(p) {
    var parts = [['from', state.period.from], ['to', state.period.to], ['by', p.by]];
    if (p.township) parts.push(['township', p.township]);
    if (p.site) parts.push(['site', p.site]);
    if (p['class']) parts.push(['class', p['class']]);
    return parts.map(function (kv) {
      return kv[0] + '=' + encodeURIComponent(kv[1]);
    }).join('&');
  }

  // ---- indicators (names, definitions) ---------------------------------------

  function loadMeta() {
    if (state.meta) return Promise.resolve(state.meta);
    return api('GET', 'indicators').then(function (m) {
      m.byKey = {};
      (m.indicators || []).forEach(function (i) { m.byKey[i.key] = i; });
      state.meta = m;
      return m;
    });
  }
  function indicator(key) { return (state.meta && state.meta.byKey[key]) || { key: key, name: key }; }
  function indicatorName(key) { return window.I18N.indicatorName(key, indicator(key).name); }
  function cutLabel(key) {
    var k = 'cut.' + key;
    var own = t(k);
    if (own !== k && (window.I18N.lang() === 'en' || !state.meta)) return own;
    var cuts = (state.meta && state.meta.cuts) || [];
    for (var i = 0; i < cuts.length; i++) if (cuts[i].key === key) return cuts[i].label;
    return own;
  }

  // ---- charts --------------------------------------------------------------------

  // Renders `option` into the chart container `id`; resolves once ECharts
  // reports the render finished.
  function renderChart(id, option) {
    var node = $(id);
    var chart = window.echarts.getInstanceByDom(node);
    // A chart drawn while its section was hidden, or before the window
    // changed size, takes the container's size now.
    if (chart) chart.resize();
    else chart = window.echarts.init(node, null, { renderer: 'canvas' });
    state.charts[id] = chart;
    option.animation = !TEST;
    return new Promise(function (resolve) {
      chart.off('finished');
      chart.on('finished', function () {
        chart.off('finished');
        node.dataset.rendered = '1';
        resolve();
      });
      node.dataset.rendered = '';
      chart.setOption(option, true);
    });
  }
  function disposeAll() {
    Object.keys(state.charts).forEach(function (id) {
      if (state.charts[id]) state.charts[id].dispose();
    });
    state.charts = {};
    Object.keys(state.tables).forEach(function (id) {
      if (state.tables[id]) state.tables[id].destroy();
    });
    state.tables = {};
  }

  var CHART_FONT = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
  var COLORS = ['#1f6fb2', '#e8912d', '#2e9d5b', '#c0392b', '#7d5ba6'];
  function baseOption(months) {
    return {
      color: COLORS,
      // Canvas text needs a real family ("inherit" is not one).
      textStyle: { fontSize: 14, fontFamily: CHART_FONT },
      grid: { left: 56, right: 56, top: 44, bottom: 36, containLabel: false },
      legend: { top: 4, textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis', textStyle: { fontSize: 14 } },
      xAxis: { type: 'category', data: months, axisLabel: { fontSize: 13 } }
    };
  }
  function seriesValues(rows, key, scale) {
    return rows.map(function (r) {
      var v = r.values ? r.values[key] : null;
      return isNum(v) ? (scale ? Math.round(v * scale * 10) / 10 : v) : null;
    });
  }

  function chartsFor(month) {
    var rows = (month.rows || []).slice().sort(function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : 0; });
    var months = rows.map(function (r) { return r.label || r.key; });
    var o1 = baseOption(months);
    o1.yAxis = { type: 'value', minInterval: 1, axisLabel: { fontSize: 13 } };
    o1.series = [
      { name: indicatorName('trained_enrolments'), type: 'bar', data: seriesValues(rows, 'trained_enrolments') },
      { name: indicatorName('trained_people'), type: 'bar', data: seriesValues(rows, 'trained_people') }
    ];
    var o2 = baseOption(months);
    o2.yAxis = { type: 'value', axisLabel: { fontSize: 13 } };
    o2.series = [
      { name: indicatorName('hours'), type: 'line', smooth: true, symbolSize: 8, areaStyle: { opacity: 0.15 },
        data: seriesValues(rows, 'hours') }
    ];
    var o3 = baseOption(months);
    o3.yAxis = [
      { type: 'value', min: 0, axisLabel: { formatter: '{value}%', fontSize: 13 },
        max: function (v) { return Math.min(100, Math.max(10, Math.ceil(v.max / 10) * 10 + 10)); } },
      { type: 'value', minInterval: 1, axisLabel: { fontSize: 13 } }
    ];
    o3.series = [
      { name: indicatorName('cert_rate'), type: 'line', symbolSize: 8, data: seriesValues(rows, 'cert_rate', 100),
        tooltip: { valueFormatter: function (v) { return isNum(v) ? v.toFixed(1) + '%' : '—'; } } },
      { name: indicatorName('new_certified'), type: 'bar', yAxisIndex: 1, data: seriesValues(rows, 'new_certified') }
    ];
    return Promise.all([
      renderChart('chart-training', o1),
      renderChart('chart-hours', o2),
      renderChart('chart-certs', o3)
    ]);
  }

  // ---- 总览 overview ---------------------------------------------------------------

  function renderCards(total) {
    var box = $('cards');
    clear(box);
    var values = (total && total.values) || {};
    CARD_KEYS.forEach(function (key) {
      if (!state.meta.byKey[key]) return;
      var ind = indicator(key);
      var card = el('div', 'card');
      card.dataset.key = key;
      card.dataset.value = isNum(values[key]) ? String(values[key]) : '';
      var head = el('div', 'card-head');
      head.appendChild(el('span', 'card-name', indicatorName(key)));
      var info = el('button', 'info', 'ⓘ');
      info.type = 'button';
      info.title = t('card.info');
      info.setAttribute('aria-label', t('card.info') + ': ' + indicatorName(key));
      info.addEventListener('click', function (ev) {
        ev.stopPropagation();
        showDefinition(indicatorName(key), ind.definition || '', info);
      });
      head.appendChild(info);
      card.appendChild(head);
      card.appendChild(el('div', 'card-value', formatValue(ind, values[key])));
      box.appendChild(card);
    });
  }

  function renderNotes(id, notes) {
    var ul = $(id);
    clear(ul);
    (notes || []).forEach(function (n) { ul.appendChild(el('li', null, n)); });
  }

  LOADERS.overview = function (seq) {
    setPeriodInputs();
    return loadMeta().then(function () {
      return Promise.all([
        api('GET', 'report?' + reportQuery({ by: 'total' })),
        api('GET', 'report?' + reportQuery({ by: 'month' })),
        api('GET', 'alerts')
      ]);
    }).then(function (r) {
      if (!current(seq)) return null;
      renderAlerts('overview-alerts', r[2]);
      renderCards(r[0].total);
      $('cards').dataset.query = reportQuery({ by: 'total' });
      renderNotes('overview-notes', r[0].notes);
      return chartsFor(r[1]);
    });
  };

  // The ⓘ definition box.
  function showDefinition(title, text, anchor) {
    var p = $('definition');
    $('definition-title').textContent = title;
    $('definition-text').textContent = text;
    show(p, true);
    if (window.innerWidth > 600 && anchor) {
      var r = anchor.getBoundingClientRect();
      var left = Math.min(window.innerWidth - p.offsetWidth - 12, Math.max(12, r.left - 20));
      p.style.left = left + 'px';
      p.style.top = (r.bottom + window.scrollY + 8) + 'px';
      p.classList.remove('popover-phone');
    } else {
      p.style.left = '';
      p.style.top = '';
      p.classList.add('popover-phone');
    }
    $('definition-close').focus();
  }
  function hideDefinition() { show($('definition'), false); }

  // ---- 分类统计 cuts ---------------------------------------------------------------

  // A Tabulator cell (or title) holding `text` as text, never as HTML.
  function textNode(text, cls) { return el('span', cls || null, text); }

  function fillCutSelect() {
    var sel = $('cut-select');
    var was = sel.value;
    clear(sel);
    var known = ((state.meta && state.meta.cuts) || []).map(function (c) { return c.key; });
    CUT_KEYS.forEach(function (k) {
      if ((known.length || k === 'county') && known.indexOf(k) < 0) return;
      var o = el('option', null, cutLabel(k));
      o.value = k;
      sel.appendChild(o);
    });
    sel.value = was || (state.cutStack ? state.cutStack[0].by : 'township');
    if (!sel.value) sel.value = 'township';
  }

  function renderCrumbs() {
    var nav = $('crumbs');
    clear(nav);
    state.cutStack.forEach(function (level, i) {
      if (i > 0) nav.appendChild(el('span', 'crumb-sep', '›'));
      var text = i === 0 ? t('cuts.all') + ' · ' + cutLabel(level.by) : level.label + ' · ' + cutLabel(level.by);
      if (i === state.cutStack.length - 1) {
        var cur = el('span', 'crumb crumb-current', text);
        cur.setAttribute('aria-current', 'location');
        nav.appendChild(cur);
      } else {
        var b = el('button', 'crumb', text);
        b.type = 'button';
        b.dataset.level = String(i);
        b.addEventListener('click', function () {
          state.cutStack = state.cutStack.slice(0, i + 1);
          reload();
        });
        nav.appendChild(b);
      }
    });
    nav.dataset.depth = String(state.cutStack.length);
  }

  function drill(level, row) {
    if (level.by === 'township') return { by: 'site', township: row.key, label: row.label };
    if (level.by === 'site') return { by: 'class', site: row.key, label: row.label };
    return null;
  }

  function buildTable(id, options) {
    if (state.tables[id]) {
      state.tables[id].destroy();
      delete state.tables[id];
    }
    var node = $(id);
    clear(node);
    return new Promise(function (resolve) {
      var table = new window.Tabulator(node, options);
      state.tables[id] = table;
      table.on('tableBuilt', function () { resolve(table); });
    });
  }

  // Tabulator filters on keyup, change and blur; text entered by an input
  // method (拼音) or pasted fires only `input`: filter then too.
  function liveFilters(node) {
    var inputs = node.querySelectorAll('.tabulator-header-filter input');
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].addEventListener('input', function (ev) {
        if (ev.isComposing) return;
        ev.target.dispatchEvent(new KeyboardEvent('keyup', { bubbles: true }));
      });
    }
  }

  function updateCount(shown, all) {
    var c = $('cuts-count');
    c.textContent = t('cuts.rows', { n: shown }) + (shown !== all ? ' / ' + all : '');
    c.dataset.rows = String(all);
    c.dataset.shown = String(shown);
  }

  LOADERS.cuts = function (seq) {
    setPeriodInputs();
    return loadMeta().then(function () {
      if (!state.cutStack) state.cutStack = [{ by: 'township' }];
      fillCutSelect();
      $('cut-select').value = state.cutStack[0].by;
      renderCrumbs();
      var level = state.cutStack[state.cutStack.length - 1];
      var query = reportQuery(level);
      $('export-xlsx').href = API + 'report?' + query + '&format=xlsx';
      $('export-csv').href = API + 'report?' + query + '&format=csv';
      return api('GET', 'report?' + query).then(function (rep) {
        if (!current(seq)) return null;
        var drillable = level.by === 'township' || level.by === 'site';
        show($('cuts-hint'), drillable);
        renderNotes('cuts-notes', rep.notes);
        var total = (rep.total && rep.total.values) || {};
        var columns = [{
          title: cutLabel(level.by), field: 'label', frozen: window.innerWidth > 600, minWidth: 120,
          maxWidth: window.innerWidth > 600 ? 360 : 150,
          headerFilter: 'input', headerFilterPlaceholder: t('cuts.filter'),
          titleFormatter: function () { return textNode(cutLabel(level.by)); },
          formatter: function (cell) { return textNode(cell.getValue(), drillable ? 'drill' : null); },
          bottomCalc: function () { return t('cuts.total'); },
          bottomCalcFormatter: function (cell) { return textNode(cell.getValue(), 'total-label'); }
        }];
        (rep.columns || []).forEach(function (key) {
          var ind = indicator(key);
          columns.push({
            title: indicatorName(key), field: 'v_' + key, hozAlign: 'right', headerHozAlign: 'right',
            sorter: 'number', minWidth: 96,
            headerFilter: 'number', headerFilterPlaceholder: t('cuts.min'),
            headerFilterFunc: function (want, value) {
              if (want === '' || want === null || want === undefined) return true;
              var w = Number(want);
              if (!isFinite(w)) return true;
              var v = ind.rate && isNum(value) ? value * 100 : value;
              return isNum(v) && v >= w;
            },
            titleFormatter: function () {
              var s = textNode(indicatorName(key));
              s.title = ind.definition || '';
              return s;
            },
            formatter: function (cell) { return textNode(formatValue(ind, cell.getValue())); },
            bottomCalc: function () { return total[key]; },
            bottomCalcFormatter: function (cell) { return textNode(formatValue(ind, cell.getValue())); }
          });
        });
        var data = (rep.rows || []).map(function (r, i) {
          var d = { id: i, key: r.key, label: r.label };
          Object.keys(r.values || {}).forEach(function (k) { d['v_' + k] = r.values[k]; });
          return d;
        });
        $('cuts-table').dataset.query = query;
        $('cuts-table').dataset.by = level.by;
        return buildTable('cuts-table', {
          data: data, columns: columns, layout: 'fitDataFill',
          // Every row in the page for the usual cuts; a long one (村 by
          // 村) scrolls inside a box and draws only the rows in view.
          renderVertical: data.length > BASIC_ROWS ? 'virtual' : 'basic',
          maxHeight: data.length > BASIC_ROWS ? '75vh' : false,
          placeholder: t('common.none'), columnHeaderVertAlign: 'bottom',
          rowFormatter: function (row) {
            if (drillable) row.getElement().classList.add('row-drill');
          }
        }).then(function (table) {
          if (!current(seq)) return;
          updateCount(data.length, data.length);
          table.on('dataFiltered', function (filters, rows) { updateCount(rows.length, data.length); });
          liveFilters($('cuts-table'));
          if (drillable) {
            table.on('rowClick', function (e, row) {
              var next = drill(level, row.getData());
              if (!next) return;
              state.cutStack = state.cutStack.concat([next]);
              reload();
            });
          }
        });
      });
    });
  };

  function onCutChange() {
    state.cutStack = [{ by: $('cut-select').value }];
    reload();
  }

  // ---- 目标完成 targets ---------------------------------------------------------------

  // 从业人员持证率 (targets.h kEmployedCertRate): a target that is no indicator of its own.
  var EMPLOYED_CERT_RATE = 'employed_cert_rate';

  function thisYear() { return Number(chinaToday().slice(0, 4)); }
  // What may carry a target: every indicator, and 从业人员持证率 (a rate).
  function targetKinds() {
    var list = ((state.meta && state.meta.indicators) || []).map(function (i) {
      return { key: i.key, name: indicatorName(i.key), rate: !!i.rate, hours: !!i.hours };
    });
    list.push({ key: EMPLOYED_CERT_RATE, name: t('targets.employed_cert_rate'), rate: true, hours: false });
    return list;
  }
  function targetKind(key) {
    var list = targetKinds();
    for (var i = 0; i < list.length; i++) if (list[i].key === key) return list[i];
    return { key: key, name: key };
  }
  // The unit a target is for: this server's own area, or a county by code.
  function unitName(unit, counties) {
    if (!unit) return t('targets.self.' + ((state.meta && state.meta.level) || 'county'));
    for (var i = 0; i < counties.length; i++) if (counties[i].area === unit) return counties[i].name;
    return unit;
  }
  // A cell of a report table (report_table.h report_json) as the XLSX shows it.
  function reportCellText(type, v) {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'string') return v;
    if (!isNum(v)) return String(v);
    if (type === 'percent1') return (v * 100).toFixed(1) + '%';
    if (type === 'decimal1') return group(v, 1);
    return group(v, 0);
  }

  LOADERS.targets = function (seq) {
    if (!state.targetsYear) state.targetsYear = thisYear();
    var year = state.targetsYear;
    $('targets-year').value = String(year);
    var query = 'year=' + year;
    return loadMeta().then(function () {
      return api('GET', 'targets?' + query);
    }).then(function (r) {
      if (!current(seq)) return null;
      var counties = r.counties || [];
      renderTargetList(r.targets || [], counties);
      fillTargetForm(year, counties);
      var tab = r.table;
      var node = $('targets-table');
      node.dataset.year = String(year);
      node.dataset.rows = tab ? String((tab.rows || []).length) : '';
      show($('targets-xlsx'), !!tab);
      show($('targets-csv'), !!tab);
      $('targets-xlsx').href = API + 'targets?' + query + '&format=xlsx';
      $('targets-csv').href = API + 'targets?' + query + '&format=csv';
      if (!tab) {
        if (state.tables['targets-table']) {
          state.tables['targets-table'].destroy();
          delete state.tables['targets-table'];
        }
        clear(node);
        $('targets-period').textContent = '';
        renderNotes('targets-notes', []);
        var none = $('targets-none');
        none.textContent = t((r.targets || []).length ? 'targets.not_begun' : 'targets.none', { y: year }) +
          (state.me.role === 'admin' ? t('targets.none_admin') : '');
        show(none, true);
        return null;
      }
      show($('targets-none'), false);
      $('targets-period').textContent = [tab.title, t('targets.period', { p: tab.period }), tab.units]
        .filter(Boolean).join(' · ');
      renderNotes('targets-notes', tab.notes);
      return buildTable('targets-table', targetsTableOptions(tab));
    });
  };

  // The 目标完成情况表 as Tabulator options: 序号, the server's columns in
  // order (unit, then target / figure / reached per indicator), 合计 at the bottom.
  function targetsTableOptions(tab) {
    var wide = window.innerWidth > 600;
    var hasTotal = (tab.total || []).length > 0;
    var columns = [];
    if (tab.numbered) {
      columns.push({
        title: '序号', field: 'n', hozAlign: 'right', headerSort: false, frozen: wide, minWidth: 56,
        titleFormatter: function () { return textNode(t('targets.col.n')); },
        formatter: function (cell) { return textNode(cell.getValue()); }
      });
    }
    (tab.columns || []).forEach(function (c, i) {
      var text = c.type === 'text';
      // Every third column after the unit is 完成率 (targets.h): reached or not.
      var reached = i > 0 && i % 3 === 0;
      var col = {
        title: c.title, field: 'c' + i, minWidth: text ? 120 : 96, sorter: text ? 'string' : 'number',
        hozAlign: text ? 'left' : 'right', headerHozAlign: text ? 'left' : 'right', frozen: wide && i === 0,
        titleFormatter: function () { return textNode(c.title); },
        formatter: function (cell) {
          var v = cell.getValue();
          var cls = reached && isNum(v) ? (v >= 1 ? 'reached' : 'short') : null;
          return textNode(reportCellText(c.type, v), cls);
        }
      };
      if (hasTotal) {
        col.bottomCalc = function () { return tab.total[i]; };
        col.bottomCalcFormatter = function (cell) {
          return textNode(reportCellText(c.type, cell.getValue()), i === 0 ? 'total-label' : null);
        };
      }
      columns.push(col);
    });
    var data = (tab.rows || []).map(function (row, r) {
      var d = { id: r, n: r + 1 };
      row.forEach(function (v, i) { d['c' + i] = v; });
      return d;
    });
    return {
      data: data, columns: columns, layout: 'fitDataFill', renderVertical: 'basic',
      placeholder: t('common.none'), columnHeaderVertAlign: 'bottom'
    };
  }

  function targetValueText(kind, v) {
    if (!isNum(v)) return '';
    if (kind.rate) return (Math.round(v * 1000) / 10) + '%';
    if (kind.hours) return group(v, 1);
    return group(v, 0);
  }

  function renderTargetList(targets, counties) {
    var body = $('targets-list-rows');
    clear(body);
    targets.forEach(function (x) {
      var kind = targetKind(x.indicator);
      var tr = cells(el('tr', state.me.role === 'admin' ? 'row-pick' : null),
        [unitName(x.unit, counties), kind.name, targetValueText(kind, x.value)]);
      tr.dataset.unit = x.unit;
      tr.dataset.indicator = x.indicator;
      tr.dataset.value = String(x.value);
      if (state.me.role === 'admin') {
        // A click puts the target into the form, to change or withdraw it.
        tr.addEventListener('click', function () {
          $('target-county').value = x.unit;
          $('target-indicator').value = x.indicator;
          $('target-value').value = kind.rate ? (Math.round(x.value * 1000) / 10) + '%' : String(x.value);
          targetHint();
        });
      }
      body.appendChild(tr);
    });
    $('targets-list').dataset.count = String(targets.length);
    show($('targets-list'), targets.length > 0);
    show($('targets-list-none'), targets.length === 0);
  }

  function fillTargetForm(year, counties) {
    var admin = state.me.role === 'admin';
    show($('target-edit'), admin);
    if (!admin) return;
    $('target-edit-title').textContent = t('targets.edit', { y: year });
    var units = $('target-county');
    var wasUnit = units.value;
    clear(units);
    [{ area: '', name: unitName('', counties) }].concat(counties).forEach(function (c) {
      var o = el('option', null, c.area ? c.name + ' (' + c.area + ')' : c.name);
      o.value = c.area;
      units.appendChild(o);
    });
    units.value = wasUnit;
    if (units.selectedIndex < 0) units.value = '';
    show($('target-county-field'), counties.length > 0);
    var sel = $('target-indicator');
    var was = sel.value;
    clear(sel);
    targetKinds().forEach(function (k) {
      var o = el('option', null, k.name);
      o.value = k.key;
      sel.appendChild(o);
    });
    sel.value = was || 'trained_people';
    if (sel.selectedIndex < 0) sel.selectedIndex = 0;
    targetHint();
  }

  function targetHint() {
    var k = targetKind($('target-indicator').value);
    $('target-hint').textContent = t(k.rate ? 'targets.hint.rate' : k.hours ? 'targets.hint.hours' : 'targets.hint.count');
  }

  function writeTarget(clearIt) {
    var year = state.targetsYear;
    var body = { year: year, indicator: $('target-indicator').value, county: $('target-county').value };
    if (!clearIt) {
      body.value = $('target-value').value.trim();
      if (!body.value) { showMessage(t('targets.need_value'), 'error'); $('target-value').focus(); return; }
    }
    showMessage('');
    $('target-set').disabled = true;
    $('target-clear').disabled = true;
    var name = targetKind(body.indicator).name;
    api('POST', clearIt ? 'targets/clear' : 'targets/set', { json: body }).then(function () {
      if (!clearIt) $('target-value').value = '';
      reload();
      toast(t(clearIt ? 'targets.cleared' : 'targets.saved', { y: year, i: name }));
    }, function (err) {
      if (!(err instanceof ApiError && err.status === 401)) showMessage(errorText(err), 'error');
      document.body.dataset.ready = '1';
    }).then(function () {
      $('target-set').disabled = false;
      $('target-clear').disabled = false;
    });
  }

  function onTargetsYear(ev) {
    ev.preventDefault();
    var y = Number($('targets-year').value);
    if (!(y >= 2000 && y <= 2100 && Math.floor(y) === y)) { showMessage(t('targets.bad_year'), 'error'); return; }
    state.targetsYear = y;
    reload();
  }

  // ---- 数据新鲜度 freshness ------------------------------------------------------------

  function smallCard(label, value, flag) {
    var c = el('div', 'card card-small' + (flag ? ' card-flag' : ''));
    c.appendChild(el('div', 'card-name', label));
    c.appendChild(el('div', 'card-value', value));
    return c;
  }

  // The server's alerts (silent kiosks, pending certificates, faults, disk,
  // certificate expiry, backups), most serious first.
  function renderAlerts(id, r) {
    var ul = $(id);
    clear(ul);
    var order = { error: 0, warn: 1, info: 2 };
    var list = ((r && r.alerts) || []).slice().sort(function (a, b) {
      return (order[a.level] === undefined ? 3 : order[a.level]) - (order[b.level] === undefined ? 3 : order[b.level]);
    });
    list.forEach(function (a) {
      var li = el('li', 'alert alert-' + (order[a.level] === undefined ? 'info' : a.level), a.message);
      li.dataset.kind = a.kind || '';
      ul.appendChild(li);
    });
    ul.dataset.count = String(list.length);
  }

  LOADERS.freshness = function (seq) {
    var days = parseInt($('fresh-days').value, 10);
    if (!(days >= 1)) days = 7;
    return Promise.all([
      api('GET', 'freshness?silent_days=' + days),
      api('GET', 'alerts')
    ]).then(function (both) {
      var f = both[0];
      if (!current(seq)) return null;
      renderAlerts('fresh-alerts', both[1]);
      var devices = f.devices || [];
      var faults = Array.isArray(f.faults) ? f.faults.length : (isNum(f.faults) ? f.faults : 0);
      var cards = $('fresh-cards');
      clear(cards);
      cards.appendChild(smallCard(t('fresh.devices'), String(devices.length)));
      var silent = cards.appendChild(smallCard(t('fresh.silent'), String(f.silent || 0), f.silent > 0));
      silent.dataset.key = 'silent';
      var pending = cards.appendChild(smallCard(t('fresh.pending'), String(f.pending_certificates || 0),
        f.pending_certificates > 0));
      pending.dataset.key = 'pending_certificates';
      pending.dataset.value = String(f.pending_certificates || 0);
      cards.appendChild(smallCard(t('fresh.faults'), String(faults), faults > 0));
      var counties = f.counties || [];
      show($('fresh-counties-box'), counties.length > 0);
      var countiesDrawn = counties.length > 0 ? buildCountiesTable(counties) : null;
      var data = devices.map(function (d, i) {
        return {
          id: i, device: d.device, site: d.site_name || d.site, last_ms: d.last_ms || 0,
          records: d.records, silent: !!d.silent
        };
      });
      var txt = function (cell) { return textNode(cell.getValue()); };
      return Promise.all([countiesDrawn, buildTable('fresh-table', {
        data: data, layout: 'fitDataFill', renderVertical: 'basic', placeholder: t('common.none'),
        initialSort: [{ column: 'last_ms', dir: 'asc' }],
        rowFormatter: function (row) {
          if (row.getData().silent) row.getElement().classList.add('row-silent');
        },
        columns: [
          { title: t('fresh.col.state'), field: 'silent', minWidth: 90,
            titleFormatter: function () { return textNode(t('fresh.col.state')); },
            formatter: function (cell) {
              return cell.getValue() ? textNode(t('fresh.state.silent'), 'badge badge-bad')
                : textNode(t('fresh.state.ok'), 'badge badge-ok');
            } },
          { title: t('fresh.col.site'), field: 'site', minWidth: 160, headerFilter: 'input',
            headerFilterPlaceholder: t('cuts.filter'),
            titleFormatter: function () { return textNode(t('fresh.col.site')); }, formatter: txt },
          { title: t('fresh.col.last'), field: 'last_ms', sorter: 'number', minWidth: 170,
            titleFormatter: function () { return textNode(t('fresh.col.last')); },
            formatter: function (cell) {
              return textNode(cell.getValue() ? chinaTime(cell.getValue()) : t('fresh.never'));
            } },
          { title: t('fresh.col.records'), field: 'records', sorter: 'number', hozAlign: 'right', minWidth: 90,
            titleFormatter: function () { return textNode(t('fresh.col.records')); },
            formatter: function (cell) { return textNode(isNum(cell.getValue()) ? group(cell.getValue(), 0) : ''); } },
          { title: t('fresh.col.device'), field: 'device', minWidth: 140,
            titleFormatter: function () { return textNode(t('fresh.col.device')); }, formatter: txt }
        ]
      })]);
    });
  };

  // 各县报送情况 (at a city or province): per county, when its records last
  // arrived, how many, its kiosks and the silent ones; 未报送 when nothing
  // came for the silent days. The counties behind come first.
  function buildCountiesTable(counties) {
    var data = counties.map(function (c, i) {
      return {
        id: i, area: c.area, name: c.name || c.area, last_ms: c.last_ms || 0, records: c.records,
        kiosks: c.kiosks, silent: c.silent, behind: !!c.behind
      };
    });
    var num = function (cell) { return textNode(isNum(cell.getValue()) ? group(cell.getValue(), 0) : ''); };
    var head = function (key) { return function () { return textNode(t(key)); }; };
    return buildTable('fresh-counties', {
      data: data, layout: 'fitDataFill', renderVertical: 'basic', placeholder: t('common.none'),
      initialSort: [{ column: 'last_ms', dir: 'asc' }],
      rowFormatter: function (row) {
        row.getElement().dataset.area = row.getData().area;
        if (row.getData().behind) row.getElement().classList.add('row-silent');
      },
      columns: [
        { title: t('fresh.col.state'), field: 'behind', minWidth: 90, titleFormatter: head('fresh.col.state'),
          formatter: function (cell) {
            return cell.getValue() ? textNode(t('fresh.county.behind'), 'badge badge-bad')
              : textNode(t('fresh.state.ok'), 'badge badge-ok');
          } },
        { title: t('fresh.col.county'), field: 'name', minWidth: 140, titleFormatter: head('fresh.col.county'),
          formatter: function (cell) { return textNode(cell.getValue()); } },
        { title: t('fresh.col.arrived'), field: 'last_ms', sorter: 'number', minWidth: 170,
          titleFormatter: head('fresh.col.arrived'),
          formatter: function (cell) {
            return textNode(cell.getValue() ? chinaTime(cell.getValue()) : t('fresh.county.never'));
          } },
        { title: t('fresh.col.records'), field: 'records', sorter: 'number', hozAlign: 'right', minWidth: 90,
          titleFormatter: head('fresh.col.records'), formatter: num },
        { title: t('fresh.col.kiosks'), field: 'kiosks', sorter: 'number', hozAlign: 'right', minWidth: 80,
          titleFormatter: head('fresh.col.kiosks'), formatter: num },
        { title: t('fresh.col.silent'), field: 'silent', sorter: 'number', hozAlign: 'right', minWidth: 80,
          titleFormatter: head('fresh.col.silent'), formatter: num }
      ]
    });
  }

  // ---- 证书确认 certificates -------------------------------------------------------------

  var deciding = null;

  function levelText(v) {
    if (isNum(v) && LEVELS[v] !== undefined) return LEVELS[v];
    return v === undefined || v === null ? '' : String(v);
  }

  LOADERS.certificates = function (seq) {
    show($('cert-decision'), false);
    deciding = null;
    return api('GET', 'certificates/pending').then(function (r) {
      if (!current(seq)) return;
      var list = r.certificates || [];
      var body = $('cert-rows');
      clear(body);
      list.forEach(function (c) {
        var tr = el('tr');
        tr.dataset.number = c.number;
        cellsWithBadge(tr, [c.number, c.name, c.occupation || c.course, levelText(c.level),
          c.site_name || c.site, c.issued_day], c.signature_ok, t('cert.sig.ok'), t('cert.sig.bad'));
        var act = el('td');
        var b = el('button', 'btn btn-small', t('cert.decide'));
        b.type = 'button';
        b.dataset.number = c.number;
        b.addEventListener('click', function () { openDecision(c); });
        act.appendChild(b);
        tr.appendChild(act);
        body.appendChild(tr);
      });
      $('cert-table').dataset.count = String(list.length);
      show($('cert-table'), list.length > 0);
      show($('cert-empty'), list.length === 0);
    });
  };

  function openDecision(c) {
    deciding = c;
    $('cert-decision-title').textContent = t('cert.decision', { n: c.number });
    $('cert-decision').dataset.number = c.number;
    $('cert-qual-number').value = '';
    $('cert-reason').value = '';
    show($('cert-decision'), true);
    $('cert-decision').scrollIntoView({ block: 'nearest' });
    $('cert-qual-number').focus();
  }

  function decide(kind) {
    if (!deciding) return;
    var number = deciding.number;
    var req;
    if (kind === 'confirm') {
      var q = $('cert-qual-number').value.trim();
      if (!q) { showMessage(t('cert.need_number'), 'error'); return; }
      req = api('POST', 'certificates/confirm',
        { json: { number: number, qual_kind: $('cert-kind').value, qual_number: q } });
    } else {
      var reason = $('cert-reason').value.trim();
      if (!reason) { showMessage(t('cert.need_reason'), 'error'); return; }
      req = api('POST', 'certificates/reject', { json: { number: number, reason: reason } });
    }
    $('cert-confirm').disabled = true;
    $('cert-reject').disabled = true;
    req.then(function () {
      reload();
      toast(t(kind === 'confirm' ? 'cert.confirmed' : 'cert.rejected', { n: number }));
    }, function (err) {
      if (!(err instanceof ApiError && err.status === 401)) showMessage(errorText(err), 'error');
    }).then(function () {
      $('cert-confirm').disabled = false;
      $('cert-reject').disabled = false;
    });
  }

  // ---- 人员查询 person lookup ------------------------------------------------------------

  // An ID number (18 digits, the last may be X, or the old 15) asks for one
  // person; anything else is a name. The server says why an ID number is bad.
  var ID_RE = /^(\d{17}[\dXx]|\d{15})$/;
  var annulling = null;   // the certificate number whose reason row is open

  function cells(tr, values) {
    values.forEach(function (v) { tr.appendChild(el('td', null, v)); });
    return tr;
  }
  function fillRows(tableId, bodyId, noneId, list, row) {
    var body = $(bodyId);
    clear(body);
    list.forEach(function (x) { row(body, x); });
    $(tableId).dataset.count = String(list.length);
    show($(tableId), list.length > 0);
    show($(noneId), list.length === 0);
  }
  function statusText(s) {
    var k = 'person.status.' + s;
    return t(k) !== k ? t(k) : String(s || '');
  }
  function statusBadge(s) {
    var cls = s === '已确认' ? 'badge badge-ok' : s === '待确认' ? 'badge badge-wait' : 'badge badge-bad';
    var b = el('span', cls, statusText(s));
    b.dataset.status = s || '';
    return b;
  }
  function hoursText(c) {
    if (isNum(c.hours)) return group(c.hours, 1);
    if (isNum(c.minutes)) return group(c.minutes / 60, 1);
    return '';
  }
  function scoreText(v) {
    if (!isNum(v)) return v === undefined || v === null ? '' : String(v);
    return group(v, v % 1 ? 1 : 0);
  }

  function personRefusal(text) {
    var r = $('person-refusal');
    r.textContent = text || '';
    show(r, !!text);
  }
  function hidePersonResults() {
    show($('person-matches'), false);
    show($('person-view'), false);
    delete $('person-view').dataset.key;
  }

  // 400 (the server's reason) and 404 are answers to show, not failures.
  function personAnswer(err, q) {
    if (err instanceof ApiError && err.status === 400) { personRefusal(err.message); return; }
    if (err instanceof ApiError && err.status === 404) { personRefusal(t('person.not_found', { q: q })); return; }
    throw err;
  }

  LOADERS.person = function (seq) {
    annulling = null;
    personRefusal('');
    var p = state.person;
    if (!p) { hidePersonResults(); return Promise.resolve(); }
    if (p.name !== undefined) return loadMatches(seq, p.name);
    return loadPerson(seq, 'key=' + encodeURIComponent(p.key), p.key);
  };

  function onPersonSearch(ev) {
    ev.preventDefault();
    var q = $('person-query').value.trim();
    showMessage('');
    personRefusal('');
    if (!q) { personRefusal(t('person.need_query')); return; }
    var seq = beginLoad();
    hidePersonResults();
    if (ID_RE.test(q)) {
      state.person = null;
      finishLoad(seq, loadPerson(seq, 'id=' + encodeURIComponent(q.toUpperCase()), q));
    } else {
      state.person = { name: q };
      finishLoad(seq, loadMatches(seq, q));
    }
  }

  function loadMatches(seq, name) {
    return api('GET', 'person?name=' + encodeURIComponent(name)).then(function (r) {
      if (!current(seq)) return;
      var list = r.matches || [];
      hidePersonResults();
      if (list.length === 0) { personRefusal(t('person.no_matches', { q: name })); return; }
      $('person-matches-title').textContent =
        t(list.length >= 50 ? 'person.matches_max' : 'person.matches', { q: name, n: list.length });
      var body = $('person-match-rows');
      clear(body);
      list.forEach(function (m) {
        var tr = cells(el('tr', 'row-pick'), [m.name, m.id_masked, m.township, m.village]);
        tr.dataset.key = m.key;
        tr.tabIndex = 0;
        var open = function () {
          state.person = { key: m.key };
          var s = beginLoad();
          finishLoad(s, loadPerson(s, 'key=' + encodeURIComponent(m.key), m.name));
        };
        tr.addEventListener('click', open);
        tr.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') open(); });
        body.appendChild(tr);
      });
      $('person-match-table').dataset.count = String(list.length);
      show($('person-matches'), true);
    }, function (err) { if (current(seq)) personAnswer(err, name); });
  }

  function loadPerson(seq, query, what) {
    return api('GET', 'person?' + query).then(function (r) {
      if (!current(seq)) return;
      hidePersonResults();
      if (r.person && r.person.key) state.person = { key: r.person.key };
      showPerson(r);
    }, function (err) { if (current(seq)) personAnswer(err, what); });
  }

  function fact(dl, key, value) {
    if (value === undefined || value === null || value === '') return;
    var d = el('div', 'fact');
    d.dataset.fact = key;
    d.appendChild(el('dt', null, t('person.fact.' + key)));
    d.appendChild(el('dd', null, value));
    dl.appendChild(d);
  }

  function registryText(reg) {
    if (!reg || (!reg.member && !reg.from)) return t('person.registry.never');
    if (reg.member) return t('person.registry.member', { from: reg.from || '—' });
    return t('person.registry.left', { from: reg.from || '—', to: reg.to || '—' });
  }

  function showPerson(r) {
    var p = r.person || {};
    $('person-name').textContent = p.name || '';
    var view = $('person-view');
    view.dataset.key = p.key || '';
    view.dataset.idMasked = p.id_masked || '';
    var dl = $('person-facts');
    clear(dl);
    fact(dl, 'id', p.id_masked);
    fact(dl, 'gender', p.gender);
    fact(dl, 'birth', p.birth);
    fact(dl, 'place', [p.township, p.village].filter(Boolean).join(' · '));
    fact(dl, 'phone', p.phone_masked);
    fact(dl, 'employment', p.employment);
    fact(dl, 'groups', (p.groups || []).join('、'));
    fact(dl, 'registry', registryText(p.registry));
    var reg = dl.querySelector('[data-fact="registry"]');
    if (reg) reg.dataset.member = p.registry && p.registry.member ? '1' : '0';

    fillRows('person-classes', 'person-class-rows', 'person-classes-none', r.classes || [], function (body, c) {
      var tr = cells(el('tr'), [c.class_name || c['class'], c.site_name || c.site, c.course_name || c.course,
        hoursText(c)]);
      tr.dataset['class'] = c['class'] || '';
      body.appendChild(tr);
    });
    fillRows('person-exams', 'person-exam-rows', 'person-exams-none', r.exams || [], function (body, e) {
      var tr = cells(el('tr'), [e.course_name || e.course, e.day, scoreText(e.score)]);
      tr.children[1].className = 'nowrap';
      var res = el('td');
      res.appendChild(el('span', e.passed ? 'badge badge-ok' : 'badge badge-bad',
        t(e.passed ? 'person.passed' : 'person.failed')));
      tr.appendChild(res);
      body.appendChild(tr);
    });
    fillRows('person-certs', 'person-cert-rows', 'person-certs-none', r.certificates || [], certRow);
    fillRows('person-held', 'person-held-rows', 'person-held-none', r.held || [], function (body, h) {
      body.appendChild(cells(el('tr'), [h.kind, h.occupation, levelText(h.level), h.ref, h.day, h.source]));
    });
    show(view, true);
  }

  function historyList(list) {
    var ul = el('ul', 'history');
    (list || []).forEach(function (h) {
      var li = el('li');
      li.dataset.status = h.status || '';
      li.appendChild(el('span', 'history-day', h.day));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(statusBadge(h.status));
      var qual = [h.qual_kind, h.qual_number].filter(Boolean).join(' ');
      if (qual) li.appendChild(el('span', 'history-qual', ' ' + qual));
      if (h.reason) li.appendChild(el('div', 'history-reason', t('person.history.reason', { r: h.reason })));
      ul.appendChild(li);
    });
    return ul;
  }

  function certRow(body, c) {
    var tr = el('tr');
    tr.dataset.number = c.number;
    tr.dataset.status = c.status || '';
    cells(tr, [c.number, c.course_name || c.course, c.day, c.site_name]);
    tr.children[0].className = 'nowrap';
    tr.children[2].className = 'nowrap';
    var st = el('td');
    st.appendChild(statusBadge(c.status));
    tr.appendChild(st);
    tr.appendChild(el('td', null, [c.qual_kind, c.qual_number].filter(Boolean).join(' ')));
    var hist = el('td');
    hist.appendChild(historyList(c.history));
    tr.appendChild(hist);
    var act = el('td');
    if (c.status === '已确认' || c.status === '待确认') {
      var b = el('button', 'btn btn-small btn-danger', t('person.annul'));
      b.type = 'button';
      b.dataset.annul = c.number;
      b.addEventListener('click', function () { openAnnul(tr, c); });
      act.appendChild(b);
    }
    tr.appendChild(act);
    body.appendChild(tr);
  }

  // The reason asked for in a row under the certificate (no window.prompt).
  function openAnnul(tr, c) {
    var old = $('person-annul-row');
    if (old) old.parentNode.removeChild(old);
    if (annulling === c.number) { annulling = null; return; }
    annulling = c.number;
    var row = el('tr', 'annul-row');
    row.id = 'person-annul-row';
    row.dataset.number = c.number;
    var td = el('td');
    td.colSpan = 8;
    var form = el('form', 'annul-form');
    form.noValidate = true;
    var label = el('label', 'field-inline');
    label.appendChild(el('span', null, t('person.annul_reason')));
    var input = el('input');
    input.type = 'text';
    input.id = 'person-annul-reason';
    input.maxLength = 200;
    label.appendChild(input);
    form.appendChild(label);
    var ok = el('button', 'btn btn-danger', t('person.annul_confirm'));
    ok.type = 'submit';
    ok.id = 'person-annul-confirm';
    form.appendChild(ok);
    var cancel = el('button', 'btn btn-quiet', t('person.annul_cancel'));
    cancel.type = 'button';
    cancel.addEventListener('click', function () {
      annulling = null;
      row.parentNode.removeChild(row);
    });
    form.appendChild(cancel);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var reason = input.value.trim();
      if (!reason) { showMessage(t('person.annul_need_reason'), 'error'); input.focus(); return; }
      showMessage('');
      ok.disabled = true;
      api('POST', 'certificates/annul', { json: { number: c.number, reason: reason } }).then(function () {
        reload();
        toast(t('person.annulled', { n: c.number }));
      }, function (err) {
        ok.disabled = false;
        if (!(err instanceof ApiError && err.status === 401)) showMessage(errorText(err), 'error');
        document.body.dataset.ready = '1';
      });
    });
    td.appendChild(form);
    row.appendChild(td);
    tr.parentNode.insertBefore(row, tr.nextSibling);
    input.focus();
  }

  // ---- 名册导入 registry import ---------------------------------------------------------------

  LOADERS['import'] = function () {
    return Promise.resolve();
  };

  function runImport(dry) {
    var file = dry ? $('import-file').files[0] : state.importFile;
    var kind = dry ? $('import-kind').value : state.importKind;
    if (!file) { showMessage(t('import.need_file'), 'error'); return; }
    if (!dry && !state.importFile) { showMessage(t('import.need_dry'), 'error'); return; }
    showMessage('');
    var seq = beginLoad();
    $('import-dry').disabled = true;
    $('import-run').disabled = true;
    var query = 'registry/import?kind=' + encodeURIComponent(kind) + '&name=' + encodeURIComponent(file.name) +
      (dry ? '&dry_run=1' : '');
    var done = file.arrayBuffer().then(function (bytes) {
      return api('POST', query, { raw: bytes });
    }).then(function (r) {
      if (!current(seq)) return;
      showImportResult(r, dry, kind);
      if (dry) {
        state.importFile = file;
        state.importKind = kind;
      } else {
        state.importFile = null;
        state.importKind = null;
        $('import-file').value = '';
      }
    });
    finishLoad(seq, done).then(function () {
      $('import-dry').disabled = false;
      $('import-run').disabled = !state.importFile;
    });
  }

  function showImportResult(r, dry, kind) {
    $('import-result-title').textContent = t(dry ? 'import.result.dry' : 'import.result.done');
    var cards = $('import-cards');
    clear(cards);
    // The contract's `refused`, or the server's `issues` (each with
    // `refused`: true = the row was not imported, false = a warning).
    var issues = r.refused || r.issues || [];
    var refused = issues.filter(function (i) { return i.refused !== false; });
    var keys = kind === 'held' ? ['rows', 'added', 'unchanged'] :
      ['rows', 'added', 'updated', 'unchanged', 'left', 'leaves_skipped'];
    keys.forEach(function (k) {
      if (r[k] === undefined) return;
      var v = r[k] === true ? t('common.yes') : r[k] === false ? t('common.no') : String(r[k]);
      var c = cards.appendChild(smallCard(t('import.' + k), v));
      c.dataset.key = k;
    });
    var rc = cards.appendChild(smallCard(t('import.refused'), String(refused.length), refused.length > 0));
    rc.dataset.key = 'refused';
    var body = $('import-issue-rows');
    clear(body);
    issues.forEach(function (i) {
      var tr = el('tr', i.refused === false ? 'issue-warning' : 'issue-refused');
      tr.appendChild(el('td', null, i.row));
      tr.appendChild(el('td', null, i.column));
      tr.appendChild(el('td', null, i.message || i.what));
      tr.appendChild(el('td', null, t(i.refused === false ? 'import.imported' : 'import.not_imported')));
      body.appendChild(tr);
    });
    var result = $('import-result');
    result.dataset.dryRun = dry ? '1' : '0';
    result.dataset.refused = String(refused.length);
    result.dataset.issues = String(issues.length);
    show($('import-issues'), issues.length > 0);
    show($('import-noissues'), issues.length === 0);
    show(result, true);
  }

  // ---- 终端管理 devices -------------------------------------------------------------------

  var revoking = null;

  LOADERS.devices = function (seq) {
    revoking = null;
    return api('GET', 'devices').then(function (r) {
      if (!current(seq)) return;
      var sel = $('code-site');
      var was = sel.value;
      clear(sel);
      (r.sites || []).forEach(function (st) {
        var o = el('option', null, st.name + ' (' + st.site + ')');
        o.value = st.site;
        sel.appendChild(o);
      });
      if (was) sel.value = was;
      var body = $('devices-rows');
      clear(body);
      (r.devices || []).forEach(function (d) {
        var tr = el('tr', d.revoked ? 'row-revoked' : null);
        tr.dataset.device = d.device;
        // The short number in its certificates (140521-26-017-0042); none
        // for kiosks enrolled before numbers, or forwarded from below.
        var number = isNum(d.number) && d.number > 0 ? ('00' + d.number).slice(-3) : '—';
        cellsWithBadge(tr, [d.site_name || d.site, d.device, number, d.enrolled, d.last || t('fresh.never'),
          isNum(d.records) ? group(d.records, 0) : ''], !d.revoked, t('devices.active'),
          t('devices.revoked'));
        var act = el('td');
        if (!d.revoked) {
          var b = el('button', 'btn btn-small', t('devices.revoke'));
          b.type = 'button';
          b.dataset.device = d.device;
          // Two clicks: the first asks, the second revokes.
          b.addEventListener('click', function () {
            if (revoking !== d.device) {
              revoking = d.device;
              b.textContent = t('devices.revoke_sure');
              b.className = 'btn btn-small btn-danger';
              return;
            }
            b.disabled = true;
            api('POST', 'devices/revoke', { json: { device: d.device } }).then(function () {
              reload();
              toast(t('devices.revoked_done', { d: d.device }));
            }, function (err) {
              b.disabled = false;
              if (!(err instanceof ApiError && err.status === 401)) showMessage(errorText(err), 'error');
            });
          });
          act.appendChild(b);
        }
        tr.appendChild(act);
        body.appendChild(tr);
      });
      $('devices-table').dataset.count = String((r.devices || []).length);
    });
  };

  var usbUrl = null;
  function issueCode(ev) {
    ev.preventDefault();
    var hours = parseInt($('code-hours').value, 10);
    api('POST', 'devices/code', { json: { site: $('code-site').value, hours: hours >= 1 ? hours : 24 } })
      .then(function (r) {
        $('code-value').textContent = r.code;
        $('code-expires').textContent = t('devices.expires', { t: r.expires || '' });
        // The kiosk reads "server=" and "code=" lines; the server's file
        // may carry only the code: the page adds the address it was served from.
        var file = r.usb_file || ('code=' + r.code + '\n');
        if (!/^server=/m.test(file)) file = 'server=' + window.location.origin + '\n' + file;
        if (usbUrl) URL.revokeObjectURL(usbUrl);
        usbUrl = URL.createObjectURL(new Blob([file], { type: 'text/plain' }));
        $('code-usb').href = usbUrl;
        $('code-result').dataset.code = r.code;
        show($('code-result'), true);
      }, function (err) {
        if (!(err instanceof ApiError && err.status === 401)) showMessage(errorText(err), 'error');
      });
  }

  // ---- 用户 users ---------------------------------------------------------------------------

  var USER_COLUMNS = {
    name: 'users.name', role: 'users.role', failures: 'users.col.failures', locked: 'users.col.locked',
    disabled: 'users.col.disabled', created: 'users.col.created'
  };

  function cellText(key, v) {
    if (v === true) return t('common.yes');
    if (v === false) return t('common.no');
    if (v === null || v === undefined) return '';
    if (key === 'role') return t('role.' + v) !== 'role.' + v ? t('role.' + v) : String(v);
    if (/_ms$/.test(key) && isNum(v)) return v ? chinaTime(v) : '';
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  LOADERS.users = function (seq) {
    return api('GET', 'users').then(function (r) {
      if (!current(seq)) return;
      var users = Array.isArray(r) ? r : (r.users || []);
      var keys = ['name', 'role'];
      users.forEach(function (u) {
        Object.keys(u).forEach(function (k) {
          if (keys.indexOf(k) < 0 && !/hash|salt|password/i.test(k)) keys.push(k);
        });
      });
      var head = $('users-head');
      clear(head);
      keys.forEach(function (k) {
        head.appendChild(el('th', null, USER_COLUMNS[k] ? t(USER_COLUMNS[k]) : k));
      });
      var body = $('users-rows');
      clear(body);
      users.forEach(function (u) {
        var tr = el('tr', 'row-pick');
        tr.dataset.name = u.name;
        keys.forEach(function (k) { tr.appendChild(el('td', null, cellText(k, u[k]))); });
        tr.addEventListener('click', function () {
          $('user-reset').elements.name.value = u.name;
          $('user-unlock').elements.name.value = u.name;
        });
        body.appendChild(tr);
      });
      $('users-table').dataset.count = String(users.length);
    });
  };

  function userForm(id, path, what) {
    $(id).addEventListener('submit', function (ev) {
      ev.preventDefault();
      var f = ev.target;
      var body = {};
      ['name', 'role', 'password'].forEach(function (k) {
        if (f.elements[k]) body[k] = f.elements[k].value;
      });
      body.name = (body.name || '').trim();
      api('POST', path, { json: body }).then(function () {
        if (f.elements.password) f.elements.password.value = '';
        toast(t('users.done', { what: t(what), name: body.name }));
        reload();
      }, function (err) {
        if (!(err instanceof ApiError && err.status === 401)) showMessage(errorText(err), 'error');
      });
    });
  }

  // ---- 审计 audit -------------------------------------------------------------------------

  function auditRows(r) {
    return Array.isArray(r) ? r : (r.entries || r.audit || r.items || []);
  }
  function pick(o, names) {
    for (var i = 0; i < names.length; i++) if (o[names[i]] !== undefined) return o[names[i]];
    return '';
  }

  function appendAudit(entries) {
    var body = $('audit-rows');
    entries.forEach(function (e) {
      var tr = el('tr');
      var at = pick(e, ['at_ms', 'at', 'when_ms', 'when']);
      var details = pick(e, ['details', 'detail']);
      [pick(e, ['seq', 'id']), isNum(at) ? chinaTime(at) : at, pick(e, ['who', 'user', 'name']),
        cellText('role', pick(e, ['role'])), auditWhat(pick(e, ['what', 'action'])),
        typeof details === 'object' ? JSON.stringify(details) : details].forEach(function (v) {
        tr.appendChild(el('td', null, v));
      });
      body.appendChild(tr);
      var s = Number(pick(e, ['seq', 'id']));
      if (isFinite(s) && s > state.auditAfter) state.auditAfter = s;
    });
  }

  // An audit action in words, with the stored code: "登录 (login)".
  function auditWhat(code) {
    var k = 'audit.what.' + code;
    return t(k) !== k ? t(k) + ' (' + code + ')' : String(code);
  }

  function showVerified(r) {
    var v = $('audit-verified');
    var ok = !!(r && r.verified);
    v.textContent = t(ok ? 'audit.verified' : 'audit.broken');
    v.className = 'badge badge-big ' + (ok ? 'badge-ok' : 'badge-bad');
    v.dataset.verified = ok ? '1' : '0';
  }

  LOADERS.audit = function (seq) {
    state.auditAfter = 0;
    clear($('audit-rows'));
    return api('GET', 'audit?after=0').then(function (r) {
      if (!current(seq)) return;
      showVerified(r);
      var entries = auditRows(r);
      appendAudit(entries);
      show($('audit-more'), entries.length >= 200);
    });
  };

  function moreAudit() {
    api('GET', 'audit?after=' + state.auditAfter).then(function (r) {
      showVerified(r);
      var entries = auditRows(r);
      appendAudit(entries);
      show($('audit-more'), entries.length >= 200);
    }, function (err) {
      if (!(err instanceof ApiError && err.status === 401)) showMessage(errorText(err), 'error');
    });
  }

  // ---- start --------------------------------------------------------------------------------

  function wire() {
    $('login-form').addEventListener('submit', onLogin);
    $('signout').addEventListener('click', onSignOut);
    $('lang-toggle').addEventListener('click', function () {
      window.I18N.setLang(window.I18N.lang() === 'zh' ? 'en' : 'zh');
      if (state.me) {
        setMe(state.me);
        reload();
      }
    });
    $('period').addEventListener('submit', onPeriod);
    $('period-year').addEventListener('click', function () {
      state.period = defaultPeriod();
      reload();
    });
    $('cut-select').addEventListener('change', onCutChange);
    $('fresh-form').addEventListener('submit', function (ev) { ev.preventDefault(); reload(); });
    $('targets-form').addEventListener('submit', onTargetsYear);
    $('target-edit').addEventListener('submit', function (ev) { ev.preventDefault(); writeTarget(false); });
    $('target-clear').addEventListener('click', function () { writeTarget(true); });
    $('target-indicator').addEventListener('change', targetHint);
    $('cert-confirm').addEventListener('click', function () { decide('confirm'); });
    $('cert-reject').addEventListener('click', function () { decide('reject'); });
    $('cert-cancel').addEventListener('click', function () {
      deciding = null;
      show($('cert-decision'), false);
    });
    $('person-form').addEventListener('submit', onPersonSearch);
    $('import-form').addEventListener('submit', function (ev) { ev.preventDefault(); runImport(true); });
    $('import-run').addEventListener('click', function () { runImport(false); });
    $('import-file').addEventListener('change', function () {
      state.importFile = null;
      $('import-run').disabled = true;
    });
    $('import-kind').addEventListener('change', function () {
      state.importFile = null;
      $('import-run').disabled = true;
    });
    $('code-form').addEventListener('submit', issueCode);
    userForm('user-add', 'users/add', 'users.add');
    userForm('user-reset', 'users/reset', 'users.reset');
    userForm('user-unlock', 'users/unlock', 'users.unlock');
    $('audit-more').addEventListener('click', moreAudit);
    $('definition-close').addEventListener('click', hideDefinition);
    document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') hideDefinition(); });
    document.addEventListener('click', function (ev) {
      if (!$('definition').hidden && !$('definition').contains(ev.target)) hideDefinition();
    });
    window.addEventListener('hashchange', route);
    var resizeTimer = null;
    window.addEventListener('resize', function () {
      if (resizeTimer) clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () {
        Object.keys(state.charts).forEach(function (id) { state.charts[id].resize(); });
      }, 150);
    });
  }

  function start() {
    if (TEST) document.documentElement.dataset.test = '1';
    window.I18N.apply(document);
    state.period = defaultPeriod();
    wire();
    api('GET', 'me', { login: true }).then(function (me) {
      setMe(me);
      route();
    }, function (err) {
      // 401: no session yet. Anything else: the sign-in form says what.
      showLogin();
      if (!(err instanceof ApiError && err.status === 401)) showMessage(errorText(err), 'error');
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
