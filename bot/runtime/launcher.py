"""Start every part of GongYou on embedded defaults and stop them together (`make run`).

Ports come from the environment: GONGYOU_RASA_PORT (5005), GONGYOU_WEB_PORT (8000), and
GONGYOU_ACTIONS_PORT (5055) when an action server runs. Safe by default, on a developer's machine too:
- The actions run inside the Rasa process (ACTION_SERVER_URL=local, bot/runtime/rasa_local_actions.py):
  no action server, no port of its own. ACTION_SERVER_URL=http://… starts one as production runs
  them (bot/runtime/action_server.py), on the loopback interface and with GONGYOU_ACTION_SECRET.
- Rasa's HTTP API (whole conversations, the model) needs RASA_AUTH_TOKEN, made up for this run
  unless set; the web side reads the same variable. Its CORS grant goes to the web side's own
  origins only (this machine's addresses on the web port, plus GONGYOU_PUBLIC_ORIGIN).
- The bot's service token (GONGYOU_SERVICE_TOKEN) is made up as well; every secret that is set
  must pass bot/web/auth.py's check (long, no placeholder, all different) or nothing starts.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence

from bot import settings
from bot.web.health import all_health_urls, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]


def ports() -> Dict[str, int]:
    p = settings.ports()
    return {"rasa": p.rasa, "actions": p.actions, "web": p.web}


def allowed_origins(env: Mapping[str, str] = os.environ) -> List[str]:
    """The origins whose pages may call Rasa from a browser: the web side's own, on each address of
    this machine (a phone on the same network opens the chat at http://<this machine>:8000), and
    GONGYOU_PUBLIC_ORIGIN (comma-separated, e.g. https://gongyou.example.org) where a proxy serves it."""
    web = ports()["web"]
    hosts = ["localhost", "127.0.0.1", "[::1]", socket.gethostname()]
    try:
        import psutil

        for addresses in psutil.net_if_addrs().values():
            for address in addresses:
                if address.family == socket.AF_INET and not address.address.startswith("127."):
                    hosts.append(address.address)
                elif address.family == socket.AF_INET6 and "%" not in address.address and address.address != "::1":
                    hosts.append(f"[{address.address}]")
    except Exception:  # psutil missing or the interfaces unreadable: localhost still works
        pass
    origins = [f"http://{host}:{web}" for host in dict.fromkeys(hosts)]
    origins += settings.public_origins(env)
    return origins


def commands(
    model: str, rasa_token: str, origins: List[str], env: Optional[Mapping[str, str]] = None
) -> Dict[str, List[str]]:
    """Every process to start; an action server only when the actions do not run in Rasa's
    (`env`: the environment they are started with, by default this process's)."""
    p = ports()
    bin_dir = Path(sys.executable).parent
    out = {
        "actions": [
            str(bin_dir / "python"),
            "-m",
            "bot.runtime.action_server",
            "--actions",
            "actions",
            "--port",
            str(p["actions"]),
        ],
        # The HTTP API shows whole conversations (personal data) and swaps the model: always a token.
        "rasa": [
            str(bin_dir / "python"),
            "-m",
            "bot.runtime.rasa_server",
            "run",
            "--model",
            model,
            "--enable-api",
            "--port",
            str(p["rasa"]),
            "--credentials",
            "credentials.yml",
            "--endpoints",
            "endpoints.yml",
            "--auth-token",
            rasa_token,
            "--cors",
            *origins,
        ],
        "web": [str(bin_dir / "python"), "-m", "bot.web.app"],
    }
    if actions_in_process(env):
        del out["actions"]
    return out


def actions_in_process(env: Optional[Mapping[str, str]] = None) -> bool:
    """Unless ACTION_SERVER_URL names an action server, the actions run in Rasa's process."""
    url = (os.environ if env is None else env).get("ACTION_SERVER_URL", "").strip()
    return not url or settings.actions_in_process({"ACTION_SERVER_URL": url})


def environment(base: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """What every part is started with: `base` (this process's environment) and the embedded defaults."""
    env = dict(os.environ if base is None else base)
    if not env.get("ACTION_SERVER_URL", "").strip():
        env["ACTION_SERVER_URL"] = "local"
    env.setdefault("PYTHONPATH", str(ROOT))
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("CASES_API_URL", f"http://localhost:{ports()['web']}")
    for made_up in ("GONGYOU_SERVICE_TOKEN", "RASA_AUTH_TOKEN", "GONGYOU_ACTION_SECRET"):
        if not env.get(made_up, "").strip():
            env[made_up] = secrets.token_urlsafe(24)
    return env


def wait_until_up(
    timeout: float = 240, processes: Sequence[subprocess.Popen] = (), env: Optional[Mapping[str, str]] = None
) -> bool:
    """True once every part answers; False at the timeout or as soon as a process has died
    (`env`: the environment the parts were started with, by default this process's)."""
    source = dict(os.environ if env is None else env)
    if actions_in_process(source):
        source["ACTION_SERVER_URL"] = "local"
    urls = all_health_urls(source)
    return not wait_until_healthy(urls, timeout, {str(i): p for i, p in enumerate(processes)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="models/gongyou.tar.gz")
    args = parser.parse_args()
    env = environment()
    from bot.web.auth import refuse_weak_secrets

    refuse_weak_secrets(env)
    origins = allowed_origins(env)
    env["GONGYOU_ALLOWED_ORIGINS"] = ",".join(origins)  # the web chat's socket checks them too
    procs = {
        name: subprocess.Popen(cmd, cwd=ROOT, env=env)
        for name, cmd in commands(args.model, env["RASA_AUTH_TOKEN"], origins, env).items()
    }

    def stop(*_: object) -> None:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()

    def on_sigterm(*_: Any) -> None:
        stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        if wait_until_up(processes=list(procs.values()), env=env):
            p = ports()
            print(
                f"GongYou is up. REST: http://localhost:{p['rasa']}/webhooks/rest/webhook  "
                f"chat: http://localhost:{p['web']}/  kiosk: http://localhost:{p['web']}/kiosk?station=ID  "
                "(Ctrl-C stops)",
                flush=True,
            )
        else:
            print("GongYou did not come up in time; see the logs above.", flush=True)
        while all(proc.poll() is None for proc in procs.values()):
            time.sleep(1)
        print("A part of GongYou stopped; stopping the rest.", flush=True)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
