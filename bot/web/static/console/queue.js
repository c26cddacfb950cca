// The case queue: filters, live refresh, exports, and the handoff requests beside it.
import { api } from "./api.js";
import { $, clear, el, money, show, when } from "./dom.js";
import { category, names, status } from "./vocabulary.js";

const REFRESH_MS = 5000;
let timer = null;
let seen = null;          // case numbers already on screen, to mark the ones that arrive
let seenHandoffs = null;
let openCase = () => {};

export function onOpenCase(handler) { openCase = handler; }

function filters() {
  const params = new URLSearchParams();
  const pairs = [["station", "f-station"], ["scope", "f-scope"], ["status", "f-status"], ["category", "f-category"],
    ["collective", "f-collective"]];
  for (const [name, id] of pairs) { if ($(id).value) params.set(name, $(id).value); }
  return params;
}

function exportLinks() {
  const params = filters();
  if ($("unmasked").checked) params.set("unmasked", "1");
  $("export-csv").href = "/api/console/export.csv?" + params;
  $("export-xlsx").href = "/api/console/export.xlsx?" + params;
}

export function setUp(user) {
  const statusSelect = clear($("f-status"));
  statusSelect.append(el("option", { value: "", text: "全部" }));
  for (const id of names.statuses.keys()) statusSelect.append(el("option", { value: id, text: status(id) }));
  statusSelect.value = "draft";
  const categorySelect = $("f-category");
  for (const [id, title] of names.categories) categorySelect.append(el("option", { value: id, text: title }));
  for (const node of document.querySelectorAll(".supervisor-only")) show(node, user.role === "supervisor");
  for (const id of ["f-station", "f-scope", "f-status", "f-category", "f-collective"]) {
    $(id).addEventListener("change", () => { seen = null; refresh(); });
  }
  $("unmasked").addEventListener("change", exportLinks);
  exportLinks();
  loadStations();
}

async function loadStations() {
  const { stations } = await api("/api/console/stations");
  const select = $("f-station");
  const chosen = select.value;
  clear(select).append(el("option", { value: "", text: "全部" }));
  for (const s of stations) select.append(el("option", { value: s.id, text: s.name }));
  select.value = chosen;
}

function caseRow(c, fresh) {
  const tags = el("td", {}, c.case_no);
  if (c.collective) tags.append(" ", el("span", { class: "tag collective", text: "群体性" }));
  if (c.overdue) tags.append(" ", el("span", { class: "tag overdue", text: "逾期" }));
  if (fresh) tags.append(" ", el("span", { class: "tag fresh", text: "新" }));
  const row = el("tr", { class: c.collective ? "collective" : "", tabIndex: 0, "data-case": c.case_no },
    tags,
    el("td", { text: category(c.category) }),
    el("td", { text: c.employer || "—" }),
    el("td", { text: c.worker_count ?? "—" }),
    el("td", { text: money(c.amount) || "—" }),
    el("td", { text: c.station ? (c.station.name || c.station.id) : "未分配" }),
    el("td", { text: when(c.created_at) }),
    el("td", {}, el("span", { class: "status s-" + c.status, text: status(c.status) })));
  row.addEventListener("click", () => openCase(c.case_no));
  row.addEventListener("keydown", (e) => { if (e.key === "Enter") openCase(c.case_no); });
  return row;
}

function handoffItem(h) {
  const last = (h.transcript || []).filter((l) => l.who === "worker").slice(-2).map((l) => l.text).join(" / ");
  const done = el("button", { type: "button", class: "small", text: "已处理" });
  done.addEventListener("click", async () => {
    done.disabled = true;
    await api(`/api/console/handoffs/${h.id}/done`, { method: "POST", body: {} });
    refresh();
  });
  return el("li", { "data-handoff": h.id },
    el("div", { class: "meta" }, el("span", { text: h.reason === "fallback" ? "助手没听懂" : "要求人工" }),
      el("span", { class: "muted", text: when(h.created_at) })),
    el("div", { text: h.phone ? "电话：" + h.phone : "未留电话" }),
    el("div", { class: "muted quote", text: last || "（无对话内容）" }), done);
}

export async function refresh() {
  exportLinks();
  try {
    const [{ cases }, { handoffs }] = await Promise.all([
      api("/api/console/cases?" + filters()), api("/api/console/handoffs")]);
    const body = clear($("queue-table").tBodies[0]);
    const before = seen;
    seen = new Set(cases.map((c) => c.case_no));
    const fresh = before ? cases.filter((c) => !before.has(c.case_no)) : [];
    for (const c of cases) body.append(caseRow(c, before && !before.has(c.case_no)));
    show($("queue-empty"), cases.length === 0);
    const list = clear($("handoff-list"));
    for (const h of handoffs) list.append(handoffItem(h));
    $("handoff-count").textContent = String(handoffs.length);
    const newHandoffs = seenHandoffs ? handoffs.filter((h) => !seenHandoffs.has(h.id)).length : 0;
    seenHandoffs = new Set(handoffs.map((h) => h.id));
    const stamp = when(new Date().toISOString()).slice(-5);
    let text = `共 ${cases.length} 件 · 每 5 秒自动更新 · ${stamp}`;
    if (fresh.length) text += ` · 新到 ${fresh.length} 件`;
    if (newHandoffs) text += ` · 新的转人工请求 ${newHandoffs} 条`;
    $("live").textContent = text;
    $("live").classList.toggle("alert", fresh.length > 0 || newHandoffs > 0);
    if (fresh.length) loadStations();
  } catch (e) {
    $("live").textContent = e.message;
  }
}

export function start() {
  stop();
  refresh();
  timer = setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);
}

export function stop() { if (timer) clearInterval(timer); timer = null; }
