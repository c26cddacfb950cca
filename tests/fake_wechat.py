"""A stand-in for WeChat's API servers over real HTTP (token and customer-service endpoints)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class FakeWeChat:
    def __init__(self) -> None:
        self.tokens_issued: list = []
        self.sent: list = []  # (openid, text, access_token)
        self.expired: set = set()  # tokens to refuse once with errcode 42001
        self.out_of_window: set = set()  # openids whose 48-hour window closed: errcode 45015
        self.templates: list = []  # (openid, template_id, data) of template messages
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, data):
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlparse(self.path)
                if url.path == "/cgi-bin/token":
                    token = f"token-{len(fake.tokens_issued) + 1}"
                    fake.tokens_issued.append(token)
                    return self._json({"access_token": token, "expires_in": 7200})
                self._json({"errcode": 404})

            def do_POST(self):
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                token = parse_qs(url.query).get("access_token", [""])[0]
                if url.path == "/cgi-bin/message/custom/send":
                    if token in fake.expired:
                        fake.expired.discard(token)
                        return self._json({"errcode": 42001, "errmsg": "access_token expired"})
                    if payload["touser"] in fake.out_of_window:
                        return self._json({"errcode": 45015, "errmsg": "response out of time limit"})
                    fake.sent.append((payload["touser"], payload["text"]["content"], token))
                    return self._json({"errcode": 0, "errmsg": "ok"})
                if url.path == "/cgi-bin/message/template/send":
                    fake.templates.append((payload["touser"], payload["template_id"], payload["data"]))
                    return self._json({"errcode": 0, "errmsg": "ok", "msgid": len(fake.templates)})
                self._json({"errcode": 404})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def messages_for(self, openid: str) -> list:
        return [text for who, text, _ in self.sent if who == openid]

    def close(self) -> None:
        self._server.shutdown()
