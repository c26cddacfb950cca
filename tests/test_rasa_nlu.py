"""The NLU speed-ups of bot/runtime/rasa_nlu.py change no parse: every training example (data/nlu*)
and every held-out one (tests/data/nlu_test.yml), plus texts that take the slow paths, parsed by
the trained model with Rasa's own code and then with the speed-ups, give the same intent, ranking,
entities and everything else in the parse; the messages inside the graph carry the same tokens,
features (entries, order, dtypes) and spaCy parses."""

from __future__ import annotations

import asyncio
import logging

import numpy as np
import pytest

from bot.runtime import rasa_nlu
from tests.conftest import MODEL, ROOT, training_data

pytestmark = pytest.mark.model

# Texts that reach the fallbacks: Latin capitals (spaCy parsed again), nothing to read, other scripts.
EDGE_TEXTS = [
    "",
    "   ",
    "KTV老板欠我工资",
    "Boss didn't pay me",
    "我在Shenzhen的ABC电子厂上班",
    "老闆欠我三個月工資",
    "😭😭😭",
    "1380013800",
    "工资" * 400,
]


def _texts():
    from bot.nlu.evaluation import load_examples

    held_out = [e.text for e in load_examples(str(ROOT / "tests" / "data" / "nlu_test.yml"))]
    trained = [m.get("text") for m in training_data().training_examples if m.get("text")]
    return list(dict.fromkeys(trained + held_out + EDGE_TEXTS))


def _snapshot(message):
    """What a message carries out of the graph, in comparable form."""
    from rasa.nlu.constants import SPACY_DOCS, TOKENS_NAMES
    from rasa.shared.nlu.constants import TEXT

    features = []
    for f in message.features:
        matrix = f.features.tocoo() if f.is_sparse() else f.features
        entry = (f.type, f.attribute, f.origin, str(matrix.dtype), matrix.shape)
        if f.is_sparse():
            entry += (str(matrix.row.dtype), matrix.row.tolist(), matrix.col.tolist(), matrix.data.tolist())
        else:
            entry += (np.asarray(matrix).tolist(),)
        features.append(entry)
    tokens = [(t.text, t.start, t.end, t.data) for t in message.get(TOKENS_NAMES[TEXT]) or []]
    doc = message.get(SPACY_DOCS[TEXT])
    spacy = None if doc is None else (doc.text, [t.text for t in doc], [(e.start_char, e.end_char) for e in doc.ents])
    # message_id: a fresh uuid for every message
    rest = {k: v for k, v in message.data.items() if k not in (TOKENS_NAMES[TEXT], SPACY_DOCS[TEXT], "message_id")}
    return {"features": features, "tokens": tokens, "spacy": spacy, "data": rest}


@pytest.fixture(scope="module")
def runs():
    """Each text parsed and run through the graph by Rasa's code, then with the speed-ups."""
    from bot.nlu.evaluation import load_agent

    assert MODEL.exists(), "no trained model: run the tests through `make test`"
    installed_before = rasa_nlu.installed()  # by another test of this session: left as found
    rasa_nlu.uninstall()
    logging.disable(logging.WARNING)
    try:
        agent = load_agent(str(MODEL))
    finally:
        logging.disable(logging.NOTSET)
    runner = agent.processor.graph_runner
    target = agent.processor.model_metadata.nlu_target
    texts = _texts()
    loop = asyncio.new_event_loop()
    seen = []

    def run_and_keep(**kwargs):
        # The runner's class method as it is now (Rasa's or the speed-up's), keeping the message.
        results = type(runner).run(runner, **kwargs)
        seen.append(results[target][0])
        return results

    runner.run = run_and_keep

    def run_all():
        parses, snapshots = [], []
        for text in texts:
            seen.clear()
            parses.append(loop.run_until_complete(agent.parse_message(text)))
            (message,) = seen
            snapshots.append(_snapshot(message))
        return parses, snapshots

    try:
        rasa = run_all()
        rasa_nlu.install()
        assert rasa_nlu.installed()
        ours = run_all()
    finally:
        rasa_nlu.uninstall()
        del runner.run
        loop.close()
    yield texts, rasa, ours, agent
    if installed_before:
        rasa_nlu.install()


def test_every_example_was_parsed(runs):
    texts, rasa, ours, _ = runs
    assert len(texts) > 3000
    assert len(rasa[0]) == len(ours[0]) == len(texts)


def test_same_intent_and_ranking(runs):
    texts, (rasa, _), (ours, _), _ = runs
    for text, a, b in zip(texts, rasa, ours):
        assert a["intent"]["name"] == b["intent"]["name"], text
        assert a["intent"]["confidence"] == pytest.approx(b["intent"]["confidence"], abs=1e-9), text
        assert [r["name"] for r in a["intent_ranking"]] == [r["name"] for r in b["intent_ranking"]], text
        for r, s in zip(a["intent_ranking"], b["intent_ranking"]):
            assert r["confidence"] == pytest.approx(s["confidence"], abs=1e-9), text


def test_same_entities(runs):
    texts, (rasa, _), (ours, _), _ = runs
    for text, a, b in zip(texts, rasa, ours):
        assert a["entities"] == b["entities"], text  # values, spans, extractors, confidences


def test_same_parse_in_full(runs):
    texts, (rasa, _), (ours, _), _ = runs
    for text, a, b in zip(texts, rasa, ours):
        assert a == b, text


def test_same_tokens_features_and_spacy_parses_inside_the_graph(runs):
    texts, (_, rasa), (_, ours), _ = runs
    for text, a, b in zip(texts, rasa, ours):
        assert a == b, text


def test_both_spacy_paths_were_taken(runs):
    """SpacyNLP's doc is of the lower-cased text: the extractor shares it for most Chinese text and
    parses again where lower-casing changed something (Latin capitals)."""
    texts, (_, rasa), _, _ = runs
    shared = texts.index("老闆欠我三個月工資")
    assert rasa[shared]["spacy"][0] == rasa[shared]["data"]["text"]
    again = texts.index("我在Shenzhen的ABC电子厂上班")
    assert rasa[again]["spacy"][0] != rasa[again]["data"]["text"]


def test_nodes_run_in_dasks_order(runs):
    """The order kept for the NLU graph is the order dask runs it in (a dask callback records it)."""
    from dask.callbacks import Callback
    from rasa.core.channels import UserMessage
    from rasa.shared.core.trackers import DialogueStateTracker

    *_, agent = runs
    runner = agent.processor.graph_runner
    target = agent.processor.model_metadata.nlu_target
    inputs = {"__message__": [UserMessage("老板欠我工资")], "__tracker__": DialogueStateTracker.from_events("t", [])}
    ran = []
    with Callback(pretask=lambda key, dsk, state: ran.append(key)):
        runner.run(inputs=inputs, targets=[target])
    plan = rasa_nlu._plan(runner, tuple(inputs), [target])
    assert [step[0] for step in plan.steps] == ran
    assert len(ran) >= 10


def test_sentence_matrix_is_what_sklearn_makes_of_rasas(runs):
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
    from rasa.shared.nlu.training_data.message import Message
    from scipy.sparse import csr_matrix

    from bot.runtime.rasa_nlu import sentence_matrix

    *_, agent = runs
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    classifier = next(n._component for n in nodes if isinstance(n._component, LogisticRegressionClassifier))
    runner, target = agent.processor.graph_runner, agent.processor.model_metadata.nlu_target
    from rasa.core.channels import UserMessage
    from rasa.shared.core.trackers import DialogueStateTracker

    messages = []
    for text in ["老板欠我三个月工资5000元", "你好", "我在沙坪坝区的工地摔伤了"]:
        inputs = {"__message__": [UserMessage(text)], "__tracker__": DialogueStateTracker.from_events("t", [])}
        messages.append(runner.run(inputs=inputs, targets=[target])[target][0])
    rasa = csr_matrix(rasa_nlu._ORIGINAL["create_x"](classifier, messages))
    rasa.sum_duplicates()
    ours = sentence_matrix(messages)
    assert ours.dtype == rasa.dtype and ours.shape == rasa.shape
    assert ours.indptr.tolist() == rasa.indptr.tolist()
    assert ours.indices.tolist() == rasa.indices.tolist()
    assert ours.data.tolist() == rasa.data.tolist()
    assert sentence_matrix([Message(data={"text": ""})]).shape == (1, 0)
