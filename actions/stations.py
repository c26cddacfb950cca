"""Finding the nearest service station, from a shared position or a place named in text."""

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import blocking
from bot.dialogue import privacy_notice
from bot.dialogue import stations as say
from bot.dialogue.answers import venue_note
from bot.stations.finder import describe
from bot.stations.locate import AMBIGUOUS, FOUND, UNKNOWN, locate_position
from bot.stations.routing import station_finder
from bot.stations.station import kinds_asked

logger = logging.getLogger(__name__)


def _entity(tracker: Tracker, name: str) -> Optional[str]:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == name:
            return str(entity.get("value"))
    return None


class ActionFindStation(Action):
    def name(self) -> Text:
        return "action_find_station"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        metadata = tracker.latest_message.get("metadata") or {}
        if "location" in metadata and not _notice_given(tracker):
            # A shared position is whereabouts (PIPL §28): say what it is used for, the first time.
            dispatcher.utter_message(text=privacy_notice.LOCATION_NOTICE)
        # The station list and the geocoder may wait on the database or the network.
        await blocking(self.answer, dispatcher, tracker)
        return []

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        try:
            self._answer(station_finder(), tracker.latest_message.get("metadata") or {}, dispatcher, tracker)
        except Exception:  # the station list is unavailable and none was loaded before
            logger.exception("station search failed")
            dispatcher.utter_message(text=say.NO_LIST)

    def _answer(self, finder, metadata, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        if "location" in metadata:
            where, problem = locate_position(metadata["location"])
            if where is None:  # then problem says why
                dispatcher.utter_message(text=problem or say.UNKNOWN_PLACE)
                return
        else:
            text = tracker.latest_message.get("text") or ""
            answering = (tracker.latest_message.get("intent") or {}).get("name") == "inform"
            entity = _entity(tracker, "location")
            # A place in this message wins; an earlier one only when this message is not the answer
            # to "where are you?" (then an unknown place must be said so, not silently replaced).
            where = finder.where(entity or text, text)
            if where.status == UNKNOWN and not entity and not answering:
                earlier = tracker.get_slot("location")
                kiosk = finder.kiosk_place(metadata.get("kiosk_station"))
                if earlier:
                    where = finder.where(earlier)
                elif kiosk:
                    where = kiosk
                else:
                    # "在哪仲裁" is also a question about jurisdiction: answer it before asking.
                    note = venue_note(text)
                    dispatcher.utter_message(text=f"{note}\n{say.ASK_PLACE}" if note else say.ASK_PLACE)
                    return
            if where.status == AMBIGUOUS:
                dispatcher.utter_message(**say.which_one(where.name, where.choices))
                return
            if where.status != FOUND:
                dispatcher.utter_message(text=say.UNKNOWN_PLACE)
                return
        cards = finder.nearby(
            where,
            tracker.get_slot("category"),
            metadata.get("kiosk_station"),
            asked=tracker.latest_message.get("text") or "",
        )
        if not say.is_near(cards):
            dispatcher.utter_message(text=say.none_near(where.name))
            return
        cards = say.near_only(cards)
        channel = tracker.get_latest_input_channel() or ""
        asked = kinds_asked(tracker.latest_message.get("text") or "")
        dispatcher.utter_message(
            text=say.introduction(where.name, cards, channel, describe, asked), json_message={"stations": cards}
        )


def _notice_given(tracker: Tracker) -> bool:
    return any(e.get("event") == "bot" and e.get("text") == privacy_notice.LOCATION_NOTICE for e in tracker.events)
