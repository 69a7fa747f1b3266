"""STD201 on HTTP status codes: the finding names the `HTTPStatus` member, the safe fix writes
it with its import, and a status class bound in a range check is not flagged."""

from __future__ import annotations

import pytest

from rules.engine import Engine, SourceFile
from rules.fixes import apply_edits
from rules.models import Finding
from rules.rule import FixRequest
from tests.support.engine import CONSTANTS_SETTINGS


def findings_of(source: str, codes: tuple[str, ...] = ("STD201",)) -> list[Finding]:
    analysis = Engine().check(SourceFile(text=source, settings=CONSTANTS_SETTINGS))
    return [finding for finding in analysis.findings if finding.code in codes]


def fixed_text(source: str) -> str:
    """The text after the first STD201 finding's fix (unchanged when it has none)."""
    engine = Engine()
    [finding, *_] = findings_of(source)
    fix = engine.resolve_fix(FixRequest(text=source, finding=finding, settings=CONSTANTS_SETTINGS))
    if fix is None or fix.edits is None:
        return source
    return apply_edits(source, fix.edits)


@pytest.mark.parametrize(
    ("source", "member"),
    [
        pytest.param("def f(r):\n    return r.status_code == 404\n", "NOT_FOUND", id="compared"),
        pytest.param("def f(r):\n    return r.status != 201\n", "CREATED", id="status attribute"),
        pytest.param(
            "def f(r):\n    return r['statusCode'] == 500\n", "INTERNAL_SERVER_ERROR", id="key"
        ),
        pytest.param(
            "def f():\n    raise HTTPException(status_code=409, detail=D)\n", "CONFLICT", id="kw"
        ),
        pytest.param("def f():\n    abort(403)\n", "FORBIDDEN", id="abort"),
        pytest.param("def f():\n    raise HTTPException(401)\n", "UNAUTHORIZED", id="positional"),
        pytest.param(
            "def f():\n    return {'statusCode': 200, 'body': ''}\n", "OK", id="lambda response"
        ),
        pytest.param(
            "def f(r):\n    return r.status in (429, 503)\n", "TOO_MANY_REQUESTS", id="in"
        ),
        pytest.param(
            "def f(r):\n    return r.status_code >= 429\n", "TOO_MANY_REQUESTS", id="bound"
        ),
        pytest.param(
            "def f():\n    status_code = 204\n    return status_code\n", "NO_CONTENT", id="target"
        ),
    ],
)
def test_a_status_code_asks_for_its_member(source: str, member: str) -> None:
    [finding, *_] = findings_of(source)
    assert finding.message.endswith(f"use `HTTPStatus.{member}`")
    assert finding.fix is not None and finding.fix.title == f"Use `HTTPStatus.{member}`"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("def f(r):\n    return 200 <= r.status_code < 300\n", id="class range"),
        pytest.param("def f(r):\n    return r.status >= 500\n", id="class bound"),
        pytest.param("def f(r):\n    return r.status_code // 100 == 2\n", id="class by division"),
    ],
)
def test_a_status_class_bound_is_not_flagged(source: str) -> None:
    assert [finding.message for finding in findings_of(source) if "HTTP" in finding.message] == []
    assert not [f for f in findings_of(source) if "200" in f.message or "500" in f.message]


def test_a_number_that_is_no_status_member_is_a_magic_number() -> None:
    [finding] = findings_of("def f(r):\n    return r.status_code == 299\n")
    assert finding.message.startswith("Magic number")


def test_the_fix_adds_the_import_among_the_imports() -> None:
    source = (
        '"""Doc."""\n\nfrom __future__ import annotations\n\nimport json\n\n\n'
        "def f(r):\n    return r.status_code == 404\n"
    )
    assert fixed_text(source) == (
        '"""Doc."""\n\nfrom __future__ import annotations\n\nfrom http import HTTPStatus\n'
        "import json\n\n\ndef f(r):\n    return r.status_code == HTTPStatus.NOT_FOUND\n"
    )


def test_the_fix_reuses_an_existing_import() -> None:
    source = "import http\n\n\ndef f(r):\n    return r.status == 404\n"
    assert fixed_text(source) == (
        "import http\n\n\ndef f(r):\n    return r.status == http.HTTPStatus.NOT_FOUND\n"
    )


def test_the_fix_after_a_future_import_keeps_two_blank_lines() -> None:
    source = "from __future__ import annotations\n\n\ndef f(r):\n    return r.status == 404\n"
    assert fixed_text(source) == (
        "from __future__ import annotations\n\nfrom http import HTTPStatus\n\n\n"
        "def f(r):\n    return r.status == HTTPStatus.NOT_FOUND\n"
    )


def test_no_fix_when_the_name_is_taken() -> None:
    source = "HTTPStatus = object()\n\n\ndef f(r):\n    return r.status == 404\n"
    assert fixed_text(source) == source


def test_status_codes_are_not_repeated_literals() -> None:
    source = (
        "def f(r):\n    return r.status_code == 404\n\n\n"
        "def g(r):\n    return r.status_code == 404\n"
    )
    assert {finding.code for finding in findings_of(source, codes=("STD201", "STD203"))} == {
        "STD201"
    }
