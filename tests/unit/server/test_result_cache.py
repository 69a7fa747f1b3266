"""The persistent result cache: what its key holds, what it does with broken entries and
unwritable directories, and how it stays bounded."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from rules.config import ConfigResolver
from rules.engine import Analysis, Engine, RuleFailure, SourceFile
from rules.models import Tier
from rules.registry import Registry, default_registry
from server import result_cache
from server.batch import Batch
from server.configuration import Configuration
from server.documents import Document
from server.result_cache import (
    CACHEDIR_TAG_NAME,
    ENTRY_SUFFIX,
    GITIGNORE_NAME,
    NO_CACHE_VARIABLE,
    CacheOptions,
    ResultCache,
    disabled_by_environment,
    engine_fingerprint,
)
from tests.support.cli import cache_entries
from tests.support.engine import settings_for, stdlib_sample

TEXT = "import openai\n\n\ndef price(amount):\n    return amount * 1.19\n"
PATH = "/project/pkg/pricing.py"
ROOT = "/project"
TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
ENGINE = Engine()
# Every how-many-th stdlib file is checked and round-tripped through an entry.
ROUND_TRIP_STRIDE = 150


def source(text: str = TEXT, tier: Tier = Tier.PRODUCTION, path: str = PATH) -> SourceFile:
    return SourceFile(text=text, settings=settings_for(tier, path), path=path, project_root=ROOT)


def stored(cache: ResultCache, directory: Path, file: SourceFile) -> Analysis:
    analysis = ENGINE.check(file)
    assert cache.store(directory, file, analysis)
    return analysis


@pytest.fixture
def cache() -> ResultCache:
    return ResultCache(default_registry())


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    return tmp_path / "project" / ".standards-lsp-cache"


def test_a_stored_check_is_found_again_with_the_same_findings(
    cache: ResultCache, directory: Path
) -> None:
    analysis = stored(cache, directory, source())
    assert analysis.findings, "the text must have findings for the test to mean anything"
    assert cache.load(directory, source()) == analysis.findings


def test_creating_the_directory_marks_it_as_a_cache(cache: ResultCache, directory: Path) -> None:
    stored(cache, directory, source())
    assert (directory / GITIGNORE_NAME).read_text().splitlines()[-1] == "*"
    assert (directory / CACHEDIR_TAG_NAME).read_text().startswith(TAG_SIGNATURE)
    assert len(cache_entries(directory)) == 1


@pytest.mark.parametrize(
    "other",
    [
        source(text=TEXT.replace("1.19", "1.2")),
        source(tier=Tier.PROTOTYPE),
        source(path="/project/pkg/Pricing.py"),
        SourceFile(text=TEXT, settings=settings_for(), path=PATH, project_root="/elsewhere"),
    ],
    ids=["text", "settings", "path", "project-root"],
)
def test_a_change_of_anything_the_findings_depend_on_misses(
    cache: ResultCache, directory: Path, other: SourceFile
) -> None:
    stored(cache, directory, source())
    assert cache.load(directory, other) is None


def test_a_change_of_the_engine_misses(
    cache: ResultCache, directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored(cache, directory, source())
    monkeypatch.setattr(result_cache, "engine_fingerprint", lambda registry: "another engine")
    assert cache.load(directory, source()) is None


def _plugin_registry(module_path: Path, body: str) -> Registry:
    """A registry holding one rule from a module file written now (not registered globally)."""
    module_path.write_text(
        "from rules.rule import UnitRule\n\n\nclass Plugin(UnitRule):\n"
        f"    code = 'STD998'\n    {body}\n"
    )
    name = f"plugin_{module_path.stem}"
    spec = importlib.util.spec_from_file_location(name, module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[name] = module
    return Registry([module.Plugin()])


def test_the_engine_fingerprint_follows_the_source_of_registered_rules(tmp_path: Path) -> None:
    plugin = tmp_path / "one.py"
    before = engine_fingerprint(_plugin_registry(plugin, "name = 'before'"))
    after = engine_fingerprint(_plugin_registry(plugin, "name = 'after'"))
    assert before is not None and after is not None
    assert before != after
    assert engine_fingerprint(default_registry()) not in {before, after}


@pytest.mark.parametrize(
    "content",
    [b"", b"[{", b'{"not": "findings"}', b"\xff\xfe not json", b'[{"code": 1}]'],
    ids=["empty", "truncated", "other-shape", "binary", "invalid-finding"],
)
def test_a_broken_entry_is_a_miss(cache: ResultCache, directory: Path, content: bytes) -> None:
    stored(cache, directory, source())
    (entry,) = cache_entries(directory)
    entry.write_bytes(content)
    assert cache.load(directory, source()) is None


def test_an_unreadable_entry_is_a_miss(cache: ResultCache, directory: Path) -> None:
    stored(cache, directory, source())
    (entry,) = cache_entries(directory)
    entry.unlink()
    entry.mkdir()  # reading it raises IsADirectoryError, whoever runs the test
    assert cache.load(directory, source()) is None


def test_an_unwritable_directory_is_ignored(cache: ResultCache, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    directory = blocker / ".standards-lsp-cache"  # below a file: cannot be created
    file = source()
    assert not cache.store(directory, file, ENGINE.check(file))
    assert cache.load(directory, file) is None
    assert cache.prune(directory) == 0


def test_a_check_where_a_rule_failed_is_not_stored(cache: ResultCache, directory: Path) -> None:
    file = source()
    analysis = ENGINE.check(file)
    failed = analysis.model_copy(
        update={"failures": [RuleFailure(code="STD201", error="boom", details="")]}
    )
    assert not cache.store(directory, file, failed)
    assert cache.load(directory, file) is None


def test_only_python_files_on_disk_have_a_key(cache: ResultCache) -> None:
    assert cache.key(source()) is not None
    assert cache.key(SourceFile(text=TEXT, settings=settings_for())) is None
    assert cache.key(source(path="/project/pyproject.toml")) is None
    assert cache.key(SourceFile(text=None, settings=settings_for(), path=PATH)) is None


def test_pruning_keeps_the_entries_used_last(directory: Path) -> None:
    cache = ResultCache(default_registry(), max_entries=2)
    files = [source(text=f"VALUE = {index}\n") for index in range(4)]
    for age, file in enumerate(files):
        stored(cache, directory, file)
        entry = directory / f"{cache.key(file)}{ENTRY_SUFFIX}"
        moment = 1_000_000 + age
        os.utime(entry, (moment, moment))  # written in this order, long ago
    assert cache.load(directory, files[0]) is not None  # a hit: the oldest is now the newest
    assert cache.prune(directory) == 2
    assert cache.load(directory, files[0]) is not None
    assert cache.load(directory, files[3]) is not None
    assert cache.load(directory, files[1]) is None
    assert cache.load(directory, files[2]) is None
    assert (directory / GITIGNORE_NAME).exists() and (directory / CACHEDIR_TAG_NAME).exists()


def test_an_entry_leaves_out_defaults_and_one_that_spells_them_out_reads_the_same(
    cache: ResultCache, directory: Path
) -> None:
    """Entries are written without the fields that hold their defaults (quicker to read back);
    an entry with every field written, as earlier versions wrote them, is read the same."""
    analysis = stored(cache, directory, source())
    (entry,) = directory.glob(f"*{ENTRY_SUFFIX}")
    assert b'"edits"' not in entry.read_bytes()  # a cached fix has no edits: left out
    entry.write_bytes(result_cache._FINDINGS.dump_json(analysis.findings))
    assert b'"edits":null' in entry.read_bytes()
    assert cache.load(directory, source()) == analysis.findings


def test_findings_survive_the_round_trip(cache: ResultCache, directory: Path) -> None:
    for path in stdlib_sample(ROUND_TRIP_STRIDE):
        file = source(text=path.read_text(encoding="utf-8"), path=f"/project/{path.name}")
        analysis = ENGINE.check(file)
        if cache.store(directory, file, analysis):
            assert cache.load(directory, file) == analysis.findings, path


@pytest.mark.parametrize(
    ("value", "disabled"),
    [("", False), ("0", False), ("false", False), ("1", True), ("yes", True)],
)
def test_the_environment_variable_turns_the_cache_off(
    monkeypatch: pytest.MonkeyPatch, value: str, disabled: bool
) -> None:
    monkeypatch.setenv(NO_CACHE_VARIABLE, value)
    assert disabled_by_environment() is disabled


def test_the_command_line_and_the_server_share_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path.resolve()
    (project / "standards.toml").write_text('[standards]\nruleset = "python-production"\n')
    (project / "pkg").mkdir()
    (project / "pkg" / "app.py").write_text(TEXT)
    monkeypatch.chdir(project)
    relative = Path("pkg/app.py")
    batch = Batch(ConfigResolver(), cache=CacheOptions())
    configuration = Configuration()
    configuration.set_folders([project.as_uri()])
    document = Document((project / relative).as_uri(), TEXT, 1)
    in_editor = SourceFile(
        text=document.text,
        settings=configuration.settings_for(document),
        path=document.path,
        project_root=configuration.project_root(document),
    )
    cache = ResultCache(default_registry())
    assert cache.key(batch.source(relative, TEXT)) == cache.key(in_editor)
    assert batch.cache_directory(relative) == configuration.cache_directory(document)


def test_an_index_step_given_up_for_an_edit_writes_nothing_and_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from server.index import _index

    project = tmp_path.resolve()
    (project / "standards.toml").write_text('[standards]\nruleset = "python-production"\n')
    (project / "app.py").write_text(TEXT)
    monkeypatch.chdir(project)
    batch = Batch(ConfigResolver(), cache=CacheOptions(enabled=True))
    directory = batch.cache_directory(Path("app.py"))
    assert directory is not None
    assert _index(batch, project / "app.py", lambda: True) is False
    assert cache_entries(directory) == []
    assert _index(batch, project / "app.py", lambda: False) is True
    assert len(cache_entries(directory)) == 1
