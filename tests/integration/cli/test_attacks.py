"""The command line attacked with hostile files and paths (issue 13's CLI items).

Never a traceback, never a false "All checks passed!": every unreadable, missing or odd path is
a one-line message, the run goes on, and the exit code is 2. A fix changes only the bytes of
its edits: encoding, byte order mark and line endings are kept.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from rules.config import ConfigResolver
from rules.engine import Engine, SourceFile
from rules.fixer import fix_text
from rules.registry import default_registry
from server.cli import main as cli
from tests.support.cli import EXIT_ERROR, EXIT_FINDINGS, run

PRODUCTION = '[standards]\nruleset = "python-production"\n'
MAGIC = 'def f(x):\n    return "café", x * 4711\n'
LATIN_1_COOKIE = "# -*- coding: latin-1 -*-\n"
BOM = b"\xef\xbb\xbf"
TRACEBACK = "Traceback"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "standards.toml").write_text(PRODUCTION)
    return tmp_path


def _no_traceback(result: object) -> None:
    assert TRACEBACK not in getattr(result, "stderr", ""), result


# item 1 and item 4, and the class: bytes in, bytes out

VARIANTS = {
    "latin-1 cookie": ("latin-1", False, "\n", "    ", LATIN_1_COOKIE),
    "utf-8 with BOM": ("utf-8", True, "\n", "    ", ""),
    "CRLF": ("utf-8", False, "\r\n", "    ", ""),
    "CR only": ("utf-8", False, "\r", "    ", ""),
    "tab-indented": ("utf-8", False, "\n", "\t", ""),
    "form feed": ("utf-8", False, "\n", "    ", "\f\n"),
    "BOM, CRLF and tabs": ("utf-8", True, "\r\n", "\t", ""),
}


def _stored(text: str, codec: str, bom: bool, newline: str) -> bytes:
    return (BOM if bom else b"") + text.replace("\n", newline).encode(codec)


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_fix_changes_only_the_bytes_of_its_edits(project: Path, variant: str) -> None:
    codec, bom, newline, indent, head = VARIANTS[variant]
    text = head + MAGIC.replace("    ", indent) + "\f\ndef g():\n" + indent + "return 1\n"
    path = project / "module.py"
    path.write_bytes(_stored(text, codec, bom, newline))
    # what the fixes make of the plain text, stored the file's way, is what must be on disk
    settings = ConfigResolver().settings_for(str(path))
    fixed = fix_text(Engine(), SourceFile(text=text, settings=settings, path=str(path))).text
    assert fixed != text
    result = run("fix", "--no-cache", "module.py", cwd=project)
    _no_traceback(result)
    assert path.read_bytes() == _stored(fixed, codec, bom, newline)


def test_fix_keeps_a_latin_1_file_latin_1(project: Path) -> None:
    path = project / "l.py"
    path.write_bytes(b'# -*- coding: latin-1 -*-\ndef f(x):\n    return "caf\xe9", x * 4711\n')
    run("fix", "--no-cache", "l.py", cwd=project)
    data = path.read_bytes()
    assert b'"caf\xe9"' in data
    assert data.decode("latin-1").count("café") == 1


def test_a_fix_the_encoding_cannot_hold_leaves_the_file_alone(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "l.py"
    original = b'# -*- coding: latin-1 -*-\ndef f(x):\n    return "caf\xe9", x * 4711\n'
    path.write_bytes(original)
    (project / "other.py").write_text("def g(y):\n    return y * 4711\n")
    real_fix_with = cli.Batch.fix_file

    def euro_fix(batch: cli.Batch, target: Path, **options: object) -> object:
        result = real_fix_with(batch, target, **options)  # ty: ignore[invalid-argument-type]
        if result is None or target.name != "l.py":
            return result
        before, outcome = result
        return before, outcome.model_copy(update={"text": outcome.text + "EURO = '€'\n"})

    monkeypatch.chdir(project)
    monkeypatch.setattr(cli.Batch, "fix_file", euro_fix)
    code = cli.main(["fix", "--no-cache", "l.py", "other.py"])
    error = capsys.readouterr().err
    assert code == EXIT_ERROR
    assert "l.py: not fixed" in error and "iso-8859-1" in error and "'€'" in error
    assert path.read_bytes() == original
    assert "4711" not in (project / "other.py").read_text().split("\n", 1)[1]  # still fixed


# item 5: a FIFO named on the command line


def test_a_fifo_is_reported_not_waited_on(project: Path) -> None:
    os.mkfifo(project / "p.py")
    (project / "ok.py").write_text("X = 1\n")
    result = run("check", "--no-cache", "p.py", "ok.py", cwd=project)  # hangs if it reads
    _no_traceback(result)
    assert result.returncode == EXIT_ERROR
    assert "p.py:1:1: read-error not a regular file" in result.stdout
    walked = run("check", "--no-cache", ".", cwd=project)  # walks pass over FIFOs
    assert walked.returncode == 0, walked.stdout


# item 6: a directory that cannot be entered


def _locked_below(locked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the kernel answers a user without permission on `locked` (tests run as root too,
    and root is never refused): scandir and stat inside it fail with EACCES."""
    real_scandir, real_stat = os.scandir, os.stat

    def refuse(path: object) -> None:
        candidate = Path(os.fsdecode(path)).absolute()  # ty: ignore[invalid-argument-type]
        if candidate == locked or locked in candidate.parents:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

    def scandir(path: object = ".") -> object:
        refuse(path)
        return real_scandir(path)  # ty: ignore[no-matching-overload]

    def stat(path: object, *arguments: object, **options: object) -> object:
        if not isinstance(path, int) and locked in Path(os.fsdecode(path)).absolute().parents:  # ty: ignore[invalid-argument-type]
            refuse(path)
        return real_stat(path, *arguments, **options)  # ty: ignore[invalid-argument-type]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "stat", stat)


def test_an_unreadable_directory_is_reported_and_the_rest_checked(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "locked").mkdir()
    (project / "locked" / "b.py").write_text("def f(x):\n    return x * 4711\n")
    (project / "a.py").write_text("def f(x):\n    return x * 4711\n")
    monkeypatch.chdir(project)
    _locked_below(project / "locked", monkeypatch)
    code = cli.main(["check", "--no-cache", "."])
    out, error = capsys.readouterr()
    assert code == EXIT_ERROR
    assert "a.py:2:" in out  # the rest was checked and reported
    assert "locked: cannot enter the directory: Permission denied" in error
    assert "All checks passed!" not in out


# item 7: a read-only file among those fixed


def test_a_read_only_file_is_reported_and_the_others_fixed(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a.py", "b.py", "c.py"):
        (project / name).write_text("def f(x):\n    return x * 4711\n")
    real_write = Path.write_bytes

    def write_bytes(path: Path, data: bytes) -> int:
        if path.name == "a.py":  # what a read-only file (as a user, not root) answers
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_write(path, data)

    monkeypatch.chdir(project)
    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    code = cli.main(["fix", "--no-cache", "."])
    error = capsys.readouterr().err
    assert code == EXIT_ERROR
    assert "a.py: not fixed: cannot write the file: Permission denied" in error
    assert "Fixed 2 findings in 2 files." in error
    assert "4711" in (project / "a.py").read_text().split("\n", 2)[1]
    for name in ("b.py", "c.py"):
        assert (
            "X_FACTOR" in (project / name).read_text() or "4711\n\n" in (project / name).read_text()
        )


# item 9: a mistyped path, a dangling link


def test_missing_paths_and_dangling_links_are_errors_not_passes(project: Path) -> None:
    (project / "dangling.py").symlink_to(project / "gone.py")
    (project / "ok.py").write_text("X = 1\n")
    result = run("check", "--no-cache", "typo.py", "dangling.py", "ok.py", cwd=project)
    _no_traceback(result)
    assert result.returncode == EXIT_ERROR
    assert "typo.py: no such file or directory" in result.stderr
    assert "dangling.py: a broken symbolic link" in result.stderr
    assert "All checks passed!" not in result.stdout
    fixing = run("fix", "--no-cache", "typo.py", cwd=project)
    assert fixing.returncode == EXIT_ERROR
    assert "typo.py: no such file or directory" in fixing.stderr


def test_findings_and_a_missing_path_exit_with_2_not_1(project: Path) -> None:
    (project / "bad.py").write_text("def f(x):\n    return x * 4711\n")
    result = run("check", "--no-cache", "bad.py", "typo.py", cwd=project)
    assert result.returncode == EXIT_ERROR != EXIT_FINDINGS
    assert "bad.py:2:" in result.stdout


# item 8: deep valid code; a rule that still fails


DEEP_SUM = "def f(a):\n    return " + "a + " * 500 + "4711\n"
DEEP_CONDITIONAL = "def g(a):\n    return " + "a if a else " * 1000 + "a * 4711\n"
# close to the deepest tree CPython's parser builds (2,988 levels)
DEEPEST_SUM = "def h(a):\n    return " + "a + " * 2900 + "a * 4711\n"


def test_deep_valid_code_keeps_every_rule_s_findings(project: Path) -> None:
    for name, text in (("s.py", DEEP_SUM), ("c.py", DEEP_CONDITIONAL), ("d.py", DEEPEST_SUM)):
        (project / name).write_text(text)
    result = run("check", "--no-cache", ".", cwd=project)
    _no_traceback(result)
    assert "failed" not in result.stderr
    assert result.returncode == EXIT_FINDINGS
    for name in ("s.py", "c.py", "d.py"):
        assert f"{name}:2:" in result.stdout and "STD201" in result.stdout


def test_a_rule_that_fails_is_a_finding_and_check_does_not_pass(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "m.py").write_text("def f(x):\n    return x * 4711\n")
    rule = default_registry().get("STD201")
    assert rule is not None

    def broken(self: object, context: object) -> list[object]:
        del self, context
        raise ValueError("a bug in the rule")

    monkeypatch.setattr(type(rule), "check_unit", broken)
    monkeypatch.chdir(project)
    code = cli.main(["check", "--no-cache", "."])
    out = capsys.readouterr().out
    assert code == EXIT_ERROR
    assert "m.py:1:1: rule-failure rule STD201 failed, its findings are missing" in out
    assert "All checks passed!" not in out
