"""The document form (issue 17): started by "帮我写仲裁申请书" or the button under a new case, its
own notice and yes, then the questions of bot/dialogue/document_intake.py, a summary to check,
and the details sent to the case service; the worker gets the link and how to file.

There is no intent of its own (contract §1 fixes the intents): a request for a document is an
`open_case`, and action_open_case reads its words.
"""

from datetime import date
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clients import blocking, case_client
from actions.form_guard import GuardedForm, ended
from bot import settings
from bot.cases.client import ThrottledLookup
from bot.cases.numbers import find_case_no
from bot.dialogue import conversation, privacy_notice
from bot.dialogue import document_intake as doc
from bot.law.faq import looks_like_a_question

FORM = "document_form"
# "取消" taken as the answer to a question (it was not read as a "no"): the form ends, nothing sent.
CANCELLED = {"doc_confirmed": False}


def _reset() -> List[Dict[Text, Any]]:
    return [SlotSet(slot, None) for slot in doc.SLOTS + doc.STATE] + [SlotSet("requested_slot", None)]


def start_document(kind: str) -> List[Dict[Text, Any]]:
    """Events that turn this turn into the document form, from its first question."""
    return _reset() + [SlotSet("doc_kind", kind), SlotSet("doc_wanted", None), FollowupAction(FORM)]


async def earlier_case(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict[Text, Any]]]:
    """A worker who asked for a document before this conversation had a case may hold one from an
    earlier conversation: the intake that started is left for the document form once number and
    follow code prove it (the same proof as the follow page). None: an intake answer as usual."""
    kind = tracker.get_slot("doc_wanted")
    if not kind or tracker.get_slot("case_no") or (tracker.active_loop or {}).get("name") != "case_form":
        return None
    text = tracker.latest_message.get("text") or ""
    case_no = find_case_no(text)
    if not case_no:
        return None
    requested = tracker.get_slot("requested_slot")
    ask_again = [SlotSet(requested, None), SlotSet("requested_slot", requested)] if requested else []
    code = conversation.find_follow_code(text)
    if not code:
        dispatcher.utter_message(text=doc.EARLIER_NEEDS_CODE)
        return ask_again
    try:
        found = await blocking(case_client().lookup, case_no, code, tracker.sender_id)
    except ThrottledLookup as throttled:
        dispatcher.utter_message(text=str(throttled) or doc.EARLIER_NOT_FOUND)
        return ask_again
    except Exception:
        dispatcher.utter_message(text="系统有点忙，暂时查不到，请稍后再试。")
        return ask_again
    if not found:
        dispatcher.utter_message(text=doc.EARLIER_NOT_FOUND)
        return ask_again
    dispatcher.utter_message(text=doc.EARLIER_FOUND.format(case_no=found["case_no"]))
    # The intake ends without its own follow-up: the document form takes the turn.
    return ended(requested, ["consent"])[:-1] + [SlotSet("case_no", found["case_no"])] + start_document(kind)


class ActionOpenCase(Action):
    """ "我要登记" opens the intake (the rule's next step); "帮我写仲裁申请书" opens the document
    form when this conversation has a case, else the intake first, then the form."""

    def name(self) -> Text:
        return "action_open_case"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        asked = next(tracker.get_latest_entity_values("document"), None)
        kind = asked if asked in doc.KINDS else doc.kind_asked(tracker.latest_message.get("text") or "")
        if kind is None:
            return []
        if tracker.get_slot("case_no"):
            return start_document(kind)
        dispatcher.utter_message(text=doc.NEED_CASE)
        return [SlotSet("doc_wanted", kind)]


class ValidateDocumentForm(GuardedForm):
    """Like every form: "取消" ends it, "找人工" hands over, a question is answered and the same
    question asked again (actions/form_guard.py)."""

    own_slots = list(doc.SLOTS + doc.STATE)

    def name(self) -> Text:
        return "validate_document_form"

    def answers_it(self, requested, text, tracker) -> bool:
        if requested in ("doc_consent", "doc_confirmed"):
            return privacy_notice.says_yes(text) or doc.correction_field(text) is not None
        if requested == "doc_evidence":
            return bool(doc.add_evidence(text, tracker.get_slot("doc_evidence_items") or [])[0]) or doc.is_skip(text)
        # A name or an address takes any words, so a question is told apart by its shape.
        if looks_like_a_question(text) and not doc.is_skip(text):
            return False
        value, problem = doc.read(requested, text, date.today(), tracker.current_slot_values())
        return problem is None and value is not None

    def cancelled(self, dispatcher, tracker) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=doc.CANCELLED)
        return ended(tracker.get_slot("requested_slot"), self.own_slots)

    async def required_slots(self, domain_slots, dispatcher, tracker, domain) -> List[Text]:
        return doc.required(tracker.current_slot_values())

    def _read(self, slot: str, value: Any, dispatcher, tracker) -> Dict[Text, Any]:
        text = tracker.latest_message.get("text") or ""
        if doc.cancels(text):
            return {slot: None, **CANCELLED}
        named = doc.correction_field(text)
        if named and named != slot and tracker.get_slot("requested_slot") == slot:
            # "身份证号写错了" while another question is open: that one is asked again first.
            dispatcher.utter_message(text=f"好的，重新填一下{doc.LABELS[named]}。")
            return {slot: None, named: None}
        clean, problem = doc.read(slot, value, date.today(), tracker.current_slot_values())
        if problem:
            dispatcher.utter_message(text=problem)
        return {slot: clean}

    def validate_doc_consent(self, value, dispatcher, tracker, domain):
        said = tracker.latest_message.get("text") or ""
        if doc.cancels(said):
            return {"doc_consent": None, **CANCELLED}
        if privacy_notice.is_document_agreement(value) or (value is True and privacy_notice.says_yes(said)):
            return {"doc_consent": privacy_notice.document_agreement()}
        dispatcher.utter_message(text=doc.ASK_CONSENT_AGAIN)
        return {"doc_consent": None}

    def validate_doc_evidence(self, value, dispatcher, tracker, domain):
        if doc.cancels(tracker.latest_message.get("text") or ""):
            return {"doc_evidence": None, **CANCELLED}
        have, done = doc.add_evidence(str(value or ""), tracker.get_slot("doc_evidence_items") or [])
        if done:
            return {"doc_evidence": have or doc.UNKNOWN, "doc_evidence_items": have}
        return {"doc_evidence": None, "doc_evidence_items": have}

    def validate_doc_confirmed(self, value, dispatcher, tracker, domain):
        if value is True:
            return {"doc_confirmed": True}
        if doc.cancels(tracker.latest_message.get("text") or ""):
            return CANCELLED
        field = doc.correction_field(tracker.latest_message.get("text") or "")
        if field is None:
            dispatcher.utter_message(text="请点“确认”，或者说要改哪一项，比如“身份证号写错了”。")
            return {"doc_confirmed": None}
        dispatcher.utter_message(text=f"好的，重新填一下{doc.LABELS[field]}。")
        cleared = {"doc_confirmed": None, field: None}
        if field == "doc_evidence":
            cleared["doc_evidence_items"] = None
        return cleared


def _validator(slot: str):
    def validate(self, value, dispatcher, tracker, domain):
        return self._read(slot, value, dispatcher, tracker)

    return validate


for _slot in doc.SLOTS:
    if _slot not in ("doc_consent", "doc_evidence", "doc_confirmed"):
        setattr(ValidateDocumentForm, f"validate_{_slot}", _validator(_slot))


def _ask_action(slot: str) -> type:
    """action_ask_<slot>: the question, with "不清楚" and the slot's quick answers as buttons."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        quick = doc.QUICK.get(slot, [doc.UNKNOWN])
        dispatcher.utter_message(text=doc.QUESTIONS[slot], buttons=[{"title": q, "payload": q} for q in quick])
        return []

    return type(f"ActionAsk_{slot}", (Action,), {"name": lambda self: f"action_ask_{slot}", "run": run})


for _slot in doc.QUESTIONS:
    if _slot != "doc_evidence":
        globals()[f"ActionAsk_{_slot}"] = _ask_action(_slot)


class ActionAskDocConsent(Action):
    def name(self) -> Text:
        return "action_ask_doc_consent"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=privacy_notice.DOCUMENT_NOTICE, buttons=privacy_notice.CONSENT_BUTTONS)
        return []


class ActionAskDocEvidence(Action):
    def name(self) -> Text:
        return "action_ask_doc_evidence"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        text, choices = doc.evidence_question(
            tracker.get_slot("doc_topic"), tracker.get_slot("doc_evidence_items") or []
        )
        dispatcher.utter_message(text=text, buttons=[{"title": c, "payload": c} for c in choices])
        return []


class ActionAskDocConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_doc_confirmed"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=doc.summary(tracker.current_slot_values()), buttons=doc.CONFIRM_BUTTONS)
        return []


class ActionSubmitDocument(Action):
    """Sends the details to this conversation's case; the worker gets the link and how to file."""

    def name(self) -> Text:
        return "action_submit_document"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        slots = tracker.current_slot_values()
        case_no: Optional[str] = slots.get("case_no")
        if slots.get("doc_confirmed") is not True or not case_no:
            dispatcher.utter_message(text=doc.CANCELLED)
            return _reset()
        details = doc.details(slots, slots.get("doc_consent") or {})
        problem = await blocking(case_client().save_details, case_no, details, tracker.sender_id)
        if problem:
            dispatcher.utter_message(text=problem)
            return _reset()
        kind = slots.get("doc_kind") or "arbitration"
        dispatcher.utter_message(
            text=doc.ready_text(case_no, kind, settings.public_url(), details),
            json_message={"document": {"case_no": case_no, "kind": kind, "formats": ["pdf", "docx"]}},
        )
        return _reset()


class ActionDocumentDeny(Action):
    """A "no" in the document form: "不清楚" or "没有" answers the question, a no to the notice or a
    cancel stops the form and keeps nothing."""

    def name(self) -> Text:
        return "action_document_deny"

    async def run(self, dispatcher, tracker: Tracker, domain) -> List[Dict[Text, Any]]:
        requested = tracker.get_slot("requested_slot")
        text = tracker.latest_message.get("text") or ""
        if requested not in ("doc_consent", "doc_confirmed", None) and not doc.cancels(text):
            if requested == "doc_evidence":
                have = tracker.get_slot("doc_evidence_items") or []
                return [SlotSet("doc_evidence", have or doc.UNKNOWN), FollowupAction(FORM)]
            value, _ = doc.read(requested, text, date.today(), tracker.current_slot_values())
            return [SlotSet(requested, doc.UNKNOWN if value is None else value), FollowupAction(FORM)]
        said = privacy_notice.DOCUMENT_DECLINED if requested == "doc_consent" else doc.CANCELLED
        dispatcher.utter_message(text=said)
        return [ActiveLoop(None)] + _reset()
