"""The worker chat page's channel: Rasa's socket.io channel, made safe for the open web.

Changes from Rasa's own `SocketIOInput`:
- A conversation is a session id the browser keeps (32 hex characters, made by us when absent),
  so a reload or a reconnect continues the same conversation. The sender id is `web-<session>`:
  a page cannot choose another channel's sender (a WeChat OpenID, a REST sender) and read it.
- Input is checked as on the REST channel: malformed events are answered politely, an empty
  message changes nothing, a long paste is cut with a note.
- Custom payloads (station cards, the case card) arrive as `{"custom": ...}` events (Rasa's
  own output passes them as keyword arguments to `emit`, which breaks on our payloads).
- After every answer the page gets `bot_done`, which ends its typing indicator.
- Metadata is limited to what the page may send: a shared position and the kiosk's station.
- A socket opened by a page of another site is refused. Browsers apply CORS (Rasa's --cors) to
  socket.io's polling requests but not to a WebSocket, so the connection checks the page's Origin
  itself against GONGYOU_ALLOWED_ORIGINS (set by the launcher and the production command), else
  GONGYOU_PUBLIC_ORIGIN; with neither set (a bare `rasa run`) any origin may connect.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot import settings
from bot.channels.metadata import allowed_metadata
from bot.channels.rest import BUSY, EMPTY, MALFORMED, MAX_MESSAGE_CHARS, TOO_LONG
from bot.followups.chat import before_reply
from bot.privacy import install_log_masking
from bot.text.cleaning import clean_for_parse

logger = logging.getLogger(__name__)

SESSION = re.compile(r"^[0-9a-f]{32}$")
SENDER_PREFIX = "web-"
DONE_EVENT = "bot_done"


def sender_for(session_id: str) -> str:
    return SENDER_PREFIX + session_id


class WebChatOutput(SocketIOOutput):
    @classmethod
    def name(cls) -> Text:
        return "socketio"

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class WebChatInput(SocketIOInput):
    """Configured in credentials.yml like Rasa's `socketio` channel; session persistence is always on."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def get_output_channel(self) -> Optional[WebChatOutput]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        install_log_masking()
        # CORS is left to Rasa's own --cors setting (an empty list turns engine.io's check off).
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[], max_http_buffer_size=256 * 1024)
        webhook = SocketBlueprint(sio, self.socketio_path, "gongyou_webchat", __name__)
        self.sio = sio
        ns = self.namespace

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def say(sid: str, text: str) -> None:
            await sio.emit(self.bot_message_evt, {"text": text}, room=sid, namespace=ns)

        origins = settings.allowed_origins()

        @sio.on("connect", namespace=ns)
        async def connect(sid: Text, environ: Dict[str, Any], auth: Any = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if origins and origin and origin.rstrip("/") not in origins:
                logger.info("webchat: refused a socket from another site")
                return False
            return True

        @sio.on("session_request", namespace=ns)
        async def session_request(sid: Text, data: Any) -> None:
            wanted = data.get("session_id") if isinstance(data, dict) else None
            session_id = wanted if isinstance(wanted, str) and SESSION.match(wanted) else uuid.uuid4().hex
            # python-socketio 5.9: enter_room is synchronous (research.md, RasaHQ/rasa#13027).
            sio.enter_room(sid, sender_for(session_id), namespace=ns)
            await sio.emit("session_confirm", session_id, room=sid, namespace=ns)

        @sio.on(self.user_message_evt, namespace=ns)
        async def handle_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict):
                await say(sid, MALFORMED)
                return
            session_id, text = data.get("session_id"), data.get("message")
            if not isinstance(session_id, str) or not SESSION.match(session_id) or not isinstance(text, str):
                await say(sid, MALFORMED)
                await sio.emit(DONE_EVENT, {}, room=sid, namespace=ns)
                return
            sender = sender_for(session_id)
            # A reconnect can bring a new socket: make sure it hears this conversation's answers.
            sio.enter_room(sid, sender, namespace=ns)
            text = text.strip()
            output = WebChatOutput(sio, self.bot_message_evt)
            try:
                if not clean_for_parse(text[:MAX_MESSAGE_CHARS]):
                    await output.send_text_message(sender, EMPTY)
                    return
                if len(text) > MAX_MESSAGE_CHARS:
                    text = text[:MAX_MESSAGE_CHARS]
                    await output.send_text_message(sender, TOO_LONG)
                # Due follow-ups open the reply; an answer to one is taken here (contract §6).
                handled, followups = await before_reply(sender, text)
                for question in followups:
                    await output.send_text_message(sender, question)
                if handled:
                    return
                await on_new_message(
                    UserMessage(
                        text,
                        output,
                        sender,
                        input_channel=self.name(),
                        metadata=allowed_metadata(data.get(self.metadata_key)),
                    )
                )
            except Exception:
                logger.exception("webchat: a message could not be handled")
                await output.send_text_message(sender, BUSY)
            finally:
                await sio.emit(DONE_EVENT, {}, room=sender, namespace=ns)

        return webhook
