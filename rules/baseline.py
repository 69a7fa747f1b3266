"""Baselines: today's findings written down, so that adopting the standard on an existing
repository shows only new findings.

A baseline entry is a rule code, a file (relative to the baseline file, `/` separators) and a
fingerprint of the code around the finding (`rules.fingerprint.context_digest`), with how many
findings share all three. Line numbers are not part of it: inserting lines above a finding, or
moving the function it is in elsewhere in the file, keeps it baselined. Editing the finding's
own lines makes it new again, as it should.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, Field, ValidationError

from rules.fingerprint import context_digest
from rules.models import Finding

BASELINE_FILE = "standards-lsp-baseline.json"
BASELINE_VERSION = 1


class BaselineEntry(BaseModel):
    """Findings of one rule, in one file, on one piece of code."""

    path: str = Field(description="relative to the baseline file, `/` separators")
    code: str
    fingerprint: str
    count: int = 1


class BaselineDocument(BaseModel):
    """The baseline file."""

    version: int = BASELINE_VERSION
    findings: list[BaselineEntry] = Field(default_factory=list)


class BaselineError(Exception):
    """A baseline file that cannot be read."""


def relative_key(path: str | Path, base: Path) -> str:
    """`path` as a baseline names it: relative to `base` with `/` separators."""
    target = Path(path).absolute()
    try:
        return target.relative_to(base.absolute()).as_posix()
    except ValueError:
        return PurePosixPath(target.as_posix()).as_posix()


class Baseline:
    """A loaded baseline: which findings to hide."""

    def __init__(self, path: Path, entries: list[BaselineEntry] | None = None) -> None:
        self.path = path
        self.base = path.parent
        self.by_path: dict[str, Counter[tuple[str, str]]] = {}
        for entry in entries or []:
            self._count(entry.path)[(entry.code, entry.fingerprint)] += entry.count

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """Read a baseline file (BaselineError when it is not one)."""
        try:
            document = BaselineDocument.model_validate_json(path.read_bytes())
        except (OSError, ValidationError) as error:
            raise BaselineError(f"cannot read the baseline {path}: {error}") from error
        return cls(path, document.findings)

    def add(self, path: str | Path, findings: list[Finding], lines: list[str]) -> None:
        """Record the findings of one file."""
        counts = self._count(relative_key(path, self.base))
        for finding in findings:
            counts[(finding.code, context_digest(finding, lines))] += 1

    def _count(self, key: str) -> Counter[tuple[str, str]]:
        return self.by_path.setdefault(key, Counter())

    def split(
        self, path: str | Path, findings: list[Finding], lines: list[str]
    ) -> tuple[list[Finding], list[Finding]]:
        """The findings of one file the baseline does not cover, and those it does."""
        remaining = Counter(self.by_path.get(relative_key(path, self.base), {}))
        new: list[Finding] = []
        known: list[Finding] = []
        for finding in findings:
            entry = (finding.code, context_digest(finding, lines))
            if remaining[entry] > 0:
                remaining[entry] -= 1
                known.append(finding)
            else:
                new.append(finding)
        return new, known

    def document(self) -> BaselineDocument:
        """The file's content, sorted (so that a rewritten baseline diffs well)."""
        entries = [
            BaselineEntry(path=path, code=code, fingerprint=fingerprint, count=count)
            for path, counts in sorted(self.by_path.items())
            for (code, fingerprint), count in sorted(counts.items())
            if count > 0
        ]
        return BaselineDocument(findings=entries)

    def write(self) -> None:
        """Write the baseline file."""
        data = self.document().model_dump(mode="json")
        self.path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    def __len__(self) -> int:
        return sum(sum(counts.values()) for counts in self.by_path.values())


def project_baseline_path(root: str | Path) -> Path:
    """Where a project's baseline lives: beside its `standards.toml`."""
    return Path(root) / BASELINE_FILE


class BaselineCache:
    """Baselines by file, read again only when the file changes (the server asks per check)."""

    def __init__(self) -> None:
        self._loaded: dict[Path, tuple[tuple[int, int], Baseline | None]] = {}

    def get(self, path: Path) -> Baseline | None:
        """The baseline at `path` (None: no file there, or one that cannot be read)."""
        try:
            status = path.stat()
        except OSError:
            self._loaded.pop(path, None)
            return None
        stamp = (status.st_mtime_ns, status.st_size)
        known = self._loaded.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        try:
            baseline: Baseline | None = Baseline.load(path)
        except BaselineError:
            baseline = None
        self._loaded[path] = (stamp, baseline)
        return baseline
