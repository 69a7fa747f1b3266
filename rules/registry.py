"""The rule registry: every rule module of a family package under `rules.checks` registers its
rule by code. The registry is the one part of the framework that imports the families.

A rule module is named after its code (`std201_magic_number.py`); only those are imported to
build the registry, so the families' other modules (fix builders, which import libcst) load when
a rule first needs them, not when the server starts."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache

from rules import checks
from rules.rule import FileRule, ModuleRule, Rule, SuppressionRule, UnitRule

CODE_PATTERN = re.compile(r"STD\d{3}")
# The name of a module that registers a rule: its code in lower case, an underscore, a name.
RULE_MODULE_PATTERN = re.compile(r"std\d{3}_\w+")
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
        self.suppression_rules = [rule for rule in self.rules if isinstance(rule, SuppressionRule)]

    def get(self, code: str) -> Rule | None:
        """The rule with `code`, if there is one."""
        return self.by_code.get(code.upper())

    def refusal_verb(self, code: str) -> str:
        """How a refused fix of rule `code` is announced (`not fixed`, `not converted`)."""
        rule = self.get(code)
        return rule.refusal_verb if rule is not None else Rule.refusal_verb

    @property
    def codes(self) -> list[str]:
        """Every rule's code, sorted."""
        return [rule.code for rule in self.rules]


@cache
def default_registry() -> Registry:
    """Every rule in the family packages of `rules.checks`."""
    for module in rule_modules():
        importlib.import_module(module)
    return Registry([rule_class() for rule_class in _REGISTERED.values()])


def rule_modules() -> list[str]:
    """The rule modules of the family packages (found without importing the families' other
    modules: `walk_packages` imports only packages)."""
    return [
        module.name
        for module in pkgutil.walk_packages(checks.__path__, prefix=f"{checks.__name__}.")
        if not module.ispkg and RULE_MODULE_PATTERN.fullmatch(module.name.rpartition(".")[2])
    ]


def family_modules() -> list[str]:
    """Every module of the family packages: the rule modules and the fix builders a rule loads
    on its first fix (libcst among them), for a caller that has time to import them now."""
    return [
        module.name
        for module in pkgutil.walk_packages(checks.__path__, prefix=f"{checks.__name__}.")
        if not module.ispkg
    ]
