/* The follow page: a worker checks a draft's progress with its number and the phone's last four digits. */
(function () {
  "use strict";
  var form = document.getElementById("follow");
  var result = document.getElementById("result");
  function line(text, cls) { var p = document.createElement("p"); p.textContent = text; if (cls) p.className = cls; result.appendChild(p); }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    result.textContent = "";
    var body = { case_no: document.getElementById("case_no").value.trim().toUpperCase(),
                 phone_last4: document.getElementById("last4").value.trim() };
    line("正在查询…");
    fetch("/api/follow", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (r) {
        result.textContent = "";
        if (!r.ok) { line(r.data.error || "没查到，请稍后再试。", "warn"); return; }
        line("编号：" + r.data.case_no, "case-no");
        line("进度：" + (r.data.status_words || r.data.status));
        if (r.data.station && r.data.station.name) line("跟进服务站：" + r.data.station.name);
      })
      .catch(function () { result.textContent = ""; line("网络不太好，请稍后再试。", "warn"); });
  });
})();
