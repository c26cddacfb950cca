"""The in-memory stores with GongYou's speed-ups hand back a tracker equal to the one Rasa's own
deserialisation rebuilds from the stored JSON, after every event of GongYou's rules and of the
events that undo and reset, saved and read back as the processor does each message; another
writer's text and a forgotten conversation are read as Rasa reads them. A GongYou Rasa process
has it installed."""

import asyncio

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime import rasa_store_kept
from bot.runtime.tracker_store import BoundedInMemoryTrackerStore
from tests.test_rasa_history import conversation_with_forms, form_turn, sequences
from tests.test_rasa_tracker_copy import DOMAIN, state

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def kept_installed():
    saved = InMemoryTrackerStore.save, InMemoryTrackerStore.deserialise_tracker
    rasa_store_kept.install()
    yield
    InMemoryTrackerStore.save, InMemoryTrackerStore.deserialise_tracker = saved


def rasas_reading(store, sender):
    return rasa_store_kept._ORIGINAL["deserialise_tracker"](store, sender, store.store[sender])


@pytest.mark.parametrize("store_class", [InMemoryTrackerStore, BoundedInMemoryTrackerStore])
def test_read_back_equals_rasas_deserialisation_after_every_event(store_class):
    async def go():
        compared = 0
        for n, events in enumerate(sequences()):
            store = store_class(DOMAIN)
            sender = f"worker-{n}"
            for event in events:
                tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
                tracker.model_id = "model"
                tracker.update(event, DOMAIN)
                await store.save(tracker)
                ours = await store.retrieve_full_tracker(sender)
                assert state(ours) == state(rasas_reading(store, sender)), (event, events)
                assert ours.events[-1] is event  # kept, not rebuilt
                compared += 1
        return compared

    assert asyncio.run(go()) > 200


def test_a_forms_run_is_replayed_from_a_checkpoint_not_from_the_start(monkeypatch):
    """The form's run undoes its last turn in the applied events: the kept reading goes back to
    the listen before it, and is still Rasa's reading."""

    async def go():
        store = BoundedInMemoryTrackerStore(DOMAIN)
        tracker = DialogueStateTracker.from_events("f", conversation_with_forms()[:40], DOMAIN.slots)
        await store.save(tracker)
        started = []
        init_tracker = store.init_tracker
        monkeypatch.setattr(store, "init_tracker", lambda *a, **k: (started.append(1), init_tracker(*a, **k))[1])
        saves_started_over = 0
        for event in form_turn("case_form", "amount", 5000, "duration"):
            tracker = await store.get_or_create_tracker("f", append_action_listen=False)
            tracker.update(event, DOMAIN)
            started.clear()
            await store.save(tracker)
            saves_started_over += bool(started)
            assert state(await store.retrieve_full_tracker("f")) == state(rasas_reading(store, "f"))
        return saves_started_over

    assert asyncio.run(go()) == 0


def test_text_written_by_another_is_read_as_rasa_reads_it():
    async def go():
        store = BoundedInMemoryTrackerStore(DOMAIN)
        first = DialogueStateTracker.from_events("w", [ActionExecuted("action_listen")], DOMAIN.slots)
        await store.save(first)
        other = DialogueStateTracker.from_events(
            "w",
            [ActionExecuted("action_listen"), UserUttered("工伤"), SlotSet("category", "work_injury")],
            DOMAIN.slots,
        )
        store.store["w"] = InMemoryTrackerStore.serialise_tracker(other)
        read = await store.retrieve("w")
        assert read.get_slot("category") == "work_injury" and read.events[-1] is not other.events[-1]
        # Forgotten by the store: gone from what is kept at the next save too.
        del store.store["w"]
        await store.save(DialogueStateTracker.from_events("v", [ActionExecuted("action_listen")], DOMAIN.slots))
        assert await store.retrieve("w") is None
        assert list(store.__dict__[rasa_store_kept._KEPT]) == ["v"]

    asyncio.run(go())
