"""Shared helpers of the end-to-end proof tests (bad input, safety, concurrency, browser).

Imported explicitly by those modules (this is not a conftest.py, so nothing here is automatic):
running the real command line in a fresh interpreter, hashing an outputs tree, copying the sample,
and one good render of the sample township that the whole session shares.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest

from helpers.config import DATA_DIR, ROOT

SAMPLE_MONTH = "2018-08"
RENDER_TIMEOUT_SECONDS = 600
"""A whole render of one month takes 10–30 s on two cores; ten times that means it hangs."""


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for ``python -m helpers``: the project importable from any folder, no colour, UTF-8."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    env.update(extra)
    return env


def render_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "helpers", "render", *args]


def run_render(*args: str, cwd: Path | None = None, timeout: float = RENDER_TIMEOUT_SECONDS,
               prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    """``python -m helpers render ARGS`` in a fresh interpreter; stdout and stderr as text."""
    return subprocess.run([*(prefix or []), *render_argv(*args)], cwd=cwd or ROOT, env=cli_env(),
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def tree_digest(root: Path) -> str:
    """A hash of everything under ``root``: each entry's relative path, kind, mode, mtime and bytes.

    Two equal digests mean nothing was added, removed, rewritten or even touched.
    """
    h = hashlib.sha256()
    root = Path(root)
    if not root.exists():
        return "absent"
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        rel = path.relative_to(root).as_posix()
        h.update(f"{rel}\0{st.st_mode:o}\0".encode())
        if path.is_file() and not path.is_symlink():
            h.update(f"{st.st_mtime_ns}\0".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
        elif path.is_symlink():
            h.update(os.readlink(path).encode())
    return h.hexdigest()


def tree_listing(root: Path) -> list[str]:
    """Every relative path under ``root``, sorted (for readable assertion messages)."""
    return sorted(p.relative_to(root).as_posix() for p in Path(root).rglob("*"))


def copy_sample(dest_data_dir: Path, township: str = "sample") -> Path:
    """A writable copy of data/sample as ``dest_data_dir/<township>``; returns the township folder."""
    folder = Path(dest_data_dir) / township
    shutil.copytree(DATA_DIR / "sample", folder)
    return folder


_GOOD_RENDER: dict[str, Path] = {}


def good_render(tmp_path_factory) -> Path:
    """The outputs folder of one successful render of the sample's 2018-08, made once per session.

    Callers must not modify it: copy it (``shutil.copytree(..., symlinks=True)``) to use it as a
    starting state.
    """
    if "out" not in _GOOD_RENDER:
        base = tmp_path_factory.mktemp("good-render")
        out = base / "outputs"
        result = run_render("--township", "sample", "--month", SAMPLE_MONTH, "--out", str(out), "--jobs", "2")
        assert result.returncode == 0, f"the sample did not render:\n{result.stdout}\n{result.stderr}"
        assert (out / "sample" / SAMPLE_MONTH / "report.html").is_file()
        _GOOD_RENDER["out"] = out
    return _GOOD_RENDER["out"]


def skip_or_fail(reason: str) -> NoReturn:
    """Skip for a missing prerequisite; under CI (env CI set) fail, so a green run never hides an unrun test."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} — CI must run this test")
    pytest.skip(reason)


# --- a path that cannot be read or written, even as root ---------------------------------------------------

NO_DAC = ["--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


LIST_DIR = "import os, sys; os.listdir(sys.argv[1])"
READ_FILE = "import sys; open(sys.argv[1], 'rb').read()"
WRITE_IN_DIR = "import os, sys; open(os.path.join(sys.argv[1], 'probe'), 'w')"


def unprivileged_prefix(target: Path, probe: str) -> list[str]:
    """A command prefix under which a locked ``target`` really cannot be read or written (``probe`` must fail).

    Root ignores permissions through the capabilities CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, so as root
    the command runs under ``setpriv`` without them (still uid 0: the interpreter under /root stays
    reachable). Skips when neither works, and fails under CI (which runs as root): there the check must run.
    """
    candidates = [[]] if os.geteuid() != 0 else []
    setpriv = shutil.which("setpriv")
    if setpriv and os.geteuid() == 0:
        candidates.append([setpriv, *NO_DAC])
    for prefix in candidates:
        found = subprocess.run([*prefix, sys.executable, "-c", probe, str(target)], capture_output=True, text=True,
                               check=False)
        if found.returncode != 0 and "PermissionError" in found.stderr:
            return prefix
    skip_or_fail("running as root and setpriv cannot drop CAP_DAC_OVERRIDE here: a mode-000 path stays readable")
