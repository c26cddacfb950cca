"""Once GongYou's Rasa has loaded its model, the garbage collector no longer walks the model's
objects on every full collection, and still collects what is made afterwards: measured in a
fresh process that loads the trained model through Rasa's own start-up function, as the Rasa
server started by `make run` does (bot/runtime/rasa_gc.py)."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import LAW_DIR, MODEL, ROOT

pytestmark = pytest.mark.model

PROCESS = """
import asyncio
import gc
import json
import sys
import types
import weakref

import rasa.core.run
from rasa.core.utils import AvailableEndpoints

from bot.runtime import rasa_gc, rasa_speedups

rasa_speedups.install()
installed = rasa_gc.installed()
app = types.SimpleNamespace(ctx=types.SimpleNamespace())


async def start():
    # what Sanic calls before the server starts (rasa/core/run.py registers it)
    return await rasa.core.run.load_agent_on_start(sys.argv[1], AvailableEndpoints(), None, app, None)


walked_before = None
load = rasa_gc._ORIGINAL["load"]


async def measured_load(*args):
    global walked_before
    agent = await load(*args)
    gc.collect()
    walked_before = len(gc.get_objects())
    return agent

rasa_gc._ORIGINAL["load"] = measured_load
rasa_gc.install()  # again, around the measuring load: as installed, it settles after loading
agent = asyncio.run(start())
walked_after = len(gc.get_objects())


class Node:
    pass


cycle = Node()
cycle.me = cycle
gone = weakref.ref(cycle)
del cycle
gc.collect()
print(json.dumps({"installed": installed, "loaded": agent is app.ctx.agent and agent.is_ready(),
                  "walked_before": walked_before, "walked_after": walked_after,
                  "frozen": gc.get_freeze_count(), "thresholds": list(gc.get_threshold()),
                  "expected_thresholds": list(rasa_gc.THRESHOLDS), "cycle_collected": gone() is None}))
"""


@pytest.fixture(scope="module")
def figures():
    done = subprocess.run(
        [sys.executable, "-c", PROCESS, str(MODEL)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "GONGYOU_LAW_DIR": str(LAW_DIR)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_model_is_loaded_through_the_settling_start_up(figures):
    assert figures["installed"] is True
    assert figures["loaded"] is True


def test_a_full_collection_no_longer_walks_the_models_objects(figures):
    # the loaded model: hundreds of thousands of objects, each walked by every full collection
    assert figures["walked_before"] > 200_000
    assert figures["frozen"] > 200_000
    assert figures["walked_after"] < figures["walked_before"] / 10


def test_collections_come_less_often_and_still_find_new_cycles(figures):
    assert figures["thresholds"] == figures["expected_thresholds"]
    assert figures["thresholds"][0] > 700  # Python's default young threshold
    assert figures["cycle_collected"] is True
