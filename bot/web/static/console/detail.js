// One case in full: facts, the person, the conversation, the same employer's cases, and the next step.
import { api } from "./api.js";
import { $, clear, el, facts, money, show, when } from "./dom.js";
import { category, names, status } from "./vocabulary.js";

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

  const next = names.next.get(c.status) || [];
  const select = clear($("status-to"));
  for (const s of next) select.append(el("option", { value: s, text: status(s) }));
  show($("status-form"), next.length > 0);
  $("status-note").value = "";
  $("status-error").textContent = "";
}

export async function open(caseNo) {
  const c = await api("/api/console/cases/" + encodeURIComponent(caseNo));
  render(c);
  return c;
}

export function setUp() {
  $("status-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const note = $("status-note").value.trim();
    if (!note) { $("status-error").textContent = "请写一句处理说明。"; return; }
    $("status-submit").disabled = true;
    try {
      await api(`/api/console/cases/${encodeURIComponent(current.case_no)}/status`,
        { method: "POST", body: { status: $("status-to").value, note } });
      await open(current.case_no);
      afterChange(current);
    } catch (err) {
      $("status-error").textContent = err.message;
    } finally {
      $("status-submit").disabled = false;
    }
  });
}
