"""The complaint topics GongYou knows, and the numbers that decide how a case is treated.

The one definition: Python code imports these; the YAML and JavaScript that cannot import them
(domain.yml, data/, bot/law/faq.yml, the chat page's topic chips) are held to them by
tests/test_single_owner.py.
"""

from __future__ import annotations

# Contract §1: the complaint intents, in the order workers are offered them.
TOPICS = (
    "wage_arrears",
    "pension_adjustment",
    "social_insurance",
    "labor_contract",
    "dismissal",
    "work_injury",
    "overtime",
    "platform_work",
)

# Contract §1: questions about mediation, arbitration, inspection, lawsuits and legal aid with no
# topic named. Not a complaint topic (no case category), but the FAQ answers it like one.
PROCEDURE = "dispute_procedure"

# 劳动争议调解仲裁法 §7: ten or more workers with a common claim are a collective dispute (they
# choose representatives; stations treat these first).
COLLECTIVE_WORKERS = 10

# The intent Rasa's FallbackClassifier (and our own empty-input guard) gives a message it cannot place.
FALLBACK_INTENT = "nlu_fallback"


def is_topic(name: object) -> bool:
    return isinstance(name, str) and name in TOPICS
