"""Follow-ups through WeChat: a customer-service message while the 48-hour window after the
worker's last message is open, else a template (subscription) message.

The worker's last message is known when it came through GongYou's WeChat channel (the chat hook
stamps `last_seen_at`); older than 48 hours, the template goes at once. WeChat has the last word:
a customer-service message it refuses with errcode 45015 (window closed) is sent as a template.
Every call has a timeout; with WECHAT_OFFLINE=1 (or no appid/secret) nothing is called and the
follow-up waits for the next run.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Optional

import requests

from bot import settings
from bot.channels.wechat_support import TIMEOUT, WeChatApi

logger = logging.getLogger(__name__)

OUT_OF_WINDOW = 45015
WINDOW = timedelta(hours=48)
_TOKEN_ERRORS = (40001, 40014, 42001)


class WeChatFollowups:
    def __init__(self, api: WeChatApi, template_id: str = "") -> None:
        self.api, self.template_id = api, template_id

    @classmethod
    def configured(cls) -> Optional["WeChatFollowups"]:
        appid, secret, base, template = settings.wechat_api()
        if settings.wechat_offline() or not appid or not secret:
            return None
        return cls(WeChatApi(appid, secret, base), template)

    def _post(self, path: str, body: dict) -> int:
        """WeChat's errcode (0: sent); -1 when WeChat could not be reached."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        for refresh in (False, True):
            try:
                reply = requests.post(
                    f"{self.api.base}{path}",
                    params={"access_token": self.api.token(refresh)},
                    data=data,
                    headers={"Content-Type": "application/json"},
                    timeout=TIMEOUT,
                ).json()
            except (requests.RequestException, ValueError, RuntimeError) as exc:
                logger.warning("WeChat follow-up not sent: %s", type(exc).__name__)
                return -1
            code = int(reply.get("errcode", 0) or 0)
            if code not in _TOKEN_ERRORS:
                return code
        return code

    def send(self, openid: str, text: str, last_seen_at: Optional[datetime] = None) -> bool:
        """A customer-service message unless the worker's last message is known to be older than
        48 hours; WeChat's own 45015 (window closed) also leads to the template message."""
        if last_seen_at is not None and last_seen_at.tzinfo is None:
            last_seen_at = last_seen_at.replace(tzinfo=timezone.utc)
        closed = last_seen_at is not None and datetime.now(timezone.utc) - last_seen_at > WINDOW
        if not closed:
            code = self._post(
                "/cgi-bin/message/custom/send", {"touser": openid, "msgtype": "text", "text": {"content": text}}
            )
            if code == 0:
                return True
            if code != OUT_OF_WINDOW or not self.template_id:
                if code != -1:
                    logger.warning("WeChat customer-service message refused: errcode %s", code)
                return False
        if not self.template_id:
            return False
        body = {
            "touser": openid,
            "template_id": self.template_id,
            "data": {"first": {"value": "工友回访"}, "remark": {"value": text[:200]}},
        }
        code = self._post("/cgi-bin/message/template/send", body)
        if code:
            logger.warning("WeChat template message refused: errcode %s", code)
        return code == 0
