"""The production stores' addresses (PostgreSQL, Redis, RabbitMQ) and their preparation.

Every variable endpoints.production.yml names gets a value here: the environment's own, else the
standard local port. Rasa's ${VAR} has no defaults, so none may be left unset.
"""

from __future__ import annotations

import os
from typing import Dict
from urllib.parse import quote

from sqlalchemy.engine import make_url

from bot import settings

DEFAULTS = {
    "TRACKER_DB_HOST": "127.0.0.1",
    "TRACKER_DB_PORT": "5432",
    "TRACKER_DB_NAME": "gongyou_tracker",
    "TRACKER_DB_USER": "postgres",
    "TRACKER_DB_PASSWORD": "",
    "REDIS_HOST": "127.0.0.1",
    "REDIS_PORT": "6379",
    "REDIS_LOCK_DB": "1",
    # Empty: a Redis without password (a developer's machine). Set it wherever Redis is shared.
    "REDIS_PASSWORD": "",
    # The WeChat channel's shared retry/nonce memory and access token (REDIS_URL, built from the above).
    "REDIS_WECHAT_DB": "2",
    "RABBITMQ_HOST": "127.0.0.1",
    "RABBITMQ_PORT": "5672",
    "RABBITMQ_USER": "guest",
    "RABBITMQ_PASSWORD": "guest",
    "RABBITMQ_QUEUE": "gongyou_events",
    "RABBITMQ_EXCHANGE": "rasa-exchange",
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/gongyou",
    # A replica that dies holding a conversation's lock blocks that conversation this long. Longer
    # than the slowest message (case client: 3 tries with a 10 s read timeout) would be safer; 30 s
    # is the compromise, so a worker whose replica died waits half a minute at most.
    "TICKET_LOCK_LIFETIME": "30",
}


def production_env(base: Dict[str, str] | None = None) -> Dict[str, str]:
    env = dict(os.environ if base is None else base)
    for name, value in DEFAULTS.items():
        env.setdefault(name, value)
    if not env.get("REDIS_URL"):
        auth = f":{quote(env['REDIS_PASSWORD'], safe='')}@" if env["REDIS_PASSWORD"] else ""
        env["REDIS_URL"] = f"redis://{auth}{env['REDIS_HOST']}:{env['REDIS_PORT']}/{env['REDIS_WECHAT_DB']}"
    return env


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database `url` names when it does not exist yet."""
    import psycopg2

    target = make_url(url)
    if not target.drivername.startswith("postgresql"):
        return
    admin = psycopg2.connect(
        host=target.host or "127.0.0.1",
        port=target.port or 5432,
        user=target.username or "postgres",
        password=target.password or "",
        dbname="postgres",
        connect_timeout=10,
    )
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (target.database,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{target.database}"')
    finally:
        admin.close()


def tracker_url(env: Dict[str, str]) -> str:
    return settings.tracker_db_url(env)


def prepare(env: Dict[str, str]) -> None:
    """Databases exist and the case schema is current before any process starts, so that
    several web processes do not race to migrate it."""
    from bot.stations.store import ensure_some
    from bot.storage.engine import make_engine, upgrade

    ensure_database(tracker_url(env))
    ensure_database(env["DATABASE_URL"])
    engine = make_engine(env["DATABASE_URL"])
    try:
        upgrade(engine)
        ensure_some(engine)
    finally:
        engine.dispose()
