"""The import contracts in pyproject.toml ([tool.importlinter]) hold.

The layers of the pipeline (knowledge → reasoning → intake → presentation, shells on
top) and the pure core are checked by import-linter. CI installs it (.ci/run); where
it is not installed this test is skipped, not passed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO


def test_import_contracts_are_kept() -> None:
    beside = Path(sys.executable).with_name("lint-imports")
    exe = str(beside) if beside.exists() else shutil.which("lint-imports")
    if exe is None:
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    out = subprocess.run([exe], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 broken" in out.stdout
