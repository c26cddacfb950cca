"""`rasa data validate` finds no problem in the domain, the stories/rules and the NLU data."""
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_rasa_data_validate_is_clean():
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run([str(rasa), "data", "validate", "--fail-on-warnings"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
