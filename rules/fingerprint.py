"""Fingerprints of findings that survive moved code: the rule's code and the text around the
finding (its lines, stripped of indentation), never its line number.

Two findings of one rule on identical code in one file share a context digest; `fingerprints`
tells them apart by their order of occurrence (`digest:0`, `digest:1`, ...), which moving either
of them does not change unless they swap places.
"""

from __future__ import annotations

import hashlib

from rules.models import Finding

DIGEST_SIZE = 8
# A finding spanning more lines than this is fingerprinted by its first ones.
CONTEXT_LINES = 3


def context_digest(finding: Finding, lines: list[str]) -> str:
    """A digest of the finding's code and the stripped text of the lines it covers."""
    start = finding.range.start.line
    end = min(finding.range.end.line, start + CONTEXT_LINES - 1)
    covered = [line.strip() for line in lines[start : end + 1]] if 0 <= start < len(lines) else []
    material = "\0".join([finding.code, *covered])
    return hashlib.blake2b(material.encode(), digest_size=DIGEST_SIZE).hexdigest()


def fingerprints(findings: list[Finding], lines: list[str]) -> list[str]:
    """Each finding's `digest:occurrence`, in the findings' order."""
    seen: dict[str, int] = {}
    result = []
    for finding in findings:
        digest = context_digest(finding, lines)
        occurrence = seen.get(digest, 0)
        seen[digest] = occurrence + 1
        result.append(f"{digest}:{occurrence}")
    return result
