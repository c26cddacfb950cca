"""SMS through a provider interface: a real gateway by configuration, a fake one that records.

GONGYOU_SMS_PROVIDER=http sends through SMS_API_URL (JSON `{"to", "text", "sign"}`, bearer
SMS_API_KEY), a thin adapter any Chinese gateway's HTTP API can sit behind; =fake records each
message (phone masked) in GONGYOU_SMS_FAKE_FILE for tests and kiosks without a gateway.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import List, Optional, Protocol

import requests

from bot import settings
from bot.privacy import mask_text

logger = logging.getLogger(__name__)

TIMEOUT = (3.05, 10)


class SmsProvider(Protocol):
    def send(self, phone: str, text: str) -> bool: ...


class FakeSms:
    """Records instead of sending; the phone is kept masked, as logs keep it."""

    def __init__(self, path: Optional[Path] = None) -> None:
        self.path = path or settings.sms_fake_file()
        self._lock = threading.Lock()

    def send(self, phone: str, text: str) -> bool:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"to": mask_text(phone), "text": text}, ensure_ascii=False) + "\n")
        return True

    def sent(self) -> List[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]


class HttpSms:
    def __init__(self, url: str, key: str, sign: str) -> None:
        self.url, self.key, self.sign = url, key, sign

    def send(self, phone: str, text: str) -> bool:
        try:
            reply = requests.post(
                self.url,
                json={"to": phone, "text": text, "sign": self.sign},
                headers={"Authorization": f"Bearer {self.key}"},
                timeout=TIMEOUT,
            )
        except requests.RequestException as exc:
            logger.warning("SMS not sent: %s", type(exc).__name__)
            return False
        if reply.status_code >= 300:
            logger.warning("SMS gateway refused: HTTP %s", reply.status_code)
        return reply.status_code < 300


def configured() -> Optional[SmsProvider]:
    kind = settings.sms_provider()
    if kind == "fake":
        return FakeSms()
    if kind == "http":
        url, key, sign = settings.sms_api()
        if url:
            return HttpSms(url, key, sign)
        logger.error("GONGYOU_SMS_PROVIDER=http without SMS_API_URL: no SMS is sent")
    return None
