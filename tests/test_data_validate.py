"""`rasa data validate` finds no problem in the domain, the rules and the NLU data."""
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

# Form questions are asked by the form, and utter_default and utter_inform by actions (the latter
# when the FAQ has no clear answer to a bare message), never by a rule step: Rasa 3.6's validator
# reports them all the same.
EXPECTED = re.compile(r"The utterance 'utter_(ask_\w+|default|inform)' is not used in any story or rule")


def test_rasa_data_validate_is_clean():
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run([str(rasa), "data", "validate"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    warnings = [line for line in output.splitlines()
                if "UserWarning" in line and "Deprecat" not in line and not EXPECTED.search(line)]
    assert warnings == []
    assert "No story structure conflicts found" in output
