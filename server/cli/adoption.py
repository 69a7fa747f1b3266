"""Adopting the standard on an existing repository: baselines and `--add-noqa`.

`standards-lsp baseline` writes today's findings to `standards-lsp-baseline.json` beside each
project's `standards.toml` (or to `--baseline FILE`); `check` then hides the findings the
baseline covers (`--show-baselined` shows them). `check --add-noqa` writes a `# noqa:` comment
for every current finding instead.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Iterable
from pathlib import Path

from rules.baseline import Baseline, BaselineCache, BaselineError, project_baseline_path
from rules.config import ConfigResolver
from rules.models import Finding
from rules.noqa import STANDARDS_CODE, is_suppressed, noqa_edit
from rules.source import split_lines
from server.batch import BatchReport, FileReport, read_source

# Files whose comments start with `#`, where a suppression comment can go at a line's end.
HASH_COMMENT_SUFFIXES = (".py", ".pyi", ".toml", ".yaml", ".yml", ".cfg", ".sh", ".txt")
HASH_COMMENT_NAMES = ("Dockerfile", "Makefile", "Pipfile")


def _file_lines(report: FileReport) -> list[str]:
    text, _ = read_source(report.path)
    return split_lines(text or "")


class Baselines:
    """The baseline of each file's project (or one given baseline for all)."""

    def __init__(self, resolver: ConfigResolver, explicit: Path | None = None) -> None:
        self.resolver = resolver
        self.explicit = explicit.absolute() if explicit is not None else None
        self.cache = BaselineCache()

    def path_for(self, file: Path) -> Path:
        """Where the baseline covering `file` is (or is to be written)."""
        if self.explicit is not None:
            return self.explicit
        return project_baseline_path(self.resolver.project_for(file).root)

    def load(self, file: Path) -> Baseline | None:
        """The baseline covering `file` (None when there is none)."""
        path = self.path_for(file)
        if self.explicit is not None and not path.exists():
            raise BaselineError(f"no baseline at {path}")
        return self.cache.get(path)


def hide_baselined(report: BatchReport, baselines: Baselines) -> tuple[BatchReport, int]:
    """The report without the findings the baselines cover, and how many were hidden."""
    hidden = 0
    files = []
    for file_report in report.files:
        baseline = baselines.load(file_report.path) if file_report.findings else None
        if baseline is None:
            files.append(file_report)
            continue
        new, known = baseline.split(
            file_report.path, file_report.findings, _file_lines(file_report)
        )
        hidden += len(known)
        files.append(file_report.model_copy(update={"findings": new}))
    return report.model_copy(update={"files": files}), hidden


def write_baselines(report: BatchReport, baselines: Baselines) -> list[tuple[Path, int]]:
    """Write the baseline(s) of a run's findings; each file written with its finding count."""
    written: dict[Path, Baseline] = {}
    for file_report in report.files:
        path = baselines.path_for(file_report.path)
        baseline = written.setdefault(path, Baseline(path))
        if file_report.findings:
            baseline.add(file_report.path, file_report.findings, _file_lines(file_report))
    for baseline in written.values():
        baseline.write()
    return [(path, len(baseline)) for path, baseline in sorted(written.items())]


def _unsafe_lines(text: str) -> set[int]:
    """Lines where a comment cannot go at the end: inside a multi-line string, or continued
    with a backslash."""
    lines = split_lines(text)
    unsafe = {index for index, line in enumerate(lines) if line.rstrip().endswith("\\")}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            first, last = token.start[0] - 1, token.end[0] - 1
            if last > first and token.type not in (tokenize.NL, tokenize.NEWLINE):
                unsafe.update(range(first, last))
    except (tokenize.TokenError, SyntaxError):
        return set(range(len(lines)))
    return unsafe


def _takes_hash_comments(path: Path) -> bool:
    return path.suffix in HASH_COMMENT_SUFFIXES or path.name.startswith(HASH_COMMENT_NAMES)


def add_noqa_to_file(path: Path, findings: Iterable[Finding]) -> tuple[int, int]:
    """Add a `# noqa:` for each finding to its line; (added, left) counts."""
    text, _ = read_source(path)
    wanted = [f for f in findings if STANDARDS_CODE.fullmatch(f.code)]
    if text is None or not wanted or not _takes_hash_comments(path):
        return 0, len(wanted)
    lines = split_lines(text)
    unsafe = _unsafe_lines(text) if path.suffix in (".py", ".pyi") else set()
    added = left = 0
    for finding in wanted:
        index = finding.range.start.line
        if index >= len(lines) or index in unsafe:
            left += 1
            continue
        line = lines[index]
        if is_suppressed(finding.code, line):
            continue  # a second finding of that code on the line
        edit = noqa_edit(line, index, finding.code)
        start, end = edit.range.start.character, edit.range.end.character
        lines[index] = line[:start] + edit.new_text + line[end:]
        added += 1
    if added:
        path.write_text("".join(lines), encoding="utf-8", newline="")
    return added, left


def add_noqa(report: BatchReport) -> tuple[int, int, int]:
    """Suppress every finding of a run: (comments added, files changed, findings left)."""
    added_total = files = left_total = 0
    for file_report in report.files:
        if not file_report.findings:
            continue
        added, left = add_noqa_to_file(file_report.path, file_report.findings)
        added_total += added
        left_total += left
        files += 1 if added else 0
    return added_total, files, left_total
