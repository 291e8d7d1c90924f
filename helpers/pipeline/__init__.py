"""Running and assembling: executing notebooks, stitching, fingerprints, publishing, the index, render.

Importing this package marks ``rfc3987_syntax`` as absent (unless something imported it already).
jsonschema, which nbformat and papermill import, builds that package's 39 lark grammars at import time
when it is installed (JupyterLab's jupyter-events brings it): one to three seconds in every render
process before the first notebook starts, for the "iri" format checks that no notebook schema uses.
A module set to None in ``sys.modules`` makes ``import`` raise ImportError, which jsonschema expects
for optional format checkers and skips.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)
