"""Each shared idea has one definition; everything that cannot import it is held to it here.

A second list of topics, a second case-number pattern, a hotline typed as a bare number in
Python, or a threshold written twice makes these fail.
"""

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from bot import hotlines
from bot.dialogue import calculation_flow
from bot.law import faq, guidance
from bot.stations import station as stations
from bot.topics import COLLECTIVE_WORKERS, FALLBACK_INTENT, PROCEDURE, TOPICS

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]


def tracked(*suffixes):
    names = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / n for n in names if n.endswith(suffixes) and (ROOT / n).exists()]


def test_topic_tables_cover_exactly_the_topics():
    assert set(guidance.GUIDANCE) >= set(TOPICS) | {PROCEDURE}
    assert set(stations.KINDS_FOR) == set(TOPICS)
    assert set(calculation_flow.BY_TOPIC) <= set(TOPICS)
    assert {entry.key.split("/")[0] for entry in faq.entries()} == set(TOPICS) | {PROCEDURE}


def test_domain_and_chat_page_name_every_topic():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert set(TOPICS) <= set(domain["intents"])
    category_values = {m.get("value") for m in domain["slots"]["category"]["mappings"] if m.get("value")}
    assert category_values == set(TOPICS)
    chips = re.findall(r'payload: "/(\w+)"', (ROOT / "bot/web/static/chat/chat.js").read_text(encoding="utf-8"))
    assert set(TOPICS) <= set(chips)


def test_case_number_pattern_defined_once():
    pattern = re.compile(r"GY\\{1,2}d\{8\}")
    owners = [
        p.relative_to(ROOT).as_posix() for p in tracked(".py", ".js") if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert owners == ["bot/cases/numbers.py"]


def test_python_names_hotlines_and_thresholds_through_their_owner():
    hotline = re.compile(r"(?<!\d)123(33|51|48)(?!\d)")
    fallback = re.compile(rf"[\"']{FALLBACK_INTENT}[\"']")
    threshold = re.compile(rf"^\s*\w*COLLECTIVE\w*\s*=\s*{COLLECTIVE_WORKERS}\b", re.M)
    offenders = []
    for path in tracked(".py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("tests/") or rel.startswith("bench/"):
            continue
        text = path.read_text(encoding="utf-8")
        if rel != "bot/hotlines.py" and hotline.search(text):
            offenders.append((rel, "hotline"))
        if rel != "bot/topics.py" and fallback.search(text):
            offenders.append((rel, "fallback intent"))
        if rel != "bot/topics.py" and threshold.search(text):
            offenders.append((rel, "collective threshold"))
    assert offenders == []


def test_hotlines_written_in_texts_are_real_ones():
    """Texts that cannot import bot/hotlines.py (YAML, pages) may only name the known numbers."""
    known = set(hotlines.NAMES)
    found = set()
    for path in tracked(".yml", ".html", ".js"):
        found |= set(re.findall(r"(?<!\d)(123\d\d)(?!\d)", path.read_text(encoding="utf-8")))
    assert found and found <= known, found - known


def test_one_linear_migration_chain_and_one_metadata():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from bot.storage import engine, events, operators, tables

    config = Config()
    config.set_main_option("script_location", str(engine.MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1
    assert all(len(r._versioned_down_revisions) <= 1 for r in script.walk_revisions())
    assert events.metadata is operators.Base.metadata is tables.Base.metadata
    assert {"cases", "operators", "event_stats"} <= set(tables.Base.metadata.tables)
