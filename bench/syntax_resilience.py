"""How many findings survive one syntax error: break a stdlib module at many places, compare.

For each module and each chosen line, one breaking edit is made (an unclosed bracket, a stray
keyword, a half-typed line); the findings of the broken text are compared with those of the
intact text, counting only findings away from the broken line. The issue's goal: at least 90%
of a module's findings still reported, wherever the error is.

    uv run python bench/syntax_resilience.py [--modules argparse typing _pydecimal] [--breaks 40]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sysconfig
from pathlib import Path

from pydantic import BaseModel

from rules.config import ProjectConfig, resolve_settings
from rules.engine import SYNTAX_ERROR_CODE, Engine, SourceFile
from rules.models import Finding, Tier

STDLIB = Path(sysconfig.get_paths()["stdlib"])
DEFAULT_MODULES = ("argparse", "typing", "_pydecimal", "ast", "json/decoder", "subprocess")
DEFAULT_BREAKS = 40
SEED = 20261127
BREAKS = ("(", "def ", " = = ", '"""', "[", "if x", "\\")
GOAL = 0.9


class ModuleResult(BaseModel):
    """Survival of findings in one module over its breaking edits."""

    module: str
    findings: int
    ratios: list[float]

    @property
    def worst(self) -> float:
        return min(self.ratios, default=1.0)

    @property
    def median(self) -> float:
        return statistics.median(self.ratios) if self.ratios else 1.0


def _key(finding: Finding) -> tuple[str, int, int, str]:
    return (finding.code, finding.range.start.line, finding.range.start.character, finding.message)


def _broken(lines: list[str], line: int, token: str) -> str:
    edited = list(lines)
    text = edited[line].rstrip("\n")
    edited[line] = text + token + "\n"
    return "".join(edited)


def measure(module: str, breaks: int, engine: Engine) -> ModuleResult:
    """Break `module` at `breaks` random lines and measure what survives each time."""
    path = STDLIB / f"{module}.py"
    text = path.read_text(encoding="utf-8")
    settings = resolve_settings(ProjectConfig(root=str(STDLIB), tier=Tier.PRODUCTION), str(path))
    intact = engine.check(SourceFile(text=text, settings=settings, path=str(path))).findings
    lines = text.splitlines(keepends=True)
    chooser = random.Random(f"{SEED}-{module}")  # noqa: S311 - reproducible, not secret
    ratios: list[float] = []
    for _ in range(breaks):
        line = chooser.randrange(len(lines))
        token = chooser.choice(BREAKS)
        broken = _broken(lines, line, token)
        after = engine.check(SourceFile(text=broken, settings=settings, path=str(path))).findings
        survivors = {_key(f) for f in after if f.code != SYNTAX_ERROR_CODE}
        expected = [f for f in intact if f.range.start.line != line]
        if expected:
            kept = sum(1 for f in expected if _key(f) in survivors)
            ratios.append(kept / len(expected))
    return ModuleResult(module=module, findings=len(intact), ratios=ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", nargs="*", default=list(DEFAULT_MODULES))
    parser.add_argument("--breaks", type=int, default=DEFAULT_BREAKS)
    arguments = parser.parse_args()
    engine = Engine()
    print("| module | findings | breaks | median kept | worst kept | goal met in |")
    print("|---|---|---|---|---|---|")
    for module in arguments.modules:
        result = measure(module, arguments.breaks, engine)
        met = sum(1 for ratio in result.ratios if ratio >= GOAL)
        print(
            f"| {module} | {result.findings} | {len(result.ratios)} | {result.median:.1%} "
            f"| {result.worst:.1%} | {met}/{len(result.ratios)} |"
        )


if __name__ == "__main__":
    main()
