"""GongYou's whole `actions` package with two of its actions misbehaving, and three actions of
its own, for tests/test_rasa_local_actions.py: served by a real action server
(`--actions tests.actions_overridden`) and registered in-process alike.

Imported only in that test's subprocesses, never in pytest's own: rasa_sdk registers every
`Action` subclass its process has imported, so these would replace the real ones there too.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from typing import Any, Dict, List, Text

import requests
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection

import actions
from actions.complaint import ActionComplaintReply
from actions.stations import ActionFindStation

for module in pkgutil.iter_modules(actions.__path__):
    importlib.import_module(f"actions.{module.name}")

STALL_S = 4.0
STALLED_REPLY = "服务站名单一时查不到，请稍后再问。"


class FailingComplaintReply(ActionComplaintReply):
    """Raises, as an action with a bug would."""

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        raise RuntimeError("the answer could not be built")


class StalledStationSearch(ActionFindStation):
    """A sync `run` that calls `requests`, on a service that accepts and never answers."""

    def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:  # type: ignore[override]
        try:
            requests.get(os.environ["GONGYOU_TEST_STALLED_URL"], timeout=STALL_S)
        except requests.RequestException:
            pass
        dispatcher.utter_message(text=STALLED_REPLY)
        return []


class RejectingAction(Action):
    def name(self) -> Text:
        return "action_test_rejects"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        raise ActionExecutionRejection(self.name(), "不是这个动作的活")


class MeddlingAction(Action):
    """Changes everything it is handed, in place."""

    def name(self) -> Text:
        return "action_test_meddles"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        for event in tracker.events:
            event.clear()
        for value in tracker.slots.values():
            if isinstance(value, (list, dict)):
                value.clear()
        tracker.latest_message.get("intent", {})["name"] = "meddled"
        tracker.latest_message.get("entities", []).clear()
        tracker.add_slots([SlotSet("phone", "meddled")])
        # what it was handed, before it meddles: a later call must be handed all of it again
        whole = sum(value is not None for value in domain.values())
        for part in list(domain):
            domain[part] = None
        dispatcher.utter_message(text=f"动过了，领域有 {whole} 部分")
        return [SlotSet("category", "meddled")]
