"""Jieba with our dictionaries must keep key terms whole and never swallow an annotated entity
(a token crossing an entity's edge makes Rasa drop the annotation: RasaHQ/rasa#8722)."""

from pathlib import Path

import jieba
import pytest

from bot.text.cleaning import normalise_script
from tests.conftest import BUILD, NLU_FILES, ROOT

pytestmark = pytest.mark.unit

DICTIONARY = BUILD / "jieba"
DATA_FILES = [*NLU_FILES, ROOT / "tests" / "data" / "nlu_test.yml"]


@pytest.fixture(scope="module", autouse=True)
def dictionaries():
    assert DICTIONARY.is_dir(), "run `make gazetteer` first (make test does)"
    for path in sorted(DICTIONARY.iterdir()):
        jieba.load_userdict(str(path))


def terms():
    for line in (ROOT / "bot" / "nlu" / "dictionary" / "labour_terms.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield line.split()[0]


@pytest.mark.parametrize("term", list(terms()))
def test_key_term_is_one_token_in_a_sentence(term):
    sentence = f"我想问一下{term}的事"
    assert term in jieba.lcut(sentence)


@pytest.mark.parametrize("place", ["渝中区", "沙坪坝区", "巫溪县", "景德镇市", "昌南新区", "陶溪川", "浙江路"])
def test_places_are_one_token(place):
    assert place in jieba.lcut(f"我在{place}上班")


def misaligned(path: Path):
    from rasa.shared.nlu.training_data.loading import load_data

    problems = []
    for message in load_data(str(path)).training_examples:
        text = normalise_script(message.get("text"))
        edges = set()
        for _, start, end in jieba.tokenize(text):
            edges.update((start, end))
        for entity in message.get("entities") or []:
            if entity["start"] not in edges or entity["end"] not in edges:
                problems.append((text, text[entity["start"] : entity["end"]], jieba.lcut(text)))
    return problems


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_annotated_entity_survives_segmentation(path):
    assert misaligned(path) == []
