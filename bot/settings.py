"""Every environment variable GongYou reads, in one place, with its embedded default.

Read when asked (not at import), so a test or the launcher can set a variable before a part
starts. Rasa's own files (endpoints*.yml, credentials.yml) read `${VAR}` themselves; the
production stores' variables and their defaults are in bot/runtime/stores.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Mapping, Optional
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"


def env(name: str, default: str = "", source: Optional[Mapping[str, str]] = None) -> str:
    value = (os.environ if source is None else source).get(name)
    return default if value is None or value.strip() == "" else value.strip()


@dataclass(frozen=True)
class Ports:
    rasa: int
    actions: int
    web: int


def ports() -> Ports:
    return Ports(
        rasa=int(env("GONGYOU_RASA_PORT", "5005")),
        actions=int(env("GONGYOU_ACTIONS_PORT", "5055")),
        web=int(env("GONGYOU_WEB_PORT", "8000")),
    )


# --- the case database and the bot's way to it -------------------------------------------------


def database_url() -> str:
    return env("DATABASE_URL") or f"sqlite:///{VAR / 'gongyou.sqlite3'}"


def cases_api_url() -> str:
    return (env("CASES_API_URL") or f"http://localhost:{ports().web}").rstrip("/")


def service_token() -> str:
    return env("GONGYOU_SERVICE_TOKEN")


def outbox_path() -> Path:
    return Path(env("GONGYOU_OUTBOX") or VAR / "outbox.sqlite3")


# --- Rasa, as the web side and the console reach it --------------------------------------------


def rasa_url() -> str:
    return env("GONGYOU_RASA_URL") or f"http://localhost:{ports().rasa}"


def rasa_auth_token() -> str:
    return env("RASA_AUTH_TOKEN")


# --- the web side ------------------------------------------------------------------------------


def web_host() -> str:
    return env("GONGYOU_WEB_HOST", "0.0.0.0")


def public_url() -> str:
    """The address workers reach the web side at (QR codes), when it differs from the request's."""
    return env("GONGYOU_PUBLIC_URL").rstrip("/")


def socket_url() -> str:
    return env("GONGYOU_SOCKET_URL").rstrip("/")


def trusted_proxies() -> str:
    """Addresses or networks (comma-separated) whose X-Forwarded-For the web side believes:
    by default the nginx on this machine; every other peer is the client itself."""
    return env("GONGYOU_TRUSTED_PROXIES", "127.0.0.1,::1")


# --- retention (bot/cases/purge.py says why each default) --------------------------------------


def _positive(name: str, default: int, floor: int = 1) -> int:
    try:
        return max(floor, int(env(name, str(default))))
    except ValueError:
        return default


def retain_closed_days() -> int:
    return _positive("GONGYOU_RETAIN_CLOSED_DAYS", 365)


def retain_draft_days() -> int:
    return _positive("GONGYOU_RETAIN_DRAFT_DAYS", 90)


def retain_handoff_days() -> int:
    return _positive("GONGYOU_RETAIN_HANDOFF_DAYS", 30)


def retain_audit_days() -> int:
    return _positive("GONGYOU_RETAIN_AUDIT_DAYS", 365)


def purge_every_seconds() -> int:
    return _positive("GONGYOU_PURGE_EVERY_SECONDS", 3600, floor=60)


def cookie_secure() -> bool:
    return env("GONGYOU_COOKIE_SECURE") == "1"


def console_idle() -> timedelta:
    return timedelta(minutes=int(env("GONGYOU_CONSOLE_IDLE_MINUTES", "30")))


def console_lifetime() -> timedelta:
    return timedelta(hours=int(env("GONGYOU_CONSOLE_SESSION_HOURS", "10")))


def new_operator_password() -> str:
    return env("GONGYOU_NEW_PASSWORD")


# --- follow-ups (contract §6): the scheduler and its channels ------------------------------------


def followup_every_seconds() -> int:
    """How often the web side runs due follow-ups by itself; 0 turns the schedule off (run on demand)."""
    value = env("GONGYOU_FOLLOWUP_EVERY_SECONDS", "60")
    return max(0, int(value)) if value.isdigit() else 60


def followup_quiet_seconds() -> int:
    """How long the chat channels may skip the follow-up call for a sender with nothing pending
    (bot/followups/quiet.py): the longest a follow-up planned meanwhile waits before it opens the
    worker's reply. 0: a call for every message."""
    value = env("GONGYOU_FOLLOWUP_QUIET_SECONDS", "60")
    return max(0, int(value)) if value.isdigit() else 60


def sms_provider() -> str:
    """`fake` (record only: tests, kiosks), `http` (SMS_API_URL + SMS_API_KEY), or empty: no SMS."""
    return env("GONGYOU_SMS_PROVIDER").lower()


def sms_api() -> tuple:
    return env("SMS_API_URL"), env("SMS_API_KEY"), env("SMS_SIGN", "工友")


def sms_fake_file() -> Path:
    return Path(env("GONGYOU_SMS_FAKE_FILE") or VAR / "sms_sent.jsonl")


def wechat_api() -> tuple:
    """(appid, secret, base URL, template id); WeChat follow-ups need appid and secret."""
    return (
        env("WECHAT_APPID"),
        env("WECHAT_SECRET"),
        env("WECHAT_API_BASE", "https://api.weixin.qq.com"),
        env("WECHAT_FOLLOWUP_TEMPLATE"),
    )


def wechat_offline() -> bool:
    """No calls to WeChat at all (a kiosk or a test without the network): WeChat follow-ups wait."""
    return env("WECHAT_OFFLINE") == "1"


# --- channels and outside services -------------------------------------------------------------


def redis_url() -> str:
    return env("REDIS_URL")


def wechat_token_file() -> Path:
    return Path(env("WECHAT_TOKEN_FILE") or VAR / "wechat_token.json")


def amap_key() -> str:
    return env("AMAP_KEY")


def rabbitmq_queue() -> str:
    return env("RABBITMQ_QUEUE", "gongyou_events")


def document_font() -> str:
    return env("GONGYOU_DOCUMENT_FONT")


# --- the runtime's own safety (issue 13) ---------------------------------------------------------


def actions_in_process(source: Optional[Mapping[str, str]] = None) -> bool:
    """ACTION_SERVER_URL=local: the actions run inside the Rasa process (bot/runtime/rasa_local_actions.py),
    no action server; the embedded stack's default (bot/runtime/launcher.py)."""
    return env("ACTION_SERVER_URL", "", source).lower() == "local"


def rasa_workers(source: Optional[Mapping[str, str]] = None) -> Optional[int]:
    """GONGYOU_RASA_WORKERS: how many worker processes the Rasa process forks after loading the
    model (bot/runtime/rasa_workers.py); None when unset or "auto" (one per core, at most four,
    with the in-memory store, none with a shared one), 0 or 1 for none."""
    value = env("GONGYOU_RASA_WORKERS", "", source).lower()
    if value in ("", "auto"):
        return None
    try:
        return max(0, int(value))
    except ValueError:
        raise ValueError(f"GONGYOU_RASA_WORKERS must be a number or 'auto', not {value!r}") from None


def actions_host() -> str:
    """The interface the action server listens on: loopback unless a pod must be reached by a Service."""
    return env("GONGYOU_ACTIONS_HOST", "127.0.0.1")


def action_secret() -> str:
    """What Rasa must send the action server (X-GongYou-Action-Secret); empty: no check."""
    return env("GONGYOU_ACTION_SECRET")


def public_origins(source: Optional[Mapping[str, str]] = None) -> list:
    """GONGYOU_PUBLIC_ORIGIN: where a proxy serves the web side (comma-separated), e.g. https://gongyou.example.org."""
    return [o.strip().rstrip("/") for o in env("GONGYOU_PUBLIC_ORIGIN", "", source).split(",") if o.strip()]


def allowed_origins() -> list:
    """The origins Rasa's web chat accepts sockets from (set by the launcher and the production command)."""
    listed = [o.strip().rstrip("/") for o in env("GONGYOU_ALLOWED_ORIGINS").split(",") if o.strip()]
    return listed or public_origins()


def tracker_limits() -> tuple:
    """(GONGYOU_TRACKER_MAX_CONVERSATIONS, GONGYOU_TRACKER_IDLE_HOURS) as set, '' when not."""
    return env("GONGYOU_TRACKER_MAX_CONVERSATIONS"), env("GONGYOU_TRACKER_IDLE_HOURS")


def event_queue_limits() -> tuple:
    """(hours an event waits in RabbitMQ, events the queue holds at most)."""
    return float(env("RABBITMQ_EVENT_TTL_HOURS", str(24 * 7))), int(env("RABBITMQ_MAX_EVENTS", "1000000"))


def tracker_db_url(source: Optional[Mapping[str, str]] = None) -> str:
    """Rasa's SQL tracker store (endpoints.production.yml), or "" when none is configured (make run
    keeps conversations in memory)."""
    if not env("TRACKER_DB_HOST", source=source):
        return ""
    password = env("TRACKER_DB_PASSWORD", source=source)
    secret = f":{quote(password, safe='')}" if password else ""
    return (
        f"postgresql://{env('TRACKER_DB_USER', 'postgres', source)}{secret}@{env('TRACKER_DB_HOST', source=source)}:"
        f"{env('TRACKER_DB_PORT', '5432', source)}/{env('TRACKER_DB_NAME', 'gongyou_tracker', source)}"
    )


# --- the dashboard's early warning (issue 16: the seeds' 预判 / 形势分析研判) ---------------------


def warning_threshold() -> int:
    """Cases from one employer, district or industry within the window that raise a warning."""
    return _positive("GONGYOU_WARN_CASES", 10, floor=2)


def warning_days() -> int:
    """The warning's window in days."""
    return _positive("GONGYOU_WARN_DAYS", 7)
