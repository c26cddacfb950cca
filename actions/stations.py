"""Finding the nearest service station, from a shared position or a place named in text."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import station_finder
from bot.stations.finder import describe
from bot.stations.locate import AMBIGUOUS, FOUND, UNKNOWN, locate_position

FAR_KM = 50
ASK_PLACE = "您在哪个区县或街道？也可以点“发送位置”。"
UNKNOWN_PLACE = "没找到这个地方。请告诉我在哪个区县，比如“渝中区”或“景德镇珠山区”。"


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
                    dispatcher.utter_message(text=ASK_PLACE)
                    return []
                where = finder.where(earlier) if earlier else kiosk
            if where.status == AMBIGUOUS:
                dispatcher.utter_message(text=f"有好几个“{where.name}”，您说的是哪一个？",
                                         buttons=[{"title": c, "payload": c} for c in where.choices])
                return []
            if where.status != FOUND:
                dispatcher.utter_message(text=UNKNOWN_PLACE)
                return []
        cards = finder.nearby(where, tracker.get_slot("category"), metadata.get("kiosk_station"),
                              asked=tracker.latest_message.get("text") or "")
        if not cards:
            dispatcher.utter_message(text="附近还没有登记的服务站。可以拨打12333（人社）或12351（工会）询问。")
            return []
        intro = f"离{where.name}最近的服务站："
        if cards[0]["km"] > FAR_KM:
            intro = (f"{where.name}附近{FAR_KM}公里内还没有登记的服务站，可以先打12333（人社）或12351（工会）"
                     f"问当地的地址。已登记的最近的是：")
        dispatcher.utter_message(text=f"{intro}\n{describe(cards)}", json_message={"stations": cards})
        return []
