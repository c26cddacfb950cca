"""A case's industry, read from the employer's name and the worker's words: the case holds no
industry field, and the early warning (bot/console/outcome_stats.py) groups by it. The first
matching row wins; unknown stays unknown rather than guessed."""

from __future__ import annotations

from typing import Optional

UNKNOWN = "其他/未知"
# (industry, words that name it), most specific first: a 外卖骑手 of a 餐饮 chain is platform work.
_WORDS = (
    ("平台/快递外卖", ("外卖", "骑手", "快递", "配送", "网约车", "跑腿", "美团", "饿了么", "滴滴")),
    ("建筑工程", ("工地", "建筑", "建设", "工程", "包工头", "施工", "装修", "劳务分包", "搅拌站")),
    ("制造加工", ("厂", "鞋业", "制造", "电子", "服装", "纺织", "陶瓷", "机械", "加工", "瓷业", "制品")),
    ("餐饮住宿", ("餐饮", "饭店", "酒店", "餐厅", "火锅", "宾馆", "食堂")),
    ("批发零售", ("超市", "商场", "商贸", "零售", "便利店", "批发")),
    ("家政物业", ("家政", "物业", "保洁", "保安", "月嫂")),
    ("运输物流", ("物流", "运输", "货运", "仓储", "搬运")),
)


def industry_of(employer: Optional[str], description: Optional[str] = None) -> str:
    for text in (employer or "", description or ""):
        for name, words in _WORDS:
            if any(word in text for word in words):
                return name
    return UNKNOWN
