"""Rasa's REST channel, hardened: malformed or empty input gets a polite Chinese answer.

Same address and format as Rasa's own (`/webhooks/rest/webhook`, `{"sender", "message",
"metadata"}` in, a list of `{"text": ...}` out), so clients of the stock channel work unchanged.

A REST client names its conversation freely, so it must not reach another channel's: its sender
id lives under `rest-` (`worker-5` is the conversation `rest-worker-5`; a sender already starting
with `rest-` is kept), `input_channel` is always `rest`, metadata is limited to what the web chat
may send (a shared position), and a body over MAX_BODY_BYTES is refused politely.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.metadata import allowed_metadata
from bot.followups.chat import before_reply
from bot.privacy import install_log_masking
from bot.text.cleaning import WHOLE_MESSAGE_CHARS, clean_for_parse

logger = logging.getLogger(__name__)

# What the tracker keeps of one message; the NLU reads fewer still (bot/text/cleaning.py).
MAX_MESSAGE_CHARS = WHOLE_MESSAGE_CHARS
MAX_SENDER_CHARS = 128
MAX_MESSAGE_ID_CHARS = 64
# What nginx lets through in production (bot/runtime/nginx.py): a long paste is still cut with a
# note rather than refused, but a client cannot make Rasa parse megabytes of JSON.
MAX_BODY_BYTES = 1024 * 1024
SENDER_PREFIX = "rest-"

MALFORMED = "抱歉，消息格式不对，请重新发送。"
EMPTY = "您好像还没有输入内容。请说说遇到了什么事，比如“老板欠我两个月工资”。"
TOO_LONG = f"您的消息很长，我先看前{MAX_MESSAGE_CHARS}个字。"
BUSY = "系统有点忙，请稍后再发一次。您刚才说的话不会丢。"
TOO_LARGE = f"抱歉，这条消息太大了，请分几次发送，每次不超过{MAX_MESSAGE_CHARS}个字。"


def _polite(text: str, status: int) -> HTTPResponse:
    return response.json([{"recipient_id": None, "text": text}], status=status)


def conversation_id(sender: str) -> str:
    """The tracker's sender id for a REST client's `sender`."""
    return sender if sender.startswith(SENDER_PREFIX) else SENDER_PREFIX + sender


def parse_body(request: Request) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    """(fields, None) for a usable request, else (None, reason)."""
    try:
        body = request.json
    except Exception:
        return None, "not JSON"
    if not isinstance(body, dict):
        return None, "not an object"
    sender = body.get("sender")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return None, "bad sender"
    message = body.get("message", "")
    if message is None:
        message = ""
    if not isinstance(message, str):
        return None, "bad message"
    metadata = allowed_metadata(body.get("metadata"), kiosk=False)
    # A client's own id for the message, sent again unchanged when it retries: the intake then
    # opens one case even if the retry lands on another Rasa replica (the idempotency key).
    message_id = body.get("message_id")
    if not isinstance(message_id, str) or not message_id.strip() or len(message_id) > MAX_MESSAGE_ID_CHARS:
        message_id = None
    return {
        "sender": conversation_id(sender.strip()),
        "message": message,
        "metadata": metadata,
        "message_id": message_id,
    }, None


class GongYouRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        install_log_masking()
        webhook = Blueprint("gongyou_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_BODY_BYTES:
                logger.info("rest: refused a request of %d bytes", len(request.body))
                return _polite(TOO_LARGE, 413)
            fields, problem = parse_body(request)
            if fields is None:
                logger.info("rest: refused a request (%s)", problem)
                return _polite(MALFORMED, 400)
            text = fields["message"].strip()
            if not clean_for_parse(text[:MAX_MESSAGE_CHARS]):
                # Nothing said, nothing recorded: the conversation stays as it was.
                return response.json([{"recipient_id": fields["sender"], "text": EMPTY}])
            notes: List[Dict[str, Any]] = []
            if len(text) > MAX_MESSAGE_CHARS:
                text = text[:MAX_MESSAGE_CHARS]
                notes.append({"recipient_id": fields["sender"], "text": TOO_LONG})
            # A due follow-up question opens the reply; an answer to one is taken here (contract §6).
            handled, followups = await before_reply(fields["sender"], text)
            asked = [{"recipient_id": fields["sender"], "text": t} for t in followups]
            if handled:
                return response.json(notes + asked)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        fields["sender"],
                        input_channel=self.name(),
                        metadata=fields["metadata"],
                        message_id=fields["message_id"],
                    )
                )
            except Exception:
                logger.exception("rest: a message could not be handled")
                return _polite(BUSY, 503)
            return response.json(notes + asked + collector.messages)

        return webhook
