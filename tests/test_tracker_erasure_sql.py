"""Erasure in production: Rasa's SQL tracker store appends events, so the conversation's rows are
deleted from the tracker database itself. Checked with Rasa's own SQLTrackerStore on PostgreSQL."""

import asyncio

import pytest

from bot import settings
from bot.cases.trackers import delete_sql_tracker
from tests.services import create_database, drop_database, unique

pytestmark = pytest.mark.production


def test_a_conversation_leaves_rasas_sql_tracker_store():
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    name = unique()
    create_database(name)
    try:
        store = SQLTrackerStore(
            Domain.empty(), dialect="postgresql", host="127.0.0.1", port=5432, db=name, username="postgres"
        )
        for sender in ("rest-erase-me", "rest-keep-me"):
            tracker = DialogueStateTracker(sender, [])
            tracker.update(UserUttered("我叫孙芳，电话13812345678"))
            tracker.update(BotUttered("好的，我记下了。"))
            asyncio.run(store.save(tracker))
        url = settings.tracker_db_url({"TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_NAME": name})
        assert url == f"postgresql://postgres@127.0.0.1:5432/{name}"
        assert delete_sql_tracker(url, "rest-erase-me") == 2
        assert asyncio.run(store.retrieve("rest-erase-me")) is None
        kept = asyncio.run(store.retrieve("rest-keep-me"))  # another worker's conversation stays
        assert kept is not None and any(e.as_dict().get("text") for e in kept.events)
        store.engine.dispose()
    finally:
        drop_database(name)


def test_no_tracker_database_on_make_run():
    assert settings.tracker_db_url({}) == ""
