"""STD201: magic numbers — every detection and exemption case of issue 5."""

from __future__ import annotations

import pytest

from rules.engine import Engine, SourceFile
from rules.settings import Options
from tests.support.engine import flagged as flagged_by
from tests.support.engine import rule_settings

CODE = "STD201"


def flagged(text: str, options: Options | None = None, is_test: bool = False) -> list[str]:
    """The source text of every STD201 finding."""
    return flagged_by(CODE, text, options, is_test)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(x):\n    return x * 0.025\n", ["0.025"]),
        ("def f():\n    return -5\n", ["-5"]),
        ("def f():\n    g = lambda: 42\n", ["42"]),
        ("def f():\n    def g():\n        return 7\n", ["7"]),
        ("class A:\n    def m(self):\n        return self.x > 10\n", ["10"]),
        ("class A:\n    timeout = 30\n", ["30"]),
        ("def f():\n    s = f'{x * 100}'\n", ["100"]),
        ("def f():\n    return x['a'] + 3.5\n", ["3.5"]),
        ("def f(items):\n    for i in range(10):\n        pass\n", ["10"]),
        ("def f():\n    return 'é' * 3\n", ["3"]),
    ],
)
def test_flagged(source: str, expected: list[str]) -> None:
    assert flagged(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("def f(x):\n    return x + 0 + 1 - 1 + (-1)\n", id="allowed 0 1 -1"),
        pytest.param("RATE = 0.025\nx = 5\ny: int = 7\n", id="module-level constants"),
        pytest.param("limit = 5\n", id="a module-level definition is the constant"),
        pytest.param("if sys.version_info >= (3, 12):\n    pass\n", id="module-level version test"),
        pytest.param("class A:\n    LIMIT = 50\n    PAIR: int = 2\n", id="class UPPER constants"),
        pytest.param(
            "import enum\nclass Color(enum.Enum):\n    RED = 5\n    green = 6\n", id="enum"
        ),
        pytest.param("class Color(IntFlag):\n    red = 8\n", id="flag members"),
        pytest.param("def f(x=30, *, y=2.5):\n    pass\n", id="default arguments"),
        pytest.param("class M(BaseModel):\n    size: int = 10\n", id="field defaults"),
        pytest.param(
            "def f(x):\n    return x[2], x[:3], x[-2], x[1:7:2], x[3, 4]\n", id="subscripts"
        ),
        pytest.param("def f():\n    for i in range(2):\n        pass\n", id="small range"),
        pytest.param("def f(x):\n    return round(x, 3)\n", id="round digits"),
        pytest.param("def f(s):\n    return int(s, 16)\n", id="int base"),
        pytest.param(
            "def f():\n    if sys.version_info >= (3, 12):\n        pass\n", id="version comparison"
        ),
        pytest.param(
            "class M(BaseModel):\n    def m(self):\n        return Field(default=5, ge=3)\n",
            id="Field arguments",
        ),
        pytest.param(
            "def f(x: Annotated[int, Gt(10)]) -> Literal[5]:\n    y: Literal[3] = g()\n",
            id="Annotated and annotations",
        ),
        pytest.param(
            "def f():\n    @pytest.mark.parametrize('x', [5, 6])\n    def t(x):\n        pass\n",
            id="parametrize data",
        ),
        pytest.param(
            "def f(x):\n    match x:\n        case 404:\n            pass\n", id="match pattern"
        ),
        pytest.param("def f():\n    return True\n", id="booleans are not numbers"),
        pytest.param(
            "def f():\n    warnings.warn('x', DeprecationWarning, stacklevel=3)\n", id="stacklevel"
        ),
        pytest.param("def f():\n    warnings.warn('x', DeprecationWarning, 2)\n", id="warn level"),
        pytest.param("def f(m):\n    return m.group(3)\n", id="regex group"),
        pytest.param("def f(x):\n    assert x < 100\n", id="assertions"),
        pytest.param("def f(x):\n    return x // 2 + x % 2 + x ** 2 + x * 2\n", id="idioms of 2"),
        pytest.param("def f(x):\n    return (x >> 8) & 0xFF\n", id="bit operations"),
        pytest.param("def f(x):\n    return len(x) == 2\n", id="pair check"),
        pytest.param("def f():\n    '''Wait 30 seconds.'''\n", id="docstring"),
    ],
)
def test_not_flagged(source: str) -> None:
    assert flagged(source) == []


def test_allowed_magic_values_option() -> None:
    source = "def f(x):\n    return x * 60 + 3.5\n"
    assert flagged(source, Options(allowed_magic_values=(60, "3.5"))) == []


def test_flag_default_arguments_option() -> None:
    source = "def f(x=30):\n    pass\nclass M:\n    size: int = 10\n"
    assert flagged(source, Options(flag_default_arguments=True)) == ["30", "10"]


def test_test_files_are_exempt() -> None:
    assert flagged("def test_x():\n    assert f(5) == 25\n", is_test=True) == []


def test_module_level_call_arguments_are_flagged() -> None:
    assert flagged("middleware = Retry(max_attempts=3)\nprint(5)\n") == ["3", "5"]


def test_len_limit_is_flagged() -> None:
    assert flagged("def f(items):\n    if len(items) > 50:\n        pass\n") == ["50"]


def test_fix_is_lazy_safe_and_titled() -> None:
    analysis = Engine().check(
        SourceFile(
            text="def calculate_fee(a):\n    return a * 0.025\n", settings=rule_settings(CODE)
        )
    )
    (finding,) = analysis.findings
    assert finding.fix is not None
    assert finding.fix.edits is None
    assert finding.fix.safety == "safe"
    assert finding.fix.title == "Extract `0.025` to module constant `CALCULATE_FEE_RATE`"
    assert finding.data["name"] == "CALCULATE_FEE_RATE"


def test_member_ranges_are_absolute_and_in_code_points() -> None:
    source = "class A:\n    x = 'é'\n\n    def m(self):\n        return 'ü' + 'ö' * 42\n"
    analysis = Engine().check(SourceFile(text=source, settings=rule_settings(CODE)))
    (finding,) = analysis.findings
    assert finding.range.start.line == 4
    assert source.splitlines()[4][finding.range.start.character :].startswith("42")


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("def f(n):\n    return 10**n + 2**n\n", id="power of the base"),
        pytest.param("def f(w):\n    return 0.5 * w\n", id="halving"),
    ],
)
def test_more_arithmetic_idioms(source: str) -> None:
    assert flagged(source) == []


def test_exponent_is_still_flagged() -> None:
    assert flagged("def f():\n    return 2**30\n") == ["30"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("def f(text):\n    return text[:200]\n", ["200"], id="truncation limit"),
        pytest.param("def f(text):\n    return text[:8], text[-4:]\n", [], id="short slices"),
        pytest.param("def f(x):\n    return len(x) == 3\n", ["3"], id="a length threshold"),
        pytest.param("def f(x):\n    return len(x) == 2\n", [], id="a pair"),
        pytest.param("def f(x):\n    assert len(x) < 100\n", [], id="an assertion"),
    ],
)
def test_recall_of_listed_misses(source: str, expected: list[str]) -> None:
    assert flagged(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("def f(g):\n    return itertools.permutations(g, 2)\n", id="pairs"),
        pytest.param("def f(it):\n    a, b = itertools.tee(it, 2)\n", id="two copies"),
        pytest.param("def f(s, i):\n    return s[i + 2 :]\n", id="index arithmetic"),
        pytest.param(
            "def f(port, scheme):\n    return port or (443 if scheme == 'https' else 80)\n",
            id="well-known ports",
        ),
    ],
)
def test_structural_numbers_are_not_flagged(source: str) -> None:
    assert flagged(source) == []
