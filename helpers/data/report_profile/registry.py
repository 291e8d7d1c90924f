"""The rule kinds and section types a profile may name: their contracts, and the registries that find them.

A rule kind runs in the analysis layer (one module each in ``helpers/analysis/rules/``) and a section type
shows in the report layer (``helpers/report/section_types.py``), both above this one. Each states its contract
at module level — a :class:`RuleContract` or :class:`SectionContract` (name, parameters), as the subclass
its layer adds the check or the view to — and the data layer checks report.yaml against the contracts
without importing a higher layer: the modules that hold them are named as strings in :mod:`helpers.config`
(``RULE_KIND_PLUGINS``, ``SECTION_TYPE_PLUGINS``) and imported by name on a registry's first lookup, the way
nbconvert finds its exporters through entry points. A named package brings every module in it, so adding a
rule kind is adding one module to ``helpers/analysis/rules/``; a profile is never checked against an empty
registry.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType

from helpers.config import RULE_KIND_PLUGINS, SECTION_TYPE_PLUGINS
from helpers.data.report_profile.parameters import Param


@dataclass(frozen=True, kw_only=True)
class RuleContract:
    """What report.yaml may say of a rule of one kind, besides its id, kind, name and area."""

    name: str
    """The kind as report.yaml names it (``kind: level_threshold``)."""
    params: Mapping[str, Param] = field(default_factory=dict)
    """Its parameters in the order a problem lists them."""
    validate: Callable[[Mapping], str | None] | None = None
    """What the parameters one by one cannot show (level_threshold needs minimum or maximum): given the
    rule's entry as written, the reason it does not fit, or None."""


@dataclass(frozen=True, kw_only=True)
class SectionContract:
    """What report.yaml may say of a block of one section type."""

    name: str
    """The type as report.yaml names it (``- key_figures``)."""
    heading: str
    """The section's heading where the profile names the type alone."""
    params: Mapping[str, Param] = field(default_factory=dict)


def plugin_modules(name: str) -> Iterator[ModuleType]:
    """The module named ``name`` and, for a package, every module in it (imported by name)."""
    module = importlib.import_module(name)
    yield module
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        yield importlib.import_module(f"{name}.{info.name}")


class Registry(Mapping):
    """Name -> contract of every ``contract`` instance held at module level by the modules named in ``modules``.

    The modules are imported on the first lookup (a package's modules in alphabetical order, each module's
    contracts in the order it defines them), once per process; :meth:`reset` forgets them, e.g. after
    ``modules`` changed.
    """

    def __init__(self, contract: type, modules: tuple[str, ...]):
        self.contract, self.modules = contract, modules
        self._found: dict | None = None
        self._lock = threading.RLock()
        self._loading = False

    def _entries(self) -> dict:
        if self._found is None:
            with self._lock:
                if self._loading:  # a plugin looked a registry up while being imported: it would see half of it
                    raise RuntimeError(f"导入 {self.contract.__name__} 所在的模块时查询了注册表：此时它尚不完整")
                if self._found is None:
                    self._loading = True
                    try:
                        self._found = self._load()
                    finally:
                        self._loading = False
        return self._found

    def _load(self) -> dict:
        found: dict = {}
        where: dict[str, str] = {}
        for name in self.modules:
            for module in plugin_modules(name):
                for value in vars(module).values():
                    if not isinstance(value, self.contract) or found.get(value.name) is value:
                        continue
                    if value.name in found:
                        raise RuntimeError(f"{value.name} 定义了两次：{where[value.name]} 和 {module.__name__}")
                    found[value.name], where[value.name] = value, module.__name__
        return found

    def reset(self) -> None:
        """Forget the contracts found: the next lookup imports the modules again."""
        with self._lock:
            self._found = None

    def __getitem__(self, name: str):
        return self._entries()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries())

    def __len__(self) -> int:
        return len(self._entries())


RULE_KINDS = Registry(RuleContract, RULE_KIND_PLUGINS)
"""Rule kind -> its contract (a :class:`helpers.analysis.rules.base.RuleKind`, with its check and columns)."""

SECTION_TYPES = Registry(SectionContract, SECTION_TYPE_PLUGINS)
"""Section type -> its contract (a :class:`helpers.report.section_types.SectionType`, with what it shows)."""
