"""The expected outputs (the demo's report, the fixture repositories' findings) are what the
code gives today: when a rule changes them, regenerate them with `tests.regenerate`."""

from __future__ import annotations

from pathlib import Path

from tests import regenerate
from tests.support.paths import REPOSITORY


def test_the_expected_outputs_have_not_drifted() -> None:
    stale = regenerate.drifted(regenerate.expected_outputs())
    names = [path.relative_to(REPOSITORY).as_posix() for path in stale]
    assert not names, (
        f"{', '.join(names)} no longer match what the code gives: run `{regenerate.COMMAND}`"
        " (or `make regenerate`) and review the diff"
    )


def test_a_file_that_differs_or_is_missing_has_drifted(tmp_path: Path) -> None:
    written, missing = tmp_path / "expected.json", tmp_path / "missing.json"
    written.write_text("{}\n", encoding="utf-8")
    assert regenerate.drifted({written: "{}\n"}) == []
    assert regenerate.drifted({written: "[]\n", missing: "{}\n"}) == [written, missing]
