"""Incremental rendering: a hash of everything a month's report is made from, stored beside the report."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from helpers.config import PACKAGE_DIR, ROOT

REQUIREMENTS = ROOT / "requirements.txt"
FINGERPRINT_FILE = "fingerprint.json"
SKIPPED_DIRS = {"__pycache__"}
SKIPPED_SUFFIXES = {".pyc", ".pyo"}
REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True)
class Fingerprint:
    """The combined digest and the digest of each part (data, notebooks, source, parameters, packages)."""

    digest: str
    parts: Mapping[str, str] = field(default_factory=dict)

    def changed_parts(self, stored: Mapping | None) -> list[str]:
        """The parts that differ from a stored fingerprint record (all of them when there is none)."""
        old = (stored or {}).get("parts", {})
        return [name for name, value in self.parts.items() if old.get(name) != value]


def _is_input_file(path: Path, root: Path) -> bool:
    rel = path.relative_to(root).parts
    if any(p.startswith(".") or p in SKIPPED_DIRS for p in rel):
        return False
    return path.is_file() and path.suffix not in SKIPPED_SUFFIXES


def files_under(root: Path) -> list[Path]:
    """Every regular file below ``root``, sorted; hidden files and folders and bytecode are left out."""
    root = Path(root)
    return sorted(p for p in root.rglob("*") if _is_input_file(p, root))


def hash_files(paths: Iterable[Path], root: Path) -> str:
    """SHA-256 over each file's path relative to ``root`` and its bytes (so renames count as changes)."""
    h = hashlib.sha256()
    for path in paths:
        h.update(Path(path).relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return h.hexdigest()


def hash_json(value) -> str:
    """SHA-256 of a JSON-serialisable value in canonical form."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def data_digest(township_dir: Path) -> str:
    """The township's data files (every file in its folder except hidden ones such as ``.backup/``)."""
    return hash_files(files_under(township_dir), township_dir)


def notebooks_digest(notebooks: Iterable[Path]) -> str:
    """The notebooks that make up the report, in report order."""
    paths = [Path(p) for p in notebooks]
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def source_digest(package_dir: Path = PACKAGE_DIR) -> str:
    """Every file of the ``helpers`` package: modules, templates, styles."""
    return hash_files(files_under(package_dir), package_dir)


def requirement_names(requirements: Path = REQUIREMENTS) -> list[str]:
    """Package names listed in a requirements file (comments, options and includes skipped)."""
    if not Path(requirements).is_file():
        return []
    names = []
    for line in Path(requirements).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        match = REQUIREMENT_NAME.match(line) if line and not line.startswith("-") else None
        if match:
            names.append(match.group(1))
    return names


def package_versions(names: Iterable[str]) -> dict[str, str]:
    """Installed version of each package (``"-"`` where it is not installed), plus Python's own."""
    versions = {"python": sys.version.split()[0]}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "-"
    return versions


@dataclass(frozen=True)
class SharedDigests:
    """The digests every month of a run shares: notebooks, package source, package versions."""

    notebooks: str
    source: str
    packages: str


def shared_digests(notebooks: Iterable[Path], package_dir: Path = PACKAGE_DIR,
                   requirements: Path = REQUIREMENTS) -> SharedDigests:
    """Compute the shared digests once per run."""
    return SharedDigests(notebooks=notebooks_digest(notebooks), source=source_digest(package_dir),
                         packages=hash_json(package_versions(requirement_names(requirements))))


def month_fingerprint(data: str, shared: SharedDigests, parameters: Mapping[str, str]) -> Fingerprint:
    """Combine the township's data digest, the shared digests and the month's parameters."""
    parts = {"data": data, "notebooks": shared.notebooks, "source": shared.source,
             "parameters": hash_json(dict(parameters)), "packages": shared.packages}
    return Fingerprint(digest=hash_json(parts), parts=parts)


def read_stored(report_dir: Path) -> dict | None:
    """The record written beside a report, or None when there is none or it cannot be read."""
    try:
        record = json.loads((Path(report_dir) / FINGERPRINT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def is_current(report_dir: Path, fingerprint: Fingerprint) -> bool:
    """True when ``report_dir`` holds a complete report made from exactly these inputs."""
    stored = read_stored(report_dir)
    return (stored is not None and stored.get("digest") == fingerprint.digest
            and (Path(report_dir) / "report.html").is_file())


def write_stored(report_dir: Path, fingerprint: Fingerprint, report: Mapping) -> Path:
    """Write the fingerprint and facts about the report (township, month, generated at) beside it."""
    path = Path(report_dir) / FINGERPRINT_FILE
    record = {"digest": fingerprint.digest, "parts": dict(fingerprint.parts), "report": dict(report)}
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path
