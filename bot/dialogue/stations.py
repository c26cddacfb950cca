"""What the bot says around a station search: the questions it asks and the introductions."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from bot.hotlines import RENSHE, RENSHE_OR_UNION
from bot.stations.finder import FAR_KM

ASK_PLACE = "您在哪个区县或街道？也可以点“发送位置”。"
UNKNOWN_PLACE = "没找到这个地方。请告诉我在哪个区县，比如“渝中区”或“景德镇珠山区”。"
# Pages that draw station cards (the phone chat, the kiosk) get the cards alone under a short line.
CARD_CHANNELS = ("socketio",)
NO_LIST = f"暂时查不到服务站，请稍后再试，或拨打{RENSHE_OR_UNION}询问。"


def which_one(name: str, choices: List[str]) -> Dict[str, object]:
    return {"text": f"有好几个“{name}”，您说的是哪一个？", "buttons": [{"title": c, "payload": c} for c in choices]}


def none_near(place: str) -> str:
    return (
        f"{place}附近{FAR_KM}公里内还没有登记的服务站。可以拨打{RENSHE_OR_UNION}，"
        f"或到当地区县的人社局（劳动保障监察）问一问；{RENSHE}会告诉您最近的地址。"
    )


def is_near(cards: List[Dict[str, Any]]) -> bool:
    return bool(cards) and all(c["km"] <= FAR_KM for c in cards)


def near_only(cards: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Beside a near station, one hundreds of kilometres away is no help: it is left out."""
    return [c for c in cards if c["km"] <= FAR_KM]


def introduction(
    place: str, cards: List[Dict[str, Any]], channel: str, describe, asked: Optional[Sequence[str]] = None
) -> str:
    """A short line over the cards on the pages; the stations spelled out where no card is drawn.

    `asked`: the kinds of station the worker asked for by name; when the place has none, say so
    rather than pass another kind off as it.
    """
    intro = f"离{place}最近的服务站："
    if asked and cards and cards[0]["kind"] not in asked:
        wanted = asked[0]
        elsewhere = any(c["kind"] in asked for c in cards)
        intro = f"{place}还没有登记的{wanted}。先给您{place}的服务站，可以帮您指路" + (
            f"；最近的{wanted}也在下面：" if elsewhere else "："
        )
    return intro if channel in CARD_CHANNELS else f"{intro}\n{describe(cards)}"
