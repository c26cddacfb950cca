"""The web side's own helpers, and what served code may import: no server needed."""

import ast
import http.server
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.web.health import free_port, is_up, wait_until_healthy

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[1]
SERVED = ("bot/web", "bot/console", "bot/cases", "bot/stations", "bot/channels")
RUNTIME = ("bot.launcher", "bot.runtime", "bot.deploy")


def imported(path: Path) -> set:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_served_code_never_imports_what_starts_processes():
    offenders = [
        (str(p.relative_to(ROOT)), name)
        for folder in SERVED
        for p in (ROOT / folder).rglob("*.py")
        for name in imported(p)
        if name.startswith(RUNTIME)
    ]
    assert offenders == []


def test_the_web_side_runs_blocking_work_through_one_helper():
    own = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "bot" / "web").rglob("*.py")
        if "run_in_executor" in p.read_text(encoding="utf-8")
    ]
    assert own == ["bot/web/blocking.py"]


def test_wait_until_healthy_sees_a_part_come_up_and_a_process_die():
    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # free_port's port can really be taken
    url = f"http://127.0.0.1:{port}/healthz"
    assert not is_up(url)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert wait_until_healthy({"web": f"http://127.0.0.1:{port}/"}, timeout=10) == []
        assert wait_until_healthy({"nothing": url}, timeout=1.5) == ["nothing"]  # 404 is not up
        dead = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
        dead.wait()
        assert wait_until_healthy({"nothing": url}, timeout=30, processes={"rasa": dead}) == ["rasa"]
    finally:
        server.shutdown()
        server.server_close()
