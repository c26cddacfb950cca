// The console's frame: sign-in, the three views, and moving between them by the address's #.
import { ApiError, api, setCsrf, whenSignedOut } from "./api.js";
import * as aftercare from "./aftercare.js";
import * as assist from "./assist.js";
import * as dashboard from "./dashboard.js";
import * as detail from "./detail.js";
import { $, show } from "./dom.js";
import * as queue from "./queue.js";
import { learn } from "./vocabulary.js";

const VIEWS = ["login", "queue", "detail", "aftercare", "assist", "dashboard"];
let user = null;
let ready = false;

function showView(name) {
  for (const v of VIEWS) show($(v + "-view"), v === name);
  for (const link of document.querySelectorAll("#nav a")) {
    link.classList.toggle("active", link.dataset.view === name || (name === "detail" && link.dataset.view === "queue"));
  }
  if (name === "queue") queue.start(); else queue.stop();
  document.body.dataset.view = name;
}

async function route() {
  if (!user) { showView("login"); return; }
  const hash = location.hash.replace(/^#/, "");
  if (hash.startsWith("case/")) {
    try {
      showView("detail");
      await detail.open(decodeURIComponent(hash.slice(5)));
    } catch (err) {
      if (err instanceof ApiError && err.status !== 401) { location.hash = "#queue"; }
    }
  } else if (hash === "aftercare") {
    showView("aftercare");
    delete document.body.dataset.aftercare;
    aftercare.load().catch(() => {});
  } else if (hash === "assist") {
    showView("assist");
  } else if (hash === "dashboard") {
    showView("dashboard");
    dashboard.load().catch(() => {});
  } else {
    showView("queue");
  }
}

function signedIn(me) {
  user = me.user;
  setCsrf(me.csrf);
  learn(me);
  $("who-name").textContent = `${user.display_name}（${user.role === "supervisor" ? "主管" : "服务站"}）`;
  show($("nav"), true);
  show($("who"), true);
  if (!ready) {
    queue.setUp(user);
    detail.setUp();
    assist.setUp();
    ready = true;
  }
  route();
}

function signedOut() {
  user = null;
  setCsrf(null);
  queue.stop();
  show($("nav"), false);
  show($("who"), false);
  showView("login");
}

queue.onOpenCase((no) => { location.hash = "#case/" + encodeURIComponent(no); });
aftercare.onOpenCase((no) => { location.hash = "#case/" + encodeURIComponent(no); });
detail.onOpenOther((no) => { location.hash = "#case/" + encodeURIComponent(no); });
detail.onChanged(() => {});
assist.onSaved(() => {});
whenSignedOut(signedOut);
window.addEventListener("hashchange", route);

$("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("login-error").textContent = "";
  try {
    await api("/api/console/login", { method: "POST",
      body: { username: $("login-username").value.trim(), password: $("login-password").value } });
    $("login-password").value = "";
    signedIn(await api("/api/console/me"));
  } catch (err) {
    $("login-error").textContent = err.message;
  }
});

$("logout").addEventListener("click", async () => {
  try { await api("/api/console/logout", { method: "POST", body: {} }); } finally { signedOut(); }
});

$("detail-back").addEventListener("click", () => { location.hash = "#queue"; });

api("/api/console/me").then(signedIn).catch(() => signedOut());
