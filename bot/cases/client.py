"""How actions reach the case service: HTTP with timeouts, retries and an idempotency key,
and an outbox on disk so that a confirmed case is never lost while the service is down.

CASES_API_URL picks the mode: an http(s) URL (default http://localhost:8000), or `local` to
open cases in-process on DATABASE_URL (kiosks without a network, tests of the actions).
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

import requests
from bot import settings

logger = logging.getLogger(__name__)

TIMEOUT = (3.05, 10)  # connect, read
RETRIES = 3
BACKOFF = 0.5


@dataclass
class Submission:
    case: Optional[Dict[str, Any]]  # the case as the service holds it, once it does
    queued: bool = False            # kept in the outbox, to be sent again
    error: Optional[str] = None     # a refusal to show the user (bad field), nothing kept


class ServiceUnavailable(Exception):
    pass


class Outbox:
    """Submissions the service has not acknowledged yet, on disk, keyed by idempotency key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS outbox (key TEXT PRIMARY KEY, payload TEXT NOT NULL,"
                       " created REAL NOT NULL, case_no TEXT)")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA synchronous=FULL")
        return db

    def put(self, key: str, payload: Dict[str, Any]) -> None:
        with self._lock, self._connect() as db:
            db.execute("INSERT OR IGNORE INTO outbox (key, payload, created) VALUES (?, ?, ?)",
                       (key, json.dumps(payload, ensure_ascii=False), time.time()))

    def pending(self) -> List[tuple]:
        with self._lock, self._connect() as db:
            return db.execute("SELECT key, payload FROM outbox WHERE case_no IS NULL ORDER BY created").fetchall()

    def done(self, key: str, case_no: str) -> None:
        with self._lock, self._connect() as db:
            db.execute("UPDATE outbox SET case_no = ? WHERE key = ?", (case_no, key))

    def case_no(self, key: str) -> Optional[str]:
        with self._lock, self._connect() as db:
            row = db.execute("SELECT case_no FROM outbox WHERE key = ?", (key,)).fetchone()
            return row[0] if row else None


class CaseClient:
    def __init__(self, base_url: Optional[str] = None, token: Optional[str] = None,
                 outbox: Optional[Outbox] = None) -> None:
        self.base_url = (base_url or settings.cases_api_url()).rstrip("/")
        self.token = token if token is not None else settings.service_token()
        self.outbox = outbox or Outbox(settings.outbox_path())
        self._local = None
        self._session = requests.Session()
        if self.base_url == "local":
            from bot.storage.engine import make_engine, session_factory, upgrade
            from bot.cases.service import CaseService

            engine = make_engine()
            upgrade(engine)
            self._local = CaseService(session_factory(engine))

    # -- low level -----------------------------------------------------------------------
    def _request(self, method: str, path: str, body: Optional[Dict[str, Any]] = None,
                 key: Optional[str] = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        if key:
            headers["Idempotency-Key"] = key
        last: Optional[Exception] = None
        for attempt in range(RETRIES):
            try:
                reply = self._session.request(method, self.base_url + path, json=body, headers=headers,
                                              timeout=TIMEOUT)
                if reply.status_code < 500:
                    return reply
                last = ServiceUnavailable(f"HTTP {reply.status_code}")
            except requests.RequestException as exc:
                last = exc
            time.sleep(BACKOFF * (2 ** attempt))
        raise ServiceUnavailable(str(last))

    # -- cases ---------------------------------------------------------------------------
    def submit(self, payload: Dict[str, Any], key: str) -> Submission:
        """Open a draft once, whatever happens: the outbox keeps it until the service has it."""
        if self._local is not None:
            from bot.cases.lifecycle import InvalidCase

            try:
                case, _ = self._local.open_draft(payload, key)
                return Submission(case)
            except InvalidCase as problem:
                return Submission(None, error=problem.message)
        self.outbox.put(key, payload)
        try:
            reply = self._request("POST", "/api/cases", payload, key)
        except ServiceUnavailable as exc:
            logger.warning("case service unavailable, kept in the outbox: %s", exc)
            return Submission(None, queued=True)
        if reply.status_code in (200, 201):
            case = reply.json()
            self.outbox.done(key, case["case_no"])
            return Submission(case)
        if reply.status_code == 422:
            self.outbox.done(key, "REFUSED")
            return Submission(None, error=reply.json().get("error", "信息不完整"))
        logger.error("case service refused a submission: HTTP %s", reply.status_code)
        return Submission(None, queued=True)

    def flush(self) -> int:
        """Send what the outbox still holds; returns how many got a case number."""
        sent = 0
        for key, payload in self.outbox.pending():
            try:
                if self.submit(json.loads(payload), key).case:
                    sent += 1
            except Exception:  # one bad row must not stop the others
                logger.exception("outbox entry could not be sent")
        return sent

    def lookup(self, case_no: str, phone_last4: str) -> Optional[Dict[str, Any]]:
        if self._local is not None:
            return self._local.lookup(case_no, phone_last4)
        reply = self._request("POST", "/api/cases/lookup", {"case_no": case_no, "phone_last4": phone_last4})
        return reply.json() if reply.status_code == 200 else None

    def handoff(self, sender_id: str, reason: str, transcript: List[Dict[str, Any]],
                phone: Optional[str] = None) -> bool:
        body = {"sender_id": sender_id, "reason": reason, "transcript": transcript, "phone": phone}
        if self._local is not None:
            self._local.record_handoff(sender_id, reason, transcript, phone)
            return True
        try:
            return self._request("POST", "/api/handoffs", body).status_code == 201
        except ServiceUnavailable:
            return False
