"""The set-up: pinned requirements agree with environment.yml, make help, notebooks committed without outputs."""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest_proof import skip_or_fail

from helpers.config import ROOT

REQUIREMENT_FILES = ("requirements.txt", "requirements-dev.txt", "requirements-lab.txt")
CONDA_ONLY = {"python", "pip"}
PIN_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([A-Za-z0-9.+!_-]+)$")


def normalize(name: str) -> str:
    """Package names compare case-insensitively with -, _ and . folded (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_lines(path: Path) -> list[str]:
    """The requirement lines of a file, comments and blank lines dropped, ``-r`` includes left in."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def pinned(lines: list[str]) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in lines:
        if line.startswith("-r "):
            continue
        match = PIN_RE.match(line)
        assert match, f"not pinned with ==: {line!r}"
        name = normalize(match.group(1))
        assert name not in pins, f"listed twice: {name}"
        pins[name] = match.group(2)
    return pins


def requirements() -> dict[str, dict[str, str]]:
    return {name: pinned(requirement_lines(ROOT / name)) for name in REQUIREMENT_FILES}


def conda_environment() -> dict[str, str]:
    """environment.yml's packages: conda ``name=version`` entries (bar python and pip) and the pip list."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pins.update(pinned([str(x).strip() for x in dep.get("pip", [])]))
            continue
        name, _, version = str(dep).partition("=")
        if normalize(name) not in CONDA_ONLY:
            assert version, f"environment.yml: {dep!r} has no version"
            pins[normalize(name)] = version.lstrip("=")
    return pins


def test_every_requirement_is_pinned():
    for name, pins in requirements().items():
        assert pins, f"{name} lists no packages"
        for line in requirement_lines(ROOT / name):
            assert line.startswith("-r ") or PIN_RE.match(line), f"{name}: {line!r} is not pinned with =="


def test_dev_and_lab_requirements_include_the_runtime():
    for name in ("requirements-dev.txt", "requirements-lab.txt"):
        assert "-r requirements.txt" in requirement_lines(ROOT / name)


def test_requirement_files_do_not_overlap():
    files = requirements()
    seen: dict[str, str] = {}
    for file, pins in files.items():
        for package in pins:
            assert package not in seen, f"{package} is in both {seen.get(package)} and {file}"
            seen[package] = file


def test_environment_yml_matches_requirements():
    merged: dict[str, str] = {}
    for pins in requirements().values():
        merged.update(pins)
    conda = conda_environment()
    assert sorted(set(merged) - set(conda)) == [], "in requirements*.txt but not in environment.yml"
    assert sorted(set(conda) - set(merged)) == [], "in environment.yml but not in requirements*.txt"
    assert {k: v for k, v in conda.items() if merged[k] != v} == {}, "versions differ"


def test_environment_yml_python_matches_makefile_promise():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]


def test_installed_versions_are_the_pinned_ones():
    """The environment the tests run in is the pinned one (the lab extras are optional)."""
    files = requirements()
    wrong = {}
    for file in ("requirements.txt", "requirements-dev.txt"):
        for package, version in files[file].items():
            try:
                installed = importlib.metadata.version(package)
            except importlib.metadata.PackageNotFoundError:
                installed = None
            if installed != version:
                wrong[package] = (version, installed)
    assert wrong == {}


def test_normalize():
    assert normalize("PyYAML") == normalize("pyyaml")
    assert normalize("python_docx") == normalize("python-docx") == normalize("Python.Docx")
    assert normalize("jinja2") != normalize("jinja")


def test_a_missing_prerequisite_skips_locally_and_fails_under_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="make is not installed"):
        skip_or_fail("make is not installed")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="make is not installed — CI must run this test"):
        skip_or_fail("make is not installed")


def test_pytest_timeout_guards_every_test(pytestconfig):
    assert pytestconfig.pluginmanager.hasplugin("timeout"), "pip install -r requirements-dev.txt"
    assert float(pytestconfig.getini("timeout")) > 0


def test_make_help_lists_the_targets():
    try:
        result = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        skip_or_fail("make is not installed")
    assert result.returncode == 0, result.stderr
    targets = {line.split()[1] for line in result.stdout.splitlines() if line.strip().startswith("make ")}
    assert {"report", "test", "lab", "help"} <= targets


def committed_notebooks() -> list[Path]:
    try:
        result = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True,
                                timeout=60)
    except FileNotFoundError:
        skip_or_fail("git is not installed")
    if result.returncode != 0:
        skip_or_fail("not a git checkout")
    return [ROOT / line for line in result.stdout.splitlines() if line.strip()]


def test_committed_notebooks_have_no_outputs():
    dirty = []
    for path in committed_notebooks():
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(notebook["cells"]):
            if cell["cell_type"] != "code":
                continue
            if cell.get("outputs") or cell.get("execution_count") is not None:
                dirty.append(f"{path.relative_to(ROOT)} cell {i}")
    assert dirty == [], "notebooks committed with outputs or execution counts (clear them before committing)"
