"""What the bot says around a station search: the questions it asks and the introductions."""
from __future__ import annotations

from typing import Dict, List

from bot.hotlines import RENSHE_OR_UNION

# Beyond this, the nearest registered station is not "nearby": say so and give the hotlines.
FAR_KM = 50
ASK_PLACE = "您在哪个区县或街道？也可以点“发送位置”。"
UNKNOWN_PLACE = "没找到这个地方。请告诉我在哪个区县，比如“渝中区”或“景德镇珠山区”。"
NO_STATION = f"附近还没有登记的服务站。可以拨打{RENSHE_OR_UNION}询问。"


def which_one(name: str, choices: List[str]) -> Dict[str, object]:
    return {"text": f"有好几个“{name}”，您说的是哪一个？", "buttons": [{"title": c, "payload": c} for c in choices]}


def introduction(place: str, nearest_km: float) -> str:
    if nearest_km > FAR_KM:
        return (f"{place}附近{FAR_KM}公里内还没有登记的服务站，可以先打{RENSHE_OR_UNION}"
                f"问当地的地址。已登记的最近的是：")
    return f"离{place}最近的服务站："
