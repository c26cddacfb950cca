"""GongYou's custom Rasa NLU components. Rules live in plain modules; these only wire them in."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.cases.group_code import find_code
from bot.nlu.entities import resolve_entities
from bot.stations.locate import only_a_place
from bot.text.cleaning import (
    DEFAULT_MAX_CHARS,
    WHOLE_MESSAGE_CHARS,
    clean_for_parse,
    clean_with_offsets,
    normalise_script,
)
from bot.text.language import is_foreign
from bot.topics import FALLBACK_INTENT

# A bare place name ("龙洲湾") is an answer to "where?", whatever small talk the classifier heard in
# it (it took 龙洲湾 for affirm, and the station question got "好的。").
ANSWER_INTENT = "inform"
SMALL_TALK = frozenset({"affirm", "deny", "greet", "goodbye", "thanks", "bot_challenge", "out_of_scope"})
# Words of joining plus a code-shaped token ("我要加入 群码 K7P-Q4X") is a co-worker joining a roster,
# whatever the classifier makes of six random letters (it once heard a forged code as a topic
# question, and the worker got the topic chooser instead of "没找到这个群码").
JOIN_INTENT = "open_case"

# Where TextNormaliser leaves the user's own text for EntityNormaliser (not part of the output).
SOURCE = "gongyou_source"
# A message longer than the NLU reads is kept whole, cleaned, in the parse result under this key:
# the actions look for every problem in all of it (a 2,000-character story names its injury late).
WHOLE_TEXT = "whole_text"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TextNormaliser(GraphComponent):
    """First in the pipeline: traditional → simplified, control characters out, length capped."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_chars": DEFAULT_MAX_CHARS}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._max_chars = int(config.get("max_chars", DEFAULT_MAX_CHARS))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TextNormaliser":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            text = message.get(TEXT)
            if text:
                message.set(TEXT, normalise_script(text))
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text is not None:
                cleaned, offsets = clean_with_offsets(text, self._max_chars)
                message.set(TEXT, cleaned)
                message.set(SOURCE, (text, offsets))
                whole = clean_for_parse(text, WHOLE_MESSAGE_CHARS)
                if len(whole) > len(cleaned):
                    message.set(WHOLE_TEXT, whole, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class EntityNormaliser(GraphComponent):
    """Last in the pipeline: merges what every extractor found into one clean list.

    amount/duration/worker_count/phone get numeric values (一万二 → 12000), overlapping hits from
    different extractors collapse to one, and a message with no intent gets the fallback one.
    """

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EntityNormaliser":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            source, offsets = message.get(SOURCE) or (text, list(range(len(text))))
            entities = resolve_entities(text, message.get(ENTITIES, []), source, offsets)
            joining = [e for e in entities if e.get("entity") == "join_group"]
            if joining:
                # A join request carries no case facts: the roster form asks each one. And Rasa's
                # rules match a message's entities as a set, so any other one (a code like X6K-…
                # read as 6,000 yuan) sent the join to a new case's intake instead.
                entities = joining
            message.set(ENTITIES, entities, add_to_output=True)
            intent = message.get(INTENT) or {}
            if not intent.get("name") or is_foreign(source):
                # Empty or unreadable input, or another language (a Chinese model's guess at English
                # is noise), still gets an answer path, never an error: the fallback action answers.
                message.set(INTENT, {"name": FALLBACK_INTENT, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": FALLBACK_INTENT, "confidence": 1.0}], add_to_output=True)
            elif intent.get("name") in SMALL_TALK and only_a_place(source):
                _settle_intent(message, ANSWER_INTENT)
            elif joining and find_code(source):
                _settle_intent(message, JOIN_INTENT)
        return messages


def _settle_intent(message: Message, name: str) -> None:
    """A rule that knows the intent better than the classifier: first in the ranking, sure of it."""
    settled = {"name": name, "confidence": 1.0}
    message.set(INTENT, settled, add_to_output=True)
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(INTENT_RANKING_KEY, [settled] + ranking, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(LogisticRegressionClassifier):
    """Rasa's LogisticRegressionClassifier, minus its crash on a message with no features.

    Stock Rasa raises on empty text (sklearn gets a 0-column matrix); such a message keeps no
    intent here, and EntityNormaliser gives it the fallback intent.
    """

    def process(self, messages: List[Message]) -> List[Message]:
        readable = [m for m in messages if _has_features(m)]
        if readable:
            super().process(readable)
        return messages


def _has_features(message: Message) -> bool:
    # Features exist exactly when the tokenizer found a token (asking for the features
    # themselves would cost 2 ms a message: Rasa combines them on every call).
    return bool(message.get(TOKENS_NAMES[TEXT]))
