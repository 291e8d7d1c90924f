"""Entry point for ``python -m helpers``."""

import sys

from helpers.pipeline import skip_test_only_imports

skip_test_only_imports()  # before anything imports pandera (see helpers.pipeline)

from helpers.cli import main  # noqa: E402

sys.exit(main())
