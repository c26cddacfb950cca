"""Who may try a worker's case number + follow code, and how often (issue 13, item 4).

Every path that takes a follow code (the follow page's `/api/follow` and its erase, the bot's
`/api/cases/lookup` and erase for the chat's "查进度") goes through one Guard per web process,
so the limits below hold across paths: per case number whoever asks, and per client (the
browser's address, or the chat's conversation when the bot asks for it).

A try counts as failed the moment it starts (before any await), so a burst of parallel requests
cannot all slip under the limit; a right answer takes its own try back.

With CASE_TRIES wrong tries per case in WINDOW seconds, one case gets at most
CASE_TRIES * 86400 / WINDOW = 960 guesses a day: far from 10,000, and the code has 31**8 values.
The counts live in the process's memory: with N web processes behind one entry point an attacker
gets at most N × 960, so keep N below 10 (production runs 1), or share the counts (Redis)
before running more.
"""

from __future__ import annotations

import ipaddress
from typing import List, Optional

from sanic.request import Request

from bot import hotlines, settings
from bot.throttle import Throttle

CASE_TRIES = 10  # wrong tries per case number …
CLIENT_TRIES = 30  # … and per client (a station's kiosks share one address) …
WINDOW = 15 * 60  # … in this many seconds
TOO_MANY = f"试的次数太多了，请过一会儿再查，或打{hotlines.RENSHE}询问。"


def trusted_proxies() -> List[ipaddress._BaseNetwork]:
    """GONGYOU_TRUSTED_PROXIES: addresses or networks whose forwarding headers are believed
    (default: the loopback nginx in front of the web side). Everything else is the client itself."""
    nets: List[ipaddress._BaseNetwork] = []
    for part in settings.trusted_proxies().split(","):
        part = part.strip()
        if part:
            try:
                nets.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                continue
    return nets


def _address(text: str) -> Optional[str]:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: Request, proxies: List[ipaddress._BaseNetwork]) -> str:
    """The socket's peer, or, when that peer is a trusted proxy, the address the proxy saw: the
    last X-Forwarded-For hop (the one the proxy appended itself; earlier hops are the client's
    word), else X-Real-IP (which our nginx sets, overwriting the client's)."""
    peer = _address(request.conn_info.client_ip if request.conn_info else "") or ""
    try:
        trusted = bool(peer) and any(ipaddress.ip_address(peer) in net for net in proxies)
    except ValueError:
        trusted = False
    if trusted:
        hops = [h for h in ",".join(request.headers.getall("x-forwarded-for", [])).split(",") if h.strip()]
        forwarded = (_address(hops[-1]) if hops else None) or _address(request.headers.get("x-real-ip", ""))
        if forwarded:
            return forwarded
    return peer


class Guard:
    def __init__(self, throttle: Optional[Throttle] = None) -> None:
        self.throttle = throttle or Throttle({"case": CASE_TRIES, "client": CLIENT_TRIES}, WINDOW)
        self.proxies = trusted_proxies()

    def address(self, request: Request) -> str:
        return "ip:" + client_address(request, self.proxies)

    def begin(self, case_no: str, client: str) -> Optional[int]:
        """None when this try may go ahead (and is counted as failed until `succeeded`), else
        the seconds to wait. Synchronous: call it before the handler's first await."""
        return self.throttle.attempt(case=case_no[:32], client=client[:160])

    def succeeded(self, case_no: str, client: str) -> None:
        self.throttle.undo(case=case_no[:32], client=client[:160])
