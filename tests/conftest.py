"""Shared fixtures: the trained model in-process, and the real servers over HTTP."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

from bot.web.health import free_port

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "gongyou.tar.gz"
BUILD = ROOT / "build"
# The NLU training data: complaint topics in data/nlu.yml, the rest by topic under data/nlu/
# (tests/test_data_validate.py checks this is every file `rasa train` reads).
NLU_FILES = [ROOT / "data" / "nlu.yml", *sorted((ROOT / "data" / "nlu").rglob("*.yml"))]


def training_data():
    """The NLU training data as `rasa train` finds and reads it (every NLU file under data/)."""
    from rasa.shared.importers.rasa import RasaFileImporter

    return RasaFileImporter(str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")]).get_nlu_data()


LAW_DIR = Path(os.environ.get("GONGYOU_LAW_DIR", ROOT.parent / "shared" / "law"))


@pytest.fixture(scope="session")
def agent():
    assert MODEL.exists(), "no trained model: run the tests through `make test`"
    from bot.nlu.evaluation import load_agent

    logging.disable(logging.WARNING)
    try:
        return load_agent(str(MODEL))
    finally:
        logging.disable(logging.NOTSET)


@pytest.fixture(scope="session")
def parse(agent):
    import asyncio

    loop = asyncio.new_event_loop()

    def _parse(text):
        return loop.run_until_complete(agent.parse_message(text))

    yield _parse
    loop.close()


OPERATOR_TOKEN = "test-operator-token"
SERVICE_TOKEN = "test-service-token"  # the bot's own token, known so tests can check what it may not do
RASA_TOKEN = "test-rasa-api-token"
ACTION_SECRET = "test-action-server-secret"  # what Rasa sends the action server (endpoints.yml)


@dataclass
class Stack:
    rasa: str
    web: str
    operator_token: str
    actions_port: int = 0
    workdir: Optional[Path] = None  # its database (cases.sqlite3) and the bot's outbox (outbox.sqlite3)

    def tracker_events(self, sender: str):
        """A conversation through Rasa's HTTP API, which refuses requests without its token."""
        import requests

        reply = requests.get(f"{self.rasa}/conversations/{sender}/tracker", params={"token": RASA_TOKEN}, timeout=30)
        assert reply.status_code == 200
        return reply.json()["events"]

    def api(self, path: str, token: Optional[str] = "operator", **kwargs):
        import requests

        headers = (
            {"Authorization": f"Bearer {self.operator_token}"}
            if token == "operator"
            else ({"Authorization": f"Bearer {token}"} if token else {})
        )
        return requests.request(kwargs.pop("method", "GET"), self.web + path, headers=headers, timeout=30, **kwargs)


WECHAT = {
    "WECHAT_TOKEN": "gongyou-test-token",
    "WECHAT_APPID": "wx0123456789abcdef",
    "WECHAT_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "WECHAT_SECRET": "test-secret",
}


def start_stack(workdir, extra_env):
    """GongYou started as `make run` starts it, on free ports, with its own database."""
    assert MODEL.exists(), "no trained model: run the tests through `make test`"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CASES_API_URL", "GONGYOU_SERVICE_TOKEN", "DATABASE_URL", "GONGYOU_PUBLIC_ORIGIN")
    }
    env["GONGYOU_RASA_PORT"] = str(free_port())
    # Where an action server would listen: the actions run in Rasa's process unless extra_env names one.
    env["GONGYOU_ACTIONS_PORT"] = str(free_port())
    env["GONGYOU_WEB_PORT"] = str(free_port())
    env.pop("ACTION_SERVER_URL", None)
    env["GONGYOU_OPERATOR_TOKEN"] = OPERATOR_TOKEN
    env["RASA_AUTH_TOKEN"] = RASA_TOKEN
    env["GONGYOU_ACTION_SECRET"] = ACTION_SECRET
    env["DATABASE_URL"] = f"sqlite:///{workdir / 'cases.sqlite3'}"
    env["GONGYOU_OUTBOX"] = str(workdir / "outbox.sqlite3")
    env["WECHAT_TOKEN_FILE"] = str(workdir / "wechat_token.json")
    env.update(extra_env)
    for unset in [k for k, v in env.items() if v is None]:  # extra_env's None: leave the variable unset
        del env[unset]
    log = workdir / "launcher.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.runtime.launcher", "--model", str(MODEL)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    from bot.runtime import launcher

    for var in ("GONGYOU_RASA_PORT", "GONGYOU_ACTIONS_PORT", "GONGYOU_WEB_PORT"):
        os.environ[var] = env[var]
    up = launcher.wait_until_up(timeout=300, processes=[proc], env=env)
    if not up:
        proc.terminate()
        pytest.fail("GongYou did not start:\n" + log.read_text()[-4000:])
    return proc, Stack(
        f"http://localhost:{env['GONGYOU_RASA_PORT']}",
        f"http://localhost:{env['GONGYOU_WEB_PORT']}",
        OPERATOR_TOKEN,
        int(env["GONGYOU_ACTIONS_PORT"]),
        workdir,
    )


def stop_stack(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def fake_wechat():
    from tests.fake_wechat import FakeWeChat

    server = FakeWeChat()
    yield server
    server.close()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, fake_wechat):
    proc, running = start_stack(
        tmp_path_factory.mktemp("servers"),
        {
            **WECHAT,
            "WECHAT_API_BASE": fake_wechat.url,
            "GONGYOU_SERVICE_TOKEN": SERVICE_TOKEN,
            # Tests move a case in the console between two chat messages and expect the next one to
            # show the notice: the chat may skip a sender for 2 s, not a minute
            # (tests/test_followups_quiet_stack.py checks the bound itself).
            "GONGYOU_FOLLOWUP_QUIET_SECONDS": "2",
        },
    )
    yield running
    stop_stack(proc)


@pytest.fixture(scope="session")
def servers(stack):
    """The Rasa server's base URL."""
    return stack.rasa


# --- Real browser: Debian's Chromium driven by Playwright -------------------------------------

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("GONGYOU_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
KIOSK = {"width": 1080, "height": 1920}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "report_" + report.when, report)


# Per module: Playwright's sync API keeps an event loop running in this thread while it is open,
# and the in-process model's `parse` fixture cannot run its own loop until Playwright stops.
@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run the tests through `make test`"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--no-first-run",
                "--disable-extensions",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, request):
    """Pages in a fresh browser context each; a failing test leaves a screenshot in tests/artifacts."""
    contexts = []

    def open_page(viewport=PHONE, **options):
        context = browser.new_context(viewport=viewport, locale="zh-CN", **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_page
    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    for n, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for m, page in enumerate(context.pages):
                page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}-{m}.png"), full_page=True)
        context.close()
