/* GongYou's chat for workers: the phone page (/) and the station kiosk (/kiosk).
 * Everything the bot or the worker wrote is put on the page with textContent, never as HTML. */
(function () {
  "use strict";

  var body = document.body;
  var KIOSK = body.dataset.mode === "kiosk";
  var MAX_CHARS = 2000;                 // what the server keeps of one message (bot/channels/rest.py)
  var KEEP_MESSAGES = 200;
  // A kiosk is shared: its conversation lives only as long as the tab and the idle timer allow.
  var store = KIOSK ? window.sessionStorage : window.localStorage;
  var KEYS = { session: "gongyou.session", log: "gongyou.log", pending: "gongyou.pending", prefs: "gongyou.prefs",
              draft: "gongyou.draft", seen: "gongyou.seen" };
  // What the conversation leaves on the phone (KEYS other than prefs) goes after a week unused:
  // a shared or lost phone must not keep a worker's complaint for ever (PIPL §19).
  var KEEP_IDLE_MS = 7 * 24 * 3600 * 1000;
  var CONVERSATION_KEYS = [KEYS.log, KEYS.pending, KEYS.session, KEYS.draft, KEYS.seen];
  // Whereabouts are sensitive (PIPL §28): the same words as bot/privacy_notice.py LOCATION_NOTICE.
  var LOCATION_NOTICE = "您的位置只用来找附近的服务站，不写进登记、不给别人看。发送吗？";

  var log = document.getElementById("log");
  var statusBar = document.getElementById("status");
  var typing = document.getElementById("typing");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var welcome = document.getElementById("welcome");

  var TOPICS = [
    { title: "工资被拖欠", payload: "/wage_arrears" },
    { title: "社保没交", payload: "/social_insurance" },
    { title: "养老金", payload: "/pension_adjustment" },
    { title: "工伤", payload: "/work_injury" },
    { title: "被辞退", payload: "/dismissal" },
    { title: "劳动合同", payload: "/labor_contract" },
    { title: "加班休假", payload: "/overtime" },
    { title: "骑手/平台", payload: "/platform_work" },
    { title: "找服务站", payload: "/find_station" },
    { title: "登记求助", payload: "/open_case" },
    { title: "查进度", payload: "/case_status" }
  ];
  // The phone page has "找人工" in its bar; at a kiosk it is a tile like the rest.
  if (KIOSK) TOPICS.push({ title: "找工作人员", payload: "/human_handoff" });

  function forgetStored() {
    CONVERSATION_KEYS.forEach(function (k) { try { store.removeItem(k); } catch (e) { /* ignore */ } });
  }
  (function dropWhenIdleTooLong() {
    var seen = 0;
    try { seen = parseInt(store.getItem(KEYS.seen), 10) || 0; } catch (e) { /* ignore */ }
    var stored = false;
    try { stored = store.getItem(KEYS.log) !== null || store.getItem(KEYS.session) !== null; } catch (e) { /* ignore */ }
    if (stored && (!seen || Date.now() - seen > KEEP_IDLE_MS)) forgetStored();
  })();
  function touch() { try { store.setItem(KEYS.seen, String(Date.now())); } catch (e) { /* ignore */ } }

  function read(key, fallback) {
    try { var v = JSON.parse(store.getItem(key)); return v === null ? fallback : v; } catch (e) { return fallback; }
  }
  function write(key, value) {
    try { store.setItem(key, JSON.stringify(value)); } catch (e) { /* full or disabled: the page still works */ }
  }

  // ---- display preferences (kept on the device, also on a kiosk: they are not personal) ----
  var prefs = (function () {
    try { return JSON.parse(window.localStorage.getItem(KEYS.prefs)) || {}; } catch (e) { return {}; }
  })();
  function applyPrefs() {
    var scale = Math.min(1.6, Math.max(0.85, prefs.scale || 1));
    document.documentElement.style.setProperty("--scale", String(scale));
    body.classList.toggle("contrast", !!prefs.contrast);
    document.getElementById("contrast").setAttribute("aria-pressed", prefs.contrast ? "true" : "false");
    try { window.localStorage.setItem(KEYS.prefs, JSON.stringify(prefs)); } catch (e) { /* ignore */ }
  }
  document.getElementById("bigger").addEventListener("click", function () { prefs.scale = (prefs.scale || 1) + 0.15; applyPrefs(); });
  document.getElementById("smaller").addEventListener("click", function () { prefs.scale = (prefs.scale || 1) - 0.15; applyPrefs(); });
  document.getElementById("contrast").addEventListener("click", function () { prefs.contrast = !prefs.contrast; applyPrefs(); });
  applyPrefs();

  // ---- status line ----
  function showStatus(text, kind) {
    if (!text) { statusBar.hidden = true; statusBar.textContent = ""; return; }
    statusBar.textContent = text;
    statusBar.className = "status " + (kind || "");
    statusBar.hidden = false;
  }

  // ---- rendering ----
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; window.scrollTo(0, document.body.scrollHeight); }

  function renderButtons(buttons, container) {
    var box = el("div", KIOSK ? "tiles" : "chips");
    buttons.forEach(function (b) {
      var button = el("button", "chip", b.title);
      button.type = "button";
      button.addEventListener("click", function () {
        // Old answers must not be pressed twice by accident.
        Array.prototype.forEach.call(box.querySelectorAll("button"), function (x) { x.disabled = true; });
        send(b.payload, b.title);
      });
      box.appendChild(button);
    });
    container.appendChild(box);
  }

  function stationCard(s) {
    var card = el("article", "card station");
    card.appendChild(el("h3", null, s.name));
    var facts = el("p", "facts");
    facts.appendChild(el("span", "kind", s.kind));
    if (typeof s.km === "number") facts.appendChild(el("span", "km", "约" + s.km + "公里"));
    if (s.open_now === true) facts.appendChild(el("span", "open", "现在开门"));
    if (s.open_now === false) facts.appendChild(el("span", "closed", "现在不开门"));
    card.appendChild(facts);
    if (s.address) card.appendChild(el("p", null, "地址：" + s.address));
    if (s.hours) card.appendChild(el("p", null, "时间：" + s.hours));
    var links = el("p", "links");
    if (s.phone) {
      var tel = el("a", "button-link", "打电话 " + s.phone);
      tel.href = "tel:" + String(s.phone).replace(/[^0-9+]/g, "");
      links.appendChild(tel);
    }
    if (s.map && /^https:\/\//.test(s.map)) {
      var map = el("a", "button-link", "看地图");
      map.href = s.map; map.target = "_blank"; map.rel = "noopener noreferrer";
      links.appendChild(map);
    }
    card.appendChild(links);
    return card;
  }

  // The follow code goes after "#": browsers never send a URL's fragment to a server, so the
  // code stays out of every access log; the QR image is asked for by POST for the same reason.
  function followLink(c) {
    return "/follow?case=" + encodeURIComponent(c.case_no) + (c.follow_code ? "#" + encodeURIComponent(c.follow_code) : "");
  }

  function qrImage(c, alt, loaded) {
    var qr = el("img", "qr");
    qr.alt = alt;
    var done = function () { if (loaded) { loaded(); loaded = null; } };
    if (!c.follow_code) { qr.hidden = true; setTimeout(done, 0); return qr; }
    qr.onload = done; qr.onerror = done;
    fetch("/api/qr", { method: "POST", headers: { "Content-Type": "application/json" },
                       body: JSON.stringify({ case_no: c.case_no, follow_code: c.follow_code }) })
      .then(function (r) { if (!r.ok) throw new Error("qr " + r.status); return r.text(); })
      .then(function (svg) { qr.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg); })
      .catch(function () { qr.hidden = true; done(); });
    return qr;
  }

  // Follow codes of the cases on screen, so printing a document does not ask for one again.
  var followCodes = {};

  function caseCard(c) {
    var card = el("article", "card case");
    card.appendChild(el("p", "label", "登记编号"));
    card.appendChild(el("p", "case-no", c.case_no));
    if (c.category) card.appendChild(el("p", null, "问题：" + c.category));
    if (c.station && c.station.name) card.appendChild(el("p", null, "跟进：" + c.station.name));
    if (c.follow_code) {
      card.appendChild(el("p", "label", "查询码（查进度要用，请和编号一起记下）"));
      card.appendChild(el("p", "follow-code", c.follow_code));
    }
    if (c.follow_code) followCodes[c.case_no] = c.follow_code;
    card.appendChild(qrImage(c, "扫码查看登记 " + c.case_no + " 的进度"));
    var follow = el("a", "button-link", "查看进度");
    follow.href = followLink(c);
    card.appendChild(follow);
    if (KIOSK) {
      var a5 = el("button", "send", "打印回执（A5）");
      a5.type = "button";
      a5.addEventListener("click", function () { printReceipt(c, "a5"); });
      var slip = el("button", "send", "打印小票");
      slip.type = "button";
      slip.addEventListener("click", function () { printReceipt(c, "80mm"); });
      card.appendChild(a5); card.appendChild(slip);
    }
    return card;
  }

  /* The document itself is fetched with the number and code in a POST body (never in a URL). */
  function documentCard(d) {
    var card = el("article", "card document");
    if (KIOSK) {
      // A shared machine keeps no file with an ID number on it: printed from memory, then dropped.
      card.appendChild(el("p", null, "文书上有您的身份证号，这台机器不保存。可以在这里打印，也可以用手机扫回执上的二维码下载。"));
      var print = el("button", "send print-document", d.kind === "complaint" ? "打印投诉书" : "打印申请书");
      print.type = "button";
      print.addEventListener("click", function () { askToPrint(d); });
      card.appendChild(print);
      return card;
    }
    var open = el("a", "button-link", "下载文书（输入查询码）");
    open.href = "/follow?case=" + encodeURIComponent(d.case_no);
    card.appendChild(open);
    return card;
  }

  function render(item) {
    if (welcome) welcome.hidden = true;
    var row = el("div", "msg " + item.from);
    var bubble = el("div", "bubble");
    bubble.appendChild(el("span", "sr-only", item.from === "bot" ? "工友说：" : "我说："));
    if (item.text) bubble.appendChild(el("span", "text", item.text));
    if (item.custom && Array.isArray(item.custom.stations)) {
      item.custom.stations.forEach(function (s) { bubble.appendChild(stationCard(s)); });
    }
    if (item.custom && item.custom.case && item.custom.case.case_no) bubble.appendChild(caseCard(item.custom.case));
    if (item.custom && item.custom.document && item.custom.document.case_no) bubble.appendChild(documentCard(item.custom.document));
    if (!item.text && !bubble.querySelector(".card")) return;
    row.appendChild(bubble);
    if (item.buttons && item.buttons.length && item.live) renderButtons(item.buttons, row);
    log.appendChild(row);
    scrollDown();
  }

  function remember(item) {
    var items = read(KEYS.log, []);
    items.push({ from: item.from, text: item.text, custom: item.custom, buttons: item.buttons });
    write(KEYS.log, items.slice(-KEEP_MESSAGES));
    touch();
  }

  // A question the page itself asks (not the bot): a note with two answers, each used once.
  function askHere(text, yes, no, onYes) {
    if (welcome) welcome.hidden = true;
    var row = el("div", "msg note ask");
    var bubble = el("div", "bubble");
    bubble.appendChild(el("span", "text", text));
    row.appendChild(bubble);
    var box = el("div", "chips");
    [[yes, onYes], [no, null]].forEach(function (choice) {
      var button = el("button", "chip", choice[0]);
      button.type = "button";
      button.addEventListener("click", function () {
        Array.prototype.forEach.call(box.querySelectorAll("button"), function (x) { x.disabled = true; });
        if (choice[1]) choice[1](); else row.parentNode && row.parentNode.removeChild(row);
      });
      box.appendChild(button);
    });
    row.appendChild(box);
    log.appendChild(row);
    scrollDown();
    return row;
  }

  function add(item) { item.live = true; render(item); remember(item); }

  // ---- the connection ----
  var socketUrl = body.dataset.socket || undefined;
  var sessionId = read(KEYS.session, null);
  var confirmed = false;
  var socket = io(socketUrl, {
    path: "/socket.io",
    reconnection: true, reconnectionDelay: 1000, reconnectionDelayMax: 5000, timeout: 8000
  });
  var sendWhenBack = false;

  socket.on("connect", function () {
    socket.emit("session_request", { session_id: sessionId });
  });
  socket.on("session_confirm", function (id) {
    if (typeof id === "object" && id && id.session_id) id = id.session_id;
    sessionId = String(id);
    write(KEYS.session, sessionId);
    confirmed = true;
    // Only the connection's own warning goes: a note the worker is reading (a paste cut to
    // 2000 characters) must not vanish because the socket happened to connect just after it.
    if (statusBar.className.indexOf("warn") !== -1) showStatus("");
    flush();
    if (sendWhenBack) { sendWhenBack = false; submitText(); }
  });
  socket.on("connect_error", lost);
  socket.on("disconnect", lost);
  function lost() {
    confirmed = false;
    hideTyping();
    var waiting = read(KEYS.pending, []).length || sendWhenBack;
    showStatus(waiting ? "暂时连不上服务器，正在重试。您写的内容还在，连上后会自动发出。"
                       : "暂时连不上服务器，正在重试…", "warn");
  }

  socket.on("bot_uttered", function (m) {
    if (!m || typeof m !== "object") return;
    var buttons = (m.quick_replies || m.buttons || []).filter(function (b) { return b && b.title; })
      .map(function (b) { return { title: String(b.title), payload: String(b.payload || b.title) }; });
    add({ from: "bot", text: typeof m.text === "string" ? m.text : "", custom: m.custom, buttons: buttons });
    holdTyping();
  });
  socket.on("bot_done", hideTyping);

  // ---- typing indicator ----
  var typingTimer = null;
  function showTyping() {
    typing.hidden = false; typing.setAttribute("aria-hidden", "false");
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, 20000);
    scrollDown();
  }
  function holdTyping() { if (!typing.hidden) { clearTimeout(typingTimer); typingTimer = setTimeout(hideTyping, 20000); } }
  function hideTyping() { typing.hidden = true; typing.setAttribute("aria-hidden", "true"); clearTimeout(typingTimer); }

  // ---- sending: a message waits in storage until the server has it ----
  function metadata(extra) {
    var m = extra || {};
    if (KIOSK && body.dataset.station) m.kiosk_station = body.dataset.station;
    return m;
  }

  function send(message, shown, extra) {
    message = String(message || "").trim();
    if (!message) return false;
    if (message.length > MAX_CHARS) {
      message = message.slice(0, MAX_CHARS);
      add({ from: "note", text: "内容太长，只发送前" + MAX_CHARS + "个字。" });
    }
    var pending = read(KEYS.pending, []);
    pending.push({ message: message, metadata: metadata(extra) });
    write(KEYS.pending, pending);
    add({ from: "user", text: shown || message });
    flush();
    return true;
  }

  function flush() {
    if (!confirmed || !socket.connected) return;
    var pending = read(KEYS.pending, []);
    if (!pending.length) return;
    write(KEYS.pending, []);
    pending.forEach(function (p) {
      socket.emit("user_uttered", { message: p.message, session_id: sessionId, metadata: p.metadata });
    });
    showTyping();
  }

  function submitText() {
    var text = input.value;
    if (!text.trim()) { input.focus(); return; }
    if (!confirmed) {
      // Keep the words in the box, and send them as soon as the server is back.
      sendWhenBack = true;
      showStatus("暂时连不上服务器，正在重试。您写的内容还在，连上后会自动发出。", "warn");
      if (!socket.active) socket.connect();
      return;
    }
    if (send(text)) {
      input.value = ""; resize();
      try { store.removeItem(KEYS.draft); } catch (e) { /* ignore */ }
    }
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); submitText(); });
  input.addEventListener("keydown", function (e) {
    // A Chinese input method confirms its candidate with Enter: that must not send half a word.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submitText();
    }
  });
  function resize() { input.style.height = "auto"; input.style.height = Math.min(input.scrollHeight, 160) + "px"; }
  input.addEventListener("input", function () {
    if (input.value.length > MAX_CHARS) {
      input.value = input.value.slice(0, MAX_CHARS);
      showStatus("内容太长，只保留了前" + MAX_CHARS + "个字。", "info");
    }
    resize();
    try { store.setItem(KEYS.draft, input.value); } catch (err) { /* ignore */ }
  });

  // ---- restore what this device already shows ----
  read(KEYS.log, []).forEach(function (item) { render(item); });
  if (!KIOSK) { try { input.value = store.getItem(KEYS.draft) || ""; } catch (e) { /* ignore */ } }
  var topics = document.getElementById("topics");
  TOPICS.forEach(function (t) {
    var b = el("button", KIOSK ? "tile" : "chip", t.title);
    b.type = "button";
    b.addEventListener("click", function () { send(t.payload, t.title); });
    topics.appendChild(b);
  });
  if (read(KEYS.log, []).length) welcome.hidden = true;

  // ---- "share my location" (phone page): said what it is for, and agreed, before it is sent ----
  var locate = document.getElementById("locate");
  var locationAgreed = false;
  if (locate) locate.addEventListener("click", function () {
    if (locationAgreed) { sendPosition(); return; }
    askHere(LOCATION_NOTICE, "同意，发送位置", "不用了", function () { locationAgreed = true; sendPosition(); });
  });
  function sendPosition() {
    if (!navigator.geolocation) { add({ from: "note", text: "这个浏览器不能取位置。请直接告诉我您在哪个区县。" }); return; }
    showStatus("正在获取位置…", "info");
    navigator.geolocation.getCurrentPosition(function (p) {
      showStatus("");
      send("附近的服务站", "（发送了我的位置）",
           { location: { latitude: p.coords.latitude, longitude: p.coords.longitude } });
    }, function () {
      showStatus("");
      add({ from: "note", text: "没拿到位置。请直接告诉我您在哪个区县，比如“渝中区”。" });
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 });
  }

  // ---- forget this conversation on this device: screen, storage, and a new session ----
  function clearConversation() {
    forgetStored();
    Array.prototype.slice.call(log.children).forEach(function (c) { if (c !== welcome) log.removeChild(c); });
    welcome.hidden = false;
    input.value = ""; resize();
    sessionId = null; confirmed = false; sendWhenBack = false;
    hideTyping(); showStatus("");
    socket.disconnect(); socket.connect();
  }

  // The phone page's "清除记录": asks first; what was registered with a station is erased by
  // asking the bot ("删除我的信息"), which this button says.
  if (!KIOSK) {
    var tools = document.querySelector(".bar .tools");
    var clear = el("button", "clear", "清除记录");
    clear.type = "button"; clear.id = "clear";
    clear.setAttribute("aria-label", "清除这台手机上的聊天记录");
    tools.insertBefore(clear, document.getElementById("human"));
    clear.addEventListener("click", function () {
      askHere("清除这台手机上的聊天记录，重新开始吗？（已登记的信息要删除，请说“删除我的信息”。）",
              "确定清除", "取消", function () {
                clearConversation();
                showStatus("聊天记录已清除。", "info");
              });
    });
  }

  // ---- hand off to a person ----
  var human = document.getElementById("human");
  if (human) human.addEventListener("click", function () { send("/human_handoff", "找人工"); });

  // ---- kiosk: keypad, idle reset, receipts ----
  if (KIOSK) {
    var keypad = document.getElementById("keypad");
    ["1", "2", "3", "4", "5", "6", "7", "8", "9", "清空", "0", "删除"].forEach(function (k) {
      var b = el("button", "key", k);
      b.type = "button";
      b.addEventListener("click", function () {
        if (k === "清空") input.value = "";
        else if (k === "删除") input.value = input.value.slice(0, -1);
        else input.value += k;
        input.dispatchEvent(new Event("input"));
      });
      keypad.appendChild(b);
    });
    document.getElementById("digits").addEventListener("click", function () {
      keypad.hidden = !keypad.hidden;
      scrollDown();
    });

    var idleSeconds = Math.max(2, parseInt(body.dataset.idle, 10) || 180);
    var warnSeconds = Math.min(20, Math.max(1, Math.floor(idleSeconds / 3)));
    var idleBox = document.getElementById("idle");
    var idleCount = document.getElementById("idle-count");
    var idleTimer = null, countdown = null;

    var resetIdle = function () {
      clearTimeout(idleTimer); clearInterval(countdown);
      idleBox.hidden = true;
      idleTimer = setTimeout(warn, (idleSeconds - warnSeconds) * 1000);
    };
    var warn = function () {
      var left = warnSeconds;
      idleCount.textContent = String(left);
      idleBox.hidden = false;
      countdown = setInterval(function () {
        left -= 1;
        idleCount.textContent = String(Math.max(0, left));
        if (left <= 0) { clearInterval(countdown); wipe(); }
      }, 1000);
    };
    var wipe = function () {
      // The next person must see nothing of this one: screen, storage and conversation all go.
      clearConversation();
      keypad.hidden = true;
      document.getElementById("receipt").textContent = "";
      followCodes = {};
      dropPrinted();
      resetIdle();
    };
    ["pointerdown", "keydown", "input", "touchstart"].forEach(function (evt) {
      document.addEventListener(evt, function () { if (idleBox.hidden) resetIdle(); }, { passive: true });
    });
    document.getElementById("idle-stay").addEventListener("click", resetIdle);
    document.getElementById("restart").addEventListener("click", wipe);
    resetIdle();
  }

  function printReceipt(c, size) {
    var receipt = document.getElementById("receipt");
    receipt.textContent = "";
    receipt.appendChild(el("h2", null, "工友 · 登记回执"));
    receipt.appendChild(el("p", "case-no", c.case_no));
    var rows = [["问题", c.category], ["登记时间", (c.created_at || "").replace("T", " ").slice(0, 16)]];
    if (c.station) {
      rows.push(["跟进服务站", c.station.name]);
      if (c.station.address) rows.push(["地址", c.station.address]);
      if (c.station.phone) rows.push(["电话", c.station.phone]);
      if (c.station.hours) rows.push(["时间", c.station.hours]);
    }
    var dl = el("dl");
    rows.forEach(function (r) { if (r[1]) { dl.appendChild(el("dt", null, r[0])); dl.appendChild(el("dd", null, r[1])); } });
    receipt.appendChild(dl);
    if (c.follow_code) receipt.appendChild(el("p", "follow-code", "查询码：" + c.follow_code));
    receipt.appendChild(qrImage(c, "", function () { window.print(); }));
    receipt.appendChild(el("p", null, "扫码或打开“查进度”，输入编号和查询码即可查看。请收好回执，查询码不要给别人看。"));
    receipt.appendChild(el("p", "warn", c.reminder || "这只是登记草稿，不是正式的仲裁申请。"));
    document.getElementById("print-a5").disabled = size !== "a5";
    document.getElementById("print-80mm").disabled = size !== "80mm";
    body.dataset.printing = size;
  }

  // ---- kiosk: printing a document ----
  var PRINT_NOTICE = "申请书上有您的身份证号、电话等个人信息，打印后请马上取走，不要留在机器上。确定打印吗？";
  // How long the PDF stays loaded for the printer to take it: print() returns once the job is
  // handed over in kiosk printing mode, but Chromium's PDF viewer may still be reading it.
  var PRINT_HOLD_MS = 8000;
  var printedUrl = null, printHold = null;

  function printFrame() {
    var frame = document.getElementById("print-frame");
    if (!frame) {
      frame = el("iframe", "print-frame");
      frame.id = "print-frame";
      frame.title = "打印中的文书";
      frame.setAttribute("aria-hidden", "true");
      body.appendChild(frame);
    }
    return frame;
  }

  // The PDF leaves the machine's memory: the object URL is revoked and the frame emptied.
  function dropPrinted() {
    clearTimeout(printHold); printHold = null;
    var frame = document.getElementById("print-frame");
    if (frame && frame.parentNode) frame.parentNode.removeChild(frame);
    if (printedUrl) { URL.revokeObjectURL(printedUrl); printedUrl = null; }
  }

  function askToPrint(d) {
    var known = followCodes[d.case_no];
    var codeBox = null;
    var row = askHere(PRINT_NOTICE, "确定打印", "不打印", function () {
      var code = known || (codeBox ? codeBox.value : "");
      printDocument(d, code, row);
    });
    if (!known) {
      // A case from an earlier visit: its follow code (on the receipt) proves it is the worker's.
      var label = el("label", "print-code", "查询码（回执上的8位码）");
      codeBox = el("input");
      codeBox.id = "print-code"; codeBox.autocomplete = "off"; codeBox.maxLength = 12;
      label.appendChild(codeBox);
      row.querySelector(".bubble").appendChild(label);
    }
  }

  function printDocument(d, code, row) {
    var say = function (text) { row.querySelector(".bubble").appendChild(el("p", "print-state", text)); scrollDown(); };
    dropPrinted();
    say("正在准备打印……");
    fetch("/api/follow/documents", {
      method: "POST", cache: "no-store", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ case_no: d.case_no, follow_code: code, file: (d.kind || "arbitration") + ".pdf" })
    })
      .then(function (r) {
        if (r.ok) return r.blob();
        return r.json().catch(function () { return {}; }).then(function (j) { throw new Error(j.error || ""); });
      })
      .then(function (pdf) {
        printedUrl = URL.createObjectURL(pdf);
        var frame = printFrame();
        frame.onload = function () {
          frame.onload = null;
          try {
            // A station's kiosk shell (or a test) may take the job; else the frame's own print.
            if (typeof window.gongyouPrintFrame === "function") window.gongyouPrintFrame(frame);
            else { frame.contentWindow.focus(); frame.contentWindow.print(); }
            say("已经发送到打印机，请马上取走申请书。");
          } catch (e) {
            say("打印不了，请窗口工作人员帮忙，或用手机下载。");
          }
          printHold = setTimeout(dropPrinted, PRINT_HOLD_MS);
        };
        frame.src = printedUrl;
      })
      .catch(function (e) {
        dropPrinted();
        say((e && e.message) || "现在打印不了，请稍后再试，或请窗口工作人员帮忙。");
      });
  }
  if (KIOSK) window.addEventListener("afterprint", function () {
    if (printedUrl) { clearTimeout(printHold); printHold = setTimeout(dropPrinted, 1000); }
  });
})();
