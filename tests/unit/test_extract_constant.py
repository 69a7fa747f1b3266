"""The "Extract to module constant" fix: naming, placement, reuse, scopes, the refactoring."""

from __future__ import annotations

import ast
from collections import Counter

import pytest

from rules.checks.constants.extracting import OfferIndex
from rules.checks.constants.literals import ModuleLiterals, is_extractable
from rules.checks.constants.naming import propose_name
from rules.engine import Engine, SourceFile
from rules.fixes import apply_edits
from rules.models import Position, Range, Severity, Tier
from rules.rule import FixRequest, RefactorRequest
from rules.settings import FileSettings
from tests.conftest import STDLIB

SETTINGS = FileSettings(
    tier=Tier.PRODUCTION,
    severities={"STD201": Severity.ERROR, "STD202": Severity.ERROR, "STD203": Severity.WARNING},
)


def fix_titles(text: str, code: str = "STD201") -> list[str]:
    analysis = Engine().check(SourceFile(text=text, settings=SETTINGS))
    return [f.fix.title for f in analysis.findings if f.code == code and f.fix is not None]


def fixed(text: str, code: str = "STD201", index: int = 0) -> str:
    """The text after the fix of the `index`-th finding of `code`."""
    engine = Engine()
    findings = [
        f for f in engine.check(SourceFile(text=text, settings=SETTINGS)).findings if f.code == code
    ]
    fix = engine.resolve_fix(FixRequest(text=text, finding=findings[index], settings=SETTINGS))
    assert fix is not None
    assert fix.edits is not None
    result = apply_edits(text, fix.edits)
    ast.parse(result)
    return result


@pytest.mark.parametrize(
    ("source", "name"),
    [
        pytest.param("def f():\n    timeout = 30\n", "TIMEOUT", id="assignment target"),
        pytest.param("def f(self):\n    self._max_size = 30\n", "MAX_SIZE", id="attribute target"),
        pytest.param("def f():\n    delay = 30 * 60\n", "DELAY", id="target through arithmetic"),
        pytest.param("def f():\n    total += 30\n", "TOTAL_STEP", id="augmented target"),
        pytest.param("def f():\n    return {'retry_delay': 30}\n", "RETRY_DELAY", id="dict key"),
        pytest.param("def f():\n    retry(max_attempts=5)\n", "MAX_ATTEMPTS", id="keyword"),
        pytest.param("def f():\n    retry(maxAttempts=5)\n", "MAX_ATTEMPTS", id="camel keyword"),
        pytest.param("def f():\n    time.sleep(5)\n", "SLEEP_SECONDS", id="sleep"),
        pytest.param("def f(items):\n    return len(items) > 50\n", "MAX_ITEMS", id="len above"),
        pytest.param("def f(n):\n    return n < 5\n", "MIN_N", id="below"),
        pytest.param("def f(n):\n    return 5 > n\n", "MIN_N", id="reversed"),
        pytest.param("def f(n):\n    return 5 <= n\n", "MAX_N", id="reversed above"),
        pytest.param("def f(r):\n    return r.status == 404\n", "EXPECTED_STATUS", id="equality"),
        pytest.param(
            "def calculate_fee(amount):\n    return amount * 0.025\n",
            "CALCULATE_FEE_RATE",
            id="rate from function",
        ),
        pytest.param("def f(size):\n    return size * 1024\n", "SIZE_FACTOR", id="factor"),
        pytest.param("def f(size):\n    return size // 1024\n", "SIZE_DIVISOR", id="divisor"),
        pytest.param("def f(n):\n    return n + 10\n", "N_OFFSET", id="offset"),
        pytest.param("def compute():\n    return g(42)\n", "COMPUTE_VALUE", id="function"),
        pytest.param("def f():\n    return 7, g()\n", "F_VALUE", id="short function"),
        pytest.param("def f():\n    return lambda: 42\n", "F_VALUE", id="lambda"),
        pytest.param("class Box:\n    def m(self):\n        return g(8)\n", "M_VALUE", id="method"),
        pytest.param("def f():\n    return {'404': 7}\n", "VALUE_404", id="leading digit"),
    ],
)
def test_names(source: str, name: str) -> None:
    title = fix_titles(source)[0]
    assert title.endswith(f"`{name}`")
    assert title.startswith("Extract")


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ('def f():\n    get("https://api.example.com/v1/users")\n', "USERS_API_URL"),
        ('def f():\n    get("https://www.example.com")\n', "EXAMPLE_URL"),
        ('def f():\n    get("https://example.com/docs/guide.html")\n', "GUIDE_HTML_URL"),
        ('def f():\n    get("/v2/orders/{id}")\n', "ORDERS_API_PATH"),
        ('def f():\n    get("s3://bucket/key")\n', "KEY_URL"),
    ],
)
def test_url_names(source: str, name: str) -> None:
    (title,) = fix_titles(source, "STD202")
    assert title.endswith(f"`{name}`")


def test_string_names_from_words_and_long_messages() -> None:
    source = (
        'def f():\n    raise ValueError("Invalid user id")\n\n\n'
        'def g():\n    raise ValueError("Invalid user id")\n\n\n'
        'def h():\n    return "the value was not found anywhere", "the value was not found anywhere"\n'
    )
    titles = fix_titles(source, "STD203")
    assert titles[0].endswith("`INVALID_USER_ID`")
    assert titles[-1].endswith("`THE_VALUE_WAS_NOT_MESSAGE`")


def test_documented_example() -> None:
    source = "def calculate_fee(amount: int) -> int:\n    return int(amount * 0.025)\n"
    assert fixed(source) == (
        "CALCULATE_FEE_RATE = 0.025\n\n\n"
        "def calculate_fee(amount: int) -> int:\n    return int(amount * CALCULATE_FEE_RATE)\n"
    )


def test_placement_after_docstring_future_and_imports() -> None:
    source = (
        '"""Fees."""\n\nfrom __future__ import annotations\n\nimport os\n'
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import sys\n\n"
        "try:\n    import ujson as json\nexcept ImportError:\n    import json\n\n\n"
        "def f(x):\n    return x * 0.025\n"
    )
    assert fixed(source) == (
        '"""Fees."""\n\nfrom __future__ import annotations\n\nimport os\n'
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import sys\n\n"
        "try:\n    import ujson as json\nexcept ImportError:\n    import json\n\n"
        "F_RATE = 0.025\n\n\n"
        "def f(x):\n    return x * F_RATE\n"
    )


def test_placement_beside_existing_constants() -> None:
    source = "import os\n\nLIMIT = 10\nNAME = 'x'\n\n\ndef f():\n    timeout = 30\n"
    assert fixed(source) == (
        "import os\n\nLIMIT = 10\nNAME = 'x'\nTIMEOUT = 30\n\n\ndef f():\n    timeout = TIMEOUT\n"
    )


def test_placement_before_first_use_in_module_code() -> None:
    source = "import os\n\nvalue = compute(86400)\nother = compute(86400)\n"
    result = fixed(source, "STD203")
    assert (
        result
        == (
            "import os\n\nCOMPUTE_VALUE = 86400\n\nvalue = compute(COMPUTE_VALUE)\n"
            "other = compute(COMPUTE_VALUE)\n"
        )
        or "= 86400\n" in result.split("value =")[0]
    )


def test_placement_keeps_leading_comments_on_top() -> None:
    source = "# Licence text.\ndef f():\n    return g(42)\n"
    assert fixed(source).startswith("# Licence text.\nF_VALUE = 42\n")


def test_reuses_existing_constant_with_same_value_and_fitting_name() -> None:
    source = "TIMEOUT_SECONDS = 30\n\n\ndef f():\n    timeout = 30\n"
    assert fixed(source) == "TIMEOUT_SECONDS = 30\n\n\ndef f():\n    timeout = TIMEOUT_SECONDS\n"


def test_does_not_reuse_unrelated_or_rebound_or_shadowed_constants() -> None:
    unrelated = "MAX_USERS = 30\n\n\ndef f():\n    timeout = 30\n"
    assert "TIMEOUT = 30" in fixed(unrelated)
    rebound = "TIMEOUT = 30\nTIMEOUT = 31\n\n\ndef f():\n    timeout = 30\n"
    assert "TIMEOUT_2 = 30" in fixed(rebound)
    shadowed = "TIMEOUT = 30\n\n\ndef f(TIMEOUT):\n    timeout = 30\n"
    assert "TIMEOUT_2 = 30" in fixed(shadowed)
    later = "def f():\n    timeout = 30\n\n\nTIMEOUT = 30\n"
    assert "TIMEOUT_2 = 30" in fixed(later)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("def f():\n    TIMEOUT = 1\n    timeout = 30\n", id="local"),
        pytest.param("def f():\n    global TIMEOUT\n    timeout = 30\n", id="global"),
        pytest.param(
            "class A:\n    TIMEOUT = 1\n    def m(self):\n        timeout = 30\n", id="class"
        ),
        pytest.param(
            "def f():\n    return [TIMEOUT for TIMEOUT in x], (timeout := 30)\n", id="comprehension"
        ),
        pytest.param(
            "def f():\n    def g(TIMEOUT):\n        pass\n    timeout = 30\n", id="nested"
        ),
        pytest.param("import TIMEOUT\n\n\ndef f():\n    timeout = 30\n", id="import"),
    ],
)
def test_never_takes_a_name_used_anywhere(source: str) -> None:
    result = fixed(source)
    assert "TIMEOUT_2 = 30" in result
    assert "timeout = TIMEOUT_2" in result or "timeout := TIMEOUT_2" in result


def test_class_body_and_nested_scopes() -> None:
    source = (
        "class A:\n    size = 30\n\n    def m(self):\n        def inner():\n"
        "            return [x * 30 for x in y]\n        return inner\n"
    )
    first = fixed(source)
    assert first.startswith("SIZE = 30\n\n\nclass A:\n    size = SIZE\n")
    second = fixed(source, index=1)
    assert "return [x * X_FACTOR for x in y]" in second


def test_fstring_prefix_extraction() -> None:
    source = 'def f(i):\n    return f"https://api.example.com/v1/users/{i}?x={{y}}"\n'
    result = fixed(source, "STD202")
    assert 'USERS_API_URL = "https://api.example.com/v1/users/"' in result
    assert 'return f"{USERS_API_URL}{i}?x={{y}}"' in result


def test_extract_all_occurrences_fixes_std203() -> None:
    source = 'def f():\n    a = "pending"\n\n\ndef g():\n    return ("pending", "other")\n'
    result = fixed(source, "STD203")
    assert result == (
        'PENDING = "pending"\n\n\ndef f():\n    a = PENDING\n\n\n'
        'def g():\n    return (PENDING, "other")\n'
    )
    analysis = Engine().check(SourceFile(text=result, settings=SETTINGS))
    assert [f for f in analysis.findings if f.code == "STD203"] == []


def test_multiline_string_is_wrapped_in_parentheses() -> None:
    source = 'def f():\n    return "https://example.com/" \\\n        "a/b"\n'
    result = fixed(source, "STD202")
    ns: dict[str, object] = {}
    exec(compile(result, "<fixed>", "exec"), ns)  # noqa: S102 - a test of our own output
    assert ns["B_URL"] == "https://example.com/a/b"


def test_no_fix_for_identity_comparison() -> None:
    analysis = Engine().check(
        SourceFile(text="def f(x):\n    return x is 300\n", settings=SETTINGS)
    )
    (finding,) = analysis.findings
    assert finding.fix is None


def _selection(line: int, start: int, end: int) -> Range:
    return Range(start=Position(line=line, character=start), end=Position(line=line, character=end))


def test_refactor_offers_on_any_selected_literal() -> None:
    text = "def f(x):\n    return x[1] + 1 + g(1)\n"
    request = RefactorRequest(text=text, range=_selection(1, 19, 19), settings=SETTINGS)
    offers = Engine().refactorings(request)
    titles = [offer.title for offer in offers]
    assert titles == [
        "Extract `1` to module constant `F_VALUE`",
        "Extract all 3 occurrences of `1` to module constant `F_VALUE`",
    ]
    assert {offer.kind for offer in offers} == {"refactor.extract"}
    single = Engine().resolve_refactoring(request, offers[0])
    assert single is not None
    assert single.edits is not None
    assert apply_edits(text, single.edits) == (
        "F_VALUE = 1\n\n\ndef f(x):\n    return x[1] + F_VALUE + g(1)\n"
    )
    every = Engine().resolve_refactoring(request, offers[1])
    assert every is not None
    assert every.edits is not None
    assert "return x[F_VALUE] + F_VALUE + g(F_VALUE)" in apply_edits(text, every.edits)


def test_no_refactor_offer_off_literals_or_on_constants() -> None:
    text = "LIMIT = 5\n\n\ndef f(x):\n    return x\n"
    engine = Engine()
    assert (
        engine.refactorings(
            RefactorRequest(text=text, range=_selection(0, 8, 9), settings=SETTINGS)
        )
        == []
    )
    assert (
        engine.refactorings(
            RefactorRequest(text=text, range=_selection(4, 11, 12), settings=SETTINGS)
        )
        == []
    )
    broken = RefactorRequest(text="def f(:\n", range=_selection(0, 0, 1), settings=SETTINGS)
    assert engine.refactorings(broken) == []


def test_stale_fix_is_not_built() -> None:
    engine = Engine()
    text = "def f():\n    return g(42)\n"
    (finding,) = engine.check(SourceFile(text=text, settings=SETTINGS)).findings
    changed = "def f():\n    return g(x)\n"
    assert engine.resolve_fix(FixRequest(text=changed, finding=finding, settings=SETTINGS)) is None


# real modules: classes, decorators, nested literals, f-strings, non-ASCII text (locale)
OFFER_INDEX_MODULES = ("argparse", "_pydecimal", "typing", "enum", "locale")
# literals checked per module, spread through it (every one takes minutes)
OFFER_INDEX_SAMPLES = 150


@pytest.mark.parametrize("by_statement", [False, True], ids=["whole", "by-statement"])
@pytest.mark.parametrize("name", OFFER_INDEX_MODULES)
def test_offer_index_agrees_with_the_whole_module_walk(name: str, by_statement: bool) -> None:
    """The tree-free index that lists offers (built from the whole tree, or a statement at a
    time as the engine split the text) finds, for every literal of a real module, the literal
    the whole-module walk finds there, and counts its occurrences the same way."""
    path = STDLIB / f"{name}.py"
    text = path.read_text(encoding="utf-8")
    module = ModuleLiterals(text)
    statements: list[tuple[int, int]] = []
    if by_statement:
        analysis = Engine().check(SourceFile(text=text, settings=SETTINGS, path=str(path)))
        statements = analysis.statement_lines()
        assert statements
    index = OfferIndex(text, statements)
    groups = Counter(
        literal.key
        for literal in module.literals
        if not literal.is_fstring and is_extractable(literal)
    )
    assert index.counts == groups
    pairs = list(module.iter_with_ranges())
    for literal, where in pairs[:: max(1, len(pairs) // OFFER_INDEX_SAMPLES)]:
        place = index.around(where)
        assert place == (
            where.start.line,
            where.start.character,
            where.end.line,
            where.end.character,
        )
        found = index.literal_at(place)
        assert found is not None
        assert (found.key, found.display, is_extractable(found)) == (
            literal.key,
            literal.display,
            is_extractable(literal),
        )
        assert propose_name(found) == propose_name(literal)
        assert propose_name(found, prefer_value=True) == propose_name(literal, prefer_value=True)
