"""The render path does not pay for imports it does not use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
import helpers.pipeline
import nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
print("rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is not None, "lark" in sys.modules)
"""


def test_nbformat_on_the_render_path_skips_jsonschemas_iri_grammars():
    """No lark grammars are compiled for nbformat's validation on the render path.

    jsonschema compiles rfc3987-syntax's 39 grammars when that package is installed (JupyterLab brings
    it): seconds per process before the first notebook starts, for a format no notebook uses.
    """
    notebook = ROOT / "notebooks" / "00_overview.ipynb"
    result = subprocess.run([sys.executable, "-c", PROBE, str(notebook)], capture_output=True, text=True,
                            cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]
