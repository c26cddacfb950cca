"""The ways a follow-up reaches a worker, behind one interface (`Channel.send`).

- web: the REST and web chat conversations. Nothing leaves the server: the row waits in the
  database and the worker reads it at the start of the reply to their next message
  (bot/followups/service.py, `turn`).
- wechat: WeChat's own messaging (bot/followups/wechat.py).
- sms: a provider by configuration (bot/followups/sms.py).
- call: nothing automatic reaches this worker; the row is on the console's call list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Dict, Optional, Protocol

from bot import settings
from bot.followups import sms
from bot.followups.wechat import WeChatFollowups

WEB, WECHAT, SMS, CALL = "web", "wechat", "sms", "call"
# Conversations of these channels read their follow-ups inside the chat.
CHAT_PREFIXES = ("rest-", "web-")
HOTLINE = "hotline:"  # drafts saved from the console (bot/console/drafts.py): no conversation


@dataclass(frozen=True)
class Recipient:
    sender_id: Optional[str]
    phone: Optional[str]
    last_seen_at: Optional[datetime] = None  # the worker's last chat message, when known


class Channel(Protocol):
    name: str

    def send(self, to: Recipient, text: str) -> bool: ...


class WebInbox:
    name = WEB

    def send(self, to: Recipient, text: str) -> bool:
        return bool(to.sender_id)


class CallList:
    name = CALL

    def send(self, to: Recipient, text: str) -> bool:
        return True


class SmsChannel:
    name = SMS

    def __init__(self, provider: sms.SmsProvider) -> None:
        self.provider = provider

    def send(self, to: Recipient, text: str) -> bool:
        return bool(to.phone) and self.provider.send(to.phone or "", text)


class WeChatChannel:
    name = WECHAT

    def __init__(self, client: Optional[WeChatFollowups]) -> None:
        self.client = client

    def send(self, to: Recipient, text: str) -> bool:
        # Offline or not configured: not sent, so the follow-up stays due for a later run.
        if self.client is None or not to.sender_id:
            return False
        return self.client.send(to.sender_id, text, to.last_seen_at)


class Channels:
    """Which channel reaches a worker, and the channels themselves (configured once per process)."""

    def __init__(self, by_name: Optional[Dict[str, Channel]] = None) -> None:
        if by_name is None:
            provider = sms.configured()
            by_name = {WEB: WebInbox(), CALL: CallList()}
            if settings.wechat_api()[0]:
                # Offline: the channel exists but sends nothing, so WeChat users' follow-ups wait.
                by_name[WECHAT] = WeChatChannel(WeChatFollowups.configured())
            if provider is not None:
                by_name[SMS] = SmsChannel(provider)
        self.by_name = by_name

    def pick(self, to: Recipient) -> Channel:
        """The chat the worker used; else SMS when configured and a phone was left; else a call."""
        sender = to.sender_id or ""
        if sender.startswith(CHAT_PREFIXES):
            return self.by_name[WEB]
        if sender and not sender.startswith(HOTLINE) and WECHAT in self.by_name:
            return self.by_name[WECHAT]
        if to.phone and SMS in self.by_name:
            return self.by_name[SMS]
        return self.by_name[CALL]
