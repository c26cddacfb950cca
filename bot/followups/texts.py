"""What follow-ups say to the worker and what GongYou answers to their replies.

Every article named here is in CITATIONS, which tests/test_followups_texts.py checks against
the statutes (../shared/law).
"""

from __future__ import annotations

from typing import Optional

from bot.cases.wording import route, status_words

TARGET_NAMES = {
    "union": "工会",
    "court": "人民法院",
    "procuratorate": "人民检察院",
    "labour_inspection": "劳动保障监察",
    "arbitration": "劳动争议仲裁委员会",
    "legal_aid": "法律援助机构",
    "petition": "信访部门",
    "tax": "税务部门",
}
_ORDINAL = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    return _ORDINAL[n - 1] if 1 <= n <= len(_ORDINAL) else str(n)


def yuan(amount: float) -> str:
    return f"{amount:.0f}" if float(amount).is_integer() else f"{amount:.2f}"


def instalment_question(case_no: str, seq: int, amount: float) -> str:
    return (
        f"【回访】您的案件{case_no}：按调解协议，第{ordinal(seq)}期{yuan(amount)}元今天该到账了。"
        "钱到了吗？请回复“收到了”、“没有”或“只收到一部分”。"
    )


def after_close_question(case_no: str) -> str:
    return (
        f"【回访】您的案件{case_no}已经办结一周了。钱都拿到了吗？"
        "请给我们的服务打个分：1到5分，5分最满意，直接回一个数字就行。"
    )


def status_notice(case_no: str, status: str, category: Optional[str], to: Optional[str] = None) -> str:
    if status == "accepted":
        head = f"服务站已受理您的案件{case_no}，工作人员会打电话联系您。"
        return head
    if status == "referred" and to:
        return (
            f"您的案件{case_no}已转给{TARGET_NAMES.get(to, to)}办理，之前的材料一并转过去，"
            "不用重新登记。用案件号和查询码随时可以查进度。"
        )
    # The clock reminder is for the case page; a notice says what happened (and, when final, the next door).
    return f"您的案件{case_no}有新进展：" + status_words(status, category).split("提醒：")[0]


PAID = "好的，记下了：第{n}期已经到账。有问题随时找我们。"
RATING_QUESTION = "协议的钱都到账了，祝贺您！请给我们的服务打个分：1到5分，5分最满意，直接回一个数字就行。"
COMMENT_QUESTION = "谢谢您打分！还有什么想对我们说的吗？直接写下来；不想写就回“没有”。"
THANKS = "谢谢您的意见，我们会转给服务站。祝您工作顺利！"
# After a missed instalment: the station acts first; the worker's own routes, by category.
_UNPAID_HEAD = "记下了：第{n}期没有按时足额到账。服务站会把您的案件排到最前面，尽快联系单位。"
_UNPAID_NEXT = {
    "labour": (
        "您自己也可以：\n"
        "1. 欠的是工资、工伤医疗费、经济补偿或赔偿金的，拿调解协议书向法院申请支付令"
        "（《劳动争议调解仲裁法》第十六条）；\n"
        "2. 人民调解委员会调解的协议，双方可以在协议生效30日内一起向法院申请司法确认，"
        "确认后单位不履行的，可以申请强制执行（《人民调解法》第三十三条）；\n"
        "3. 向劳动保障监察投诉（《劳动保障监察条例》第九条）；\n"
        "4. 向劳动争议仲裁委员会申请仲裁（《劳动争议调解仲裁法》第五条）。"
    ),
    "pension": "请带上和社保经办机构谈妥的材料去经办机构问清楚；对它的书面决定不服的，"
    "可以申请行政复议（《行政复议法》第二十条）或者提起行政诉讼（《社会保险法》第八十三条）。",
}
UNPAID_NEXT_LABOUR = _UNPAID_NEXT["labour"]

CITATIONS = (
    ("劳动争议调解仲裁法", 5),
    ("劳动争议调解仲裁法", 16),
    ("人民调解法", 33),
    ("劳动保障监察条例", 9),
    ("行政复议法", 20),
    ("社会保险法", 83),
)


def unpaid(n: int, category: Optional[str]) -> str:
    way = "pension" if route(category) == "pension" else "labour"
    return _UNPAID_HEAD.format(n=ordinal(n)) + _UNPAID_NEXT[way]


def all_texts() -> tuple:
    return (PAID, RATING_QUESTION, COMMENT_QUESTION, THANKS, _UNPAID_HEAD, *_UNPAID_NEXT.values())
