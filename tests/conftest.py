"""Shared fixtures: the trained model in-process, and the real servers over HTTP."""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "gongyou.tar.gz"
BUILD = ROOT / "build"
LAW_DIR = Path(os.environ.get("GONGYOU_LAW_DIR", ROOT.parent / "shared" / "law"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """GongYou started as `make run` starts it, on free ports; yields the REST webhook URL."""
    assert MODEL.exists(), "no trained model: run the tests through `make test`"
    env = dict(os.environ)
    env["GONGYOU_RASA_PORT"] = str(free_port())
    env["GONGYOU_ACTIONS_PORT"] = str(free_port())
    env["ACTION_SERVER_URL"] = f"http://localhost:{env['GONGYOU_ACTIONS_PORT']}/webhook"
    log = tmp_path_factory.mktemp("servers") / "launcher.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "bot.launcher", "--model", str(MODEL)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    sys.path.insert(0, str(ROOT))
    from bot import launcher

    os.environ["GONGYOU_RASA_PORT"] = env["GONGYOU_RASA_PORT"]
    os.environ["GONGYOU_ACTIONS_PORT"] = env["GONGYOU_ACTIONS_PORT"]
    up = launcher.wait_until_up(timeout=300)
    if not up:
        proc.terminate()
        pytest.fail("GongYou did not start:\n" + log.read_text()[-4000:])
    yield f"http://localhost:{env['GONGYOU_RASA_PORT']}"
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
