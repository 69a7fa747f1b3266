"""Suppressions: reasons after `--`, STD901 (unused) and STD902 (no reason) on real comments."""

from __future__ import annotations

from rules.engine import Engine, SourceFile
from rules.fixer import fix_text
from rules.models import Severity, Tier
from rules.noqa import noqa_reason, suppressed_codes
from rules.settings import FileSettings

ENGINE = Engine()
PATH = "/project/m.py"


def _settings(*codes: str) -> FileSettings:
    return FileSettings(tier=Tier.PRODUCTION, severities=dict.fromkeys(codes, Severity.WARNING))


def _found(text: str, *codes: str) -> list[tuple[str, int]]:
    analysis = ENGINE.check(SourceFile(text=text, settings=_settings(*codes), path=PATH))
    return [(finding.code, finding.range.start.line) for finding in analysis.findings]


def test_a_reason_follows_the_codes() -> None:
    line = "x = 42  # noqa: STD201 -- the vendor's limit, 42\n"
    assert suppressed_codes(line) == {"STD201"}
    assert noqa_reason(line) == "the vendor's limit, 42"
    assert noqa_reason("x = 42  # noqa: STD201\n") == ""


def test_a_used_noqa_is_not_reported_an_unused_one_is() -> None:
    text = (
        "def f():\n    return g(42)  # noqa: STD201\n\n\ndef h():\n    return 1  # noqa: STD201\n"
    )
    assert _found(text, "STD201", "STD901") == [("STD901", 5)]


def test_codes_of_rules_off_here_and_other_tools_codes_are_left_alone() -> None:
    text = "x = 1  # noqa: STD302, E501\n"
    assert _found(text, "STD901") == []
    assert _found(text, "STD901", "STD302") == [("STD901", 0)]


def test_unused_noqa_in_a_string_is_not_a_comment() -> None:
    text = 'HELP = """\n# noqa: STD210\n"""\n'
    assert _found(text, "STD901") == []


def test_the_fix_removes_only_the_unused_code() -> None:
    text = "def f():\n    return g(42)  # noqa: STD210, STD201 -- a reason\n"
    source = SourceFile(text=text, settings=_settings("STD201", "STD901"), path=PATH)
    outcome = fix_text(ENGINE, source, unsafe=False)
    assert outcome.text == "def f():\n    return g(42)  # noqa: STD201 -- a reason\n"


def test_incremental_checks_agree_with_fresh_ones() -> None:
    settings = _settings("STD201", "STD901")
    text = "def f():\n    return g(42)  # noqa: STD201\n"
    first = ENGINE.check(SourceFile(text=text, settings=settings, path=PATH))
    assert first.findings == []
    edited = "# header\n" + text.replace("g(42)", "g(1)")
    again = ENGINE.check(SourceFile(text=edited, settings=settings, path=PATH), cache=first.cache)
    fresh = ENGINE.check(SourceFile(text=edited, settings=settings, path=PATH))
    assert again.findings == fresh.findings
    assert [(f.code, f.range.start.line) for f in again.findings] == [("STD901", 2)]


def test_noqa_without_a_reason() -> None:
    assert _found("x = 1  # noqa: STD201\n", "STD902") == [("STD902", 0)]
    assert _found("x = 1  # noqa: STD201 -- why\n", "STD902") == []
