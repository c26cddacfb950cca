// The group roster on a case page (劳动争议调解仲裁法 §7): the group code, the members in full (only
// here, for signed-in operators), adding one after their consent, correcting, erasing, and choosing
// 3–5 representatives. A station that referred the case on sees it without the controls.
import { api } from "./api.js";
import { $, clear, el, money, show } from "./dom.js";

let caseNo = null;
let readOnly = true;
let editing = null;   // the member being corrected, or null when the form adds one

function base() { return `/api/console/cases/${encodeURIComponent(caseNo)}`; }

function groupCode(code) {
  return code ? `${code.slice(0, 3)}-${code.slice(3)}` : "";
}

function render(group) {
  const live = group.members.filter((m) => !m.erased);
  $("roster-count").textContent = String(live.length);
  $("roster-code").textContent = group.code
    ? `群码 ${groupCode(group.code)}：工友把这个码发给工友助手就能加入名单。`
    : "还没有群码。生成后，工友把码发给工友助手就能自己加入名单。";
  show($("roster-open"), !group.code && !readOnly);
  const body = clear($("roster-table").tBodies[0]);
  for (const m of group.members) {
    const pick = el("input", { type: "checkbox", class: "rep", value: String(m.id), checked: m.representative,
      disabled: readOnly || m.erased, "aria-label": "选为代表" });
    const actions = el("td", {});
    if (!readOnly && !m.erased) {
      actions.append(el("button", { type: "button", class: "small edit", text: "修改", onclick: () => edit(m) }));
      const erase = el("button", { type: "button", class: "small erase", text: "删除" });
      erase.addEventListener("click", () => {
        if (erase.dataset.armed) { remove(m.id); return; }
        erase.dataset.armed = "1";
        erase.textContent = "确认删除（不可恢复）";
      });
      actions.append(" ", erase);
    }
    body.append(el("tr", { "data-member": String(m.id), "data-erased": String(m.erased) },
      el("td", {}, pick),
      el("td", { text: m.erased ? "（已删除）" : m.name || "" }),
      el("td", { text: m.phone || "" }),
      el("td", { text: money(m.amount) }),
      el("td", { text: m.months ? String(m.months) : "" }),
      actions));
  }
  show($("roster-save-reps"), !readOnly && live.length > 0);
  show($("roster-form"), !readOnly);
}

function fillForm(m) {
  $("rf-name").value = m ? m.name || "" : "";
  $("rf-phone").value = m ? m.phone || "" : "";
  $("rf-amount").value = m && m.amount !== null ? String(m.amount) : "";
  $("rf-months").value = m && m.months !== null ? String(m.months) : "";
  $("rf-consent").checked = false;
  show($("rf-consent").parentElement, !m);
  $("roster-form-title").textContent = m ? `修改：${m.name}` : "加一位工友";
  $("rf-submit").textContent = m ? "保存修改" : "加入名单";
  show($("rf-cancel"), !!m);
  $("roster-error").textContent = "";
}

function edit(m) {
  editing = m;
  fillForm(m);
  $("rf-name").focus();
}

async function reload() {
  render(await api(base() + "/roster"));
}

async function act(work, done) {
  $("roster-error").textContent = "";
  $("roster-done").textContent = "";
  try {
    await work();
    editing = null;
    fillForm(null);
    await reload();
    $("roster-done").textContent = done;
  } catch (err) {
    $("roster-error").textContent = err.message;
  }
}

function remove(id) {
  return act(() => api(`${base()}/roster/${id}/erase`, { method: "POST" }), "已删除，这位工友的姓名和电话不再保存。");
}

export async function open(c) {
  caseNo = c.case_no;
  readOnly = !!c.read_only;
  editing = null;
  fillForm(null);
  let group;
  try {
    group = await api(base() + "/roster");
  } catch (err) {
    show($("d-roster"), false);
    return;
  }
  // Shown for a collective case, or any case a group was opened for.
  show($("d-roster"), c.collective || !!group.code);
  render(group);
}

export function setUp() {
  $("roster-open").addEventListener("click", () => act(() => api(base() + "/roster/open", { method: "POST" }),
    "群码已生成。"));
  $("rf-cancel").addEventListener("click", () => { editing = null; fillForm(null); });
  $("roster-save-reps").addEventListener("click", () => {
    const members = [...document.querySelectorAll("#roster-table input.rep:checked")].map((b) => Number(b.value));
    act(() => api(base() + "/representatives", { method: "POST", body: { members } }), "代表已保存。");
  });
  $("roster-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const body = { name: $("rf-name").value.trim(), phone: $("rf-phone").value.trim(),
      amount: $("rf-amount").value.trim(), months: $("rf-months").value.trim() };
    if (editing) {
      const id = editing.id;
      act(() => api(`${base()}/roster/${id}`, { method: "POST", body }), "已修改。");
      return;
    }
    if (!$("rf-consent").checked) {
      $("roster-error").textContent = "请先把告知内容念给这位工友听，本人同意后再勾选。";
      return;
    }
    act(() => api(base() + "/roster", { method: "POST", body: { ...body, consent: true } }), "已加入名单。");
  });
}
