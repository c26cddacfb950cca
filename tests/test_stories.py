"""Rasa's own story test (`rasa test core`) on tests/stories, against the running action server."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ACTION_SECRET, ROOT

pytestmark = pytest.mark.stack


def test_conversation_stories_pass(stack, tmp_path):
    import os

    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{os.environ["GONGYOU_ACTIONS_PORT"]}/webhook"\n'
        f'  headers:\n    X-GongYou-Action-Secret: "{ACTION_SECRET}"\n'
    )
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run(
        [
            str(rasa),
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
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
