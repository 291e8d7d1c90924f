"""The registry: contracts found in the modules it names, imported on first lookup; mistakes of a plugin refused."""

from __future__ import annotations

import sys
import types

import pytest

from helpers.data.report_profile.parameters import Param
from helpers.data.report_profile.registry import Registry, RuleContract

KIND = '''\
from helpers.data.report_profile.parameters import Param
from helpers.data.report_profile.registry import RuleContract

KIND = RuleContract(name="{name}", params={{"type": Param("event_type", required=True)}})
'''


@pytest.fixture()
def plugins(tmp_path, monkeypatch):
    """Write a package ``plugins_<test>`` with the given modules; returns its name."""
    made = []

    def make(modules: dict[str, str]) -> str:
        name = f"plugins_{len(made)}_{abs(hash(str(tmp_path))) % 10**6}"
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("", encoding="utf-8")
        for module, text in modules.items():
            (tmp_path / name / f"{module}.py").write_text(text, encoding="utf-8")
        made.append(name)
        return name

    monkeypatch.syspath_prepend(str(tmp_path))
    yield make
    for name in [m for m in sys.modules if any(m == p or m.startswith(p + ".") for p in made)]:
        del sys.modules[name]


def test_nothing_is_imported_before_the_first_lookup(plugins):
    package = plugins({"weekly": KIND.format(name="weekly")})
    registry = Registry(RuleContract, (package,))
    assert f"{package}.weekly" not in sys.modules
    assert list(registry) == ["weekly"] and registry["weekly"].params["type"] == Param("event_type", required=True)
    assert f"{package}.weekly" in sys.modules


def test_two_modules_defining_one_name_are_refused(plugins):
    package = plugins({"a": KIND.format(name="weekly"), "b": KIND.format(name="weekly")})
    with pytest.raises(RuntimeError, match=f"weekly 定义了两次：{package}.a 和 {package}.b"):
        list(Registry(RuleContract, (package,)))


def test_a_plugin_looking_the_registry_up_while_imported_is_refused(plugins, monkeypatch):
    holder = types.ModuleType("registry_holder")
    monkeypatch.setitem(sys.modules, "registry_holder", holder)
    package = plugins({"early": "import registry_holder\n\nNAMES = list(registry_holder.REGISTRY)\n"})
    holder.REGISTRY = Registry(RuleContract, (package,))
    with pytest.raises(RuntimeError, match="尚不完整"):
        list(holder.REGISTRY)


def test_a_parameter_of_an_unknown_kind_is_refused_where_it_is_declared():
    with pytest.raises(ValueError, match="未知的参数种类 'numbers'"):
        Param("numbers")
