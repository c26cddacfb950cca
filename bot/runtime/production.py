"""GongYou on production stores, scaled out on one machine (`make run-production`).

Starts N Rasa replicas (`rasa run`, endpoints.production.yml: PostgreSQL tracker store, Redis lock
store, RabbitMQ event broker), M action servers, W web processes (case database on
DATABASE_URL), the event consumer, and nginx in front of them all. A process that dies is
started again, as Kubernetes would; Ctrl-C or SIGTERM stops everything.

It refuses to start without RASA_AUTH_TOKEN (the replicas must share it, so none is made up) or
with a weak or shared secret (bot/web/auth.py). The action servers listen on the loopback
interface behind nginx and want GONGYOU_ACTION_SECRET, made up for this run unless set.

    python -m bot.runtime.production --replicas 2 --actions 2 --web 1 --port 8080
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from bot import settings
from bot.runtime import nginx, stores
from bot.web.health import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]


class Deployment:
    def __init__(
        self,
        model: str,
        run_dir: Path,
        replicas: int = 2,
        actions: int = 2,
        web: int = 1,
        public_port: int = 8080,
        consumer: bool = True,
        env: Optional[Dict[str, str]] = None,
        restart: bool = True,
    ) -> None:
        self.model, self.run_dir, self.restart = str(model), Path(run_dir), restart
        self.run_dir.mkdir(parents=True, exist_ok=True)
        (self.run_dir / "logs").mkdir(exist_ok=True)
        self.env = stores.production_env(env)
        self.entry = nginx.Ports(public_port, free_port(), free_port(), free_port())
        self.ports = {
            "rasa": [free_port() for _ in range(replicas)],
            "actions": [free_port() for _ in range(actions)],
            "web": [free_port() for _ in range(web)],
        }
        self.with_consumer = consumer
        self.procs: Dict[str, subprocess.Popen] = {}
        self.restarts: Dict[str, int] = {}
        self._stopping = False

    # -- what each process is -------------------------------------------------------------
    def _common_env(self) -> Dict[str, str]:
        env = dict(self.env)
        env.setdefault("PYTHONPATH", str(ROOT))
        env.setdefault("RASA_TELEMETRY_ENABLED", "false")
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
        for made_up in ("GONGYOU_SERVICE_TOKEN", "GONGYOU_ACTION_SECRET"):
            if not env.get(made_up, "").strip():
                env[made_up] = secrets.token_urlsafe(24)
        # Every hop goes through nginx's pools, so a dead process is routed around.
        env["ACTION_SERVER_URL"] = f"http://127.0.0.1:{self.entry.actions}/webhook"
        env["CASES_API_URL"] = f"http://127.0.0.1:{self.entry.web}"
        env["GONGYOU_RASA_PORT"] = str(self.entry.rasa)
        # The chat page loads from the entry point and opens its socket there too.
        env.setdefault("GONGYOU_SOCKET_URL", "same-origin")
        env["GONGYOU_ACTIONS_PORT"] = str(self.entry.actions)
        self.env = env
        return env

    def commands(self) -> Dict[str, tuple]:
        env = self._common_env()
        bin_dir = Path(sys.executable).parent
        out: Dict[str, tuple] = {}
        env["GONGYOU_ALLOWED_ORIGINS"] = ",".join(self.origins())  # the web chat's socket checks them too
        for i, port in enumerate(self.ports["rasa"], 1):
            # Rasa listens on loopback: the public reaches it through nginx, which keeps its HTTP API out.
            out[f"rasa-{i}"] = (
                [
                    str(bin_dir / "python"),
                    "-m",
                    "bot.runtime.rasa_server",
                    "run",
                    "--model",
                    self.model,
                    "--enable-api",
                    "--interface",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--credentials",
                    "credentials.yml",
                    "--endpoints",
                    "endpoints.production.yml",
                    "--auth-token",
                    env["RASA_AUTH_TOKEN"],
                    "--cors",
                    *self.origins(),
                ],
                env,
            )
        for i, port in enumerate(self.ports["actions"], 1):
            # Each action server keeps its own outbox file: SQLite is one writer at a time.
            out[f"actions-{i}"] = (
                [
                    str(bin_dir / "python"),
                    "-m",
                    "bot.runtime.action_server",
                    "--actions",
                    "actions",
                    "--port",
                    str(port),
                ],
                {**env, "GONGYOU_OUTBOX": str(self.run_dir / f"outbox-{i}.sqlite3")},
            )
        for i, port in enumerate(self.ports["web"], 1):
            out[f"web-{i}"] = (
                [str(bin_dir / "python"), "-m", "bot.web.app"],
                {**env, "GONGYOU_WEB_PORT": str(port), "GONGYOU_WEB_HOST": "127.0.0.1"},
            )
        if self.with_consumer:
            out["consumer"] = ([str(bin_dir / "python"), "-m", "bot.events.consumer"], env)
        return out

    def origins(self) -> List[str]:
        """Who may call Rasa from a browser: the entry point itself and GONGYOU_PUBLIC_ORIGIN."""
        own = [f"http://127.0.0.1:{self.entry.public}", f"http://localhost:{self.entry.public}"]
        return own + settings.public_origins(self.env)

    # -- life cycle ------------------------------------------------------------------------
    def _spawn(self, name: str, cmd: List[str], env: Dict[str, str]) -> None:
        log = open(self.run_dir / "logs" / f"{name}.log", "a")
        self.procs[name] = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def start(self) -> None:
        from bot.web.auth import refuse_weak_secrets

        refuse_weak_secrets(self._common_env(), require=("RASA_AUTH_TOKEN",))
        stores.prepare(self._common_env())
        self._commands = self.commands()
        for name, (cmd, env) in self._commands.items():
            self._spawn(name, cmd, env)
        config = nginx.render(self.run_dir, self.entry, self.ports["rasa"], self.ports["actions"], self.ports["web"])
        with open(self.run_dir / "logs" / "nginx.log", "a") as log:
            self.procs["nginx"] = nginx.start(self.run_dir, config, log)
        self.write_state()

    def health_urls(self) -> Dict[str, str]:
        urls = {f"rasa-{i}": f"http://127.0.0.1:{p}/" for i, p in enumerate(self.ports["rasa"], 1)}
        urls.update({f"actions-{i}": f"http://127.0.0.1:{p}/health" for i, p in enumerate(self.ports["actions"], 1)})
        urls.update({f"web-{i}": f"http://127.0.0.1:{p}/healthz" for i, p in enumerate(self.ports["web"], 1)})
        urls["entry"] = f"http://127.0.0.1:{self.entry.public}/healthz"
        return urls

    def wait_until_up(self, timeout: float = 420) -> List[str]:
        """The parts still down at the timeout (empty: all up). Stops early if one has exited."""
        return wait_until_healthy(self.health_urls(), timeout, self.procs)

    def supervise_once(self) -> None:
        """Start again any process that exited (nginx included), as a Kubernetes Deployment would."""
        for name, proc in list(self.procs.items()):
            if self._stopping or proc.poll() is None or not self.restart:
                continue
            self.restarts[name] = self.restarts.get(name, 0) + 1
            print(f"{name} exited ({proc.returncode}); starting it again", flush=True)
            if name == "nginx":
                with open(self.run_dir / "logs" / "nginx.log", "a") as log:
                    self.procs["nginx"] = nginx.start(self.run_dir, (self.run_dir / "nginx.conf").read_text(), log)
            else:
                self._spawn(name, *self._commands[name])
        self.write_state()

    def write_state(self) -> None:
        state = {
            "entry": f"http://127.0.0.1:{self.entry.public}",
            "ports": self.ports,
            "pids": {n: p.pid for n, p in self.procs.items()},
        }
        (self.run_dir / "state.json").write_text(json.dumps(state, indent=2))

    def stop(self) -> None:
        self._stopping = True
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/gongyou.tar.gz")
    parser.add_argument("--replicas", type=int, default=int(os.environ.get("GONGYOU_RASA_REPLICAS", "2")))
    parser.add_argument("--actions", type=int, default=int(os.environ.get("GONGYOU_ACTION_SERVERS", "2")))
    parser.add_argument("--web", type=int, default=int(os.environ.get("GONGYOU_WEB_PROCESSES", "1")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("GONGYOU_ENTRY_PORT", "8080")))
    parser.add_argument("--run-dir", default=str(ROOT / "var" / "production"))
    args = parser.parse_args()
    deployment = Deployment(args.model, Path(args.run_dir), args.replicas, args.actions, args.web, args.port)

    def on_sigterm(*_: Any) -> None:
        deployment.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        deployment.start()
        down = deployment.wait_until_up()
        if down:
            print(f"GongYou did not come up: {', '.join(down)} (logs in {deployment.run_dir / 'logs'})", flush=True)
            return 1
        print(
            f"GongYou (production) is up: http://127.0.0.1:{args.port}  "
            f"REST: http://127.0.0.1:{args.port}/webhooks/rest/webhook  "
            f"{args.replicas} Rasa replicas, {args.actions} action servers, {args.web} web  (Ctrl-C stops)",
            flush=True,
        )
        while True:
            time.sleep(2)
            deployment.supervise_once()
    except KeyboardInterrupt:
        return 0
    finally:
        deployment.stop()


if __name__ == "__main__":
    sys.exit(main())
