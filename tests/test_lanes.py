"""Every test is in a lane (pytest.ini's markers), so `make unit` and the other lanes miss none.

A test file's lane is a module-level `pytestmark`, a class's `pytestmark`, or a decorator on the
test itself. Read from the source, so a file that fails to import is still checked."""

import ast
import configparser

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.unit


def lanes() -> set:
    ini = configparser.ConfigParser()
    ini.read(ROOT / "pytest.ini", encoding="utf-8")
    return {line.split(":")[0].strip() for line in ini["pytest"]["markers"].strip().splitlines()}


def _marks(node) -> set:
    """Lane names in a decorator list or a `pytestmark = …` value: pytest.mark.X, called or not."""
    found = set()
    for sub in ast.walk(node):
        if (
            isinstance(sub, ast.Attribute)
            and isinstance(sub.value, ast.Attribute)
            and sub.value.attr == "mark"
            and isinstance(sub.value.value, ast.Name)
            and sub.value.value.id == "pytest"
        ):
            found.add(sub.attr)
    return found


def _pytestmark(body) -> set:
    found = set()
    for node in body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets):
            found |= _marks(node.value)
    return found


def unmarked(source: str, lane_names: set) -> list:
    """Names of the tests in `source` that carry no lane."""
    tree = ast.parse(source)
    module = _pytestmark(tree.body) & lane_names
    missing = []

    def check(func, inherited):
        if func.name.startswith("test") and not (inherited or _marks(ast.Module(func.decorator_list, [])) & lane_names):
            missing.append(func.name)

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            check(node, module)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            inherited = (
                module
                | (_pytestmark(node.body) & lane_names)
                | (_marks(ast.Module(node.decorator_list, [])) & lane_names)
            )
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    check(item, inherited)
    return missing


# Fixtures that load the model, start servers or a browser: what the unit lane promises to do without.
NOT_UNIT = {"agent", "parse", "stack", "servers", "fake_wechat", "browser", "new_page"}


def test_unit_tests_use_no_model_server_or_browser(request):
    """Checks every test collected with this one (all of them in `make unit` and `make test`)."""
    wrong = [
        item.nodeid
        for item in request.session.items
        if item.get_closest_marker("unit") and NOT_UNIT & set(getattr(item, "fixturenames", ()))
    ]
    assert wrong == []


def test_the_lanes_are_registered():
    assert {"unit", "db", "stack", "browser", "production"} <= lanes()


@pytest.mark.parametrize("path", sorted((ROOT / "tests").glob("test_*.py")), ids=lambda p: p.name)
def test_every_test_has_a_lane(path):
    assert unmarked(path.read_text(encoding="utf-8"), lanes()) == []


def test_the_check_sees_a_missing_lane():
    source = """
import pytest

@pytest.mark.parametrize("x", [1])
def test_no_lane(x):
    pass

@pytest.mark.db
def test_db():
    pass

class TestThings:
    def test_method(self):
        pass

@pytest.mark.stack
class TestServers:
    def test_up(self):
        pass
"""
    assert unmarked(source, lanes()) == ["test_no_lane", "test_method"]
    assert unmarked("import pytest\npytestmark = [pytest.mark.unit]\n" + source, lanes()) == []
    assert unmarked("import pytest\npytestmark = pytest.mark.slow\ndef test_x():\n    pass\n", lanes()) == ["test_x"]
