"""Finding the nearest service station, from a shared position or a place named in text."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue import stations as say
from bot.dialogue.answers import venue_note
from bot.stations.finder import describe
from bot.stations.locate import AMBIGUOUS, FOUND, UNKNOWN, locate_position
from bot.stations.routing import station_finder


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == name:
            return str(entity.get("value"))
    return None


class ActionFindStation(Action):
    def name(self) -> Text:
        return "action_find_station"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        finder = station_finder()
        metadata = tracker.latest_message.get("metadata") or {}
        if "location" in metadata:
            where, problem = locate_position(metadata["location"])
            if problem:
                dispatcher.utter_message(text=problem)
                return []
        else:
            text = tracker.latest_message.get("text") or ""
            answering = (tracker.latest_message.get("intent") or {}).get("name") == "inform"
            entity = _entity(tracker, "location")
            # A place in this message wins; an earlier one only when this message is not the answer
            # to "where are you?" (then an unknown place must be said so, not silently replaced).
            where = finder.where(entity or text)
            if where.status == UNKNOWN and not entity and not answering:
                earlier = tracker.get_slot("location")
                kiosk = finder.kiosk_place(metadata.get("kiosk_station"))
                if not earlier and not kiosk:
                    # "在哪仲裁" is also a question about jurisdiction: answer it before asking.
                    note = venue_note(text)
                    dispatcher.utter_message(text=f"{note}\n{say.ASK_PLACE}" if note else say.ASK_PLACE)
                    return []
                where = finder.where(earlier) if earlier else kiosk
            if where.status == AMBIGUOUS:
                dispatcher.utter_message(**say.which_one(where.name, where.choices))
                return []
            if where.status != FOUND:
                dispatcher.utter_message(text=say.UNKNOWN_PLACE)
                return []
        cards = finder.nearby(where, tracker.get_slot("category"), metadata.get("kiosk_station"),
                              asked=tracker.latest_message.get("text") or "")
        if not say.is_near(cards):
            dispatcher.utter_message(text=say.none_near(where.name))
            return []
        channel = tracker.get_latest_input_channel() or ""
        dispatcher.utter_message(text=say.introduction(where.name, cards, channel, describe),
                                 json_message={"stations": cards})
        return []
