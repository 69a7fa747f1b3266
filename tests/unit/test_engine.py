"""The engine: findings, incremental re-checks equal fresh checks, isolation of broken rules."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

from rules.engine import (
    SYNTAX_ERROR_CODE,
    CheckInterrupted,
    Engine,
    SourceFile,
    _PythonCheck,
    collector_paused,
)
from rules.models import Finding, Severity, TierSeverities
from rules.noqa import noqa_comments
from rules.registry import Registry, default_registry
from rules.rule import UnitContext, UnitRule
from rules.settings import FileSettings
from rules.source import split_lines
from tests.support.engine import settings_for

ENGINE = Engine()


def _check(text: str, settings: FileSettings | None = None, path: str = "/project/m.py"):
    return ENGINE.check(SourceFile(text=text, settings=settings or settings_for(), path=path))


def _codes(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(finding.code, finding.range.start.line) for finding in findings]


def test_columns_are_code_points_not_bytes() -> None:
    analysis = _check('x = "héllo wörld 🎉"; import openai\n')
    (finding,) = analysis.findings
    assert finding.code == "STD302"
    assert finding.range.start.character == len('x = "héllo wörld 🎉"; import ')


def test_incremental_check_equals_fresh_check_after_edits() -> None:
    text = "import os\n\n\ndef f():\n    import openai\n\n\nclass A:\n    def g(self):\n        import anthropic\n"
    first = _check(text)
    edited = text.replace("def f():", "def f(x):\n    # a new line\n")
    incremental = ENGINE.check(
        SourceFile(text=edited, settings=settings_for(), path="/project/m.py"), cache=first.cache
    )
    assert incremental.findings == _check(edited).findings
    assert _codes(incremental.findings) == [("STD302", 6), ("STD302", 11)]


def test_unchanged_units_keep_their_finding_objects() -> None:
    text = "import openai\n\n\ndef f():\n    return 1\n"
    first = _check(text)
    second = ENGINE.check(
        SourceFile(
            text=text.replace("return 1", "return 2"), settings=settings_for(), path="/p/m.py"
        ),
        cache=first.cache,
    )
    assert second.findings[0] is first.findings[0]


def test_syntax_error_keeps_findings_elsewhere() -> None:
    text = "import openai\n\ndef broken(:\n    pass\n\nimport anthropic\n"
    analysis = _check(text)
    assert _codes(analysis.findings) == [("STD302", 0), (SYNTAX_ERROR_CODE, 2), ("STD302", 5)]
    error = analysis.findings[1]
    assert error.severity is Severity.ERROR


def test_noqa_silences_only_the_named_code() -> None:
    text = (
        "import openai  # noqa: STD302 -- a reason\nimport anthropic  # noqa\n"
        "import langfuse  # noqa: E501, std302 -- a reason\n"
    )
    assert _codes(_check(text).findings) == [("STD302", 1)]


def test_inactive_rules_do_not_run() -> None:
    settings = settings_for().model_copy(update={"severities": {}})
    assert _check("import openai\n", settings).findings == []


class _Exploding(UnitRule):
    code = "STD999"
    name = "exploding"
    summary = "raises"
    severities = TierSeverities(production=Severity.ERROR, internal=None, prototype=None)

    def check_unit(self, context: UnitContext) -> Iterator[Finding]:
        raise RuntimeError(f"boom in {context.unit.start_line}")


def test_a_rule_that_raises_is_isolated() -> None:
    registry = Registry([*default_registry().rules, _Exploding()])
    engine = Engine(registry)
    settings = settings_for().model_copy(
        update={"severities": {"STD302": Severity.ERROR, "STD999": Severity.ERROR}}
    )
    analysis = engine.check(SourceFile(text="import openai\n", settings=settings, path="/p/m.py"))
    assert _codes(analysis.findings) == [("STD302", 0)]
    assert [failure.code for failure in analysis.failures] == ["STD999"]
    assert "boom" in analysis.failures[0].error


def test_binary_garbage_and_huge_lines_are_answered() -> None:
    garbage = bytes(range(256)).decode("latin-1") * 4
    assert _check(garbage).findings[0].code == SYNTAX_ERROR_CODE
    long_line = "x = [" + ", ".join(["1"] * 30000) + "]\n"
    assert _check(long_line).findings == []


def test_non_python_files_get_only_file_rules() -> None:
    analysis = ENGINE.check(
        SourceFile(text="import openai\n", settings=settings_for(), path="/project/notes.txt")
    )
    assert analysis.findings == []


def test_an_interrupted_check_gives_up_and_a_later_one_is_whole() -> None:
    text = "import openai\n\n\ndef f():\n    return 42\n\n\nclass A:\n    def g(self):\n        import anthropic\n"
    asked: list[int] = []

    def interrupt() -> bool:
        asked.append(1)
        return len(asked) > 2  # give up before the third unit

    source = SourceFile(text=text, settings=settings_for(), path="/project/m.py")
    try:
        ENGINE.check(source, interrupt=interrupt)
    except CheckInterrupted:
        pass
    else:
        raise AssertionError("the check went on after its interrupt said stop")
    assert len(asked) == 3
    assert ENGINE.check(source, interrupt=lambda: False).findings == _check(text).findings


def test_noqa_comments_found_unit_by_unit_are_those_of_the_whole_text() -> None:
    text = (
        'HELP = "# noqa: STD201 in a string"\n'
        "PAGE = 100  # noqa: STD201\n\n\n"
        "class A:\n"
        '    DOC = """\n'
        "    # noqa: STD202 inside a string\n"
        '    """\n'
        "    def g(self):  # noqa: STD201 -- a reason\n"
        "        return 7  # noqa: STD201\n"
    )
    first = _check(text)
    edited = text.replace("return 7", "return 8")
    incremental = ENGINE.check(
        SourceFile(text=edited, settings=settings_for(), path="/project/m.py"), cache=first.cache
    )
    assert incremental.findings == _check(edited).findings
    lines = split_lines(text)
    by_units = _PythonCheck(
        default_registry(), SourceFile(text=text, settings=settings_for()), first.cache
    )
    by_units.cache.splits = first.cache.splits if first.cache is not None else None
    found = by_units._noqa_comments(text, lines)
    assert found == noqa_comments(text, lines)
    assert [comment.line for comment in found] == [1, 8, 9]  # not the ones inside strings


def test_the_collector_pause_nests_across_threads_and_restores_what_was_there() -> None:
    gc.enable()
    inner_started, release = threading.Event(), threading.Event()

    def pause_on_a_thread() -> None:
        with collector_paused():
            inner_started.set()
            release.wait()

    with collector_paused():
        assert not gc.isenabled()
        thread = threading.Thread(target=pause_on_a_thread)
        thread.start()
        inner_started.wait()
    assert not gc.isenabled()  # the thread's pause is still on
    release.set()
    thread.join()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()


def _status_fix_applicable(text: str) -> bool:
    (finding,) = [f for f in _check(text).findings if f.code == "STD201"]
    assert finding.fix is not None and finding.fix.adds_module_names
    return finding.fix.applicable


def test_a_fix_adding_a_module_name_is_refused_where_the_module_lists_its_names() -> None:
    status = "class NotFound(Exception):\n    status_code = 404\n"
    assert _status_fix_applicable(status)
    # the module's names, listed at its top level or in a function: `HTTPStatus` would be one
    for listing in (
        "NAMES = sorted(vars())\n",
        "def names():\n    return list(globals())\n",
        "import sys\nMEMBERS = dir(sys.modules[__name__])\n",
    ):
        assert not _status_fix_applicable(status + "\n\n" + listing), listing
        # an edit that drops the listing gives the fix back (the units are checked again)
        first = _check(status + "\n\n" + listing)
        again = ENGINE.check(
            SourceFile(text=status, settings=settings_for(), path="/project/m.py"),
            cache=first.cache,
        )
        (finding,) = [f for f in again.findings if f.code == "STD201"]
        assert finding.fix is not None and finding.fix.applicable
        # and one that adds it takes it away, the unit holding the number kept from before
        listed = ENGINE.check(
            SourceFile(text=status + "\n\n" + listing, settings=settings_for(), path="/p/m.py"),
            cache=again.cache,
        )
        (finding,) = [f for f in listed.findings if f.code == "STD201"]
        assert finding.fix is not None and not finding.fix.applicable
    # a class's own names, or one name looked up, leave the module's list as it is
    for lookup in (
        "class Registry:\n    KINDS = vars()\n",
        "def named(name):\n    return globals()[name]\n",
        "import sys\nSELF = getattr(sys.modules[__name__], 'NotFound')\n",
    ):
        assert _status_fix_applicable(status + "\n\n" + lookup), lookup
