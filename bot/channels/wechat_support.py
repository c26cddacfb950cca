"""What the WeChat channel needs besides Rasa: retry dedupe, the access token, the
customer-service API, and turning WeChat messages into text for the bot.

Redis (REDIS_URL) shares dedupe keys and the token across processes; without it they live in
this process and in a file under var/.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any, Dict, List, Optional, Tuple

import requests

from bot import settings
from bot.cases.numbers import is_case_no

logger = logging.getLogger(__name__)
TIMEOUT = (3.05, 5)
DEDUPE_SECONDS = 300
TOKEN_MARGIN_SECONDS = 300

WELCOME = (
    "您好，这里是工友助手。欠薪、社保、工伤、被辞退、养老金……直接打字告诉我您遇到的事，"
    "比如“老板欠我两个月工资”。发送位置可以找最近的服务站。"
)
TYPE_PLEASE = "抱歉，这类消息我还看不懂，请用文字描述一下您遇到的情况。"
BUSY = "系统有点忙，请稍后再发一次。"
VOICE_UNCLEAR = "抱歉，这条语音没听清，请打字告诉我，或者再说一遍。"


def _redis():
    url = settings.redis_url()
    if not url:
        return None
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


class Dedupe:
    """`claim(key)` is True exactly once per key within the window, however often WeChat retries."""

    def __init__(self) -> None:
        self._redis = _redis()
        self._expires: Dict[str, float] = {}
        self._lock = threading.Lock()

    def claim(self, key: str, seconds: int = DEDUPE_SECONDS) -> bool:
        if self._redis is not None:
            try:
                return bool(self._redis.set(f"gongyou:wechat:{key}", 1, nx=True, ex=seconds))
            except Exception:
                logger.warning("redis unavailable for dedupe; using this process's memory")
        now = time.monotonic()
        with self._lock:
            for old in [k for k, until in self._expires.items() if until < now]:
                del self._expires[old]
            if key in self._expires:
                return False
            self._expires[key] = now + seconds
            return True


class WeChatApi:
    """Access token (cached, shared, refreshed) and the customer-service message API."""

    def __init__(self, appid: str, secret: str, base: str) -> None:
        self.appid, self.secret, self.base = appid, secret, base.rstrip("/")
        self._redis = _redis()
        self._file = settings.wechat_token_file()
        self._lock = threading.Lock()

    def _cached(self) -> Optional[str]:
        try:
            if self._redis is not None:
                raw = self._redis.get(f"gongyou:wechat:token:{self.appid}")
                data = json.loads(raw) if raw else None
            else:
                data = json.loads(self._file.read_text()) if self._file.exists() else None
        except Exception:
            data = None
        if data and data.get("expires_at", 0) - TOKEN_MARGIN_SECONDS > time.time():
            return data["access_token"]
        return None

    def _store(self, token: str, expires_in: int) -> None:
        data = json.dumps({"access_token": token, "expires_at": time.time() + expires_in})
        try:
            if self._redis is not None:
                self._redis.set(f"gongyou:wechat:token:{self.appid}", data, ex=max(expires_in, 60))
                return
        except Exception:
            logger.warning("redis unavailable for the access token; using a file")
        self._file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._file.with_suffix(".tmp")
        tmp.write_text(data)
        tmp.replace(self._file)

    def token(self, refresh: bool = False) -> str:
        with self._lock:
            cached = None if refresh else self._cached()
            if cached:
                return cached
            reply = requests.get(
                f"{self.base}/cgi-bin/token",
                timeout=TIMEOUT,
                params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
            ).json()
            if "access_token" not in reply:
                raise RuntimeError(f"WeChat token refused: {reply.get('errcode')}")
            self._store(reply["access_token"], int(reply.get("expires_in", 7200)))
            return reply["access_token"]

    def send_text(self, openid: str, text: str) -> bool:
        body = json.dumps({"touser": openid, "msgtype": "text", "text": {"content": text}}, ensure_ascii=False)
        for refresh in (False, True):
            try:
                reply = requests.post(
                    f"{self.base}/cgi-bin/message/custom/send",
                    params={"access_token": self.token(refresh)},
                    timeout=TIMEOUT,
                    data=body.encode("utf-8"),
                    headers={"Content-Type": "application/json"},
                ).json()
            except (requests.RequestException, ValueError, RuntimeError) as exc:
                logger.error("customer-service message not sent: %s", exc)
                return False
            code = reply.get("errcode", 0)
            if code == 0:
                return True
            if code not in (40001, 40014, 42001):  # only an expired/invalid token is worth a retry
                logger.error("customer-service message refused: errcode %s", code)
                return False
        return False


def dedupe_key(message: Any) -> str:
    """MsgId for messages; sender + time for events (which have no MsgId)."""
    if getattr(message, "id", None):
        return f"msg:{message.id}"
    created = message.create_time
    return f"evt:{message.source}:{created.timestamp() if hasattr(created, 'timestamp') else created}"


def to_bot(message: Any) -> Tuple[Optional[str], Dict[str, Any], Optional[str]]:
    """(text for the bot, metadata, or a direct answer when the bot has nothing to read)."""
    kind = getattr(message, "type", "")
    if kind == "text":
        return (message.content or "").strip() or None, {}, None if (message.content or "").strip() else TYPE_PLEASE
    if kind == "voice":
        heard = (getattr(message, "recognition", None) or "").strip()
        return (heard, {}, None) if heard else (None, {}, VOICE_UNCLEAR)
    if kind == "location":
        lat, lng = message.location
        return "附近的服务站", {"location": {"latitude": lat, "longitude": lng}, "coordinates": "gcj02"}, None
    if kind == "event":
        event = getattr(message, "event", "")
        if event == "subscribe":
            return None, {}, WELCOME
        if event == "click":
            key = (getattr(message, "key", "") or "").strip()
            return (key, {}, None) if key else (None, {}, WELCOME)
        return None, {}, ""  # other events (unsubscribe, view…) need no answer
    return None, {}, TYPE_PLEASE


def document_link(custom: Any, web_base: str) -> Optional[str]:
    """A finished document as a link to the follow page (issue 17): WeChat shows no card or
    button, so the worker taps the address. It carries the case number only (public, sequential):
    the page asks for the follow code, which never goes into an address WeChat logs or forwards."""
    document = custom.get("document") if isinstance(custom, dict) else None
    case_no = document.get("case_no") if isinstance(document, dict) else None
    if not web_base or not isinstance(case_no, str) or not is_case_no(case_no):
        return None
    return f"{web_base}/follow?case={case_no}"


def render(messages: List[Dict[str, Any]], web_base: str = "") -> str:
    """Bot replies as one WeChat text: buttons become the words to reply with, a document its link."""
    parts: List[str] = []
    for m in messages:
        if m.get("text"):
            parts.append(m["text"])
        buttons = [b.get("title") for b in m.get("buttons") or [] if b.get("title")]
        if buttons:
            parts.append("可以回复：" + " / ".join(buttons))
        link = document_link(m.get("custom"), web_base)
        if link and not any(link in part for part in parts):
            parts.append(f"下载文书：{link} （打开后输入登记编号和查询码）")
    return "\n".join(parts)[:2000]
