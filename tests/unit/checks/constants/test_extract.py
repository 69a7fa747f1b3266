"""The "Extract to module constant" fix: naming, placement, reuse, scopes, the refactoring."""

from __future__ import annotations

import ast
from collections import Counter

import pytest

from rules.checks.constants.exemptions import is_extractable
from rules.checks.constants.extracting import OfferIndex
from rules.checks.constants.literals import ModuleLiterals
from rules.checks.constants.naming import propose_name, url_name
from rules.engine import Engine, SourceFile
from rules.fixes import apply_edits
from rules.models import Position, Range
from rules.rule import FixRequest, RefactorRequest
from tests.support.engine import CONSTANTS_SETTINGS
from tests.support.paths import STDLIB


def fix_titles(text: str, code: str = "STD201") -> list[str]:
    analysis = Engine().check(SourceFile(text=text, settings=CONSTANTS_SETTINGS))
    return [f.fix.title for f in analysis.findings if f.code == code and f.fix is not None]


def fixed(text: str, code: str = "STD201", index: int = 0) -> str:
    """The text after the fix of the `index`-th finding of `code`."""
    engine = Engine()
    findings = [
        f
        for f in engine.check(SourceFile(text=text, settings=CONSTANTS_SETTINGS)).findings
        if f.code == code
    ]
    fix = engine.resolve_fix(
        FixRequest(text=text, finding=findings[index], settings=CONSTANTS_SETTINGS)
    )
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
        pytest.param(
            "def f(items):\n    if len(items) > 50:\n        raise ValueError\n",
            "MAX_ITEMS",
            id="a guard rejects above the max",
        ),
        pytest.param(
            "def f(pw):\n    if len(pw) < 8:\n        return False\n    return True\n",
            "MIN_PW",
            id="a guard rejects below the min",
        ),
        pytest.param("def f(age):\n    return age >= 18\n", "MIN_AGE", id="allowed above"),
        pytest.param("def f(items):\n    return len(items) > 50\n", "MIN_ITEMS", id="len above"),
        pytest.param("def f(n):\n    return n < 5\n", "MAX_N", id="below"),
        pytest.param("def f(n):\n    return 5 > n\n", "MAX_N", id="reversed"),
        pytest.param("def f(n):\n    return 5 <= n\n", "MIN_N", id="reversed above"),
        pytest.param("def f(port):\n    return 0 < port <= 65535\n", "MAX_PORT", id="range top"),
        pytest.param("def f(v):\n    return 43 <= len(v) <= 128\n", "MIN_V", id="range bottom"),
        pytest.param(
            "def f(seconds):\n    return seconds * 1000\n", "MILLISECONDS_PER_SECOND", id="ms"
        ),
        pytest.param("def f(t):\n    return t / 3600\n", "SECONDS_PER_HOUR", id="hours"),
        pytest.param("def f(n):\n    return n / 1024 ** 3\n", "BYTES_PER_KIB", id="gib"),
        pytest.param("def f(r):\n    return r.count == 404\n", "EXPECTED_COUNT", id="equality"),
        pytest.param(
            "def calculate_fee(amount):\n    return amount * 0.025\n",
            "CALCULATE_FEE_RATE",
            id="rate from function",
        ),
        pytest.param("def f(size):\n    return size * 1000\n", "SIZE_FACTOR", id="factor"),
        pytest.param("def f(size):\n    return size // 1000\n", "SIZE_DIVISOR", id="divisor"),
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
    assert titles[0].endswith("`INVALID_USER_ID_MESSAGE`")
    assert titles[-1].endswith("`VALUE_NOT_FOUND_ANYWHERE_MESSAGE`")


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
    assert "F_TIMEOUT = 30" in fixed(rebound)
    shadowed = "TIMEOUT = 30\n\n\ndef f(TIMEOUT):\n    timeout = 30\n"
    assert "F_TIMEOUT = 30" in fixed(shadowed)
    later = "def f():\n    timeout = 30\n\n\nTIMEOUT = 30\n"
    assert "F_TIMEOUT = 30" in fixed(later)
    qualified_too = "TIMEOUT = 1\nF_TIMEOUT = 2\n\n\ndef f():\n    timeout = 30\n"
    assert "TIMEOUT_2 = 30" in fixed(qualified_too)


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
    """A taken name is qualified by the function (never `_2` for a different value)."""
    result = fixed(source)
    name = "M_TIMEOUT" if "class A" in source else "F_TIMEOUT"
    assert f"{name} = 30" in result
    assert f"timeout = {name}" in result or f"timeout := {name}" in result


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
    source = 'def f():\n    return "pending"\n\n\ndef g():\n    return ("pending", "other")\n'
    result = fixed(source, "STD203")
    assert result == (
        'PENDING = "pending"\n\n\ndef f():\n    return PENDING\n\n\n'
        'def g():\n    return (PENDING, "other")\n'
    )
    analysis = Engine().check(SourceFile(text=result, settings=CONSTANTS_SETTINGS))
    assert [f for f in analysis.findings if f.code == "STD203"] == []


def test_multiline_string_is_wrapped_in_parentheses() -> None:
    source = 'def f():\n    return "https://example.com/" \\\n        "a/b"\n'
    result = fixed(source, "STD202")
    ns: dict[str, object] = {}
    exec(compile(result, "<fixed>", "exec"), ns)  # noqa: S102 - a test of our own output
    assert ns["EXAMPLE_B_URL"] == "https://example.com/a/b"


def test_no_fix_for_identity_comparison() -> None:
    analysis = Engine().check(
        SourceFile(text="def f(x):\n    return x is 300\n", settings=CONSTANTS_SETTINGS)
    )
    (finding,) = analysis.findings
    assert finding.fix is None


def _selection(line: int, start: int, end: int) -> Range:
    return Range(start=Position(line=line, character=start), end=Position(line=line, character=end))


def test_refactor_offers_on_any_selected_literal() -> None:
    text = "def f(x):\n    return x[1] + 1 + g(1)\n"
    request = RefactorRequest(text=text, range=_selection(1, 19, 19), settings=CONSTANTS_SETTINGS)
    offers = Engine().refactorings(request)
    titles = [offer.title for offer in offers]
    assert titles == [
        "Extract `1` to module constant `X_OFFSET`",
        "Extract all 3 occurrences of `1` to module constant `X_OFFSET`",
    ]
    assert {offer.kind for offer in offers} == {"refactor.extract"}
    single = Engine().resolve_refactoring(request, offers[0])
    assert single is not None
    assert single.edits is not None
    assert apply_edits(text, single.edits) == (
        "X_OFFSET = 1\n\n\ndef f(x):\n    return x[1] + X_OFFSET + g(1)\n"
    )
    every = Engine().resolve_refactoring(request, offers[1])
    assert every is not None
    assert every.edits is not None
    assert "return x[X_OFFSET] + X_OFFSET + g(X_OFFSET)" in apply_edits(text, every.edits)


def test_no_refactor_offer_off_literals_or_on_constants() -> None:
    text = "LIMIT = 5\n\n\ndef f(x):\n    return x\n"
    engine = Engine()
    assert (
        engine.refactorings(
            RefactorRequest(text=text, range=_selection(0, 8, 9), settings=CONSTANTS_SETTINGS)
        )
        == []
    )
    assert (
        engine.refactorings(
            RefactorRequest(text=text, range=_selection(4, 11, 12), settings=CONSTANTS_SETTINGS)
        )
        == []
    )
    broken = RefactorRequest(
        text="def f(:\n", range=_selection(0, 0, 1), settings=CONSTANTS_SETTINGS
    )
    assert engine.refactorings(broken) == []


def test_stale_fix_is_not_built() -> None:
    engine = Engine()
    text = "def f():\n    return g(42)\n"
    (finding,) = engine.check(SourceFile(text=text, settings=CONSTANTS_SETTINGS)).findings
    changed = "def f():\n    return g(x)\n"
    assert (
        engine.resolve_fix(FixRequest(text=changed, finding=finding, settings=CONSTANTS_SETTINGS))
        is None
    )


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
        analysis = Engine().check(
            SourceFile(text=text, settings=CONSTANTS_SETTINGS, path=str(path))
        )
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


def test_a_magic_number_fix_leaves_no_copy_in_the_same_role() -> None:
    source = (
        "def poll(job, interval: float = 60.0):\n    job.wait(timeout=30, interval=60.0)\n\n\n"
        "def watch(job):\n    job.wait(timeout=30)\n    return len(job.items) > 30\n"
    )
    engine = Engine()
    findings = [
        f
        for f in engine.check(SourceFile(text=source, settings=CONSTANTS_SETTINGS)).findings
        if f.code == "STD201"
    ]
    fix = engine.resolve_fix(
        FixRequest(text=source, finding=findings[0], settings=CONSTANTS_SETTINGS)
    )
    assert fix is not None and fix.edits is not None
    assert fix.safety == "safe"
    assert fix.title == "Extract all 2 occurrences of `30` to module constant `TIMEOUT`"
    result = apply_edits(source, fix.edits)
    assert result.count("timeout=TIMEOUT") == 2
    assert "> 30" in result  # another role: a coincidence, left alone


def test_a_default_and_its_keyword_are_one_role() -> None:
    source = (
        "def poll(job, interval=2.5):\n    pass\n\n\ndef run(job):\n    poll(job, interval=2.5)\n"
    )
    engine = Engine()
    findings = [
        f
        for f in engine.check(SourceFile(text=source, settings=CONSTANTS_SETTINGS)).findings
        if f.code == "STD203"
    ]
    assert len(findings) == 2
    assert "given as `interval`" in findings[0].message


@pytest.mark.parametrize(
    ("source", "name"),
    [
        pytest.param(
            "def f(data):\n    if data.get('rating') < 1 or data.get('rating') > 5:\n"
            "        raise ValueError\n",
            "MAX_RATING",
            id="a guard through `or`, named by the key read",
        ),
        pytest.param(
            "def f(limit):\n    size = 65536 if limit is None else limit\n", "SIZE", id="if-else"
        ),
        pytest.param("def f(limit):\n    size = min(65536, limit)\n", "MAX_SIZE", id="min bound"),
        pytest.param(
            "def f(i):\n    return i.to_bytes(4, 'big')\n", "INT_SIZE_BYTES", id="to_bytes"
        ),
        pytest.param(
            "async def f(fut):\n    await asyncio.wait_for(fut, 5.0)\n",
            "TIMEOUT_SECONDS",
            id="wait_for",
        ),
        pytest.param("def f(row):\n    return row['score'] / 10\n", "MAX_SCORE", id="key read"),
        pytest.param("def f():\n    print('-' * 40)\n", "SEPARATOR_WIDTH", id="rule"),
        pytest.param(
            "def f():\n    return typer.Option(3, '--max-retries')\n",
            "DEFAULT_MAX_RETRIES",
            id="an option's default",
        ),
        pytest.param("def f(p):\n    return 1 / (p + 1e-6)\n", "EPSILON", id="epsilon"),
        pytest.param("def f(t):\n    return f'{t[:20]}...'\n", "PREVIEW_LENGTH", id="preview"),
    ],
)
def test_names_from_the_role(source: str, name: str) -> None:
    assert fix_titles(source)[-1].endswith(f"`{name}`")


def _twice(body: str, parameters: str = "x") -> str:
    """`body` in two functions: a value STD203 counts as repeated in one role."""
    return f"def f({parameters}):\n    {body}\n\n\ndef g({parameters}):\n    {body}\n"


@pytest.mark.parametrize(
    ("source", "name"),
    [
        # a word with its role, not the word alone (`DIM = "dim"` restates the value)
        (_twice('x.append("a", style="dim")'), "DIM_STYLE"),
        (_twice('return x.provider == "anthropic"'), "ANTHROPIC_PROVIDER"),
        (_twice('return x.provider_lower == "openai"'), "OPENAI_PROVIDER"),
        (_twice('x.add_dimension(name="service", value=1)'), "SERVICE_DIMENSION"),
        (_twice('return {"message": "Not found"}'), "NOT_FOUND_MESSAGE"),
        (_twice('x.mount(classes="details-empty")'), "DETAILS_EMPTY_CLASS"),
        (_twice('x.send(content_type="text/html")'), "HTML_CONTENT_TYPE"),
        (_twice('return Spinner("dots", text=x)'), "DOTS_SPINNER"),
        # the value's form
        (_twice('return x.startswith("<frozen importlib")'), "FROZEN_IMPORTLIB_PREFIX"),
        (_twice('return x.shortuuid("item_")'), "ITEM_PREFIX"),
        (_twice('return x.endswith(":optional")'), "OPTIONAL_SUFFIX"),
        (_twice('raise RuntimeError("unreachable")'), "UNREACHABLE_MESSAGE"),
        (_twice('return x if x else "(none)"'), "NONE_PLACEHOLDER"),
        (_twice('return format(x.score, ".2f")'), "SCORE_FORMAT"),
        (_twice('return x.get("schema_version", "1.0")'), "DEFAULT_SCHEMA_VERSION"),
        (_twice('return x / "openapi" / "index.html"'), "OPENAPI_DIR"),
        (_twice('filename = "%s-%s.zip" % (x, x)'), "FILENAME_TEMPLATE"),
        (
            _twice('raise ValueError("OpenAI Realtime STT connection closed unexpectedly")'),
            "CONNECTION_CLOSED_UNEXPECTEDLY_MESSAGE",
        ),
        # numbers: the keyword with what qualifies it
        (_twice("return x(timeout=Timeout(connect=15.0))"), "CONNECT_TIMEOUT"),
        (_twice("return Panel(x, width=80)"), "PANEL_WIDTH"),
        (_twice("return x", "x, indent_level: int = 4"), "INDENT_LEVEL"),
    ],
)
def test_repeated_value_names(source: str, name: str) -> None:
    titles = fix_titles(source, "STD203")
    assert titles, source
    assert titles[0].endswith(f"`{name}`")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://graph.microsoft.com/v1.0/me/photos/48x48/$value", "GRAPH_PHOTOS_URL"),
        ("https://raw.example.com/org/repo/main/LOGIQA/test.txt", "LOGIQA_TEST_URL"),
        ("https://api.endpoints.anyscale.com/v1", "ANYSCALE_API_URL"),
        ("https://api.moonshot.cn/v1", "MOONSHOT_API_URL"),
        ("https://graph.microsoft.com/v1.0/me", "GRAPH_ME_URL"),
    ],
)
def test_url_names_skip_segments_that_name_nothing(url: str, name: str) -> None:
    assert url_name(url) == name


def test_a_penalised_threshold_is_a_maximum() -> None:
    source = "def f(m, score):\n    if m.silence > 0.45:\n        score -= 0.2\n    return score\n"
    assert fix_titles(source)[0].endswith("`MAX_SILENCE`")


@pytest.mark.parametrize(
    "enumeration",
    [
        "NAMES = [name for name in globals() if name.isupper()]",
        "NAMES = list(globals().items())",
        "import sys\nTABLE = sys.modules[__name__].__dict__",
        "NAMES = dir()",
        "NAMES = vars()",
        "import sys\nMODULE = sys.modules[__name__]",
        "import importlib\nMODULE = importlib.import_module(__name__)",
    ],
)
def test_no_constant_added_to_a_module_that_enumerates_its_names(enumeration: str) -> None:
    source = f"{enumeration}\n\n\ndef fee(amount):\n    return amount * 0.025\n"
    engine = Engine()
    [finding] = [
        f
        for f in engine.check(SourceFile(text=source, settings=CONSTANTS_SETTINGS)).findings
        if f.code == "STD201"
    ]
    # the check knows (no [*] mark), and says on which line the module lists its names
    line = len(enumeration.splitlines())
    assert finding.fix is not None and finding.fix.refused is not None
    assert f"(line {line}: `" in finding.fix.refused, finding.fix.refused
    request = FixRequest(text=source, finding=finding, settings=CONSTANTS_SETTINGS)
    resolved = engine.resolve_fix(request)
    assert resolved is not None and resolved.refused == finding.fix.refused and not resolved.edits


def test_a_function_s_own_dir_and_vars_do_not_block_the_constant() -> None:
    source = "def fee(amount):\n    names = dir()\n    return amount * 0.025, names, vars()\n"
    assert "FEE_RATE = 0.025" in fixed(source)


@pytest.mark.parametrize(
    "lookup",
    [
        "def run(name):\n    globals()[name]()",
        "def run(name):\n    return globals().get(name)",
        "import sys\n\n\ndef run(name):\n    return getattr(sys.modules[__name__], name)",
        "import sys\n\n\ndef run():\n    return sys.modules[__name__].fee",
    ],
)
def test_a_module_that_looks_one_name_up_still_gets_the_constant(lookup: str) -> None:
    source = f"{lookup}\n\n\ndef fee(amount):\n    return amount * 0.025\n"
    assert "FEE_RATE = 0.025" in fixed(source)
