"""A function its module may call through `getattr` with a computed name is not converted:
no search for its name finds that caller."""

from __future__ import annotations

import ast

import pytest

from rules.checks.models.name_lookups import looked_up_by_name

REACHES = {
    "a %-format prefix": 'def plan(self, kind):\n    return getattr(self, "_delete_%s" % kind)()\n',
    "a prefix through a local name": (
        'def plan(self, kind):\n    method = "_delete_%s" % kind\n    return getattr(self, method)()\n'
    ),
    "an f-string prefix": 'def plan(self, kind):\n    return getattr(self, f"_delete_{kind}")()\n',
    "a concatenated prefix": 'def plan(self, kind):\n    return getattr(self, "_delete_" + kind)()\n',
    "a .format prefix": 'def plan(self, k):\n    return getattr(self, "_delete_{}".format(k))()\n',
    "the name itself": 'def plan(self):\n    return getattr(self, "_delete_bucket")()\n',
    "an unknown name on self": "def plan(self, name):\n    return getattr(self, name)()\n",
}
MISSES = {
    "another prefix": 'def plan(self, kind):\n    return getattr(self, "_create_%s" % kind)()\n',
    "an unknown name on another object": (
        "def plan(self, module, name):\n    return getattr(module, name)()\n"
    ),
    "a constant of another name": 'def plan(self):\n    return getattr(self, "size")\n',
}


@pytest.mark.parametrize("case", sorted(REACHES))
def test_a_lookup_that_may_name_the_method_is_found(case: str) -> None:
    tree = ast.parse(REACHES[case])
    assert looked_up_by_name(tree, "_delete_bucket", "Sweeper") is not None


@pytest.mark.parametrize("case", sorted(MISSES))
def test_a_lookup_that_cannot_name_it_is_not(case: str) -> None:
    tree = ast.parse(MISSES[case])
    assert looked_up_by_name(tree, "_delete_bucket", "Sweeper") is None


def test_a_module_function_looked_up_on_its_own_module() -> None:
    text = "import sys\n\n\ndef run(name):\n    return getattr(sys.modules[__name__], name)()\n"
    assert looked_up_by_name(ast.parse(text), "build", None) is not None
    assert (
        looked_up_by_name(ast.parse(text.replace("sys.modules[__name__]", "obj")), "build") is None
    )
