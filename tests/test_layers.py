"""Dependencies between the package's layers run one way: data ← analysis ← report ← pipeline ← cli; no import circle.

Every import in every module is looked at, those inside functions too, so a lazy import cannot hide a
dependency on a higher layer, nor a circle between two modules of one layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpers.config import PACKAGE_DIR, ROOT

LAYERS = {"config": 0, "exceptions": 0, "files": 0, "chinese_text": 0, "data": 1, "analysis": 2, "report": 3,
          "pipeline": 4, "cli": 5, "__main__": 5}
"""Rank of each top-level part of ``helpers``: a module may import only parts of its own rank or lower."""
SUBPACKAGES = ("data", "analysis", "report", "pipeline")


def layer_of(module: str) -> str:
    """The layer of a dotted module name inside the package (``helpers.report.wording`` → ``report``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "helpers"


def module_name(path: Path, package_dir: Path = PACKAGE_DIR) -> str:
    """The dotted name of a module file (``data/reading/excel.py`` → ``helpers.data.reading.excel``)."""
    parts = path.relative_to(package_dir).with_suffix("").parts
    return ".".join(["helpers", *(parts[:-1] if parts[-1] == "__init__" else parts)])


def is_module(module: str, package_dir: Path) -> bool:
    """``module`` (dotted, inside the package) is a module file or a package of ``package_dir``."""
    path = package_dir.joinpath(*module.split(".")[1:])
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(path: Path, package_dir: Path = PACKAGE_DIR) -> list[tuple[int, str]]:
    """(line, module) for each import of a ``helpers`` module in the file, relative imports resolved.

    ``from helpers.data import township`` names the module ``helpers.data.township`` (a name that is no
    module of the package names the package it comes from).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = ["helpers", *path.relative_to(package_dir).with_suffix("").parts]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "helpers"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[: len(here) - node.level] + ([base] if base else []))
            if base.split(".")[0] != "helpers":
                continue
            modules = {f"{base}.{a.name}" for a in node.names if is_module(f"{base}.{a.name}", package_dir)}
            if base == "helpers":  # from helpers import report  →  helpers.report
                modules = {f"helpers.{a.name}" for a in node.names}
            found += [(node.lineno, m) for m in sorted(modules)]
            if len(modules) < len(node.names) and base != "helpers":
                found.append((node.lineno, base))
    return found


def layer_violations(package_dir: Path = PACKAGE_DIR) -> list[str]:
    problems = []
    for path in sorted(package_dir.rglob("*.py")):
        own = layer_of(".".join(["helpers", *path.relative_to(package_dir).with_suffix("").parts]))
        for line, module in imported_modules(path, package_dir):
            target = layer_of(module)
            if target in LAYERS and LAYERS[target] > LAYERS.get(own, 0):
                problems.append(f"{path.relative_to(package_dir)}:{line} ({own}) imports {module} ({target})")
    return problems


def test_no_module_imports_a_higher_layer():
    assert layer_violations() == []


def test_every_module_belongs_to_a_layer():
    top = {p.stem for p in PACKAGE_DIR.glob("*.py")} - {"__init__"}
    dirs = {p.name for p in PACKAGE_DIR.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert top | dirs == set(LAYERS)
    assert set(SUBPACKAGES) <= dirs


@pytest.mark.parametrize(("layer", "module", "statement"), [
    ("data", "township", "from helpers.report.wording import pct"),
    ("analysis", "progress", "from helpers.pipeline import render"),
    ("analysis", "rules", "    import helpers.report.wording  # inside a function"),
    ("report", "wording", "from ..pipeline.publish import display_path"),
    ("data", "schema", "from helpers import analysis"),
])
def test_a_wrong_import_is_caught(tmp_path, layer, module, statement):
    package = tmp_path / "helpers"
    (package / layer).mkdir(parents=True)
    for name in ("__init__", "config", "exceptions"):
        (package / f"{name}.py").write_text("")
    (package / layer / "__init__.py").write_text("")
    body = f"def f():\n{statement}\n" if statement.startswith(" ") else f"{statement}\n"
    (package / layer / f"{module}.py").write_text(body)
    violations = layer_violations(package)
    assert len(violations) == 1 and violations[0].startswith(f"{layer}/{module}.py")


def import_graph(package_dir: Path = PACKAGE_DIR) -> dict[str, dict[str, int]]:
    """Module -> {module of the package it imports: the line of the first such import}."""
    graph: dict[str, dict[str, int]] = {}
    for path in sorted(package_dir.rglob("*.py")):
        own = module_name(path, package_dir)
        edges = graph.setdefault(own, {})
        for line, module in imported_modules(path, package_dir):
            if module != own and is_module(module, package_dir):
                edges.setdefault(module, line)
    return graph


def import_circles(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Each circle of imports between the package's modules, as ``a → b → a`` (with the import lines)."""
    graph = import_graph(package_dir)
    circles, done = [], set()
    for start in graph:
        # depth-first from each module: a path back to ``start`` is a circle through it
        stack = [(start, [start])]
        seen = set()
        while stack:
            module, trail = stack.pop()
            for target in sorted(graph.get(module, {})):
                if target == start:
                    cycle = frozenset(trail)
                    if cycle not in done:
                        done.add(cycle)
                        hops = [f"{a}:{graph[a][b]}" for a, b in zip(trail, [*trail[1:], start], strict=True)]
                        circles.append(" → ".join([*hops, start]))
                elif target not in seen and target not in trail:
                    seen.add(target)
                    stack.append((target, [*trail, target]))
    return circles


def test_no_import_circle():
    assert import_circles() == []


@pytest.mark.parametrize(("files", "circle"), [
    ({"data/a.py": "from helpers.data.b import x\n", "data/b.py": "def f():\n    from helpers.data.a import y\n"},
     "helpers.data.a:1 → helpers.data.b:2 → helpers.data.a"),
    ({"data/a.py": "from helpers.data import b\n", "data/b.py": "from . import c\n",
      "data/c.py": "import helpers.data.a\n"},
     "helpers.data.a:1 → helpers.data.b:1 → helpers.data.c:1 → helpers.data.a"),
    ({"data/sub/__init__.py": "from helpers.data.sub.a import x\n", "data/sub/a.py": "from ..sub import y\n"},
     "helpers.data.sub:1 → helpers.data.sub.a:1 → helpers.data.sub"),
])
def test_an_import_circle_is_caught(tmp_path, files, circle):
    package = tmp_path / "helpers"
    (package / "data").mkdir(parents=True)
    for name in ("__init__.py", "data/__init__.py", "data/d.py"):
        (package / name).write_text("")
    for name, body in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(body)
    assert import_circles(package) == [circle]
    (package / "data/d.py").write_text("from helpers.data import a\n")  # one more module using the circle
    assert import_circles(package) == [circle]


def test_imports_that_only_go_one_way_are_no_circle(tmp_path):
    package = tmp_path / "helpers"
    (package / "data").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "data" / "__init__.py").write_text('"""Data."""\n')
    (package / "data" / "a.py").write_text("from helpers.data import b, c\nfrom helpers.data.c import z\n")
    (package / "data" / "b.py").write_text("def f():\n    from helpers.data.c import z\n")
    (package / "data" / "c.py").write_text("from helpers.exceptions import Problem\n")
    assert import_circles(package) == []


def test_an_allowed_import_is_not_flagged(tmp_path):
    package = tmp_path / "helpers"
    (package / "report").mkdir(parents=True)
    (package / "report" / "__init__.py").write_text("")
    (package / "report" / "tables.py").write_text(
        "from helpers.analysis.progress import key_figures\nfrom helpers.data.periods import as_month\n"
        "from helpers.config import AREAS\nfrom . import wording\n")
    assert layer_violations(package) == []


PERIOD_PARSERS = {"as_month", "as_quarter", "parse_quarter"}
"""The functions of :mod:`helpers.data.periods` that turn text into a Period."""
MONTH_ENTRY_POINTS = {
    ("helpers.report.views.context", "context"),  # nb.context: the notebooks' parameters
    ("helpers.report.county", "county_context"),  # county.ipynb's parameters
    ("helpers.report.explore", "choose"),  # explore.ipynb's ``quarter`` parameter
    ("helpers.report.explore", "quarter_breaches"),  # called by analysts with "2018Q2"
    ("helpers.report.explore", "quarter_rules"),
}
"""Where a month or quarter may enter the analysis and report layers as text; everywhere else it is a Period."""


def period_parses(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Each call of a period parser in ``analysis`` or ``report`` outside :data:`MONTH_ENTRY_POINTS`."""
    found = []
    for layer in ("analysis", "report"):
        for path in sorted((package_dir / layer).rglob("*.py")):
            module = module_name(path, package_dir)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
            owner = {id(inner): f.name for f in functions for inner in ast.walk(f)}
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                where = (module, owner.get(id(node), "<module>"))
                if name in PERIOD_PARSERS and where not in MONTH_ENTRY_POINTS:
                    found.append(f"{path.relative_to(package_dir)}:{node.lineno} {where[1]} calls {name}")
    return found


def test_months_are_parsed_only_where_they_enter():
    """Analysis and report functions take ``month: pd.Period``; only the entry points parse text."""
    assert period_parses() == []


@pytest.mark.parametrize(("module", "body"), [
    ("analysis/progress.py", "def f(tw, month):\n    return as_month(month)\n"),
    ("report/views/context.py", "def other(month):\n    return periods.as_month(month)\n"),
    ("report/explore.py", "Q = parse_quarter('2018Q2')\n"),
])
def test_a_month_parsed_inside_is_caught(tmp_path, module, body):
    package = tmp_path / "helpers"
    for layer in ("analysis", "report", "report/views"):
        (package / layer).mkdir(parents=True, exist_ok=True)
        (package / layer / "__init__.py").write_text("")
    (package / "report" / "views" / "context.py").write_text("def context(month):\n    return as_month(month)\n")
    assert period_parses(package) == []
    (package / module).write_text((package / module).read_text() + body if (package / module).exists() else body)
    assert len(period_parses(package)) == 1


LONG_MODULE_LINES = 420
"""About 400 lines: a module longer than this says in its docstring why it is one module (issue 9)."""


def long_modules_without_a_reason(package_dir: Path = PACKAGE_DIR) -> list[str]:
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > LONG_MODULE_LINES and "one module" not in (ast.get_docstring(ast.parse(text)) or "").lower():
            found.append(f"{path.relative_to(package_dir)} ({lines} lines)")
    return found


def test_a_long_module_says_why_it_is_one_module():
    assert long_modules_without_a_reason() == []


def test_a_long_module_without_a_reason_is_found(tmp_path):
    body = "x = 1\n" * LONG_MODULE_LINES
    (tmp_path / "long.py").write_text(f'"""Many things."""\n{body}')
    (tmp_path / "kept.py").write_text(f'"""Many things.\n\nKept as one module: they share a reader."""\n{body}')
    (tmp_path / "short.py").write_text('"""Few things."""\nx = 1\n')
    assert long_modules_without_a_reason(tmp_path) == [f"long.py ({LONG_MODULE_LINES + 1} lines)"]


def where_things_live(readme: str) -> str:
    """The README's developer list of the package's modules (from its heading to the next ## heading)."""
    start = readme.index("### 代码在哪里 / where things live")
    end = readme.find("\n## ", start)
    return readme[start:end if end != -1 else None]


def test_the_readme_names_every_module_of_each_layer():
    listing = where_things_live((ROOT / "README.md").read_text(encoding="utf-8"))
    for layer in SUBPACKAGES:
        assert f"`helpers/{layer}/`" in listing
    modules = [p for p in PACKAGE_DIR.rglob("*.py") if p.stem != "__init__"]
    unnamed = sorted(str(p.relative_to(PACKAGE_DIR)) for p in modules if f"`{p.stem}" not in listing)
    assert unnamed == []
