// Building the page from data without ever parsing it as HTML: every value goes in as text.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && key !== "list") node[key] = value;
    else node.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function $(id) { return document.getElementById(id); }

export function clear(node) { node.replaceChildren(); return node; }

export function show(node, visible) { node.hidden = !visible; }

const CHINA = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit",
  day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false });

export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : CHINA.format(d).replace(/\//g, "-");
}

export function money(value) {
  if (value === null || value === undefined || value === "") return "";
  return Number(value).toLocaleString("zh-CN") + " 元";
}

export function facts(dl, pairs) {
  clear(dl);
  for (const [label, value] of pairs) {
    dl.append(el("dt", { text: label }),
      el("dd", { text: value === null || value === undefined || value === "" ? "—" : String(value) }));
  }
}
