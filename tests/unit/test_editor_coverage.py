"""The editor clients send the server every file it handles: the VS Code extension's document
selector and the Neovim client's file types cover each pattern of the file rules and each
watched configuration file (a new pattern fails here until both clients take it)."""

from __future__ import annotations

import pytest

from tests.support.editors import (
    NEOVIM_FILETYPES,
    SAMPLES,
    glob_matches,
    matches_server_pattern,
    neovim_filetypes,
    server_patterns,
    vscode_patterns,
    vscode_selects_python,
)

# Where the project sits in the tests' paths (VS Code matches the selector on the whole path).
PROJECT = "/home/user/project"


def test_every_server_pattern_has_a_sample() -> None:
    assert sorted(SAMPLES) == sorted(server_patterns())


@pytest.mark.parametrize(("pattern", "sample"), SAMPLES.items())
def test_the_sample_is_one_the_server_handles(pattern: str, sample: str) -> None:
    assert matches_server_pattern(sample, pattern)


@pytest.mark.parametrize("sample", SAMPLES.values())
def test_the_vscode_selector_takes_the_sample(sample: str) -> None:
    if sample.endswith(".py"):
        assert vscode_selects_python()
    else:
        path = f"{PROJECT}/{sample}"
        assert any(glob_matches(pattern, path) for pattern in vscode_patterns()), sample


@pytest.mark.parametrize("sample", SAMPLES.values())
def test_the_neovim_client_takes_the_sample(sample: str) -> None:
    assert NEOVIM_FILETYPES[sample] in neovim_filetypes(), sample


def test_the_vscode_selector_lists_each_pattern_once() -> None:
    patterns = vscode_patterns()
    assert len(patterns) == len(set(patterns))


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("**/Dockerfile.*", "/p/Dockerfile.dev", True),
        ("**/Dockerfile.*", "/p/Dockerfile", False),
        ("**/.github/workflows/*.yml", "/p/.github/workflows/ci.yml", True),
        ("**/.github/workflows/*.yml", "/p/.github/workflows/sub/ci.yml", False),
        ("**/requirements*.txt", "/p/requirements.txt", True),
        ("**/*.dockerfile", "/p/api.Dockerfile", False),
    ],
)
def test_the_glob_semantics(pattern: str, path: str, matches: bool) -> None:
    assert glob_matches(pattern, path) is matches
