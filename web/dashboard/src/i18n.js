// The dashboard's words: Chinese first, English one click away. The choice
// is remembered in localStorage ("chz.lang"). Figures, names and the
// indicators' definitions come from the server (in Chinese) and are never
// translated here; only the page's own words and the known indicator and cut
// names are.
(function () {
  'use strict';

  var zh = {
    'app.title': '持证 · 县级职业技能培训数据看板',
    'app.short': '持证看板',
    'lang.toggle': 'English',
    'nav.overview': '总览',
    'nav.cuts': '分类统计',
    'nav.freshness': '数据新鲜度',
    'nav.certificates': '证书确认',
    'nav.import': '名册导入',
    'nav.devices': '终端管理',
    'nav.users': '用户',
    'nav.audit': '审计',
    'user.signout': '退出登录',
    'role.viewer': '查看员',
    'role.admin': '系统管理员',
    'role.security': '安全管理员',
    'role.audit': '审计管理员',

    'login.title': '登录',
    'login.name': '用户名',
    'login.password': '密码',
    'login.submit': '登录',
    'login.busy': '正在登录…',
    'login.wrong': '用户名或密码错误。',
    'login.locked': '该账户因多次输错密码已被锁定，请在 {s} 秒后再试（或请安全管理员解锁）。',
    'login.rate': '登录尝试过于频繁，请一分钟后再试。',
    'login.unavailable': '服务器正忙，请稍后再试。',
    'login.expired': '登录已过期，请重新登录。',
    'login.signedout': '已退出登录。',

    'period.from': '起始日期',
    'period.to': '截止日期',
    'period.apply': '查询',
    'period.thisyear': '今年',
    'period.bad': '请选择正确的时间段（起始日期不晚于截止日期）。',

    'overview.title': '总览',
    'overview.trends': '按月趋势',
    'overview.chart.training': '培训人次与人数',
    'overview.chart.hours': '完成学时',
    'overview.chart.certs': '持证率与新增持证',
    'overview.notes': '说明',
    'card.info': '指标定义',
    'card.close': '关闭',

    'cuts.title': '分类统计',
    'cuts.by': '统计口径',
    'cuts.all': '全县',
    'cuts.export': '导出',
    'cuts.export.xlsx': '导出 Excel (XLSX)',
    'cuts.export.csv': '导出 CSV',
    'cuts.drill': '点击一行查看下一级',
    'cuts.rows': '共 {n} 行',
    'cuts.filter': '筛选…',
    'cuts.min': '≥',
    'cuts.total': '合计',

    'cut.township': '乡镇',
    'cut.site': '培训点',
    'cut.occupation': '职业(工种)',
    'cut.level': '等级',
    'cut.group': '重点群体',
    'cut.gender': '性别',
    'cut.age': '年龄段',
    'cut.residence': '乡镇·村',
    'cut.class': '班级',
    'cut.month': '月份',

    'fresh.title': '数据新鲜度',
    'fresh.silent_days': '超过多少天未同步算“失联”',
    'fresh.refresh': '刷新',
    'fresh.devices': '终端数',
    'fresh.silent': '失联终端',
    'fresh.pending': '待确认证书',
    'fresh.faults': '同步故障',
    'fresh.col.device': '终端',
    'fresh.col.site': '培训点',
    'fresh.col.last': '最近同步（北京时间）',
    'fresh.col.records': '记录数',
    'fresh.col.state': '状态',
    'fresh.state.silent': '失联',
    'fresh.state.ok': '正常',
    'fresh.never': '从未同步',

    'cert.title': '证书确认',
    'cert.none': '没有待确认的证书。',
    'cert.col.number': '证书编号',
    'cert.col.name': '姓名',
    'cert.col.course': '职业(工种)',
    'cert.col.level': '等级',
    'cert.col.site': '培训点',
    'cert.col.day': '发证日期',
    'cert.col.sig': '终端签名',
    'cert.col.action': '操作',
    'cert.sig.ok': '有效',
    'cert.sig.bad': '无效',
    'cert.decide': '处理',
    'cert.decision': '处理证书 {n}',
    'cert.kind': '证书类别',
    'cert.kind.level': '职业技能等级证书',
    'cert.kind.special': '专项职业能力证书',
    'cert.qual_number': '证书号（鉴定机构编号）',
    'cert.confirm': '确认',
    'cert.reason': '驳回理由',
    'cert.reject': '驳回',
    'cert.cancel': '取消',
    'cert.confirmed': '证书 {n} 已确认。',
    'cert.rejected': '证书 {n} 已驳回。',
    'cert.need_number': '请填写证书号。',
    'cert.need_reason': '请填写驳回理由。',

    'import.title': '名册导入',
    'import.hint': '先检查：列出每一行的问题，不写入任何数据。有问题的行不会导入；文件里有问题行时，暂不把文件中没有的人标记为“离开名册”。',
    'import.file': '选择文件（CSV、XLSX、XLS）',
    'import.kind': '文件类型',
    'import.kind.registry': '劳动力花名册',
    'import.kind.held': '已持证书清单',
    'import.dry': '第一步：检查（不写入）',
    'import.run': '第二步：正式导入',
    'import.need_file': '请先选择文件。',
    'import.need_dry': '请先检查，再导入。',
    'import.result.dry': '检查结果（未写入）',
    'import.result.done': '导入完成',
    'import.rows': '数据行',
    'import.refused': '有问题的行',
    'import.added': '新增',
    'import.updated': '更新',
    'import.unchanged': '未变',
    'import.left': '离开名册',
    'import.leaves_skipped': '暂不标记离开',
    'import.col.row': '行号',
    'import.col.column': '列',
    'import.col.message': '问题',
    'import.col.action': '处理',
    'import.imported': '已导入（提醒）',
    'import.not_imported': '未导入',
    'import.noissues': '没有发现问题。',

    'devices.title': '终端管理',
    'devices.code': '为培训点的新终端生成注册码',
    'devices.site': '培训点',
    'devices.hours': '有效小时数',
    'devices.issue': '生成注册码',
    'devices.usb': '下载 U 盘注册文件 (chizheng-enroll.txt)',
    'devices.expires': '有效期至 {t}（北京时间），只能用一次。',
    'devices.list': '已注册终端',
    'devices.enrolled': '注册时间',
    'devices.revoked': '已吊销',
    'devices.active': '在用',
    'devices.revoke': '吊销',
    'devices.revoke_sure': '确认吊销？',
    'devices.revoked_done': '终端 {d} 已吊销。',

    'users.title': '用户',
    'users.add': '添加用户',
    'users.reset': '重置密码',
    'users.unlock': '解锁',
    'users.name': '用户名',
    'users.role': '角色',
    'users.password': '新密码',
    'users.rule': '密码至少 10 位，包含大写字母、小写字母、数字、其他字符中的三类，且不含用户名。',
    'users.done': '已完成：{what} {name}',
    'users.col.failures': '连续输错次数',
    'users.col.locked': '已锁定',
    'users.col.disabled': '已停用',
    'users.col.created': '创建时间',

    'audit.title': '审计',
    'audit.verified': '审计链校验通过',
    'audit.broken': '审计链校验未通过！',
    'audit.more': '加载更多',
    'audit.col.seq': '序号',
    'audit.col.at': '时间（北京时间）',
    'audit.col.who': '用户',
    'audit.col.role': '角色',
    'audit.col.what': '操作',
    'audit.col.details': '详情',
    'audit.what.login': '登录',
    'audit.what.login_failed': '登录失败',
    'audit.what.login_locked': '锁定期间尝试登录',
    'audit.what.logout': '退出登录',
    'audit.what.user_add': '添加用户',
    'audit.what.user_reset': '重置密码',
    'audit.what.user_unlock': '解锁用户',
    'audit.what.user_disable': '停用用户',
    'audit.what.cert_confirm': '确认证书',
    'audit.what.cert_reject': '驳回证书',
    'audit.what.registry_import': '导入花名册',
    'audit.what.held_import': '导入已持证书',

    'common.loading': '正在加载…',
    'common.none': '没有数据。',
    'common.error': '出错了：{m}',
    'common.forbidden': '您的角色无权使用此功能。',
    'common.yes': '是',
    'common.no': '否'
  };

  var en = {
    'app.title': 'Chizheng · County skills-training dashboard',
    'app.short': 'Chizheng',
    'lang.toggle': '中文',
    'nav.overview': 'Overview',
    'nav.cuts': 'Breakdown',
    'nav.freshness': 'Data freshness',
    'nav.certificates': 'Certificates',
    'nav.import': 'Registry import',
    'nav.devices': 'Kiosks',
    'nav.users': 'Users',
    'nav.audit': 'Audit',
    'user.signout': 'Sign out',
    'role.viewer': 'Viewer',
    'role.admin': 'Administrator',
    'role.security': 'Security officer',
    'role.audit': 'Auditor',

    'login.title': 'Sign in',
    'login.name': 'User name',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.busy': 'Signing in…',
    'login.wrong': 'Wrong user name or password.',
    'login.locked': 'This account is locked after too many wrong passwords. Try again in {s} s (or ask the security officer to unlock it).',
    'login.rate': 'Too many sign-in attempts. Try again in a minute.',
    'login.unavailable': 'The server is busy. Try again shortly.',
    'login.expired': 'Your session has ended. Please sign in again.',
    'login.signedout': 'Signed out.',

    'period.from': 'From',
    'period.to': 'To',
    'period.apply': 'Show',
    'period.thisyear': 'This year',
    'period.bad': 'Choose a valid period (from is not after to).',

    'overview.title': 'Overview',
    'overview.trends': 'Monthly trends',
    'overview.chart.training': 'Enrolments and people trained',
    'overview.chart.hours': 'Hours completed',
    'overview.chart.certs': 'Certification rate and new certificates',
    'overview.notes': 'Notes',
    'card.info': 'Definition',
    'card.close': 'Close',

    'cuts.title': 'Breakdown',
    'cuts.by': 'Break down by',
    'cuts.all': 'Whole county',
    'cuts.export': 'Export',
    'cuts.export.xlsx': 'Export Excel (XLSX)',
    'cuts.export.csv': 'Export CSV',
    'cuts.drill': 'Click a row to open the next level',
    'cuts.rows': '{n} rows',
    'cuts.filter': 'Filter…',
    'cuts.min': '≥',
    'cuts.total': 'Total',

    'cut.township': 'Township',
    'cut.site': 'Training site',
    'cut.occupation': 'Occupation',
    'cut.level': 'Level',
    'cut.group': 'Key group',
    'cut.gender': 'Gender',
    'cut.age': 'Age band',
    'cut.residence': 'Township · village',
    'cut.class': 'Class',
    'cut.month': 'Month',

    'fresh.title': 'Data freshness',
    'fresh.silent_days': 'Silent after (days without sync)',
    'fresh.refresh': 'Refresh',
    'fresh.devices': 'Kiosks',
    'fresh.silent': 'Silent kiosks',
    'fresh.pending': 'Certificates pending',
    'fresh.faults': 'Sync faults',
    'fresh.col.device': 'Kiosk',
    'fresh.col.site': 'Site',
    'fresh.col.last': 'Last sync (China time)',
    'fresh.col.records': 'Records',
    'fresh.col.state': 'State',
    'fresh.state.silent': 'Silent',
    'fresh.state.ok': 'OK',
    'fresh.never': 'never',

    'cert.title': 'Certificate decisions',
    'cert.none': 'No certificate is waiting for a decision.',
    'cert.col.number': 'Number',
    'cert.col.name': 'Name',
    'cert.col.course': 'Occupation',
    'cert.col.level': 'Level',
    'cert.col.site': 'Site',
    'cert.col.day': 'Issued',
    'cert.col.sig': 'Kiosk signature',
    'cert.col.action': 'Action',
    'cert.sig.ok': 'valid',
    'cert.sig.bad': 'INVALID',
    'cert.decide': 'Decide',
    'cert.decision': 'Certificate {n}',
    'cert.kind': 'Qualification kind',
    'cert.kind.level': 'Vocational skill level certificate',
    'cert.kind.special': 'Special vocational ability certificate',
    'cert.qual_number': 'Qualification number',
    'cert.confirm': 'Confirm',
    'cert.reason': 'Reason for rejection',
    'cert.reject': 'Reject',
    'cert.cancel': 'Cancel',
    'cert.confirmed': 'Certificate {n} confirmed.',
    'cert.rejected': 'Certificate {n} rejected.',
    'cert.need_number': 'Enter the qualification number.',
    'cert.need_reason': 'Enter a reason.',

    'import.title': 'Registry import',
    'import.hint': 'Check first: every row\'s problems are listed and nothing is written. Refused rows are not imported; while a file has refused rows, people missing from it are not marked as having left.',
    'import.file': 'File (CSV, XLSX, XLS)',
    'import.kind': 'Kind of file',
    'import.kind.registry': 'Labour-force registry',
    'import.kind.held': 'Certificates already held',
    'import.dry': 'Step 1: check (writes nothing)',
    'import.run': 'Step 2: import',
    'import.need_file': 'Choose a file first.',
    'import.need_dry': 'Check the file first, then import.',
    'import.result.dry': 'Check (nothing written)',
    'import.result.done': 'Imported',
    'import.rows': 'Data rows',
    'import.refused': 'Rows with problems',
    'import.added': 'Added',
    'import.updated': 'Updated',
    'import.unchanged': 'Unchanged',
    'import.left': 'Left the registry',
    'import.leaves_skipped': 'Leaves held back',
    'import.col.row': 'Row',
    'import.col.column': 'Column',
    'import.col.message': 'Problem',
    'import.col.action': 'Outcome',
    'import.imported': 'imported (warning)',
    'import.not_imported': 'not imported',
    'import.noissues': 'No problems found.',

    'devices.title': 'Kiosks',
    'devices.code': 'Enrollment code for a new kiosk at a site',
    'devices.site': 'Site',
    'devices.hours': 'Valid for (hours)',
    'devices.issue': 'Issue code',
    'devices.usb': 'Download the USB file (chizheng-enroll.txt)',
    'devices.expires': 'Valid until {t} (China time), once.',
    'devices.list': 'Enrolled kiosks',
    'devices.enrolled': 'Enrolled',
    'devices.revoked': 'Revoked',
    'devices.active': 'Active',
    'devices.revoke': 'Revoke',
    'devices.revoke_sure': 'Really revoke?',
    'devices.revoked_done': 'Kiosk {d} revoked.',

    'users.title': 'Users',
    'users.add': 'Add user',
    'users.reset': 'Reset password',
    'users.unlock': 'Unlock',
    'users.name': 'User name',
    'users.role': 'Role',
    'users.password': 'New password',
    'users.rule': 'At least 10 characters with three of: upper case, lower case, digits, other; not containing the user name.',
    'users.done': 'Done: {what} {name}',
    'users.col.failures': 'Wrong passwords in a row',
    'users.col.locked': 'Locked',
    'users.col.disabled': 'Disabled',
    'users.col.created': 'Created',

    'audit.title': 'Audit log',
    'audit.verified': 'Audit chain verified',
    'audit.broken': 'Audit chain does NOT verify!',
    'audit.more': 'Load more',
    'audit.col.seq': 'Seq',
    'audit.col.at': 'When (China time)',
    'audit.col.who': 'User',
    'audit.col.role': 'Role',
    'audit.col.what': 'Action',
    'audit.col.details': 'Details',
    'audit.what.login': 'sign-in',
    'audit.what.login_failed': 'failed sign-in',
    'audit.what.login_locked': 'sign-in attempt while locked',
    'audit.what.logout': 'sign-out',
    'audit.what.user_add': 'user added',
    'audit.what.user_reset': 'password reset',
    'audit.what.user_unlock': 'user unlocked',
    'audit.what.user_disable': 'user disabled',
    'audit.what.cert_confirm': 'certificate confirmed',
    'audit.what.cert_reject': 'certificate rejected',
    'audit.what.registry_import': 'registry imported',
    'audit.what.held_import': 'held certificates imported',

    'common.loading': 'Loading…',
    'common.none': 'No data.',
    'common.error': 'Error: {m}',
    'common.forbidden': 'Your role may not use this.',
    'common.yes': 'yes',
    'common.no': 'no'
  };

  // English names of the server's indicators (the server's own names are
  // Chinese; unknown keys keep the server's name).
  var enIndicators = {
    trained_enrolments: 'Enrolments trained',
    trained_people: 'People trained',
    hours: 'Hours completed',
    exam_people: 'People examined',
    exam_attempts: 'Exam attempts',
    passed_people: 'People passed',
    pass_rate: 'Pass rate',
    population: 'Registered working-age people',
    certified_people: 'People certified',
    cert_rate: 'Certification rate',
    mid_high_share: 'Mid/high level share',
    high_skill: 'Highly skilled',
    new_certified: 'Newly certified'
  };

  var dicts = { zh: zh, en: en };
  var lang = 'zh';
  try {
    var saved = window.localStorage.getItem('chz.lang');
    if (saved === 'en' || saved === 'zh') lang = saved;
  } catch (e) { /* storage disabled: Chinese */ }

  function t(key, params) {
    var s = dicts[lang][key];
    if (s === undefined) s = zh[key];
    if (s === undefined) s = key;
    if (params) {
      Object.keys(params).forEach(function (k) {
        s = s.split('{' + k + '}').join(String(params[k]));
      });
    }
    return s;
  }

  // Fills every element marked data-i18n (text), data-i18n-ph (placeholder)
  // or data-i18n-title (title) under `root`.
  function apply(root) {
    root = root || document;
    var els = root.querySelectorAll('[data-i18n]');
    for (var i = 0; i < els.length; i++) els[i].textContent = t(els[i].getAttribute('data-i18n'));
    els = root.querySelectorAll('[data-i18n-ph]');
    for (i = 0; i < els.length; i++) els[i].placeholder = t(els[i].getAttribute('data-i18n-ph'));
    els = root.querySelectorAll('[data-i18n-title]');
    for (i = 0; i < els.length; i++) {
      var v = t(els[i].getAttribute('data-i18n-title'));
      els[i].title = v;
      els[i].setAttribute('aria-label', v);
    }
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('app.title');
  }

  function setLang(l) {
    lang = l === 'en' ? 'en' : 'zh';
    try { window.localStorage.setItem('chz.lang', lang); } catch (e) { /* ignore */ }
    apply(document);
  }

  function indicatorName(key, serverName) {
    if (lang === 'en' && enIndicators[key]) return enIndicators[key];
    return serverName || key;
  }

  window.I18N = {
    t: t,
    apply: apply,
    setLang: setLang,
    lang: function () { return lang; },
    indicatorName: indicatorName
  };
})();
