// The situation dashboard: real counts from /api/console/dashboard, drawn with the self-hosted Chart.js.
import { api } from "./api.js";
import { $, clear, el, show } from "./dom.js";

const charts = {};
const COLORS = ["#1d6fb8", "#d9822b", "#2f9e6b", "#b8432f", "#7a5cc2", "#c2a83a", "#4a9bc2", "#8c8c8c"];

function draw(id, type, labels, values, label) {
  if (charts[id]) charts[id].destroy();
  if (!window.Chart) return;
  charts[id] = new window.Chart($(id), {
    type,
    data: { labels, datasets: [{ label, data: values, backgroundColor: type === "line" ? "rgba(29,111,184,0.15)" : COLORS,
      borderColor: "#1d6fb8", fill: type === "line", tension: 0 }] },
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } },
      indexAxis: type === "bar" && labels.length > 6 ? "y" : "x",
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

export async function load() {
  const d = await api("/api/console/dashboard");
  $("k-total").textContent = String(d.total);
  $("k-draft").textContent = String(d.by_status.draft || 0);
  $("k-collective").textContent = String(d.collective.open);
  $("k-median").textContent = d.draft_to_accepted.median_hours === null ? "暂无"
    : `${d.draft_to_accepted.median_hours} 小时`;
  const share = (x) => (x === null || x === undefined ? "暂无" : `${(x * 100).toFixed(1)}%`);
  $("k-success").textContent = share(d.mediation.success_rate);
  $("k-days").textContent = d.days_to_outcome.median_days === null ? "暂无" : `${d.days_to_outcome.median_days} 天`;
  $("k-ontime").textContent = share(d.instalments.on_time_share);
  $("k-satisfaction").textContent = d.satisfaction.mean === null ? "暂无" : `${d.satisfaction.mean} 分（${d.satisfaction.ratings}人）`;
  const rule = d.early_warning;
  $("warning-rule").textContent = `（${rule.days}天内同一单位、区县或行业达到${rule.threshold}件）`;
  const warnings = clear($("warnings"));
  const DIMENSIONS = { employer: "用人单位", district: "区县", industry: "行业" };
  for (const w of rule.warnings) {
    warnings.append(el("li", { "data-dimension": w.dimension },
      el("strong", { text: `${DIMENSIONS[w.dimension]}：${w.name}` }),
      ` ${w.cases} 件，涉及约 ${w.workers} 人，金额 ${Number(w.amount).toLocaleString("zh-CN")} 元`));
  }
  show($("warnings-empty"), rule.warnings.length === 0);
  draw("c-category", "bar", d.by_category.map((c) => c.title), d.by_category.map((c) => c.count), "案件");
  draw("c-district", "bar", d.by_district.map((c) => c.district), d.by_district.map((c) => c.count), "案件");
  draw("c-week", "line", d.by_week.map((w) => `第${Number(w.week.split("-W")[1])}周`), d.by_week.map((w) => w.count), "登记量");
  const body = clear($("collective-table").tBodies[0]);
  for (const e of d.collective.employers) {
    body.append(el("tr", {}, el("td", { text: e.employer }), el("td", { text: e.cases }), el("td", { text: e.open }),
      el("td", { text: e.workers })));
  }
  show($("collective-empty"), d.collective.employers.length === 0);
  show($("conversations-card"), Boolean(d.conversations));
  if (d.conversations) {
    const dl = clear($("conversations"));
    for (const [k, v] of Object.entries(d.conversations)) dl.append(el("dt", { text: k }), el("dd", { text: String(v) }));
  }
  document.body.dataset.dashboard = "loaded";
  return d;
}
