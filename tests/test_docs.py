"""The README and docs/ name only files, folders and modules that exist, and the README's folder
map shows every folder of the repository and of bot/: a move that forgets the docs fails here."""

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.unit

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOP = ("bot", "actions", "data", "tests", "bench", "deploy/k8s", "docs")
PATH = re.compile(r"(?<![\w./-])((?:%s)/[\w./-]*[\w/])" % "|".join(TOP))
MODULE = re.compile(r"(?<![\w./-])(bot(?:\.\w+)+)")
LINK = re.compile(r"\]\(([^)#\s]+)")
# Made by make or at run time, never committed.
GENERATED = {"build", "models", "var", "results", "node_modules", "__pycache__", "artifacts"}


def fenced_blocks(text: str):
    """The contents of the ``` blocks, in order."""
    blocks, current = [], None
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                current = []
            else:
                blocks.append("\n".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def code_spans(text: str):
    yield from fenced_blocks(text)
    yield from re.findall(r"`([^`\n]+)`", "\n".join(text.split("```")[::2]))


def named_paths(page: Path):
    text = page.read_text(encoding="utf-8")
    for span in code_spans(text):
        for path in PATH.findall(span):
            if not set(Path(path).parts) & GENERATED and "<" not in path:
                yield path


def module_exists(dotted: str) -> bool:
    parts = dotted.split(".")
    while len(parts) >= 2:  # bot.events.stats.conversation_stats: a function in a module
        base = ROOT.joinpath(*parts)
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            return True
        parts = parts[:-1]
    return False


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_named_path_exists(page):
    missing = sorted({path for path in named_paths(page) if not (ROOT / path).exists()})
    assert missing == [], f"{page.name} names paths that do not exist"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_named_module_exists(page):
    text = page.read_text(encoding="utf-8")
    modules = {m for span in code_spans(text) for m in MODULE.findall(span)}
    assert sorted(m for m in modules if not module_exists(m)) == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_link_resolves(page):
    text = "\n".join(page.read_text(encoding="utf-8").split("```")[::2])  # no code: `[八千](amount)`
    links = [
        link
        for link in LINK.findall(re.sub(r"`[^`\n]+`", "", text))
        if "://" not in link and not link.startswith("../shared") and re.search(r"[./]", link)
    ]
    assert [link for link in links if not (page.parent / link).exists()] == []


def folder_map() -> set:
    """The entries of the README's map: `name/` at the left, `  name` under the folder above."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in fenced_blocks(text) if b.startswith("bot/"))
    entries, parent = set(), ""
    for line in block.splitlines():
        name = line.split()[0]
        if line.startswith("  "):
            entries.add(parent + name.rstrip("/"))
        else:
            parent = name if name.endswith("/") else ""
            entries.add(name.rstrip("/"))
    return entries


def test_folder_map_names_real_folders():
    assert sorted(entry for entry in folder_map() if not (ROOT / entry).exists()) == []


def test_folder_map_shows_every_folder():
    def folders(where: Path):
        return {
            p.relative_to(ROOT).as_posix()
            for p in where.iterdir()
            if p.is_dir() and not p.name.startswith(".") and p.name not in GENERATED
        }

    shown = folder_map()
    expected = (folders(ROOT) | folders(ROOT / "bot")) - {"deploy"}  # shown as deploy/k8s
    assert sorted(expected - shown) == []
