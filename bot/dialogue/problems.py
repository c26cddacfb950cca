"""Several problems in one message: name them, and find the one the worker asked about.

"没签合同，辞职后老板不给工资怎么办" mentions a missing contract and unpaid wages but asks about
the wages. The NLU reads the whole message and may pick the contract; here the clause that
carries the question decides, and the other problems are named and offered as buttons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

from bot.law.faq import looks_like_a_question
from bot.text.typos import fix_typos


@dataclass(frozen=True)
class Problem:
    label: str  # how the worker is told we understood it ("不给工资")
    topic: str  # the FAQ topic that answers it
    question: str  # the button's payload: a question the FAQ answers for this problem


# Order matters only when two cues hit the same words; each cue names one problem.
_CUES: Tuple[Tuple[Problem, "re.Pattern[str]"], ...] = tuple(
    (Problem(*p), re.compile(r))
    for p, r in [
        (
            ("没签合同", "labor_contract", "没签劳动合同能要二倍工资吗"),
            r"(没|没有|不|未)(给我)?签(订)?(劳动)?合同|合同(也|都|还)?(没|没有|不)签|没(有)?(劳动)?合同",
        ),
        (
            ("不给工资", "wage_arrears", "被拖欠工资怎么办"),
            r"(不|没)(给|发|结)(我|我们)?(的)?(工资|工钱|钱)|(欠|拖)[^，。,]{0,10}(工资|工钱)|拖欠|欠薪|工资[^，。,]{0,4}(拖|欠|晚发|没发|不发|没结|不结)|"
            r"(工资|工钱|钱)[^，。,]{0,4}(不给|没给)|工资[^，。,]{0,4}(找|向)[^，。,]{0,3}(总包|包工头)|"
            # "老板欠我5000块": a sum owed is wages owed; "包工头跑了" leaves a site unpaid.
            r"欠(了)?(我|我们)(了)?[^，。,]{0,6}(块|元|万|钱)|欠(了)?[0-9一二三四五六七八九十两几]+[^，。,]{0,3}(块|元|万)|"
            r"(包工头|工头|老板|老总|老板娘)[^，。,]{0,3}(跑了|跑路|失联|联系不上|找不到人|不见了)|跑路|"
            # "能不能找总承包单位要钱": asking whom to get the money from is the wages question.
            r"(找|向)[^，。,]{0,8}要(钱|工资|工钱)|(工资|工钱)[^，。,]{0,2}(找谁|向谁|跟谁|去哪|上哪)(要|讨)|"
            # Cantonese: 人工 is the wage, 冇俾 "has not paid", 出粮 "pay day".
            r"(冇|唔|没)(俾|畀|出|发)[^，。,]{0,2}(人工|粮)|(拖|欠)(人工|粮)",
        ),
        (
            ("被辞退", "dismissal", "被辞退能拿多少经济补偿"),
            r"辞退|开除|解雇|炒(了|掉)|裁员|被裁|不要我了|让我(走人|走|别来)|叫我走|自动离职",
        ),
        (
            # "等生完孩子还想回去上班": the remedy for a dismissal is the job back (劳动合同法 §48).
            ("想回去上班", "dismissal", "被违法辞退了还想回去上班"),
            r"(想|要|能)(回去|回原单位|回公司|回厂里?)(上班|干|工作)?|回原(来的)?岗|恢复(我的)?工作|继续履行",
        ),
        (
            ("没交社保", "social_insurance", "单位不给交社保怎么办"),
            r"社保|五险|(养老|医疗|失业)保险[^，。,]{0,4}(没|不|少|停)",
        ),
        (
            ("工伤", "work_injury", "工伤认定要在多久内申请"),
            r"工伤|受伤|受了伤|摔(断|伤|了)|砸(伤|断)|骨折|伤残|车祸|撞(伤|倒|了)|出(了)?事故|"
            r"(手|脚|腿|腰|胳膊|手指|眼睛)[^，。,]{0,5}(伤|断|压|轧|夹|切|绞|烫)",
        ),
        (("加班", "overtime", "加班费怎么算"), r"加班|年假|休息日|周末也要上|没休过"),
        (
            ("扣押证件和押金", "labor_contract", "单位扣身份证、收押金合法吗"),
            r"(扣|押)(着|了)?(我|我们)?(的)?身份证|押金",
        ),
        (("被封号", "platform_work", "跑单被封号了怎么办"), r"封号|停止派单|不给派单"),
        (("被扣钱", "wage_arrears", "单位扣工资合不合法"), r"罚款|罚钱|扣(了)?(我|我们)?(的)?(钱|工资)"),
    ]
)
# The topics a worker's own words name reliably enough to overrule the NLU's reading of a message
# that names one problem. A rider's words name many topics the platform's answers already cover.
WORDED_TOPICS = frozenset(p.topic for p, _ in _CUES) - {"platform_work"}
_CLAUSES = re.compile(r"[，。；！？,.;!?\s]+")
# "被扣钱了还出了车祸" is two problems in one breath: "了还"/"了又", "而且", "另外" join them.
_JOINS = re.compile(r"(?<=了)(?:还|又)|而且|并且|另外|还有|再加上|同时")
INJURY = "工伤"
# A rider's deduction is the platform's fine, and a rider's injury is asked about as a rider's.
_PLATFORM = re.compile(r"外卖|骑手|跑单|送单|接单|平台|美团|饿了么|滴滴|快递|网约车|跑腿")
_AS_A_RIDER = {
    "被扣钱": Problem("被扣钱", "platform_work", "平台罚款、扣钱合不合法"),
    INJURY: Problem("送单受伤", "platform_work", "骑手送单受伤有什么保障"),
}


def _clauses(text: str) -> List[str]:
    return [part for clause in _CLAUSES.split(fix_typos(text or "")) for part in _JOINS.split(clause) if part]


def _in_clause(clause: str) -> List[Problem]:
    found: List[Tuple[int, Problem]] = []
    for problem, cue in _CUES:
        hit = cue.search(clause)
        if hit:
            found.append((hit.start(), problem))
    return [p for _, p in sorted(found, key=lambda item: item[0])]


def mentioned(text: str) -> List[Problem]:
    """The problems a message names, in the order it names them, each once.

    One clause is one problem, named by its first cue: in "周日加班公司说给调休不给钱" the unpaid
    money is the overtime's, not a second problem.
    """
    problems: List[Problem] = []
    for clause in _clauses(text):
        named = _in_clause(clause)
        if named and all(p.label != named[0].label for p in problems):
            problems.append(named[0])
    if _PLATFORM.search(text or ""):
        problems = [_AS_A_RIDER.get(p.label, p) for p in problems]
    return problems


_ADDED_ON = re.compile(r"^(也|还|又|另外|而且|并且|顺便)")


def added_on(text: str, problem: Problem) -> bool:
    """Whether the problem is only mentioned in passing, in a clause that adds it on ("也没给钱")."""
    for clause in _clauses(text):
        named = _in_clause(clause)
        if named and named[0].label == problem.label:
            return bool(_ADDED_ON.match(clause))
    return False


def names_topic(text: str, topic: str) -> bool:
    """Whether any cue of `topic` is in the message, first in its clause or not."""
    fixed = fix_typos(text or "")
    return any(problem.topic == topic and cue.search(fixed) for problem, cue in _CUES)


def asked(text: str) -> Tuple[Optional[Problem], str]:
    """The problem the worker asks about, and the part of the message that asks it.

    The question is the last clause phrased as one; it asks about the problem it names, or else
    about the problem named just before it ("……被开除了，怎么办").
    """
    clauses = _clauses(text)
    rider = bool(_PLATFORM.search(text or ""))
    if not clauses:
        return None, text
    at = max((i for i, c in enumerate(clauses) if looks_like_a_question(c)), default=len(clauses) - 1)
    firsts: List[Optional[Problem]] = [next(iter(_in_clause(c)), None) for c in clauses]
    hurt = [i for i, p in enumerate(firsts) if p is not None and p.label == INJURY]
    if firsts[at] is None and hurt:
        # "不知道该先弄哪一个": with no problem in the question, the injury goes first, because
        # its 工伤认定 has a time limit that can be lost (工伤保险条例 §17).
        problem = firsts[hurt[0]]
        assert problem is not None
        problem = _AS_A_RIDER.get(problem.label, problem) if rider else problem
        return problem, "，".join([clauses[hurt[0]], clauses[at]])
    for i in range(at, -1, -1):
        named = _in_clause(clauses[i])
        if named:
            problem = _AS_A_RIDER.get(named[0].label, named[0]) if rider else named[0]
            return problem, "，".join(clauses[i : at + 1])
    return None, "，".join(clauses[at : at + 1])
