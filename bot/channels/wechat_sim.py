"""Play a WeChat user against a running GongYou: signed (optionally encrypted) XML in, reply out.

.venv/bin/python -m bot.channels.wechat_sim --token T [--aes-key K --appid A] [--openid o1] 老板欠我工资
.venv/bin/python -m bot.channels.wechat_sim --token T          # interactive: one line, one message
"""

from __future__ import annotations

import argparse
import hashlib
import random
import string
import time
from typing import Dict, Optional, Tuple

import requests

DEFAULT_URL = "http://localhost:5005/webhooks/wechat/webhook"


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def message_xml(
    openid: str,
    kind: str = "text",
    content: str = "",
    msg_id: Optional[int] = None,
    create_time: Optional[int] = None,
    **extra: str,
) -> str:
    create_time = create_time or int(time.time())
    fields = {"ToUserName": "gh_gongyou", "FromUserName": openid, "CreateTime": str(create_time), "MsgType": kind}
    if kind == "text":
        fields["Content"] = content
    fields.update(extra)
    if msg_id is not None:
        fields["MsgId"] = str(msg_id)
    body = "".join(
        f"<{k}><![CDATA[{v}]]></{k}>" if k not in ("CreateTime", "MsgId") else f"<{k}>{v}</{k}>"
        for k, v in fields.items()
    )
    return f"<xml>{body}</xml>"


class Simulator:
    def __init__(self, token: str, url: str = DEFAULT_URL, aes_key: str = "", appid: str = "") -> None:
        self.token, self.url = token, url
        self.crypto = None
        if aes_key and appid:
            from wechatpy.crypto import WeChatCrypto

            self.crypto = WeChatCrypto(token, aes_key, appid)

    def signed(self, xml: str, timestamp: Optional[int] = None, forge: bool = False) -> Tuple[Dict[str, str], bytes]:
        stamp = str(timestamp or int(time.time()))
        nonce = "".join(random.choices(string.digits, k=10))
        params = {
            "timestamp": stamp,
            "nonce": nonce,
            "signature": "0" * 40 if forge else sign(self.token, stamp, nonce),
        }
        if self.crypto is not None:
            encrypted = self.crypto.encrypt_message(xml, nonce, stamp)
            from xml.etree import ElementTree

            tree = ElementTree.fromstring(encrypted)
            params.update(encrypt_type="aes", msg_signature=tree.findtext("MsgSignature", ""))
            if forge:
                params["msg_signature"] = "0" * 40
            return params, encrypted.encode("utf-8")
        return params, xml.encode("utf-8")

    def post(self, xml: str, timeout: float = 15, **kwargs) -> requests.Response:
        params, body = self.signed(xml, **kwargs)
        return requests.post(self.url, params=params, data=body, timeout=timeout, headers={"Content-Type": "text/xml"})

    def reply_text(self, reply: requests.Response) -> str:
        """The text of a passive reply ('' for `success`)."""
        body = reply.text
        if body in ("success", ""):
            return ""
        if self.crypto is not None:
            from xml.etree import ElementTree

            tree = ElementTree.fromstring(body)
            body = self.crypto.decrypt_message(
                body, tree.findtext("MsgSignature"), tree.findtext("TimeStamp"), tree.findtext("Nonce")
            )
        from wechatpy import parse_message  # a reply parses like a message

        parsed = parse_message(body)
        return getattr(parsed, "content", "") or ""

    def say(self, openid: str, text: str) -> str:
        msg_id = random.randint(10**15, 10**16)
        return self.reply_text(self.post(message_xml(openid, "text", text, msg_id)))


def simulator_parser(description: str) -> argparse.ArgumentParser:
    """Where GongYou's WeChat webhook is and how to sign for it (shared with bench/wechat.py)."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--token", required=True)
    parser.add_argument("--aes-key", default="")
    parser.add_argument("--appid", default="")
    return parser


def simulator_from(args: argparse.Namespace) -> Simulator:
    return Simulator(args.token, args.url, args.aes_key, args.appid)


def main() -> None:
    parser = simulator_parser(__doc__)
    parser.add_argument("--openid", default="o_simulated_user")
    parser.add_argument("text", nargs="*")
    args = parser.parse_args()
    sim = simulator_from(args)
    lines = [" ".join(args.text)] if args.text else iter(lambda: input("你> "), "")
    for line in lines:
        print("工友>", sim.say(args.openid, line) or "(稍后通过客服消息回复)")


if __name__ == "__main__":
    main()
