"""Is a part up: the web side's /healthz asks it of Rasa and the action server, and whatever
starts GongYou (the launcher, the production supervisor, the tests) waits on it.

Served code may import this module; it imports nothing that starts processes.
"""

from __future__ import annotations

import socket
import time
import urllib.request
from typing import Any, Dict, List, Mapping, Optional

from bot.settings import actions_in_process, ports


def free_port() -> int:
    """A port nothing listens on now, for a part started on this machine."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health_urls(source: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The parts the web side's /healthz checks besides its database (`source`: the environment
    GongYou runs with, this process's by default)."""
    p = ports()
    # Rasa's root answers without the API token; /status would need it. The action server
    # listens on the loopback interface only; with the actions in Rasa's process there is none.
    urls = {"rasa": f"http://localhost:{p.rasa}/"}
    if not actions_in_process(source):
        urls["actions"] = f"http://127.0.0.1:{p.actions}/health"
    return urls


def all_health_urls(source: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    return {**health_urls(source), "web": f"http://localhost:{ports().web}/healthz"}


def is_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except Exception:
        return False


def wait_until_healthy(
    urls: Mapping[str, str], timeout: float, processes: Optional[Mapping[str, Any]] = None
) -> List[str]:
    """The names still down at the timeout (empty: all up), or, as soon as one of `processes`
    (name → subprocess.Popen) has exited, the names of those that did."""
    processes = processes or {}
    deadline = time.monotonic() + timeout
    pending = dict(urls)
    while pending and time.monotonic() < deadline:
        dead = [name for name, proc in processes.items() if proc.poll() is not None]
        if dead:
            return dead
        for name, url in list(pending.items()):
            if is_up(url):
                del pending[name]
        if pending:
            time.sleep(1)
    return sorted(pending)
