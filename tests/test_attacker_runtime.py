"""Issue 13, tried as an attacker on the same network would: the runtime, the deployment, the channels.

Everything runs against the real stack started as `make run` starts it (the `stack` fixture), the
machine's real nginx, PostgreSQL and RabbitMQ. Each test names the attack it tries.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid

import psutil
import pytest
import requests
import yaml

from bot.channels.wechat_sim import Simulator, message_xml
from tests.conftest import ACTION_SECRET, MODEL, RASA_TOKEN, ROOT, WECHAT, free_port, start_stack, stop_stack
from tests.services import AMQP, unique

TIMEOUT = 60
EVIL = "http://evil.example"


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def user_events(stack, sender):
    return [e for e in stack.tracker_events(sender) if e["event"] == "user"]


# --- 1. Rasa's HTTP API ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/conversations/x/tracker"),  # read a worker's conversation
        ("PUT", "/model"),  # load a model of one's own
        ("DELETE", "/model"),  # switch the bot off
        ("POST", "/model/train"),
        ("POST", "/conversations/x/tracker/events"),  # rewrite a conversation
        ("PUT", "/conversations/x/tracker/events"),
        ("POST", "/conversations/x/trigger_intent"),  # drive it
        ("POST", "/conversations/x/messages"),
        ("POST", "/model/parse"),
        ("GET", "/status"),
        ("GET", "/domain"),
    ],
)
@pytest.mark.stack
def test_rasa_http_api_refuses_without_the_token(stack, method, path):
    body = {"model_file": "/tmp/evil.tar.gz", "text": "hi", "name": "greet", "event": "slot"}
    for params in ({}, {"token": "wrong-token-wrong-token"}):
        reply = requests.request(method, stack.rasa + path, params=params, json=body, timeout=TIMEOUT)
        assert reply.status_code in (401, 403), (method, path, params, reply.status_code)


@pytest.mark.stack
def test_tracker_answers_with_the_token_and_the_model_stays(stack):
    requests.post(
        f"{stack.rasa}/webhooks/rest/webhook", json={"sender": "api-probe", "message": "你好"}, timeout=TIMEOUT
    )
    assert user_events(stack, "rest-api-probe")  # stack.tracker_events sends ?token=
    # The attempts above changed nothing: the same model still answers.
    reply = requests.post(
        f"{stack.rasa}/webhooks/rest/webhook",
        json={"sender": "api-probe", "message": "老板欠我两个月工资"},
        timeout=TIMEOUT,
    )
    assert "拖欠工资" in "".join(m.get("text") or "" for m in reply.json())


@pytest.mark.unit
def test_launcher_makes_up_a_token_and_grants_cors_to_its_own_origins_only(monkeypatch):
    from bot.runtime import launcher

    monkeypatch.delenv("RASA_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("GONGYOU_ACTION_SECRET", raising=False)
    monkeypatch.setenv("GONGYOU_WEB_PORT", "8123")
    monkeypatch.setenv("GONGYOU_PUBLIC_ORIGIN", "https://gongyou.example.org/")
    first, second = launcher.environment(), launcher.environment()
    assert len(first["RASA_AUTH_TOKEN"]) >= 16 and first["RASA_AUTH_TOKEN"] != second["RASA_AUTH_TOKEN"]
    assert first["GONGYOU_ACTION_SECRET"] != first["RASA_AUTH_TOKEN"]
    origins = launcher.allowed_origins(first)
    rasa = launcher.commands("m.tar.gz", first["RASA_AUTH_TOKEN"], origins)["rasa"]
    assert rasa[rasa.index("--auth-token") + 1] == first["RASA_AUTH_TOKEN"]
    cors = rasa[rasa.index("--cors") + 1 :]
    assert "*" not in cors and "http://localhost:8123" in cors and "https://gongyou.example.org" in cors


@pytest.fixture(scope="module")
def bare_stack(tmp_path_factory):
    """GongYou as a new user's `make run` starts it: no RASA_AUTH_TOKEN, no action secret set."""
    ports = {k: os.environ.get(k) for k in ("GONGYOU_RASA_PORT", "GONGYOU_ACTIONS_PORT", "GONGYOU_WEB_PORT")}
    proc, running = start_stack(
        tmp_path_factory.mktemp("bare"), {"RASA_AUTH_TOKEN": None, "GONGYOU_ACTION_SECRET": None}
    )
    # start_stack points this process's port variables at the new stack; the shared one keeps them.
    for key, value in ports.items():
        if value is not None:
            os.environ[key] = value
    yield running
    stop_stack(proc)


@pytest.mark.stack
def test_make_run_without_a_token_makes_one_up_and_the_console_has_it(bare_stack):
    reply = requests.get(f"{bare_stack.rasa}/conversations/x/tracker", timeout=TIMEOUT)
    assert reply.status_code == 401
    assert (
        requests.put(f"{bare_stack.rasa}/model", json={"model_file": "/tmp/evil.tar.gz"}, timeout=TIMEOUT).status_code
        == 401
    )
    # The console's hotline assist asks Rasa's /model/parse with the made-up token.
    assist = bare_stack.api("/api/console/assist", method="POST", json={"text": "老板欠我两个月工资"})
    assert assist.status_code == 200, assist.text
    # A whole turn with actions works (they run in Rasa's process: no secret to pass on).
    chat = requests.post(
        f"{bare_stack.rasa}/webhooks/rest/webhook",
        json={"sender": "bare", "message": "老板欠我两个月工资，一共八千"},
        timeout=TIMEOUT,
    )
    assert "8000元" in "".join(m.get("text") or "" for m in chat.json())


@pytest.mark.stack
def test_a_page_on_another_site_gets_no_cors_grant(stack):
    web_origin = f"http://localhost:{port_of(stack.web)}"
    for origin, granted in ((EVIL, False), (web_origin, True)):
        headers = {"Origin": origin}
        # A simple GET, a REST preflight and the chat socket's polling request.
        probes = [
            requests.get(
                f"{stack.rasa}/conversations/x/tracker", params={"token": RASA_TOKEN}, headers=headers, timeout=TIMEOUT
            ),
            requests.options(
                f"{stack.rasa}/webhooks/rest/webhook",
                timeout=TIMEOUT,
                headers={
                    **headers,
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "content-type",
                },
            ),
            requests.get(
                f"{stack.rasa}/socket.io/",
                params={"EIO": "4", "transport": "polling"},
                headers=headers,
                timeout=TIMEOUT,
            ),
        ]
        for reply in probes:
            allowed = reply.headers.get("Access-Control-Allow-Origin")
            if granted:
                assert allowed == origin, reply.url
            else:
                assert allowed in (None, ""), (reply.url, allowed)


def socket_connect(stack, origin):
    """socket.io's own handshake over engine.io polling, as a page's script would do it: the answer
    to the namespace connect ("40" accepted, "44" refused)."""
    url, headers = f"{stack.rasa}/socket.io/", {"Origin": origin}
    opened = requests.get(url, params={"EIO": "4", "transport": "polling"}, headers=headers, timeout=TIMEOUT)
    sid = json.loads(opened.text[1:])["sid"]
    params = {"EIO": "4", "transport": "polling", "sid": sid}
    requests.post(url, params=params, data="40", headers=headers, timeout=TIMEOUT)
    return requests.get(url, params=params, headers=headers, timeout=TIMEOUT).text[:2]


@pytest.mark.stack
def test_a_page_on_another_site_cannot_open_the_chat_socket(stack):
    """CORS does not cover WebSockets: the web chat channel checks the Origin itself."""
    assert socket_connect(stack, EVIL) == "44"
    assert socket_connect(stack, f"http://localhost:{port_of(stack.web)}") == "40"


# --- 2. Secrets that are no secrets -----------------------------------------------------------------

WEAK = [
    ({"GONGYOU_OPERATOR_TOKEN": "change-me"}, "GONGYOU_OPERATOR_TOKEN"),  # the old k8s value
    ({"GONGYOU_OPERATOR_TOKEN": "short-token"}, "shorter than 16"),
    ({"RASA_AUTH_TOKEN": "CHANGE_ME_BEFORE_PRODUCTION"}, "placeholder"),
    ({"GONGYOU_SERVICE_TOKEN": "aaaaaaaaaaaaaaaaaaaaaaaa"}, "too few characters"),
    ({"GONGYOU_OPERATOR_TOKEN": "Kq8-x2Vd7_pLm4Rt9wZb", "GONGYOU_SERVICE_TOKEN": "Kq8-x2Vd7_pLm4Rt9wZb"}, "equals"),
]


@pytest.mark.parametrize("secrets, reason", WEAK)
@pytest.mark.stack
def test_launcher_refuses_weak_or_shared_secrets(tmp_path, secrets, reason):
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN") and k != "GONGYOU_ACTION_SECRET"}
    rasa_port = free_port()
    env.update(
        secrets,
        GONGYOU_RASA_PORT=str(rasa_port),
        GONGYOU_ACTIONS_PORT=str(free_port()),
        GONGYOU_WEB_PORT=str(free_port()),
        DATABASE_URL=f"sqlite:///{tmp_path / 'c.sqlite3'}",
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot.runtime.launcher", "--model", str(MODEL)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and reason in done.stderr, done.stderr[-2000:]
    with socket.socket() as s:  # nothing was started
        s.bind(("127.0.0.1", rasa_port))


@pytest.mark.stack
def test_web_side_alone_refuses_an_operator_token_that_is_also_the_service_token(tmp_path):
    env = {
        **os.environ,
        "GONGYOU_OPERATOR_TOKEN": "Kq8-x2Vd7_pLm4Rt9wZb",
        "GONGYOU_SERVICE_TOKEN": "Kq8-x2Vd7_pLm4Rt9wZb",
        "GONGYOU_WEB_PORT": str(free_port()),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot.web.app"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0 and "equals" in done.stderr
    assert not (tmp_path / "c.sqlite3").exists()  # refused before touching the database


@pytest.mark.stack
def test_production_refuses_to_start_without_a_rasa_token(tmp_path):
    from bot.runtime.production import Deployment

    env = {k: v for k, v in os.environ.items() if k != "RASA_AUTH_TOKEN"}
    deployment = Deployment(
        MODEL, tmp_path, replicas=1, actions=1, web=1, public_port=free_port(), env=env, restart=False
    )
    with pytest.raises(SystemExit, match="RASA_AUTH_TOKEN is not set"):
        deployment.start()
    assert deployment.procs == {}


def k8s_resources():
    folder = ROOT / "deploy" / "k8s"
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text())
    docs = []
    for name in kustomization["resources"]:
        text = (folder / name).read_text()
        assert "change-me" not in text.lower(), name
        docs += [d for d in yaml.safe_load_all(text) if d]
    return kustomization, docs


@pytest.mark.unit
def test_kubernetes_ships_no_secret_and_no_placeholder():
    _, docs = k8s_resources()
    assert not [d for d in docs if d["kind"] == "Secret"]
    # Every part reads the Secret someone created by hand (deploy/k8s/README.md says how).
    readme = (ROOT / "deploy" / "k8s" / "README.md").read_text()
    assert "kubectl -n gongyou create secret generic gongyou-secrets" in readme


# --- 3. The action server ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def action_server(tmp_path_factory):
    """The action server as production runs it (bot/runtime/production.py): `make run` has none."""
    port = free_port()
    env = {**os.environ, "GONGYOU_ACTIONS_PORT": str(port), "GONGYOU_ACTION_SECRET": ACTION_SECRET}
    env.pop("GONGYOU_ACTIONS_HOST", None)
    with open(tmp_path_factory.mktemp("actions") / "actions.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.runtime.action_server", "--actions", "actions", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    from bot.web.health import wait_until_healthy

    down = wait_until_healthy({"actions": f"http://127.0.0.1:{port}/health"}, 180, {"process": proc})
    if down:
        stop_stack(proc)
        pytest.fail(f"the action server did not start: {down}")
    yield port
    stop_stack(proc)


@pytest.mark.stack
def test_make_run_opens_no_action_server_port(stack):
    """The embedded stack runs the actions inside Rasa (ACTION_SERVER_URL=local): no port to reach them."""
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", stack.actions_port), timeout=3).close()
    servers = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if "bot.runtime.action_server" in cmdline and str(stack.actions_port) in cmdline:
            servers.append(proc.pid)
    assert not servers


@pytest.mark.stack
def test_action_server_listens_on_loopback_only(action_server):
    port = action_server
    listening = [
        c.laddr for c in psutil.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN and c.laddr.port == port
    ]
    assert listening and all(addr.ip in ("127.0.0.1", "::1") for addr in listening), listening
    others = [
        a.address
        for addrs in psutil.net_if_addrs().values()
        for a in addrs
        if a.family == socket.AF_INET and not a.address.startswith("127.")
    ]
    for address in others:  # connecting from this machine's other addresses, as a neighbour would
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=3).close()


@pytest.mark.stack
def test_forged_action_call_is_refused(action_server):
    """A forged POST /webhook would run any action with the bot's service token (fake cases, lookups)."""
    url = f"http://127.0.0.1:{action_server}"
    call = {
        "next_action": "action_that_does_not_exist",
        "sender_id": "forger",
        "version": "3.6.21",
        "tracker": {"sender_id": "forger", "slots": {}, "latest_message": {}, "events": []},
        "domain": {},
    }
    assert requests.post(f"{url}/webhook", json=call, timeout=TIMEOUT).status_code == 403
    assert (
        requests.post(
            f"{url}/webhook", json=call, timeout=TIMEOUT, headers={"X-GongYou-Action-Secret": "guessed-guessed-guessed"}
        ).status_code
        == 403
    )
    assert requests.get(f"{url}/actions", timeout=TIMEOUT).status_code == 403
    assert requests.get(f"{url}/health", timeout=TIMEOUT).status_code == 200
    # With the secret the same call gets through to rasa_sdk (which knows no such action).
    assert (
        requests.post(
            f"{url}/webhook", json=call, timeout=TIMEOUT, headers={"X-GongYou-Action-Secret": ACTION_SECRET}
        ).status_code
        == 404
    )


# --- 4. The REST channel --------------------------------------------------------------------------


def rest(stack, body):
    reply = requests.post(f"{stack.rasa}/webhooks/rest/webhook", json=body, timeout=TIMEOUT)
    return reply.status_code, reply.json()


@pytest.mark.stack
def test_rest_client_cannot_drive_a_wechat_or_web_conversation(stack):
    safe = Simulator(
        WECHAT["WECHAT_TOKEN"],
        f"{stack.rasa}/webhooks/wechat/webhook",
        WECHAT["WECHAT_AES_KEY"],
        WECHAT["WECHAT_APPID"],
    )
    openid = f"o_{uuid.uuid4().hex[:12]}"
    safe.say(openid, "老板欠我工资")
    before = user_events(stack, openid)
    status, messages = rest(stack, {"sender": openid, "message": "我叫李四，电话13900001111"})
    assert status == 200 and messages and all(m["recipient_id"] == f"rest-{openid}" for m in messages)
    assert user_events(stack, openid) == before  # the WeChat worker's conversation is untouched
    web = f"web-{uuid.uuid4().hex}"
    rest(stack, {"sender": web, "message": "你好"})
    assert user_events(stack, web) == [] and user_events(stack, f"rest-{web}")


@pytest.mark.stack
def test_rest_client_cannot_choose_the_channel_or_smuggle_metadata(stack):
    sender = f"meta-{uuid.uuid4().hex[:8]}"
    rest(
        stack,
        {
            "sender": sender,
            "message": "附近的服务站",
            "input_channel": "wechat",
            "metadata": {
                "location": {"latitude": 29.557, "longitude": 106.577, "note": "x" * 10_000},
                "kiosk_station": "cq-wuxi-union",
                "role": "operator",
                "case_no": "GY20260101-0001",
            },
        },
    )
    rest(
        stack,
        {
            "sender": sender,
            "message": "你好",
            "metadata": {"location": {"latitude": {"$gt": 1}, "longitude": "y" * 10_000}},
        },
    )
    first, second = user_events(stack, f"rest-{sender}")
    assert first["input_channel"] == "rest"
    # Rasa adds its own assistant_id and model_id; of the client's, only the position is left.
    own = {"assistant_id", "model_id"}
    assert {k: v for k, v in first["metadata"].items() if k not in own} == {
        "location": {"latitude": 29.557, "longitude": 106.577}
    }
    assert {k: v for k, v in second["metadata"].items() if k not in own} == {
        "location": {"latitude": None, "longitude": None}
    }


@pytest.mark.stack
def test_rest_body_is_capped_politely(stack):
    body = json.dumps({"sender": "big", "message": "欠薪", "metadata": {"pad": "x" * (2 * 1024 * 1024)}})
    reply = requests.post(
        f"{stack.rasa}/webhooks/rest/webhook", data=body, timeout=TIMEOUT, headers={"Content-Type": "application/json"}
    )
    assert reply.status_code == 413 and "太大" in reply.json()[0]["text"]
    assert user_events(stack, "rest-big") == []


# --- 5. WeChat ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wechat(stack):
    url = f"{stack.rasa}/webhooks/wechat/webhook"
    return (
        Simulator(WECHAT["WECHAT_TOKEN"], url),
        Simulator(WECHAT["WECHAT_TOKEN"], url, WECHAT["WECHAT_AES_KEY"], WECHAT["WECHAT_APPID"]),
    )


@pytest.mark.stack
def test_wechat_plaintext_downgrade_is_refused(stack, wechat):
    """Safe mode is configured: a correctly signed plaintext request (no encrypt_type=aes) is refused."""
    plain, _ = wechat
    openid = f"o_{uuid.uuid4().hex[:12]}"
    assert plain.post(message_xml(openid, "text", "老板欠我工资", 10**15 + 1)).status_code == 403
    assert user_events(stack, openid) == []


@pytest.mark.stack
def test_wechat_replayed_request_is_refused(stack, wechat):
    _, safe = wechat
    openid = f"o_{uuid.uuid4().hex[:12]}"
    # A different MsgId each time, so only the nonce can tell that it is a replay.
    params, body = safe.signed(message_xml(openid, "text", "公司不给交社保", 10**15 + 2))
    first = requests.post(safe.url, params=params, data=body, timeout=TIMEOUT)
    replay = requests.post(safe.url, params=params, data=body, timeout=TIMEOUT)
    assert first.status_code == 200 and replay.status_code == 403
    assert len(user_events(stack, openid)) == 1


@pytest.mark.stack
def test_wechat_message_reaches_rasa_with_its_msgid(stack, wechat):
    """The intake's idempotency key is sender + message id: a retried confirmation opens no second case."""
    _, safe = wechat
    openid, msg_id = f"o_{uuid.uuid4().hex[:12]}", 10**15 + int(time.time())
    safe.post(message_xml(openid, "text", "老板欠我工资", msg_id))
    assert [e.get("message_id") for e in user_events(stack, openid)] == [f"wx-{msg_id}"]


# --- The entry point: nginx and the Ingress ---------------------------------------------------------


@pytest.mark.stack
@pytest.mark.production
def test_nginx_entry_point_keeps_rasa_api_out(stack, tmp_path):
    """The production nginx config, generated and run for real in front of the running stack."""
    from bot.runtime import nginx

    ports = nginx.Ports(free_port(), free_port(), free_port(), free_port())
    config = nginx.render(tmp_path, ports, [port_of(stack.rasa)], [stack.actions_port], [port_of(stack.web)])
    next_upstream = [line for line in config.splitlines() if "proxy_next_upstream " in line]
    assert next_upstream and all("timeout" not in line for line in next_upstream)  # no POST retried after a timeout
    with open(tmp_path / "nginx.log", "w") as log:
        proc = nginx.start(tmp_path, config, log)
    try:
        entry = f"http://127.0.0.1:{ports.public}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(entry + "/healthz", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        # Even with the token: the API is not there from outside.
        for method, path in (
            ("GET", "/conversations/x/tracker"),
            ("PUT", "/model"),
            ("DELETE", "/model"),
            ("POST", "/model/parse"),
            ("GET", "/status"),
            ("GET", "/version"),
            ("GET", "/domain"),
        ):
            reply = requests.request(method, entry + path, params={"token": RASA_TOKEN}, json={}, timeout=TIMEOUT)
            assert reply.status_code == 404, (method, path, reply.status_code)
        chat = requests.post(
            entry + "/webhooks/rest/webhook", json={"sender": "via-nginx", "message": "老板欠我工资"}, timeout=TIMEOUT
        )
        assert chat.status_code == 200 and "拖欠工资" in "".join(m.get("text") or "" for m in chat.json())
        # A body over the public cap gets the REST channel's own polite answer, from nginx.
        huge = requests.post(
            entry + "/webhooks/rest/webhook",
            timeout=TIMEOUT,
            headers={"Content-Type": "application/json"},
            data=json.dumps({"sender": "via-nginx", "message": "欠" * 300_000}),
        )
        from bot.channels.rest import TOO_LARGE

        assert huge.status_code == 413 and huge.json()[0]["text"] == TOO_LARGE
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.unit
def test_ingress_routes_only_channels_to_rasa_and_never_retries_after_a_timeout():
    _, docs = k8s_resources()
    ingresses = [d for d in docs if d["kind"] == "Ingress"]
    to_rasa = {
        p["path"]
        for d in ingresses
        for rule in d["spec"]["rules"]
        for p in rule["http"]["paths"]
        if p["backend"]["service"]["name"] == "gongyou-rasa"
    }
    assert to_rasa == {"/webhooks/", "/socket.io/"}
    for d in ingresses:
        assert "timeout" not in d["metadata"]["annotations"].get("nginx.ingress.kubernetes.io/proxy-next-upstream", "")
        assert d["spec"]["tls"]


# --- 6. Deployment hardening --------------------------------------------------------------------------


@pytest.mark.unit
def test_kubernetes_pods_are_pinned_unprivileged_and_fenced():
    kustomization, docs = k8s_resources()
    assert all(i.get("newTag", "latest") != "latest" or i.get("digest") for i in kustomization["images"])
    workloads = [d for d in docs if d["kind"] in ("Deployment", "StatefulSet")]
    assert {d["metadata"]["name"] for d in workloads} >= {
        "gongyou-rasa",
        "gongyou-actions",
        "gongyou-web",
        "gongyou-consumer",
    }
    for d in workloads:
        pod = d["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, d["metadata"]["name"]
        for c in pod.get("initContainers", []) + pod["containers"]:
            assert ":" in c["image"] and not c["image"].endswith(":latest"), c["image"]
            sc = c["securityContext"]
            assert sc["allowPrivilegeEscalation"] is False and sc["readOnlyRootFilesystem"] is True
            assert sc["capabilities"]["drop"] == ["ALL"]
    actions = next(d for d in workloads if d["metadata"]["name"] == "gongyou-actions")
    # The outbox of unsent drafts outlives the pod: a claim per pod, no emptyDir.
    assert actions["kind"] == "StatefulSet"
    assert [t["metadata"]["name"] for t in actions["spec"]["volumeClaimTemplates"]] == ["outbox"]
    assert not [v for v in actions["spec"]["template"]["spec"].get("volumes", []) if v["name"] == "outbox"]
    policy = next(
        d
        for d in docs
        if d["kind"] == "NetworkPolicy" and d["spec"]["podSelector"]["matchLabels"].get("part") == "actions"
    )
    assert [f["podSelector"]["matchLabels"] for rule in policy["spec"]["ingress"] for f in rule["from"]] == [
        {"app": "gongyou", "part": "rasa"}
    ]


@pytest.mark.unit
def test_embedded_tracker_store_forgets_idle_and_surplus_conversations():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.utils.common import class_from_module_path

    from bot.runtime.tracker_store import BoundedInMemoryTrackerStore

    config = yaml.safe_load((ROOT / "endpoints.yml").read_text())["tracker_store"]
    assert class_from_module_path(config["type"]) is BoundedInMemoryTrackerStore
    now = [0.0]
    store = BoundedInMemoryTrackerStore(Domain.empty(), max_conversations=3, idle_hours=1, clock=lambda: now[0])

    async def save(sender):
        tracker = DialogueStateTracker(sender, [])
        tracker.update(UserUttered("电话13812345678"))
        await store.save(tracker)

    async def scenario():
        for n in range(4):
            await save(f"w{n}")
            now[0] += 60
        assert sorted(await store.keys()) == ["w1", "w2", "w3"]  # the oldest beyond three is gone
        await save("w1")  # w1 is in use again
        now[0] += 3600 - 30  # w2, w3 idle for more than an hour now; w1 not
        assert await store.retrieve("w2") is None and await store.retrieve("w1") is not None
        assert sorted(await store.keys()) == ["w1"]

    asyncio.run(scenario())


@pytest.mark.production
def test_events_queue_is_bounded_on_rabbitmq(monkeypatch):
    """Events (what workers typed) cannot pile up forever while the consumer is down."""
    import aio_pika

    from bot.events.consumer import declare
    from bot.runtime.event_broker import BoundedPikaEventBroker

    monkeypatch.setenv("RABBITMQ_MAX_EVENTS", "3")
    name = unique("gongyou_bounded")

    async def scenario():
        connection = await aio_pika.connect(AMQP, timeout=10)
        async with connection:
            channel = await connection.channel()
            await declare(channel, name, name)
            exchange = await channel.declare_exchange(name, aio_pika.ExchangeType.FANOUT)
            # Rasa's broker declares the same queue with the same limits (RabbitMQ would refuse others).
            await BoundedPikaEventBroker._bind_queue(name, channel, exchange)
            for n in range(5):
                await exchange.publish(aio_pika.Message(body=json.dumps({"n": n}).encode()), routing_key="")
            await asyncio.sleep(0.5)
            queue = await channel.declare_queue(name, durable=True, passive=True)
            count = queue.declaration_result.message_count
            await channel.queue_delete(name)
            await channel.exchange_delete(name)
            return count

    assert asyncio.run(scenario()) == 3


@pytest.mark.production
def test_tracker_store_on_postgresql_gets_timeouts():
    """endpoints.production.yml's tracker store, built as Rasa builds it, on the machine's PostgreSQL."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.core.utils import read_endpoints_from_path
    from rasa.shared.core.domain import Domain
    from sqlalchemy import text

    from bot.runtime.stores import production_env
    from tests.services import create_database, drop_database

    name = unique()
    create_database(name)
    env = production_env(
        {
            **os.environ,
            "TRACKER_DB_NAME": name,
            "ACTION_SERVER_URL": "http://127.0.0.1:1/webhook",
            "RABBITMQ_QUEUE": name,
            "GONGYOU_ACTION_SECRET": "x",
        }
    )
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        config = read_endpoints_from_path(str(ROOT / "endpoints.production.yml")).tracker_store
        store = SQLTrackerStore(Domain.empty(), host=config.url, **config.kwargs)
        with store.engine.connect() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "30s"
        store.engine.dispose()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        drop_database(name)


@pytest.mark.unit
def test_redis_password_reaches_the_lock_store_and_the_wechat_channel(monkeypatch):
    from rasa.core.utils import read_endpoints_from_path

    from bot.runtime.stores import production_env

    env = production_env(
        {
            **os.environ,
            "REDIS_PASSWORD": "p@ss/word-Kq8x2Vd7",
            "ACTION_SERVER_URL": "http://x/webhook",
            "GONGYOU_ACTION_SECRET": "x",
        }
    )
    assert env["REDIS_URL"] == "redis://:p%40ss%2Fword-Kq8x2Vd7@127.0.0.1:6379/2"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    lock_store = read_endpoints_from_path(str(ROOT / "endpoints.production.yml")).lock_store
    assert lock_store.kwargs["password"] == "p@ss/word-Kq8x2Vd7"


@pytest.mark.unit
def test_console_cookie_is_secure_in_kubernetes():
    """Served over HTTPS by the Ingress: GONGYOU_COOKIE_SECURE=1 marks the session cookie Secure."""
    config = next(d for d in k8s_resources()[1] if d["kind"] == "ConfigMap")
    assert config["data"]["GONGYOU_COOKIE_SECURE"] == "1"
    assert config["data"]["GONGYOU_PUBLIC_ORIGIN"].startswith("https://")
