// The public certificate check: the payload comes from the QR code's URL
// (#CHZC1… or ?p=CHZC1…) or is pasted; the server says what it found.
// Every text from the server is set with textContent, never as HTML.
"use strict";
(function () {
  var GOOD = { valid: "ok" }, WAIT = { pending: "wait", unreported: "wait" };
  var TITLE = {
    valid: "✔ 有效", pending: "… 待县局确认", unreported: "… 县局尚无记录",
    rejected: "✘ 未予确认", annulled: "✘ 已注销", revoked: "✘ 无效（设备已停用）",
    altered: "✘ 已被改动", unknown_device: "✘ 来源不明", damaged: "？ 无法识别"
  };
  var FACTS = [["name", "姓名"], ["id_masked", "身份证号"], ["occupation", "职业（工种）"],
    ["level", "等级"], ["hours", "学时"], ["theory_score", "理论成绩"],
    ["practical_score", "实操成绩"], ["date", "发证日期"], ["site_name", "培训点"],
    ["number", "证书编号"]];

  function payloadFromUrl() {
    var h = decodeURIComponent(location.hash.replace(/^#/, ""));
    if (h.indexOf("CHZC") === 0) return h;
    var m = /[?&]p=([^&#]*)/.exec(location.search);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function row(table, label, value) {
    var tr = table.insertRow(), a = tr.insertCell(), b = tr.insertCell();
    a.textContent = label;
    b.textContent = value;
  }
  function show(j) {
    var v = document.getElementById("verdict");
    v.textContent = TITLE[j.verdict] || j.verdict;
    v.className = "verdict " + (GOOD[j.verdict] || WAIT[j.verdict] || "bad");
    document.getElementById("message").textContent = j.message;
    var t = document.getElementById("facts");
    t.textContent = "";
    if (j.certificate) FACTS.forEach(function (f) { row(t, f[1], String(j.certificate[f[0]])); });
    if (j.status) row(t, "县局状态", j.status + (j.decided_day ? "（" + j.decided_day + "）" : ""));
    if (j.qual_number) row(t, j.qual_kind || "证书", j.qual_number);
    document.getElementById("device-signed").textContent = (j.device_signed || []).join("、");
    document.getElementById("county-signed").textContent = (j.county_signed || []).join("、");
    document.getElementById("result").hidden = false;
    document.body.dataset.ready = "1";
  }
  function check(p) {
    document.body.dataset.ready = "";
    fetch("/api/v1/verify?p=" + encodeURIComponent(p), { credentials: "omit" })
      .then(function (r) { return r.json(); })
      .then(show)
      .catch(function () { show({ verdict: "damaged", message: "暂时无法连接县局服务器，请稍后再试。" }); });
  }
  document.getElementById("manual").addEventListener("submit", function (e) {
    e.preventDefault();
    check(document.getElementById("payload").value.trim());
  });
  var p = payloadFromUrl();
  if (p) check(p); else document.body.dataset.ready = "1";
})();
