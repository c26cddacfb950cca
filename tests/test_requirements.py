"""`make run` installs requirements.txt only: nothing GongYou runs may import a package that only
requirements-dev.txt (tests, lint, benchmarks) brings."""

import ast
import re
from importlib.metadata import packages_distributions

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.unit


def names(path):
    found = set()
    for line in (ROOT / path).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            found.add(re.split(r"[=<>!~\[; ]", line)[0].lower().replace("_", "-"))
    return found


def imported_top_levels(folder):
    modules = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.split(".")[0])
    return modules


def test_dev_requirements_are_apart():
    runtime, dev = names("requirements.txt"), names("requirements-dev.txt")
    assert {"pytest", "playwright", "ruff", "mypy"} <= dev
    assert not runtime & dev


@pytest.mark.parametrize("folder", ["bot", "actions"])
def test_served_code_imports_no_dev_only_package(folder):
    dev_only = names("requirements-dev.txt") - names("requirements.txt")
    # Python 3.10 maps only packages that declare their top level; the others are named as imported.
    distributions = packages_distributions()
    wrong = {
        module
        for module in imported_top_levels(folder)
        for dist in distributions.get(module) or [module]
        if dist.lower().replace("_", "-") in dev_only
    }
    assert wrong == set()
