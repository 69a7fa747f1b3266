"""The rule registry: every rule module of a family package under `rules.checks` registers its
rule by code. The registry is the one part of the framework that imports the families."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from rules import checks
from rules.rule import FileRule, ModuleRule, Rule, UnitRule

CODE_PATTERN = re.compile(r"STD\d{3}")
_REGISTERED: dict[str, type[Rule]] = {}


def register[RuleClass: type[Rule]](rule_class: RuleClass) -> RuleClass:
    """Class decorator: make a rule known by its code (each code once)."""
    code = rule_class.code
    if not CODE_PATTERN.fullmatch(code):
        raise ValueError(f"rule code {code!r} is not of the form STD123")
    existing = _REGISTERED.get(code)
    if existing is not None and existing.__qualname__ != rule_class.__qualname__:
        raise ValueError(f"two rules claim {code}: {existing.__name__} and {rule_class.__name__}")
    _REGISTERED[code] = rule_class
    return rule_class


class Registry:
    """The rules, instantiated once, sorted by code."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = sorted(rules, key=lambda rule: rule.code)
        self.by_code = {rule.code: rule for rule in self.rules}
        self.unit_rules = [rule for rule in self.rules if isinstance(rule, UnitRule)]
        self.module_rules = [rule for rule in self.rules if isinstance(rule, ModuleRule)]
        self.file_rules = [rule for rule in self.rules if isinstance(rule, FileRule)]

    def get(self, code: str) -> Rule | None:
        """The rule with `code`, if there is one."""
        return self.by_code.get(code.upper())

    @property
    def codes(self) -> list[str]:
        """Every rule's code, sorted."""
        return [rule.code for rule in self.rules]


@cache
def default_registry() -> Registry:
    """Every rule in the family packages of `rules.checks`."""
    for module in pkgutil.walk_packages(checks.__path__, prefix=f"{checks.__name__}."):
        importlib.import_module(module.name)
    return Registry([rule_class() for rule_class in _REGISTERED.values()])
