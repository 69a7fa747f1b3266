"""What the scheduler hands out: the rendered diagnostics of a document version and the whole
analysis behind them, with the result ids pulls are answered by.

A result id names a list of diagnostics, not a run: a result whose diagnostics are those of the
previous one (or of the cached answer it replaces) keeps that one's id, so a pull naming it gets
an "unchanged" report.
"""

from __future__ import annotations

from pathlib import Path

from rules.engine import Analysis, SourceFile
from rules.settings import FileSettings
from server.documents import Document


class DiagnosticsResult:
    """The rendered diagnostics of one version of one document: what is pushed and pulled."""

    def __init__(self, *, uri: str, version: int, fragments: list[str], sequence: int) -> None:
        self.uri = uri
        self.version = version
        self.fragments = fragments
        self.result_id = f"{sequence}"
        # pushed already (from the result cache): a push client needs them no second time
        self.already_published = False


class AnalysisResult(DiagnosticsResult):
    """One finished analysis of one version of one document."""

    def __init__(  # noqa: PLR0913 - a plain record of what one run produced
        self,
        *,
        uri: str,
        path: str | None,
        root: str | None,
        version: int,
        text: str,
        lines: list[str],
        settings: FileSettings,
        analysis: Analysis,
        fragments: list[str],
        sequence: int,
        cache_directory: Path | None = None,
    ) -> None:
        super().__init__(uri=uri, version=version, fragments=fragments, sequence=sequence)
        self.path = path
        self.root = root
        self.text = text
        self.lines = lines
        self.settings = settings
        self.analysis = analysis
        self.cache_directory = cache_directory

    @property
    def source(self) -> SourceFile:
        """The engine's view of the text this result was computed from."""
        return SourceFile(
            text=self.text, settings=self.settings, path=self.path, project_root=self.root
        )


class Snapshot:
    """What a run needs, taken on the event loop so the thread never sees a changing document."""

    def __init__(
        self,
        document: Document,
        settings: FileSettings,
        root: str | None,
        cache_directory: Path | None,
    ) -> None:
        self.uri = document.uri
        self.path = document.path
        self.version = document.version
        self.text = document.text
        self.lines = list(document.lines)
        self.settings = settings
        self.root = root
        self.cache_directory = cache_directory

    @property
    def source(self) -> SourceFile:
        """The engine's view of this text."""
        return SourceFile(
            text=self.text, settings=self.settings, path=self.path, project_root=self.root
        )


class ResultIds:
    """Hands out result ids and carries them over to results with the same diagnostics."""

    def __init__(self) -> None:
        self._sequence = 0

    def next(self) -> int:
        """A new sequence number for a result's id."""
        self._sequence += 1
        return self._sequence

    @staticmethod
    def carry_over(
        result: AnalysisResult,
        cached: DiagnosticsResult | None,
        previous: AnalysisResult | None,
    ) -> None:
        """Give `result` the id of the cached answer or of the previous result it repeats."""
        if (
            cached is not None
            and cached.version == result.version
            and cached.fragments == result.fragments
        ):
            # what the cache said: not pushed again, and a pull keeps its result id
            result.already_published = True
            result.result_id = cached.result_id
        elif previous is not None and previous.fragments == result.fragments:
            # the same diagnostics: a pull naming the previous result gets "unchanged"
            result.result_id = previous.result_id
