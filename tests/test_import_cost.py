"""The render path does not pay for imports it does not use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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


CLI_PROBE = """
import atexit, runpy, sys
atexit.register(lambda: print("hypothesis:", sys.modules.get("hypothesis", "not imported")))
sys.argv = ["helpers", "validate", "--township", "sample"]
runpy.run_module("helpers", run_name="__main__")
"""


def test_the_command_line_does_not_import_the_test_only_hypothesis():
    """Pandera imports hypothesis (a test dependency) when installed: half a second the command line skips."""
    result = subprocess.run([sys.executable, "-c", CLI_PROBE], capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "数据校验通过" in result.stdout, result.stdout
    assert result.stdout.strip().splitlines()[-1] == "hypothesis: None"


@pytest.mark.notebook
def test_a_warm_kernel_does_not_import_the_test_only_hypothesis(tmp_path):
    import nbformat

    from helpers.pipeline.execute import execute_notebook
    from helpers.pipeline.kernels import WarmKernel

    source = tmp_path / "probe.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import sys\nprint(sys.modules.get('hypothesis', 'not imported'))")]
    nbformat.write(nb, str(source))
    kernel = WarmKernel(tmp_path)
    try:
        done = execute_notebook(source, tmp_path / "out.ipynb", {}, tmp_path / "failed", kernel=kernel)
    finally:
        kernel.shutdown()
    cells = nbformat.read(str(done.path), as_version=4).cells
    assert [o.get("text") for o in cells[0].outputs] == ["None\n"]
