// One case in full: facts, the person, the conversation, the same employer's cases, and the next step.
import { api } from "./api.js";
import { $, clear, el, facts, money, show, when } from "./dom.js";
import * as roster from "./roster.js";
import { category, names, status, target } from "./vocabulary.js";

let current = null;
let afterChange = () => {};
let openOther = () => {};

export function onChanged(handler) { afterChange = handler; }
export function onOpenOther(handler) { openOther = handler; }

const WHO = { worker: "来访人", bot: "工友助手" };
const SOURCES = { bot: "工友助手", hotline: "热线登记", api: "接口导入" };
const NO_TRANSCRIPT = {
  bot: "对话记录已不在助手的内存中（助手重启后不保留）。",
  hotline: "热线登记的案件没有对话记录，来电内容见情况描述。",
  api: "这件案件不是通过对话登记的，没有对话记录。",
};

function render(c) {
  current = c;
  $("d-title").textContent = c.case_no;
  const badge = $("d-status");
  badge.textContent = status(c.status);
  badge.className = "status s-" + c.status;
  show($("d-collective"), c.collective);
  facts($("d-facts"), [
    ["问题类别", category(c.category)], ["用人单位", c.employer], ["工作地点", c.location],
    ["金额", money(c.amount)], ["时长", c.period_months ? c.period_months + " 个月" : ""],
    ["涉及人数", c.worker_count], ["服务站", c.station ? c.station.name : "未分配"],
    ["登记时间", when(c.created_at)], ["来源", SOURCES[c.opened_by] || c.opened_by],
  ]);
  facts($("d-person"), [["姓名", c.name], ["电话", c.phone]]);
  $("d-description").textContent = c.description || "—";

  const linked = clear($("d-linked"));
  for (const other of c.same_employer || []) {
    const link = el("a", { href: "#case/" + other.case_no, text: other.case_no });
    link.addEventListener("click", (e) => { e.preventDefault(); openOther(other.case_no); });
    linked.append(el("li", {}, link, ` ${category(other.category)} · ${status(other.status)} · ${when(other.created_at)}`));
  }
  if (!linked.children.length) linked.append(el("li", { class: "muted", text: "没有" }));

  const history = clear($("d-history"));
  for (const h of c.history || []) {
    history.append(el("li", {}, el("span", { class: "muted", text: when(h.at) + " " + h.actor }), " ",
      el("strong", { text: h.from ? `${status(h.from)} → ${status(h.to)}` : status(h.to) }),
      h.note ? el("div", { text: h.note }) : null));
  }

  const transcript = clear($("d-transcript"));
  if (c.transcript && c.transcript.length) {
    for (const line of c.transcript) {
      transcript.append(el("li", { class: "from-" + line.who }, el("span", { class: "who", text: WHO[line.who] || line.who }),
        el("span", { class: "prewrap", text: line.text })));
    }
  } else {
    transcript.append(el("li", { class: "muted", text: NO_TRANSCRIPT[c.opened_by] || NO_TRANSCRIPT.api }));
  }

  // The moves this case's category allows (a pension case never goes to mediation or arbitration).
  const next = c.moves || names.next.get(c.status) || [];
  const select = clear($("status-to"));
  for (const s of next) select.append(el("option", { value: s, text: status(s) }));
  show($("status-form"), next.length > 0 && !c.read_only);
  show($("d-read-only"), !!c.read_only);
  $("status-note").value = "";
  $("status-error").textContent = "";
  const targets = clear($("referral-to"));
  for (const t of c.targets || []) targets.append(el("option", { value: t, text: target(t) }));
  clear($("instalment-rows"));
  addInstalmentRow();
  outcomeFields();

  show($("d-overdue"), c.overdue);
  renderAftercare(c);
  roster.open(c);
}

const FOLLOWUP_KINDS = { instalment: "分期回访", after_close: "办结回访", rating: "满意度", comment: "意见", status: "进展通知" };
const ANSWERS = { paid: "收到了", missing: "没有收到", partial: "只收到一部分" };
const CHANNELS = { web: "网页/对话", wechat: "微信", sms: "短信", call: "电话" };

function renderAftercare(c) {
  const list = clear($("d-instalments"));
  $("instalment-error").textContent = "";
  (c.instalments || []).forEach((i, n) => {
    const seq = n + 1;
    const state = i.paid === true ? "已到账" : i.paid === false ? "没有到账" : "待确认";
    const item = el("li", { "data-seq": seq, "data-paid": String(i.paid) },
      `第${seq}期 ${money(i.amount)}，${i.due} 到期：${state}`);
    if (c.read_only) { list.append(item); return; }
    if (i.paid !== true) item.append(el("button", { type: "button", class: "small confirm-paid", text: "确认到账",
      onclick: () => confirm(seq, true) }));
    if (i.paid === null) item.append(el("button", { type: "button", class: "small confirm-unpaid", text: "没有到账",
      onclick: () => confirm(seq, false) }));
    list.append(item);
  });
  if (!list.children.length) list.append(el("li", { class: "muted", text: "没有分期" }));

  const visits = clear($("d-followups"));
  for (const f of (c.followups || []).filter((f) => f.kind !== "status")) {
    const answer = f.answer === null || f.answer === undefined ? (f.sent_at ? "还没回答" : "未到期")
      : (ANSWERS[f.answer] || f.answer);
    visits.append(el("li", { "data-kind": f.kind, "data-answer": f.answer || "" },
      el("span", { class: "muted", text: when(f.due) + " " + (CHANNELS[f.channel] || "") }), " ",
      el("strong", { text: FOLLOWUP_KINDS[f.kind] || f.kind }), "：" + answer));
  }
  if (c.rating) visits.append(el("li", { id: "d-rating", text: `满意度 ${c.rating} 分` + (c.rating_comment ? `，意见：${c.rating_comment}` : "") }));
  if (!visits.children.length) visits.append(el("li", { class: "muted", text: "没有回访" }));

  const view = c.worker_view || {};
  $("d-holder").textContent = view.holder ? view.holder.words : "";
  const clocks = clear($("d-clocks"));
  for (const k of view.clocks || []) clocks.append(el("li", { "data-kind": k.kind, text: `${k.title}：${k.text}` }));
  if (!clocks.children.length) clocks.append(el("li", { class: "muted", text: "这类案件现在没有需要盯的法定期限" }));
}

async function confirm(seq, paid) {
  try {
    await api(`/api/console/cases/${encodeURIComponent(current.case_no)}/instalments/${seq}`,
      { method: "POST", body: { paid, note: "" } });
    await open(current.case_no);
    afterChange(current);
  } catch (err) {
    $("instalment-error").textContent = err.message;
  }
}

function addInstalmentRow() {
  const rows = $("instalment-rows");
  rows.append(el("li", {},
    el("input", { class: "inst-amount", inputmode: "decimal", placeholder: "金额（元）", "aria-label": "金额" }),
    el("input", { class: "inst-due", type: "date", "aria-label": "到期日" })));
}

function outcomeFields() {
  const to = $("status-to").value;
  show($("agreement-fields"), to === "agreement");
  show($("referral-fields"), to === "referred");
  $("status-note-label").textContent = to === "mediation_failed" ? "调解没成功的原因" : "处理说明";
}

function outcomeBody(to) {
  if (to === "agreement") {
    const instalments = [];
    for (const li of $("instalment-rows").children) {
      const amount = li.querySelector(".inst-amount").value.trim();
      const due = li.querySelector(".inst-due").value;
      if (amount || due) instalments.push({ amount, due });
    }
    return { instalments };
  }
  if (to === "referred") {
    const body = { to: $("referral-to").value };
    if ($("referral-station").value) body.station_id = $("referral-station").value;
    return body;
  }
  return {};
}

let stationsLoaded = false;
async function loadStations() {
  if (stationsLoaded) return;
  try {
    const { stations } = await api("/api/stations");  // every station, not only those with cases
    const select = $("referral-station");
    for (const s of stations) select.append(el("option", { value: s.id, text: `${s.name}（${s.kind}）` }));
    stationsLoaded = true;
  } catch (err) { /* the station stays optional */ }
}

export async function open(caseNo) {
  loadStations();
  const c = await api("/api/console/cases/" + encodeURIComponent(caseNo));
  render(c);
  return c;
}

export function setUp() {
  roster.setUp();
  $("status-to").addEventListener("change", outcomeFields);
  $("add-instalment").addEventListener("click", addInstalmentRow);
  $("status-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const note = $("status-note").value.trim();
    const to = $("status-to").value;
    if (!note) {
      $("status-error").textContent = to === "mediation_failed" ? "请写明调解没成功的原因。" : "请写一句处理说明。";
      return;
    }
    $("status-submit").disabled = true;
    try {
      await api(`/api/console/cases/${encodeURIComponent(current.case_no)}/status`,
        { method: "POST", body: { status: to, note, ...outcomeBody(to) } });
      await open(current.case_no);
      afterChange(current);
    } catch (err) {
      $("status-error").textContent = err.message;
    } finally {
      $("status-submit").disabled = false;
    }
  });
}
