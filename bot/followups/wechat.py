"""Follow-ups through WeChat: a customer-service message while the 48-hour window after the
worker's last message is open, else a template (subscription) message.

WeChat itself says whether the window is open: a customer-service message outside it is refused
with errcode 45015, and then the template message goes. Every call has a timeout; with
WECHAT_OFFLINE=1 (or no appid/secret) nothing is called and the follow-up waits for the next run.
"""

from __future__ import annotations

import json
import logging
from typing import Optional

import requests

from bot import settings
from bot.channels.wechat_support import TIMEOUT, WeChatApi

logger = logging.getLogger(__name__)

OUT_OF_WINDOW = 45015
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

    def send(self, openid: str, text: str) -> bool:
        code = self._post(
            "/cgi-bin/message/custom/send", {"touser": openid, "msgtype": "text", "text": {"content": text}}
        )
        if code == 0:
            return True
        if code != OUT_OF_WINDOW or not self.template_id:
            if code != -1:
                logger.warning("WeChat customer-service message refused: errcode %s", code)
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
