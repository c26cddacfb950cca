"""One clean entity list from what several extractors found.

Rasa runs a learned extractor, the spaCy place gazetteer and our own rules side by side; this
module merges them: numeric entities get their value in numbers (contract §2), overlapping hits
keep the longest span, and a place followed by 路/街/镇 becomes that street (浙江路, not 浙江).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterable, List, Optional

from bot.cases.group_code import join_span
from bot.text.chinese_numbers import normalise_phone, parse_amount, parse_count, parse_duration

RULES = "GongYouRules"

_CN_NUM = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟俩仨"
NUM = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:[万千百wWkK](?:\d|[一二三四五六七八九])?)?"
    rf"|[{_CN_NUM}]+"
)
_MONEY_UNIT = r"(?:块钱|块|元|圆|万元|大洋)"

_AMOUNT_WITH_UNIT = re.compile(rf"(?:{NUM})(?:多|来|余)?{_MONEY_UNIT}")
# 一万二, 1.2万, 八千: a figure with 万/千 is money unless a counter follows it (八千个, 三千米).
_AMOUNT_BIG = re.compile(
    rf"(?<![\d{_CN_NUM}])(?:(?:\d+(?:\.\d+)?|[{_CN_NUM}]+)[万千wWkK](?:\d|[一二三四五六七八九])?)(?:多)?"
    r"(?![\d个名位人米公里斤件单次字条张台套项天年月号日周岁分秒小时])"
)
_MONEY_CUE = re.compile(
    r"(工资|欠|一共|总共|共|补偿|赔|发|给|月薪|底薪|工钱|薪水|每月|每个月"
    r"|还差|剩|拖|扣|罚|罚款|挣|赚|拿|领)了?(我|我们|他)?$"
)
# A figure with no unit is money only right after a money word (扣了我五十, 月薪3800).
_BARE_FIGURE = re.compile(
    rf"(?<![\d.{_CN_NUM}])(?:\d{{2,6}}|[零一二两三四五六七八九十百]{{2,4}})"
    rf"(?![\d.{_CN_NUM}年号月日岁%个名位天次件条张单小周])"
)

_DURATION = re.compile(
    rf"(?:(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}})年(?:零|又)?(?:{NUM})(?:个多月|多个月|个月)"
    rf"|大半年|半年|半个月|俩月|仨月|(?:{NUM})个半月|(?:{NUM})(?:个多月|多个月|个月)"
    rf"|(?<![去今前明后那哪每\d])(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}})年(?:多|半)?(?![级代纪龄轻前后底初终度]))"
)
# A calendar date is not a duration: 5月20号, 2025年8月, 去年十月份, 3月1日 (a month count says 个月).
_YEAR = r"(?:\d{4}|\d{2}|[〇零一二三四五六七八九]{2,4}|[去今前明])年"
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月"
_DAY = r"(?:[12]\d|3[01]|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[号日]"
_DATE = re.compile(
    rf"{_YEAR}(?:{_MONTH}(?:份)?(?:{_DAY})?)?|{_MONTH}份|{_MONTH}{_DAY}"
    r"|(?<![\d个])\d{1,2}月(?!份?工资)"
)
_PEOPLE = r"(?:农民工|工人|工友|员工|兄弟|师傅|职工|骑手|同事|老乡|伙计|姐妹|阿姨|大姐|人员|司机|人)"
_WORKERS = re.compile(rf"(?:{NUM})(?:多|来|余)?(?:个|名|位)?(?:多|来|余)?{_PEOPLE}")

# Employers named the way workers and forum posts name them:
# - a registered name ending in a legal form (重庆某建筑劳务有限公司);
# - an anonymised one (某装饰工程公司, XX物流公司, 某某劳务);
# - a two-character brand and a trade after a boundary (投诉金鹏物业, 给恒通建材干活).
_NOT_NAME = r"\s\d,，。、；;:：!！?？的了在给是我们他她被跟和对方说把从到与向就还都也去来叫让找告入职于"
_LEGAL_FORM = r"(?:有限责任公司|股份有限公司|有限公司|集团)"
_WORKPLACE = r"(?:有限责任公司|股份有限公司|有限公司|集团|公司|工厂|厂|店|酒店|超市|物业|项目部|医院|学校|幼儿园)"
_TRADE = (
    r"(?:建筑|建设|建工|建材|物业|物流|劳务|人力|装饰|装修|电子|科技|实业|贸易|餐饮|食品|服装|鞋业|家具|"
    r"汽配|机械|五金|纺织|印刷|包装|保安|保洁|家政|快递|运输|地产|置业|商贸|制衣|模具)"
)
_NOT_BRAND = {
    "外面",
    "这个",
    "那个",
    "一个",
    "我们",
    "他们",
    "一家",
    "那家",
    "这家",
    "公司",
    "工地",
    "附近",
    "本地",
    "当地",
    "大型",
    "私人",
    "小型",
    "国有",
    "民营",
    "外地",
    "老板",
    "市里",
    "县里",
    "区里",
    "城里",
}
_COMPANY = re.compile(rf"(?:那家|这家|一家|某)?[^{_NOT_NAME}（）()“”\"']{{2,12}}?{_LEGAL_FORM}")
_ANONYMISED = re.compile(rf"(?:某某|某|XX|xx|××|\*\*)[^{_NOT_NAME}]{{0,8}}?{_WORKPLACE}")
_BRAND = re.compile(rf"(?:(?<=[在给是诉告去到跟替帮被对]))([\u4e00-\u9fff]{{2}}){_TRADE}(?:有限公司|公司|集团)?")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
_MOBILE_SPOKEN = re.compile(
    r"(?<![一幺二三四五六七八九零〇洞\d])[一幺][三四五六七八九]"
    r"(?:[ -]?[一幺二三四五六七八九零〇洞]){9}(?![一幺二三四五六七八九零〇洞\d])"
)
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")

# "不是跟美团", "没在那家厂": an employer named only to be denied is not the employer.
_NEGATED = re.compile(r"(不是|并不是|并非|没在|不在|没有在|没给|不给)(跟|在|给|帮|替|和|为)?$")
# "张秀英" is a person, not 海口秀英区: a two-character place alias right after a common surname.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱尹薛闫段雷侯史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤"
)
_PLACE_SUFFIX = set("省市区县镇乡村街路")


# A place name followed by one of these is a street, zone or village of that name.
_PLACE_TAIL = re.compile(r"^(?:街道|大街|大道|路|街|巷|镇|乡|村|社区|广场|开发区|高新区|新区|工业园区|工业园|园区)")
# A learned place span that runs past the gazetteer's name must end like a place, or it has
# swallowed the next word (成都交了, 深圳上班).
_PLACE_FINAL = set("区县市省镇乡村路街道巷园城站桥碑川湖山坝门场湾港口楼厦苑里屯庄寨坪沟岛河江溪岭塘店铺厂")
_TRIM = " \t\n,，。.!！?？、;；:：\"'“”‘’()（）[]【】<>《》「」『』"


def _rule_hits(text: str) -> List[Dict[str, Any]]:
    hits: List[Dict[str, Any]] = []

    def add(entity: str, start: int, end: int) -> None:
        hits.append({"entity": entity, "start": start, "end": end, "value": text[start:end], "extractor": RULES})

    for m in _AMOUNT_WITH_UNIT.finditer(text):
        add("amount", m.start(), m.end())
    for m in _AMOUNT_BIG.finditer(text):
        add("amount", m.start(), m.end())
    for m in _BARE_FIGURE.finditer(text):
        if _MONEY_CUE.search(text[max(0, m.start() - 4) : m.start()]):
            add("amount", m.start(), m.end())
    for m in _DURATION.finditer(text):
        add("duration", m.start(), m.end())
    for m in _WORKERS.finditer(text):
        if parse_count(m.group(0)) not in (None, 1):
            add("worker_count", m.start(), m.end())
    for pattern in (_COMPANY, _ANONYMISED):
        for m in pattern.finditer(text):
            add("employer", m.start(), m.end())
    for m in _BRAND.finditer(text):
        if m.group(1) not in _NOT_BRAND:
            add("employer", m.start(), m.end())
            hits[-1]["brand"] = m.end(1)
    for pattern in (_MOBILE, _MOBILE_SPOKEN, _LANDLINE):
        for m in pattern.finditer(text):
            add("phone", m.start(), m.end())
    # A co-worker asking to join a group's roster: the entity that sends open_case to the roster form.
    joining = join_span(text)
    if joining:
        add("join_group", *joining)
    return hits


VALUE_PARSERS: Dict[str, Callable[[str], Optional[Any]]] = {
    "amount": parse_amount,
    "duration": parse_duration,
    "worker_count": parse_count,
    "phone": normalise_phone,
}

# When two hits cover the same span, the more precise source wins.
_PRIORITY: Dict[Optional[str], int] = {RULES: 0, "SpacyEntityExtractor": 2}


def _trimmed(entity: Dict[str, Any], text: str) -> Optional[Dict[str, Any]]:
    start, end = entity.get("start"), entity.get("end")
    if start is None or end is None or not (0 <= start < end <= len(text)):
        return None
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if start >= end:
        return None
    return {**entity, "start": start, "end": end, "value": text[start:end]}


def _extend_place(entity: Dict[str, Any], text: str) -> Dict[str, Any]:
    tail = _PLACE_TAIL.match(text[entity["end"] :])
    if tail:
        end = entity["end"] + tail.end()
        return {**entity, "end": end, "value": text[entity["start"] : end]}
    return entity


def _merge_adjacent_places(entities: List[Dict[str, Any]], text: str) -> List[Dict[str, Any]]:
    """重庆市 + 渝中区 written together are one place: 重庆市渝中区."""
    merged: List[Dict[str, Any]] = []
    for e in sorted(entities, key=lambda e: e["start"]):
        prev = merged[-1] if merged else None
        if prev and prev["entity"] == e["entity"] == "location" and prev["end"] == e["start"]:
            merged[-1] = {**prev, "end": e["end"], "value": text[prev["start"] : e["end"]]}
        else:
            merged.append(e)
    return merged


def _fit_learned_places(candidates: List[Dict[str, Any]], text: str) -> List[Dict[str, Any]]:
    gazetteer = [e for e in candidates if e["entity"] == "location" and e.get("extractor") == "SpacyEntityExtractor"]
    fitted = []
    for e in candidates:
        if (
            e["entity"] == "location"
            and e.get("extractor") != "SpacyEntityExtractor"
            and text[e["end"] - 1] not in _PLACE_FINAL
        ):
            inner = [g for g in gazetteer if e["start"] <= g["start"] and g["end"] < e["end"]]
            if inner:
                continue  # the gazetteer's own hit stands instead
        fitted.append(e)
    return fitted


# A pregnancy's or a baby's months are never time at work: "怀孕四个月了", "孩子才两个月大".
_PREGNANCY_BEFORE = re.compile(r"(怀孕|怀了|怀上|有孕|孕期|身孕|孕)(了|已经|都|快|有|才|刚|刚好|差不多|大概)*$")
_PREGNANCY_AFTER = re.compile(r"^(多)?(了)?(的)?(身孕|身子|孕|大的?(宝宝|孩子|娃|小孩)|大了?$)")
# Time since leaving is not time at work either: "离职半年了", "辞工三个月".
_LEFT_BEFORE = re.compile(r"(离职|辞职|辞工|不干了|离开(了)?(公司|单位|厂里|厂子)?)(了|已经|都|快|有|才|大概)*$")
_BABY_BEFORE = re.compile(r"(孩子|宝宝|娃|小孩|儿子|女儿|闺女)(才|刚|刚刚|已经|都|快)*$")


def _misread(entity: Dict[str, Any], text: str) -> bool:
    """A hit that the words around it show to be something else."""
    kind, start, end = entity["entity"], entity["start"], entity["end"]
    if kind == "duration" and (
        _PREGNANCY_BEFORE.search(text[max(0, start - 8) : start])
        or _BABY_BEFORE.search(text[max(0, start - 6) : start])
        or _LEFT_BEFORE.search(text[max(0, start - 8) : start])
        or _PREGNANCY_AFTER.search(text[end : end + 6])
    ):
        return True
    if kind == "duration" and "个" not in text[start:end]:
        return any(m.start() <= start and end <= m.end() or start <= m.start() < end for m in _DATE.finditer(text))
    if kind == "employer":
        return bool(_NEGATED.search(text[max(0, start - 5) : start]))
    if kind == "location" and end - start == 2 and start > 0 and text[start - 1] in _SURNAMES:
        return text[end : end + 1] not in _PLACE_SUFFIX and not (start > 1 and text[start - 2] in "在去到从住")
    return False


# Money the boss already handed over, not money owed: "只给了五百块医药费", "发了3000". The case's
# amount is what is owed, so such a figure goes when the message names another one.
_PAID_BEFORE = re.compile(r"(?:给了?|付了|发了|赔了?|垫了|报销了?|预支了?|借了)[我们他]{0,2}[^，。,.！!？?]{0,3}$")
_PAID_AFTER = re.compile(r"^(?:块钱?|元)?(?:的)?(?:医药费|医疗费|生活费|路费|押金|定金|伙食费)")


def _without_paid_amounts(entities: List[Dict[str, Any]], text: str) -> List[Dict[str, Any]]:
    amounts = [e for e in entities if e["entity"] == "amount"]
    if len(amounts) < 2:
        return entities
    paid = [
        e
        for e in amounts
        if _PAID_BEFORE.search(text[max(0, e["start"] - 8) : e["start"]])
        or _PAID_AFTER.search(text[e["end"] : e["end"] + 8])
    ]
    if not paid or len(paid) == len(amounts):
        return entities
    return [e for e in entities if not any(e is p for p in paid)]


def resolve_entities(
    text: str,
    found: Iterable[Dict[str, Any]],
    source: Optional[str] = None,
    offsets: Optional[List[int]] = None,
) -> List[Dict[str, Any]]:
    """Merged, normalised entities of `text`. With the user's own `source` text and the
    `offsets` mapping `text` back into it, places and employers are given as the user wrote
    them (沙坪壩, not the simplified form the NLU read)."""
    candidates = []
    for hit in list(found) + _rule_hits(text):
        entity = _trimmed(hit, text)
        if entity is None:
            continue
        if entity["entity"] == "location":
            entity = _extend_place(entity, text)
        candidates.append(entity)
    candidates = _fit_learned_places(candidates, text)
    candidates = [e for e in candidates if not _misread(e, text)]
    # 郑州电子厂: a place followed by a trade is a place, not the brand "郑州电子".
    places = {e["start"]: e["end"] for e in candidates if e["entity"] == "location"}
    candidates = [e for e in candidates if not ("brand" in e and places.get(e["start"]) == e["brand"])]

    candidates.sort(key=lambda e: (-(e["end"] - e["start"]), _PRIORITY.get(e.get("extractor"), 1), e["start"]))
    kept: List[Dict[str, Any]] = []
    taken = [False] * (len(text) + 1)
    for entity in candidates:
        if any(taken[entity["start"] : entity["end"]]):
            continue
        parser = VALUE_PARSERS.get(entity["entity"])
        entity.pop("brand", None)
        if parser is not None:
            value = parser(entity["value"])
            if value is None:
                continue
            entity = {**entity, "value": value}
        for i in range(entity["start"], entity["end"]):
            taken[i] = True
        kept.append(entity)
    merged = _without_paid_amounts(_merge_adjacent_places(kept, text), text)
    if source is not None and offsets is not None and len(offsets) >= len(text):
        for e in merged:
            if e["entity"] in ("location", "employer"):
                e["value"] = source[offsets[e["start"]] : offsets[e["end"] - 1] + 1]
    return merged
