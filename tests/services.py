"""The machine's real servers for the production tests: a database of the test's own on
PostgreSQL, and RabbitMQ. A server that is missing fails the test; nothing is skipped."""

from __future__ import annotations

import uuid

PG = "postgresql://postgres@127.0.0.1:5432"
AMQP = "amqp://guest:guest@127.0.0.1:5672/"


def unique(prefix: str = "gongyou_test") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def create_database(name: str) -> str:
    from bot.runtime.stores import ensure_database

    url = f"{PG}/{name}"
    ensure_database(url)
    return url


def drop_database(name: str) -> None:
    import psycopg2

    admin = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres", connect_timeout=10)
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        admin.close()
