"""Running and assembling: executing notebooks, stitching, fingerprints, publishing, the index, render.

Importing this package marks ``rfc3987_syntax`` as absent (unless something imported it already).
jsonschema, which nbformat and papermill import, builds that package's 39 lark grammars at import time
when it is installed (JupyterLab's jupyter-events brings it): one to three seconds in every render
process before the first notebook starts, for the "iri" format checks that no notebook schema uses.
A module set to None in ``sys.modules`` makes ``import`` raise ImportError, which jsonschema expects
for optional format checkers and skips.

``skip_test_only_imports()`` does the same for ``hypothesis`` in the processes that render (the command
line and the kernels), never in a test run: pandera imports hypothesis for its data-synthesis strategies
whenever it is installed (the tests install it), half a second in every such process, and validation
does not use it.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)

TEST_ONLY_MODULES = ("hypothesis",)


def skip_test_only_imports() -> None:
    """Mark the test-only modules absent in this process, unless something imported them already."""
    for name in TEST_ONLY_MODULES:
        sys.modules.setdefault(name, None)
