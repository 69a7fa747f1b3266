"""The project's own ecosystem check: on the corpus apps (`../shared/corpora/get`), every finding
judged true by hand is still reported and every finding judged false is not.

The corpus is downloaded (and cached) on first use. Outside CI the test is skipped when it cannot
be had (no network); in CI (`CI=true`) it must run."""

from __future__ import annotations

import os

import pytest

from bench.verdicts import (
    JUDGED_CODES,
    TRUE,
    check_package,
    fetch_corpus,
    known_disagreements,
    load_verdicts,
    match,
)

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def apps():
    found = fetch_corpus()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the corpus apps could not be downloaded (../shared/corpora/get)")
        pytest.skip("the corpus apps are not available here (run ../shared/corpora/get)")
    return found


def test_there_are_verdicts_for_every_judged_rule() -> None:
    codes = {verdict.code for verdict in load_verdicts()}
    assert "STD203" in codes
    assert codes <= set(JUDGED_CODES)


def test_judged_findings_keep_their_verdict(apps) -> None:
    verdicts = load_verdicts()
    reported = {
        package: check_package(apps / package) for package in sorted({v.package for v in verdicts})
    }
    known = known_disagreements()
    wrong, agreed = [], []
    for verdict in verdicts:
        found = match(verdict, reported[verdict.package]) is not None
        key = (verdict.package, verdict.path, verdict.line, verdict.code)
        where = f"{verdict.package} {verdict.path}:{verdict.line} {verdict.code} {verdict.literal}"
        if found != (verdict.verdict == TRUE) and key not in known:
            what = "no longer reported" if verdict.verdict == TRUE else "reported"
            wrong.append(f"judged {verdict.verdict} but {what}: {where}")
        elif found == (verdict.verdict == TRUE) and key in known:
            agreed.append(f"now agrees, remove it from disagreements.toml: {where}")
    assert wrong == []
    assert agreed == []
