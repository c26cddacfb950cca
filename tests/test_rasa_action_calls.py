"""Rasa's calls to the action server, with GongYou's speed-ups, go over one kept connection and
carry the same JSON values and headers (a real HTTP server on a free port reads them); without
the speed-ups every call opens a connection of its own. A GongYou Rasa process has them installed."""

import asyncio
import json

import numpy
import pytest
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from bot.runtime import rasa_action_calls, rasa_serialisation

pytestmark = pytest.mark.unit

BODY = {"next_action": "action_x", "tracker": {"slots": {"姓名": "张三", "n": 2**70, "f": 1.5}, "events": [None]}}


async def calls(times):
    seen = []

    async def webhook(request):
        seen.append((request.transport.get_extra_info("peername"), await request.json(), dict(request.headers)))
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", headers={"X-GongYou-Action-Secret": "s"})
    try:
        answers = [await endpoint.request(json=BODY, method="post") for _ in range(times)]
    finally:
        await runner.cleanup()
    return answers, seen


def run_calls(times, installed):
    original = EndpointConfig.session
    if installed:
        EndpointConfig.session = rasa_action_calls.session
    else:
        EndpointConfig.session = rasa_action_calls._ORIGINAL.get("session", original)
    try:
        return asyncio.run(calls(times))
    finally:
        EndpointConfig.session = original


def test_calls_share_one_connection_and_carry_the_same_json():
    answers, seen = run_calls(3, installed=True)
    assert answers == [{"events": [], "responses": []}] * 3
    assert len({peer for peer, _, _ in seen}) == 1
    assert [body for _, body, _ in seen] == [json.loads(json.dumps(BODY))] * 3
    assert all(headers["X-GongYou-Action-Secret"] == "s" for _, _, headers in seen)
    assert all(headers["Content-Type"] == "application/json" for _, _, headers in seen)


def test_without_the_speed_up_each_call_opens_a_connection():
    _, seen = run_calls(3, installed=False)
    assert len({peer for peer, _, _ in seen}) == 3


def test_orjson_falls_back_for_what_it_cannot_write():
    assert json.loads(rasa_action_calls.dumps(BODY)) == BODY
    assert json.loads(rasa_action_calls.dumps({1: "一"})) == {"1": "一"}


# The latest message's intent confidences as Rasa's classifier leaves them: numpy.float64.
CONFIDENCES = {
    "intent": {"name": "greet", "confidence": numpy.float64(0.996595102508264)},
    "ranking": [numpy.float64(6.2e-05)],
}


@pytest.mark.parametrize("writer", [rasa_action_calls.dumps, rasa_serialisation.STORES_JSON.dumps])
def test_numpy_confidences_are_written_by_orjson_as_json_writes_them(writer):
    text = writer(CONFIDENCES)
    assert json.loads(text) == json.loads(json.dumps(CONFIDENCES))
    assert ", " not in text and ": " not in text  # compact: orjson's, not the standard library's fallback
