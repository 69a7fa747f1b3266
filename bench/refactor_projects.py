"""The projects `bench.refactor_suites` runs: the corpus's six suites and the bench's own extras.

The six corpus suites come from `../shared/corpora/get` (its README gives their pip args, pytest
args and baselines, copied here). The extras are pinned here by version and sdist sha256 and are
downloaded by this module, with pip's `--require-hashes`, into their own cache folder (never into
the corpus's folder, which belongs to `get`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from pydantic import BaseModel

STANDARDS_TOML = '[standards]\nruleset = "python-production"\n'
PYTEST_PINS = (
    "pytest==9.2.0",
    "pluggy==1.7.0",
    "iniconfig==2.3.1",
    "packaging==26.4",
    "Pygments==2.21.0",
)
CORPUS_GET = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "get"
SHARED_GET = Path("/work/shared/corpora/get")
DOWNLOAD_TIMEOUT = 600


class Project(BaseModel):
    """One project whose test suite is run before and after the fixes."""

    name: str
    version: str
    source: str
    """The folder given to `standards-lsp fix`, relative to the unpacked sdist."""
    package: str
    """Its import name."""
    pip: tuple[str, ...]
    """What the suite's venv gets besides `-e .` (exact pins)."""
    pytest: tuple[str, ...] = ()
    baseline: str
    """pytest's summary line as recorded (without the time)."""
    sha256: str | None = None
    """The sdist's hash for an extra project; None for a corpus suite (`get` pins those)."""
    gettext_keywords: tuple[str, ...] = ()
    """xgettext keywords (`NAME` or `NAME:1c,2`) whose literal arguments are the msgids."""
    catalogues: tuple[str, ...] = ()
    """The project's own command regenerating its translation catalogues from the source
    (extract, merge, compile), run in the unpacked folder; it needs `tools`."""
    catalogue_tools: tuple[str, ...] = ()

    @property
    def folder(self) -> str:
        """`NAME-VERSION`, as the corpus names its folders."""
        return f"{self.name}-{self.version}"


CORPUS: tuple[Project, ...] = (
    Project(
        name="jmespath",
        version="1.0.1",
        source="jmespath",
        package="jmespath",
        pip=PYTEST_PINS,
        pytest=("tests",),
        baseline="42 passed, 2 skipped, 2 warnings",
    ),
    Project(
        name="mangum",
        version="0.22.0",
        source="mangum",
        package="mangum",
        pip=(
            *PYTEST_PINS,
            "starlette==1.10.0",
            "Quart==0.22.0",
            "Hypercorn==0.18.0",
            "brotli==1.2.1",
            "brotli-asgi==1.7.0",
            "boto3==1.44.8",
            "httpx2==2.16.2",
        ),
        pytest=("tests", "-k", "not real_lambda"),
        baseline="106 passed, 4 deselected",
    ),
    Project(
        name="h11",
        version="0.16.0",
        source="h11",
        package="h11",
        pip=PYTEST_PINS,
        pytest=("h11/tests",),
        baseline="78 passed",
    ),
    Project(
        name="voluptuous",
        version="0.16.0",
        source="voluptuous",
        package="voluptuous",
        pip=PYTEST_PINS,
        baseline="168 passed",
    ),
    Project(
        name="tabulate",
        version="0.10.0",
        source="tabulate",
        package="tabulate",
        pip=(*PYTEST_PINS, "wcwidth==0.9.4"),
        pytest=("test",),
        baseline="303 passed, 16 skipped",
    ),
    Project(
        name="schema",
        version="0.7.8",
        source="schema",
        package="schema",
        pip=(*PYTEST_PINS, "mock==5.2.0"),
        pytest=("test_schema.py",),
        baseline="118 passed, 1 warning",
    ),
)

EXTRAS: tuple[Project, ...] = (
    # Dict-typed JWT payloads, headers and options: nine STD101 findings in jwt/api_jwt.py and
    # jwt/api_jws.py. cryptography is in its dev group; without it 200-odd tests skip.
    Project(
        name="pyjwt",
        version="2.15.1",
        sha256="4f259e80cdfb6b3fc18a7de51fd1ef9ec79652f25019bae68975ca2468a34df8",
        source="jwt",
        package="jwt",
        pip=(*PYTEST_PINS, "cryptography==50.0.2", "cffi==2.1.1", "pycparser==3.12"),
        pytest=("tests",),
        baseline="471 passed, 4 skipped",
    ),
    # gettext: 40-odd locales with their .po and compiled .mo files in the sdist, tests that run
    # under those locales, and test_update_translations, which runs xgettext over the source
    # (scripts/update-translations.sh), msgmerge and msgfmt, and checks the translations still
    # come out the same. It skips unless bash, xgettext, msgmerge and msgfmt are on PATH.
    Project(
        name="humanize",
        version="4.17.0",
        sha256="1d6a36c453dbfbb3f0b34601d2e0b4ce5d48d780305cd45714843f0068fde6ac",
        source="src/humanize",
        package="humanize",
        pip=(
            *PYTEST_PINS,
            "freezegun==1.5.5",
            "python-dateutil==4.0.0",
            "tzdata==2026.6",
            "pytest-benchmark==5.3.1",
            "py-cpuinfo2==10.1.1",
        ),
        pytest=("--benchmark-disable",),
        baseline="908 passed",
        gettext_keywords=("_", "N_", "P_:1c,2", "PS_:1c,2", "NS_:1,2", "_ngettext:1,2"),
        catalogues=("bash", "scripts/update-translations.sh"),
        catalogue_tools=("bash", "xgettext", "msgmerge", "msgfmt"),
    ),
    # OAuth request validation and token building, dicts of headers, params and tokens; a
    # setup.py with only extras (the setup.py dependency writer's layout). Its extras
    # (cryptography, pyjwt, blinker) are what the suite imports; with them all 717 tests run.
    Project(
        name="oauthlib",
        version="4.0.1",
        sha256="3d73febdb6faa00f277c81fb04be7b7586fb96fc3b7f0b9c772dada69a25ede7",
        source="oauthlib",
        package="oauthlib",
        pip=(
            *PYTEST_PINS,
            "cryptography==50.0.2",
            "cffi==2.1.1",
            "pycparser==3.12",
            "pyjwt==2.15.1",
            "blinker==1.9.0",
        ),
        pytest=("tests",),
        baseline="717 passed, 2 skipped, 10 warnings, 21 subtests passed",
    ),
    # Chosen (models6) by a stated rule, not by their findings: well-known pure-Python service
    # code (API clients, CLI tools, web frameworks, loggers) whose sdist ships a pytest suite.
    # Thirty were screened with `check --select STD101,STD102` (all listed with their counts in
    # refactor_suites_findings.md); these two have findings and suites that run offline here.
    # An Atlassian REST client (Jira, Confluence, Bitbucket): Jira issue payloads, ADF documents.
    # tests/test_docs.py reads the docs/ folder, which the sdist leaves out: its 5 tests fail
    # before any fix, so they are not run.
    Project(
        name="atlassian-python-api",
        version="5.0.5",
        sha256="ae7f34349939ec0674ffb9bea812bc3f4acb4b6ace9a7cf1c15141719669f3bb",
        source="atlassian",
        package="atlassian",
        pip=(
            *PYTEST_PINS,
            "lxml==6.1.3",
            "beautifulsoup4==4.15.0",
            "soupsieve==4.1.3",
            "deprecated==3.0.1",
            "wrapt==2.5.2",
            "requests==2.34.2",
            "certifi==2026.10.19.post1",
            "charset-normalizer==3.5.3",
            "idna==3.20",
            "urllib3==2.8.0",
            "oauthlib==4.0.1",
            "requests-oauthlib==2.0.0",
            "jmespath==1.1.0",
            "typing-extensions==4.16.0",
        ),
        pytest=("tests", "--ignore=tests/test_docs.py"),
        baseline="1509 passed, 10 skipped, 253 warnings",
    ),
    # Structured logging: processors, bound loggers and their configuration.
    Project(
        name="structlog",
        version="26.1.0",
        sha256="f63a716cbd1b1291cf7661de7794b455acfa4c43c5bcf1630e6ad5ddc1adb3b7",
        source="src/structlog",
        package="structlog",
        pip=(
            *PYTEST_PINS,
            "pytest-asyncio==1.5.0",
            "simplejson==4.3.0",
            "time-machine==3.6.0",
            "typing-extensions==4.16.0",
        ),
        pytest=("tests",),
        baseline="884 passed, 37 skipped, 2 warnings",
    ),
)

PROJECTS: tuple[Project, ...] = CORPUS + EXTRAS


def cache_home() -> Path:
    """`$XDG_CACHE_HOME`, or `~/.cache`."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def corpus_dest() -> Path:
    """Where `get` puts the corpus (its default)."""
    return cache_home() / "standards-lsp-corpora"


def extras_dest() -> Path:
    """Where this bench keeps the extra sdists, unpacked."""
    return cache_home() / "standards-lsp-bench-suites"


def get_script() -> Path:
    """The corpus's `get`, beside the checkout (or at its usual place)."""
    beside = CORPUS_GET.resolve()
    return beside if beside.exists() else SHARED_GET


def unpacked(project: Project) -> Path:
    """The pristine unpacked sdist of `project`, fetching it first when it is missing."""
    if project.sha256 is None:
        folder = corpus_dest() / "suites" / project.folder
        if not folder.is_dir():
            subprocess.run(["bash", str(get_script())], check=True, timeout=DOWNLOAD_TIMEOUT)
        return folder
    folder = extras_dest() / project.folder
    if not folder.is_dir():
        _download_extra(project, folder)
    return folder


def _download_extra(project: Project, folder: Path) -> None:
    """Download the pinned sdist (pip checks its hash), unpack it and add a `standards.toml`."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent) as scratch:
        where = Path(scratch)
        requirement = where / "requirement.txt"
        requirement.write_text(
            f"{project.name}=={project.version} --hash=sha256:{project.sha256}\n",
            encoding="utf-8",
        )
        command = [getattr(sys, "_base_executable", sys.executable), "-m", "pip", "download"]
        command += ["--no-deps", "--require-hashes", "--no-binary", project.name]
        command += ["--python-version", "3.12", "-q", "-d", str(where), "-r", str(requirement)]
        subprocess.run(command, check=True, timeout=DOWNLOAD_TIMEOUT)
        archive = next(where.glob("*.tar.gz"))
        tree = where / "tree"
        with tarfile.open(archive) as sdist:
            sdist.extractall(tree, filter="data")
        top = next(tree.iterdir())
        (top / "standards.toml").write_text(STANDARDS_TOML, encoding="utf-8")
        shutil.move(top, folder)
