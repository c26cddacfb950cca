"""The loaded model kept out of Python's cyclic garbage collector.

A loaded GongYou Rasa process holds about 700,000 Python objects (TensorFlow, spaCy, jieba's
dictionary, the model's graph) that live as long as the process. Every full collection walked
all of them: about 300 ms on this machine, in the middle of some worker's turn, several times a
minute under load; each middle-generation collection paid for the survivors of the young ones
(py-spy under `make bench-load`: the main thread's time showed up inside whatever allocated
at that moment, the action call's copy of the tracker and the states of the history).

Once the agent is loaded, one collection clears what loading left behind and `gc.freeze()` moves
everything still alive to the permanent generation, which no collection walks. Nothing else
changes: reference counting frees objects as before, and the collector still finds the cycles
of every object made after the model (trackers, requests, events). Only a cycle made of
objects from before the freeze would stay, which the model's own objects never become: the
model is loaded once per process (its replacement through Rasa's API is not served here).

The thresholds: every turn makes objects that outlive a few young collections and then die
(the kept trackers' checkpoints, a request's copies while other conversations take turns), and
with Python's default of a young collection every 700 new objects they reached the oldest
generation, whose collections then came every ~2.5 s under `make bench-load`, each walking
every conversation the store keeps (50 ms growing to 800 ms over the minute; 11 s of the Rasa
process's 64 s of CPU, the young and middle ones 4 s more). With a young collection every
5,000 objects and a full one after 100 middle ones, the same minute spent about 5 s in all,
and the cycles that only a full collection finds (about ten objects a turn) wait minutes,
not seconds.
"""

from __future__ import annotations

import functools
import gc
from typing import Any, Dict

_ORIGINAL: Dict[str, Any] = {}


# (young, middle, full): Python's default is (700, 10, 10).
THRESHOLDS = (5000, 20, 100)


def settle() -> int:
    """Collects once, freezes what is left and sets the thresholds; returns how many objects
    were frozen."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    return gc.get_freeze_count()


def _after_loading(load):
    @functools.wraps(load)
    async def load_agent_on_start(*args: Any, **kwargs: Any) -> Any:
        agent = await load(*args, **kwargs)
        settle()
        return agent

    load_agent_on_start.settles = True  # type: ignore[attr-defined]
    return load_agent_on_start


def install() -> None:
    import rasa.core.run

    _ORIGINAL.setdefault("load", rasa.core.run.load_agent_on_start)
    rasa.core.run.load_agent_on_start = _after_loading(_ORIGINAL["load"])


def installed() -> bool:
    import rasa.core.run

    return getattr(rasa.core.run.load_agent_on_start, "settles", False)
