"""Rasa's own story test (`rasa test core`) on tests/stories, with GongYou's actions in the Rasa
process as `make run` runs them (ACTION_SERVER_URL=local), through GongYou's Rasa entry point."""

import os
import subprocess
import sys

import pytest

from tests.conftest import LAW_DIR, ROOT

pytestmark = pytest.mark.model


def test_conversation_stories_pass(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("action_endpoint:\n  url: local\n")
    env = {k: v for k, v in os.environ.items() if k != "GONGYOU_SERVICE_TOKEN"}
    env.update(
        {
            "ACTION_SERVER_URL": "local",
            "GONGYOU_LAW_DIR": str(LAW_DIR),
            # handoffs go to a case service of the test's own, in-process
            "CASES_API_URL": "local",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cases.sqlite3'}",
            "GONGYOU_OUTBOX": str(tmp_path / "outbox.sqlite3"),
            "PYTHONPATH": str(ROOT),
        }
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.runtime.rasa_server",
            "test",
            "core",
            "--model",
            "models/gongyou.tar.gz",
            "--stories",
            "tests/stories",
            "--endpoints",
            str(endpoints),
            "--out",
            str(tmp_path / "results"),
            "--fail-on-prediction-errors",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
