/* The follow page: a worker checks a draft's progress with its number and follow code.
   The QR code carries the code in the URL fragment (#…), which the browser never sends to a
   server: read it here, then take it out of the address bar. */
(function () {
  "use strict";
  var form = document.getElementById("follow");
  var result = document.getElementById("result");
  var codeInput = document.getElementById("code");
  var eraseButton = document.getElementById("erase");
  var documents = document.getElementById("documents");
  var fromLink = decodeURIComponent((location.hash || "").replace(/^#/, "")).trim();
  if (/^[0-9A-Za-z-]{8,12}$/.test(fromLink)) {
    codeInput.value = fromLink.toUpperCase();
    history.replaceState(null, "", location.pathname + location.search);
  }
  function line(text, cls) { var p = document.createElement("p"); p.textContent = text; if (cls) p.className = cls; result.appendChild(p); }
  /* A titled list under the result; every value goes in as text, never parsed as HTML. */
  function section(id, title, items, tag) {
    if (!items.length) return;
    var h = document.createElement("h2"); h.textContent = title; result.appendChild(h);
    var list = document.createElement(tag || "ul"); list.id = id; list.className = "follow-list";
    items.forEach(function (item) {
      var li = document.createElement("li"); li.textContent = item.text;
      Object.keys(item.attrs).forEach(function (k) { li.setAttribute(k, item.attrs[k]); });
      list.appendChild(li);
    });
    result.appendChild(list);
  }
  function asked() {
    return { case_no: document.getElementById("case_no").value.trim().toUpperCase(),
             follow_code: codeInput.value.trim().toUpperCase() };
  }
  function post(path, body) {
    return fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    result.textContent = "";
    eraseButton.hidden = true;
    documents.hidden = true;
    line("正在查询…");
    post("/api/follow", asked())
      .then(function (r) {
        result.textContent = "";
        if (!r.ok) { line(r.data.error || "没查到，请稍后再试。", "warn"); return; }
        line("编号：" + r.data.case_no, "case-no");
        line("进度：" + (r.data.status_words || r.data.status));
        if (r.data.holder) line("现在谁在办：" + r.data.holder.words, "holder");
        else if (r.data.station && r.data.station.name) line("跟进服务站：" + r.data.station.name);
        if (r.data.overdue) line("有一期钱没有按时到账，服务站已经把您的案件排到最前面。", "warn overdue");
        section("f-clocks", "法定期限", (r.data.clocks || []).map(function (c) {
          return { text: c.title + "：" + c.text, attrs: { "data-kind": c.kind, "data-days": c.days_left } };
        }));
        section("f-instalments", "分期付款", (r.data.instalments || []).map(function (i) {
          return { text: i.words, attrs: { "data-paid": String(i.paid) } };
        }));
        section("f-timeline", "办理经过", (r.data.timeline || []).map(function (t) {
          return { text: t.day + "　" + t.what, attrs: { "data-status": t.status } };
        }), "ol");
        eraseButton.hidden = false;
        documents.hidden = false;
      })
      .catch(function () { result.textContent = ""; line("网络不太好，请稍后再试。", "warn"); });
  });
  /* The document comes in the answer to a POST (number and code in the body, never in a URL),
     so it is saved from memory rather than opened from an address. */
  documents.addEventListener("click", function (e) {
    var file = e.target.getAttribute && e.target.getAttribute("data-file");
    if (!file) return;
    var body = asked();
    body.file = file;
    fetch("/api/follow/documents", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) {
        if (!r.ok) return r.json().then(function (data) { line(data.error || "文书暂时下载不了，请稍后再试。", "warn"); });
        return r.blob().then(function (blob) {
          var link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = body.case_no + "-" + file;
          document.body.appendChild(link);
          link.click();
          link.remove();
          setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
        });
      })
      .catch(function () { line("网络不太好，请稍后再试。", "warn"); });
  });
  eraseButton.addEventListener("click", function () {
    if (!window.confirm("删除后，服务站就看不到您的姓名、电话和情况说明，也没法打电话联系您。确定删除吗？")) return;
    post("/api/follow/erase", asked())
      .then(function (r) {
        result.textContent = "";
        line(r.ok ? r.data.message : (r.data.error || "没能删除，请稍后再试。"), r.ok ? null : "warn");
        if (r.ok) eraseButton.hidden = true;
      })
      .catch(function () { line("网络不太好，请稍后再试。", "warn"); });
  });
})();
