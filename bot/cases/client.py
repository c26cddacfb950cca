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
    queued: bool = False  # kept in the outbox, to be sent again
    error: Optional[str] = None  # a refusal to show the user (bad field), nothing kept


class ServiceUnavailable(Exception):
    pass


class ThrottledLookup(Exception):
    """Too many wrong follow codes for this case or this conversation: wait (message in Chinese)."""


# Draft fields that identify the worker: gone from a row once delivered, or when erased.
PERSONAL = ("name", "phone", "id_number", "location", "description")
# A delivered row keeps only key → case number and follow code, for the worker who asks "查进度"
# after an outage; it goes once they were told, or after this many seconds.
RECEIPT_SECONDS = 7 * 24 * 3600


NOT_SAVED = "系统繁忙，文书信息这次没保存上。请稍后说“帮我写申请书”再试，或者到服务站请工作人员帮您填。"

# Outbox keys of kept handoff requests (the rest are confirmed drafts).
HANDOFF_KEY = "handoff:"


class Outbox:
    """Submissions the service has not acknowledged yet, on disk, keyed by idempotency key.

    Nothing personal outlives delivery: `done` empties the payload at once (retention of
    delivered rows: none), the receipt row itself is removed when the worker has been told the
    number or after RECEIPT_SECONDS.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS outbox (key TEXT PRIMARY KEY, payload TEXT NOT NULL,"
                " created REAL NOT NULL, case_no TEXT)"
            )
            columns = {row[1] for row in db.execute("PRAGMA table_info(outbox)")}
            if "follow_code" not in columns:  # outboxes written before follow codes existed
                db.execute("ALTER TABLE outbox ADD COLUMN follow_code TEXT")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA synchronous=FULL")
        return db

    def put(self, key: str, payload: Dict[str, Any]) -> None:
        """Keep a submission; while it is unsent, a later put of the same key (the same
        confirmation, now routed to a station) replaces what will be sent."""
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT INTO outbox (key, payload, created) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE"
                " SET payload = excluded.payload WHERE outbox.case_no IS NULL",
                (key, json.dumps(payload, ensure_ascii=False), time.time()),
            )

    def pending(self) -> List[tuple]:
        with self._lock, self._connect() as db:
            return db.execute("SELECT key, payload FROM outbox WHERE case_no IS NULL ORDER BY created").fetchall()

    def done(self, key: str, case_no: str, follow_code: Optional[str] = None) -> None:
        with self._lock, self._connect() as db:
            db.execute(
                "UPDATE outbox SET case_no = ?, follow_code = ?, payload = '{}' WHERE key = ?",
                (case_no, follow_code, key),
            )
            db.execute("DELETE FROM outbox WHERE case_no IS NOT NULL AND created < ?", (time.time() - RECEIPT_SECONDS,))

    def case_no(self, key: str) -> Optional[str]:
        receipt = self.receipt(key)
        return receipt[0] if receipt else None

    def receipt(self, key: str) -> Optional[tuple]:
        """(case number or "REFUSED", follow code) of a delivered row, None while pending or unknown."""
        with self._lock, self._connect() as db:
            row = db.execute(
                "SELECT case_no, follow_code FROM outbox WHERE key = ? AND case_no IS NOT NULL", (key,)
            ).fetchone()
            return (row[0], row[1]) if row else None

    def forget_handoff(self, key: str) -> None:
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM outbox WHERE key = ?", (key,))

    def forget(self, key: str) -> None:
        """The worker has been told: the receipt row goes."""
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM outbox WHERE key = ? AND case_no IS NOT NULL", (key,))

    def erase(self, keys: List[str], sender_id: Optional[str]) -> int:
        """Erasure (contract §5): the erased case's own rows (its keys) go, delivered or not, since
        the service has that case already; other drafts of this sender, still pending, keep only
        their non-personal fields. Returns how many rows were touched."""
        touched = 0
        with self._lock, self._connect() as db:
            for key, payload, case_no in db.execute("SELECT key, payload, case_no FROM outbox").fetchall():
                try:
                    data = json.loads(payload or "{}")
                except ValueError:
                    data = {}
                if key not in keys and not (sender_id and data.get("sender_id") == sender_id):
                    continue
                if key in keys or case_no is not None or key.startswith(HANDOFF_KEY):
                    # A kept handoff request is nothing but the person's words and phone: it goes whole.
                    db.execute("DELETE FROM outbox WHERE key = ?", (key,))
                else:
                    data.update({field: None for field in PERSONAL})
                    data["sender_id"] = None
                    db.execute(
                        "UPDATE outbox SET payload = ? WHERE key = ?", (json.dumps(data, ensure_ascii=False), key)
                    )
                touched += 1
        return touched

    def rows(self) -> List[tuple]:
        """Every row as stored (key, payload, case_no, follow_code): for checking what is kept."""
        with self._lock, self._connect() as db:
            return db.execute("SELECT key, payload, case_no, follow_code FROM outbox ORDER BY created").fetchall()


class CaseClient:
    def __init__(
        self, base_url: Optional[str] = None, token: Optional[str] = None, outbox: Optional[Outbox] = None
    ) -> None:
        self.base_url = (base_url or settings.cases_api_url()).rstrip("/")
        self.token = token if token is not None else settings.service_token()
        self.outbox = outbox or Outbox(settings.outbox_path())
        self._local = None
        self._session = requests.Session()
        if self.base_url == "local":
            from bot.cases.service import CaseService
            from bot.storage.engine import make_engine, session_factory, upgrade

            engine = make_engine()
            upgrade(engine)
            self._local = CaseService(session_factory(engine))

    # -- low level -----------------------------------------------------------------------
    def _request(
        self, method: str, path: str, body: Optional[Dict[str, Any]] = None, key: Optional[str] = None
    ) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        if key:
            headers["Idempotency-Key"] = key
        last: Optional[Exception] = None
        for attempt in range(RETRIES):
            try:
                reply = self._session.request(method, self.base_url + path, json=body, headers=headers, timeout=TIMEOUT)
                if reply.status_code < 500:
                    return reply
                last = ServiceUnavailable(f"HTTP {reply.status_code}")
            except requests.RequestException as exc:
                last = exc
            time.sleep(BACKOFF * (2**attempt))
        raise ServiceUnavailable(str(last))

    # -- cases ---------------------------------------------------------------------------
    def submit(self, payload: Dict[str, Any], key: str) -> Submission:
        """Open a draft once, whatever happens: the outbox keeps it until the service has it."""
        self.outbox.put(key, payload)
        if self._local is not None:
            return self._submit_local(payload, key)
        try:
            reply = self._request("POST", "/api/cases", payload, key)
        except ServiceUnavailable as exc:
            logger.warning("case service unavailable, kept in the outbox: %s", exc)
            return Submission(None, queued=True)
        if reply.status_code in (200, 201):
            case = reply.json()
            self.outbox.done(key, case["case_no"], case.get("follow_code"))
            return Submission(case)
        if reply.status_code == 422:
            self.outbox.done(key, "REFUSED")
            return Submission(None, error=reply.json().get("error", "信息不完整"))
        logger.error("case service refused a submission: HTTP %s", reply.status_code)
        return Submission(None, queued=True)

    def _submit_local(self, payload: Dict[str, Any], key: str) -> Submission:
        from bot.cases.lifecycle import InvalidCase

        assert self._local is not None  # called only in local mode

        try:
            case, _ = self._local.open_draft(payload, key)
        except InvalidCase as problem:
            self.outbox.done(key, "REFUSED")
            return Submission(None, error=problem.message)
        except Exception:  # the database is away: the outbox has it, the flush sends it later
            logger.warning("case database unavailable, kept in the outbox", exc_info=True)
            return Submission(None, queued=True)
        self.outbox.done(key, case["case_no"], case.get("follow_code"))
        return Submission(case)

    def flush(self) -> int:
        """Send what the outbox still holds; returns how many got a case number."""
        sent = 0
        for key, payload in self.outbox.pending():
            try:
                if key.startswith(HANDOFF_KEY):
                    if self._send_handoff(json.loads(payload)):
                        self.outbox.forget_handoff(key)
                    continue
                if self.submit(json.loads(payload), key).case:
                    sent += 1
            except Exception:  # one bad row must not stop the others
                logger.exception("outbox entry could not be sent")
        return sent

    def lookup(self, case_no: str, follow_code: str, client: str = "") -> Optional[Dict[str, Any]]:
        """A worker's own case by number and follow code, or None. `client` (the conversation's
        sender id) is what the service throttles besides the case number; ThrottledLookup when
        there were too many wrong tries."""
        if self._local is not None:
            return self._local.lookup(case_no, follow_code)
        reply = self._request(
            "POST", "/api/cases/lookup", {"case_no": case_no, "follow_code": follow_code, "client": client}
        )
        if reply.status_code == 429:
            raise ThrottledLookup(reply.json().get("error", ""))
        return reply.json() if reply.status_code == 200 else None

    def erase_own(self, case_no: str, follow_code: str, client: str = "") -> Optional[bool]:
        """A worker's own erasure (contract §5): True when done, False when number and code do
        not match, None when the service cannot be reached. ThrottledLookup after too many tries."""
        if self._local is not None:
            from bot.cases.erasure import Eraser

            if not self._local.owns(case_no, follow_code):
                return False
            Eraser.local(self._local).erase(case_no.strip().upper(), "worker", "chat", tracker_now=False)
            return True
        try:
            reply = self._request(
                "POST", "/api/cases/erase-own", {"case_no": case_no, "follow_code": follow_code, "client": client}
            )
        except ServiceUnavailable:
            return None
        if reply.status_code == 429:
            raise ThrottledLookup(reply.json().get("error", ""))
        return reply.status_code == 200

    def save_details(self, case_no: str, details: Dict[str, Any], sender_id: str) -> Optional[str]:
        """Add a document's details to this conversation's case: None when saved, else what to tell
        the worker (a refused field, or that the service cannot be reached)."""
        if self._local is not None:
            from bot.cases.lifecycle import InvalidCase

            try:
                saved = self._local.save_details(case_no, details, sender_id)
            except InvalidCase as problem:
                return problem.message
            return None if saved is not None else NOT_SAVED
        try:
            reply = self._request("POST", f"/api/cases/{case_no}/details", {"details": details, "sender_id": sender_id})
        except ServiceUnavailable:
            return NOT_SAVED
        if reply.status_code == 200:
            return None
        if reply.status_code == 422:
            return reply.json().get("error") or NOT_SAVED
        logger.error("case service refused a document's details: HTTP %s", reply.status_code)
        return NOT_SAVED

    def handoff(
        self,
        sender_id: str,
        reason: str,
        transcript: List[Dict[str, Any]],
        phone: Optional[str] = None,
        station_id: Optional[str] = None,
    ) -> bool:
        body = {
            "sender_id": sender_id,
            "reason": reason,
            "transcript": transcript,
            "phone": phone,
            "station_id": station_id,
        }
        if self._send_handoff(body):
            return True
        # Not lost: kept with the drafts and sent by the next flush (the worker is told the truth now).
        self.outbox.put(f"{HANDOFF_KEY}{sender_id}:{len(transcript)}", body)
        return False

    def _send_handoff(self, body: Dict[str, Any]) -> bool:
        if self._local is not None:
            self._local.record_handoff(
                body["sender_id"], body["reason"], body["transcript"], body.get("phone"), body.get("station_id")
            )
            return True
        try:
            return self._request("POST", "/api/handoffs", body).status_code == 201
        except ServiceUnavailable:
            return False
