"""`rasa data validate` finds no problem in the domain, the rules and the NLU data; the NLU data
loads through Rasa's reader, covers every intent of the domain, and is split by topic."""

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.topics import TOPICS
from tests.conftest import NLU_FILES, ROOT, training_data

pytestmark = pytest.mark.model

pytestmark = pytest.mark.model

# Form questions are asked by the form, and utter_default and utter_inform by actions (the latter
# when the FAQ has no clear answer to a bare message), never by a rule step: Rasa 3.6's validator
# reports them all the same.
EXPECTED = re.compile(r"The utterance 'utter_(ask_\w+|default|inform)' is not used in any story or rule")


def test_rasa_data_validate_is_clean():
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run([str(rasa), "data", "validate"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    warnings = [
        line
        for line in output.splitlines()
        if "UserWarning" in line and "Deprecat" not in line and not EXPECTED.search(line)
    ]
    assert warnings == []
    assert "No story structure conflicts found" in output


def domain_intents() -> list[str]:
    return YAML(typ="safe").load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"]


def test_nlu_files_are_every_file_rasa_trains_on():
    from rasa.shared.importers.rasa import RasaFileImporter

    importer = RasaFileImporter(str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")])
    assert sorted(Path(path).resolve() for path in importer._nlu_files) == sorted(NLU_FILES)


def test_every_intent_in_the_domain_has_examples():
    counts = Counter(message.get("intent").split("/")[0] for message in training_data().intent_examples)
    assert [intent for intent in domain_intents() if counts[intent] == 0] == []
    assert set(counts) <= set(domain_intents()), "examples for an intent the domain does not list"


def test_complaint_topics_are_written_in_data_nlu_yml_and_nowhere_else():
    """data/nlu.yml (the design card's file) holds the eight topics; the rest goes by topic
    under data/nlu/ (services, conversation, lookups, or a file of its own)."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    topics, homes = set(TOPICS), defaultdict(set)
    for path in NLU_FILES:
        for message in RasaYAMLReader().read(str(path)).intent_examples:
            homes[message.get("intent").split("/")[0]].add(path.relative_to(ROOT).as_posix())
    assert {topic: files for topic, files in homes.items() if topic in topics and files != {"data/nlu.yml"}} == {}
    assert {intent for intent, files in homes.items() if "data/nlu.yml" in files} == topics


def test_no_example_is_written_twice():
    counts = Counter(message.get("text") for message in training_data().intent_examples)
    assert [text for text, count in counts.items() if count > 1] == []
