"""GongYou's rasa-sdk actions run inside the Rasa process when the action endpoint's url is
`local` (ACTION_SERVER_URL=local: the embedded stack's default, bot/runtime/launcher.py), as
CASES_API_URL=local runs the case service in-process (bot/followups/chat.py).

Over HTTP every action cost Rasa a JSON body of the whole tracker and the domain, a request on
the loopback, and the action server (another ~400 MB process) the parse, a rasa_sdk Tracker and
the reply; under load about 3 ms of the action server's CPU per turn besides Rasa's share.

Here `EndpointConfig.request` of an endpoint whose url is `local` hands the call to the same
rasa_sdk `ActionExecutor` the action server runs (the `actions` package registered the same
way), and answers as the action server would, so that everything Rasa does before and after
(RemoteAction's reply validation, responses, events, its error handling) is Rasa's own code
unchanged:
- the reply is what the action server's JSON would have carried (written as Sanic writes it,
  read as aiohttp reads it: small, and the same values even for what JSON changes, a tuple);
- a rejection (rasa_sdk's ActionExecutionRejection) is a 400 with the action server's body, an
  unknown action a 404, any other exception a 500: Rasa turns them into the same exceptions.
  The 500's body leaves out the request (the action server's echoes the whole tracker, which
  Rasa then logs: personal data);
- the sdk gets its own copy of the call, so that no action can change Rasa's tracker, its
  events' dicts or the slot values they share with the tracker, and what it sees is what JSON
  would have given it. One orjson pass (1.2 ms for the 200 events and the domain of a 20-turn
  case, mostly building the new dicts) is the cheapest copy measured: a hand-written one 1.6 ms,
  `copy.deepcopy` 6.4 ms, the standard library's JSON 4.2 ms. NumPy's floats (the classifier's
  confidences) are written as `json` writes them; without that option orjson refused every call;
- async actions run on Rasa's event loop, as they ran on the action server's; sync ones (a
  `def run` that calls `requests`) in a thread pool of their own, so that one worker's slow call
  does not stop every other conversation (the action server's loop would have stopped, but only
  for other actions).

Production keeps its action servers (endpoints.production.yml, deploy/): any other url goes to
Rasa's own request.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List, Optional

import orjson

logger = logging.getLogger(__name__)

LOCAL = "local"
PACKAGE = "actions"
SYNC_THREADS = 16

_ORIGINAL: Dict[str, Any] = {}
_executor: Any = None
_executor_lock = threading.Lock()
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
_sync_pool = ThreadPoolExecutor(max_workers=SYNC_THREADS, thread_name_prefix="actions-sync")


def is_local(url: Optional[str]) -> bool:
    return (url or "").strip().lower() == LOCAL


def _off_the_loop(run: Callable) -> Callable:
    @functools.wraps(run)
    async def in_a_thread(dispatcher: Any, tracker: Any, domain: Any) -> Any:
        result = await asyncio.get_running_loop().run_in_executor(_sync_pool, run, dispatcher, tracker, domain)
        # A sync `run` may still hand back a coroutine; rasa_sdk awaits it.
        return await result if inspect.isawaitable(result) else result

    return in_a_thread


def _make_executor() -> Any:
    from rasa_sdk.executor import ActionExecutor

    class InProcessExecutor(ActionExecutor):
        def register_function(self, name: str, f: Callable) -> None:
            super().register_function(name, f)
            if not inspect.iscoroutinefunction(f):
                self.actions[name] = _off_the_loop(f)

    executor = InProcessExecutor()
    executor.register_package(PACKAGE)
    return executor


def executor() -> Any:
    """The action executor of this process, with the `actions` package registered (once)."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = _make_executor()
        return _executor


def _copied(body: Any) -> Any:
    try:
        # NumPy: the classifier's confidences are numpy.float64 (a float, as `json` writes it)
        return orjson.loads(orjson.dumps(body, option=_ORJSON_OPTIONS))
    except TypeError:  # what orjson does not take (integers beyond 64 bits) goes to the standard library
        return json.loads(json.dumps(body))


# The domain's JSON, written once per domain: (the domain's dict, its text). Rasa sends the same
# dict with every call (Domain.as_dict() is the loaded domain's own data, never changed after
# loading); writing it again was 0.35 of the copy's 1.3 ms a call (bench/turns.py, whole case).
_domain_text: List[Any] = [None, b""]
# Copies of it that no call holds, each given back by a call that left it as it got it: reading
# the text again was still 8% of a Rasa worker's time under `make bench-load` (py-spy), writing
# a copy to compare is a quarter of that. A call never shares a copy with another call.
_spare: List[Any] = []
SPARE = 32


def _domain_copy(domain: Any) -> Any:
    if _domain_text[0] is not domain:
        try:
            text = orjson.dumps(domain, option=_ORJSON_OPTIONS)
        except TypeError:
            return _copied(domain)
        _domain_text[:] = [domain, text]
        _spare.clear()
    return _spare.pop() if _spare else orjson.loads(_domain_text[1])


def _give_back(call: Any) -> None:
    """The call's domain goes back for the next call if it is still, to the byte, what the
    domain's JSON says; one an action changed (or could not be written) is dropped."""
    copy = call.get("domain") if isinstance(call, dict) else None
    if copy is None or len(_spare) >= SPARE:
        return
    try:
        if orjson.dumps(copy, option=_ORJSON_OPTIONS) == _domain_text[1]:
            _spare.append(copy)
    except TypeError:
        pass


def isolated(body: Any) -> Any:
    """A copy of the call that shares nothing with Rasa's objects, as the action server parses it."""
    if not isinstance(body, dict) or not isinstance(body.get("domain"), dict):
        return _copied(body)
    call = _copied({k: v for k, v in body.items() if k != "domain"})
    call["domain"] = _domain_copy(body["domain"])
    return call


def _as_sent(reply: Any) -> Any:
    """The reply as Rasa reads the action server's: written by Sanic's JSON, read by `json.loads`."""
    from sanic.response import json_dumps

    return json.loads(json_dumps(reply))


def _error(status: int, reason: str, body: Dict[str, Any]) -> Exception:
    from rasa.utils.endpoints import ClientResponseError

    # aiohttp hands Rasa the body as bytes
    return ClientResponseError(status, reason, json.dumps(body).encode())


async def webhook(action_call: Any, timeout: Optional[float] = None) -> Any:
    """The action server's POST /webhook, in this process."""
    from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

    if action_call is None:
        raise _error(400, "Bad Request", {"error": "Invalid body request"})
    call = isolated(action_call)
    try:
        result = await asyncio.wait_for(executor().run(call), timeout)
        return _as_sent(result)
    except ActionExecutionRejection as e:
        logger.debug(e)
        raise _error(400, "Bad Request", {"error": e.message, "action_name": e.action_name}) from None
    except ActionNotFoundException as e:
        logger.error(e)
        raise _error(404, "Not Found", {"error": e.message, "action_name": e.action_name}) from None
    except asyncio.TimeoutError:
        raise  # what aiohttp raises when Rasa's timeout is over
    except Exception as e:
        logger.error("Exception occurred while running action '%s'", call.get("next_action"), exc_info=True)
        raise _error(500, "Internal Server Error", {"error": str(e)}) from None
    finally:
        _give_back(call)


async def request(self: Any, method: str = "post", subpath: Optional[str] = None, *args: Any, **kwargs: Any) -> Any:
    """Rasa's `EndpointConfig.request`; for a `local` endpoint, the action server's webhook in-process."""
    if not is_local(self.url):
        return await _ORIGINAL["request"](self, method, subpath, *args, **kwargs)
    if method.lower() != "post" or subpath not in (None, "", "/webhook", "webhook"):
        raise _error(404, "Not Found", {"error": f"the in-process action server has no {method} {subpath}"})
    return await webhook(kwargs.get("json"), kwargs.get("timeout"))


def install() -> None:
    from rasa.utils.endpoints import EndpointConfig

    _ORIGINAL.setdefault("request", EndpointConfig.request)
    EndpointConfig.request = request


def installed() -> bool:
    from rasa.utils.endpoints import EndpointConfig

    return EndpointConfig.request is request
