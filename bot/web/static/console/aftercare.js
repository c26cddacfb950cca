// 回访与逾期: cases with an unpaid instalment, the call list for workers with only a phone, and what workers answered.
import { api } from "./api.js";
import { $, clear, el, money, show, when } from "./dom.js";

let openCase = () => {};
export function onOpenCase(handler) { openCase = handler; }

const ANSWERS = { paid: "收到了", missing: "没有收到", partial: "只收到一部分" };
const CHANNELS = { web: "网页/对话", wechat: "微信", sms: "短信", call: "电话" };

function caseLink(no) {
  const link = el("a", { href: "#case/" + encodeURIComponent(no), text: no });
  link.addEventListener("click", (e) => { e.preventDefault(); openCase(no); });
  return link;
}

async function answer(id, said) {
  $("calls-error").textContent = "";
  try {
    await api(`/api/console/followups/${id}/answer`, { method: "POST", body: { answer: said } });
    await load();
  } catch (err) {
    $("calls-error").textContent = err.message;
  }
}

function callRow(c) {
  const cell = el("td", {});
  if (c.kind === "instalment") {
    cell.append(el("button", { type: "button", class: "small call-paid", text: "收到了", onclick: () => answer(c.id, "收到了") }),
      el("button", { type: "button", class: "small call-missing", text: "没有", onclick: () => answer(c.id, "没有") }),
      el("button", { type: "button", class: "small call-partial", text: "只收到一部分", onclick: () => answer(c.id, "只收到一部分") }));
  } else {
    const input = el("input", { class: "call-text", size: 10, placeholder: c.kind === "comment" ? "意见" : "1-5分" });
    cell.append(input, el("button", { type: "button", class: "small", text: "记下", onclick: () => answer(c.id, input.value) }));
  }
  return el("tr", { "data-followup": c.id, "data-case": c.case_no },
    el("td", {}, caseLink(c.case_no)), el("td", { text: c.kind_title + (c.kind === "instalment" ? ` 第${c.seq}期` : "") }),
    el("td", { text: when(c.due) }), el("td", { text: c.name || "—" }), el("td", { text: c.phone || "—" }),
    el("td", { class: "prewrap", text: c.question }), cell);
}

export async function load() {
  const d = await api("/api/console/aftercare");
  const overdue = clear($("overdue-table").tBodies[0]);
  for (const c of d.overdue) {
    overdue.append(el("tr", { "data-case": c.case_no }, el("td", {}, caseLink(c.case_no)),
      el("td", { text: c.employer || "—" }), el("td", { text: c.station || "未分配" }),
      el("td", { text: c.unpaid.map((i) => `第${i.seq}期 ${money(i.amount)}（${i.due}）`).join("；") || "—" }),
      el("td", { text: when(c.updated_at) })));
  }
  $("overdue-count").textContent = String(d.overdue.length);
  show($("overdue-empty"), d.overdue.length === 0);

  const calls = clear($("calls-table").tBodies[0]);
  for (const c of d.calls) calls.append(callRow(c));
  show($("calls-empty"), d.calls.length === 0);

  const results = clear($("results-table").tBodies[0]);
  for (const r of d.results) {
    results.append(el("tr", { "data-case": r.case_no, "data-kind": r.kind },
      el("td", {}, caseLink(r.case_no)), el("td", { text: r.kind_title + (r.kind === "instalment" ? ` 第${r.seq}期` : "") }),
      el("td", { text: ANSWERS[r.answer] || (r.kind === "rating" || r.kind === "after_close" ? `${r.answer} 分` : r.answer) }),
      el("td", { text: when(r.answered_at) }), el("td", { text: CHANNELS[r.channel] || r.channel || "—" }),
      el("td", { text: r.rating ? `${r.rating} 分` : "—" }), el("td", { text: r.comment || "—" })));
  }
  show($("results-empty"), d.results.length === 0);
  document.body.dataset.aftercare = "loaded";
  return d;
}
