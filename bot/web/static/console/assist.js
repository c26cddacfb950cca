// Hotline assist: what the caller says → the bot's reading of it → a draft the operator checks and saves.
import { api } from "./api.js";
import { $, el, facts, money } from "./dom.js";
import { category, names } from "./vocabulary.js";

const FACT_LABELS = { employer: "用人单位", location: "工作地点", amount: "金额", duration: "时长",
  worker_count: "涉及人数", phone: "电话" };
const FIELDS = ["category", "name", "phone", "employer", "location", "amount", "period_months", "worker_count",
  "description", "station_id", "station_name"];
let afterSave = () => {};

export function onSaved(handler) { afterSave = handler; }

function fill(draft) {
  const form = $("draft-form");
  for (const name of FIELDS) {
    if (name in draft) form.elements[name].value = draft[name] === null || draft[name] === undefined ? "" : draft[name];
  }
}

function shown(name, value) {
  if (name === "amount") return money(value);
  if (name === "duration") return value + " 个月";
  if (name === "worker_count") return value + " 人";
  return value;
}

export function setUp() {
  const select = $("draft-category");
  select.append(el("option", { value: "", text: "请选择" }));
  for (const [id, title] of names.categories) select.append(el("option", { value: id, text: title }));

  $("assist-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    $("assist-error").textContent = "";
    const text = $("assist-text").value.trim();
    if (!text) { $("assist-error").textContent = "请先输入来电人说的话。"; return; }
    try {
      const result = await api("/api/console/assist", { method: "POST", body: { text } });
      $("a-category").textContent = result.category ? category(result.category)
        : "不是具体的劳动问题（" + (result.intent.name || "未识别") + "）";
      $("a-confidence").textContent = `置信度 ${Math.round((result.intent.confidence || 0) * 100)}%`;
      facts($("a-facts"), Object.entries(result.facts).map(([k, v]) => [FACT_LABELS[k] || k, shown(k, v)]));
      $("a-guidance").textContent = result.guidance || "没有对应的政策答复，请按来电人的具体问题解答。";
      $("assist-result").hidden = false;
      fill(result.draft);
      $("draft-ok").textContent = "";
    } catch (err) {
      $("assist-error").textContent = err.message;
    }
  });

  $("draft-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    $("draft-error").textContent = "";
    $("draft-ok").textContent = "";
    const form = $("draft-form");
    const body = {};
    for (const name of FIELDS) body[name] = form.elements[name].value.trim() || null;
    body.consent = form.elements.consent.checked;
    // One key per filled form: a double click or a retry saves one case.
    form.dataset.key = form.dataset.key || crypto.randomUUID();
    body.idempotency_key = form.dataset.key;
    try {
      const saved = await api("/api/console/drafts", { method: "POST", body });
      $("draft-ok").textContent = `已保存，编号 ${saved.case_no}。`;
      delete form.dataset.key;
      form.elements.consent.checked = false;  // each caller agrees for themselves
      afterSave(saved);
    } catch (err) {
      $("draft-error").textContent = err.message;
    }
  });
  $("draft-form").addEventListener("input", () => { delete $("draft-form").dataset.key; });
}
