"""Calls to the action server (and Rasa's other HTTP endpoints) on kept connections, with the
request body written by orjson (Rasa 3.6).

`EndpointConfig.request` opens a new aiohttp `ClientSession` for every call, so every action
call (several per turn) opened a new TCP connection to the action server and closed it again,
and wrote its body (the whole tracker and the domain) with the standard library's `json.dumps`:
the body's encoding alone took about 4 ms of the Rasa process per call twenty turns into the
whole-case conversation (cProfile, bench/turns.py), growing with the conversation.

Here `EndpointConfig.session` gives the same session (the endpoint's headers, authentication and
Rasa's timeout) on a connection pool kept per event loop (the session does not own it, so its
closing leaves the connections open for the next call), with orjson as its JSON writer: the same
JSON values, compact UTF-8 (the action server parses it; nothing compares the text). NumPy's
floats (the classifier's confidences in the latest message, a float subclass `json` writes as a
float) are written as floats: without that, orjson refused every tracker and each body went to the
standard library after all. What orjson does not take (integers beyond 64 bits, for instance) goes
to the standard library. Kept
connections are dropped after KEEPALIVE_S idle, under Sanic's own 5 s, so that Rasa never sends
on a connection the action server is closing.
"""

from __future__ import annotations

import asyncio
import json
import weakref
from typing import Any, Dict

import orjson

_ORIGINAL: Dict[str, Any] = {}
KEEPALIVE_S = 4.0
_CONNECTORS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any]" = weakref.WeakKeyDictionary()


def dumps(obj: Any) -> str:
    try:
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY).decode()
    except TypeError:
        return json.dumps(obj)


def connector() -> Any:
    """The connection pool of the running event loop."""
    import aiohttp

    loop = asyncio.get_running_loop()
    kept = _CONNECTORS.get(loop)
    if kept is None or kept.closed:
        kept = _CONNECTORS[loop] = aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S)
    return kept


def session(self: Any) -> Any:
    """Rasa's `EndpointConfig.session`, on the kept connections and with orjson."""
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    auth = None
    if self.basic_auth:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=self.headers,
        auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        connector=connector(),
        connector_owner=False,
        json_serialize=dumps,
    )


def install() -> None:
    from rasa.utils.endpoints import EndpointConfig

    _ORIGINAL.setdefault("session", EndpointConfig.session)
    EndpointConfig.session = session


def installed() -> bool:
    from rasa.utils.endpoints import EndpointConfig

    return EndpointConfig.session is session
