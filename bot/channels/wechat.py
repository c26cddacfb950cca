"""WeChat Official Account channel at /webhooks/wechat/webhook (contract §3).

Every request is signature-checked (403 when forged or stale); plaintext and safe (AES) modes,
and once AES is configured a plaintext request is refused (no downgrade by leaving out
`encrypt_type=aes`). A signed request is accepted once: its nonce is remembered for the 5 minutes
its timestamp stays fresh, so a captured request cannot be replayed. WeChat's retries are processed
once (by MsgId, or sender + time for events), and the message reaches Rasa with the id
`wx-<MsgId>`, so a retried confirmation never opens a second case (the intake's idempotency key).
The sender id is the OpenID, so a conversation continues. A reply ready within WECHAT_REPLY_DEADLINE seconds
(4 by default, under WeChat's 5) goes back passively; a slower one is answered `success` and
delivered through the customer-service message API.

Configured by environment: WECHAT_TOKEN (required; without it the channel answers 404),
WECHAT_AES_KEY + WECHAT_APPID (safe mode), WECHAT_SECRET (customer-service API),
WECHAT_API_BASE (default https://api.weixin.qq.com), REDIS_URL (shared dedupe and token).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings
from bot.channels.wechat_support import BUSY, Dedupe, WeChatApi, dedupe_key, render, to_bot
from bot.followups.chat import before_reply
from bot.privacy import install_log_masking

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
MAX_CLOCK_SKEW = 300
SUCCESS = "success"


def web_base(request: Request) -> str:
    """Where workers open the web pages: GONGYOU_PUBLIC_URL, else the address WeChat posted to
    (in production one entry point, nginx, serves the webhook and the pages alike)."""
    return settings.public_url() or f"{request.scheme}://{request.host}"


class WeChatInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WeChatInput":
        return cls(credentials or {})

    def __init__(self, credentials: Dict[Text, Any]) -> None:
        env = os.environ
        self.token = env.get("WECHAT_TOKEN") or credentials.get("token") or ""
        self.aes_key = env.get("WECHAT_AES_KEY") or credentials.get("aes_key") or ""
        self.appid = env.get("WECHAT_APPID") or credentials.get("appid") or ""
        self.secret = env.get("WECHAT_SECRET") or credentials.get("secret") or ""
        self.deadline = float(env.get("WECHAT_REPLY_DEADLINE", credentials.get("reply_deadline", 4.0)))
        self.api = WeChatApi(self.appid, self.secret, env.get("WECHAT_API_BASE", "https://api.weixin.qq.com"))
        self.dedupe = Dedupe()
        self.crypto = None
        if self.token and self.aes_key and self.appid:
            from wechatpy.crypto import WeChatCrypto

            self.crypto = WeChatCrypto(self.token, self.aes_key, self.appid)
        self._background: set = set()

    # -- checks ----------------------------------------------------------------------------
    def _fresh(self, timestamp: str) -> bool:
        try:
            return abs(time.time() - int(timestamp)) <= MAX_CLOCK_SKEW
        except (TypeError, ValueError):
            return False

    def _signed(self, args: Any) -> bool:
        from wechatpy.exceptions import InvalidSignatureException
        from wechatpy.utils import check_signature

        try:
            check_signature(self.token, args.get("signature", ""), args.get("timestamp", ""), args.get("nonce", ""))
            return True
        except InvalidSignatureException:
            return False

    # -- the webhook -----------------------------------------------------------------------
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        install_log_masking()
        webhook = Blueprint("gongyou_wechat_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.token else "not configured"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.token:
                return response.text("not configured", status=404)
            if not self._signed(request.args) or not self._fresh(request.args.get("timestamp")):
                return response.text("forbidden", status=403)
            return response.text(request.args.get("echostr", ""))

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.token:
                return response.text("not configured", status=404)
            args = request.args
            if not self._fresh(args.get("timestamp")):
                return response.text("forbidden", status=403)  # replayed or clock far off
            if len(request.body or b"") > MAX_BODY:
                return response.text("too large", status=413)
            message, problem = self._read(request)
            if problem:
                return response.text(problem[1], status=problem[0])
            # Only now, the signature being genuine: a forger cannot use up real nonces.
            # A timestamp stays fresh from 5 minutes before to 5 minutes after its time: 10 minutes.
            if not self.dedupe.claim(f"nonce:{args.get('timestamp')}:{args.get('nonce')}", 2 * MAX_CLOCK_SKEW):
                logger.info("wechat: refused a replayed request")
                return response.text("forbidden", status=403)
            if not self.dedupe.claim(dedupe_key(message)):
                return response.text(SUCCESS)  # a retry of a message already being handled
            text, metadata, direct = to_bot(message)
            if text is None:
                return self._reply(message, direct, args) if direct else response.text(SUCCESS)
            return await self._answer(on_new_message, message, text, metadata, args, web_base(request))

        return webhook

    def _read(self, request: Request):
        """(message, None) or (None, (status, reason))."""
        from wechatpy import parse_message
        from wechatpy.exceptions import InvalidSignatureException

        body = (request.body or b"").decode("utf-8", errors="replace")
        args = request.args
        if self.crypto is not None and args.get("encrypt_type") != "aes":
            return None, (403, "forbidden")  # safe mode configured: plaintext would be a downgrade
        if self.crypto is not None:
            try:
                body = self.crypto.decrypt_message(
                    body, args.get("msg_signature", ""), args.get("timestamp", ""), args.get("nonce", "")
                )
            except InvalidSignatureException:
                return None, (403, "forbidden")
            except Exception:
                return None, (400, "bad request")
        elif not self._signed(args):
            return None, (403, "forbidden")
        try:
            message = parse_message(body)
        except Exception:
            return None, (400, "bad request")
        if message is None or not getattr(message, "source", None):
            return None, (400, "bad request")
        return message, None

    def _reply(self, message: Any, text: str, args: Any) -> HTTPResponse:
        from wechatpy.replies import TextReply

        xml = TextReply(content=text, message=message).render()
        if self.crypto is not None and args.get("encrypt_type") == "aes":
            xml = self.crypto.encrypt_message(xml, args.get("nonce", ""), args.get("timestamp"))
        return response.text(xml, content_type="application/xml")

    async def _answer(
        self, on_new_message, message: Any, text: str, metadata: Dict[str, Any], args: Any, base: str
    ) -> HTTPResponse:
        # An answer to a return visit (WeChat sent the question) is taken here (contract §6).
        handled, followups = await before_reply(message.source, text[:2000])
        if handled:
            return self._reply(message, "\n\n".join(followups), args)
        collector = CollectingOutputChannel()
        collector.messages.extend({"recipient_id": message.source, "text": t} for t in followups)
        task = asyncio.ensure_future(
            on_new_message(
                UserMessage(
                    text[:2000],
                    collector,
                    message.source,
                    input_channel=self.name(),
                    metadata=metadata or None,
                    message_id=f"wx-{message.id}" if getattr(message, "id", None) else None,
                )
            )
        )
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=self.deadline)
        except asyncio.TimeoutError:
            # Too slow for a passive reply: say `success` now, send the answer when it is ready.
            follow_up = asyncio.ensure_future(self._deliver_later(task, collector, message.source, base))
            self._background.add(follow_up)
            follow_up.add_done_callback(self._background.discard)
            return response.text(SUCCESS)
        except Exception:
            logger.exception("wechat: a message could not be handled")
            return self._reply(message, BUSY, args)
        reply = render(collector.messages, base)
        return self._reply(message, reply, args) if reply else response.text(SUCCESS)

    async def _deliver_later(
        self, task: "asyncio.Future", collector: CollectingOutputChannel, openid: str, base: str
    ) -> None:
        try:
            await task
        except Exception:
            logger.exception("wechat: a slow message failed")
            collector.messages.append({"text": BUSY})
        reply = render(collector.messages, base)
        if reply:
            await asyncio.get_running_loop().run_in_executor(None, self.api.send_text, openid, reply)
