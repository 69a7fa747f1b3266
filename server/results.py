"""What the scheduler hands out: the rendered diagnostics of a document version and the whole
analysis behind them, with the result ids pulls are answered by.

A result id names a list of diagnostics, not a run: a result whose diagnostics are those of the
previous one (or of the cached answer it replaces) keeps that one's id, so a pull naming it gets
an "unchanged" report.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from rules.engine import Analysis, SourceFile
from rules.settings import FileSettings
from server.documents import Document
from server.notebook_documents import NotebookDocument, NotebookLayout


class DiagnosticsResult:
    """The rendered diagnostics of one version of one document: what is pushed and pulled.

    A notebook's are kept per cell (`cells`, by cell URI, every code cell listed), with the
    cells they were placed in (`notebook`); `fragments` then holds them all, in cell order."""

    def __init__(  # noqa: PLR0913 - a plain record
        self,
        *,
        uri: str,
        version: int,
        fragments: list[str],
        sequence: int,
        notebook: NotebookLayout | None = None,
        cells: dict[str, list[str]] | None = None,
    ) -> None:
        self.uri = uri
        self.version = version
        self.fragments = fragments
        self.result_id = f"{sequence}"
        # pushed already (from the result cache): a push client needs them no second time
        self.already_published = False
        self.notebook = notebook
        self.cells = cells

    def fragments_for(self, uri: str) -> list[str]:
        """The diagnostics of `uri`: the document's, or one cell's of a notebook."""
        if self.cells is None:
            return self.fragments
        return self.cells.get(uri, [])

    def same_diagnostics(self, other: DiagnosticsResult) -> bool:
        """Whether `other` shows the same diagnostics in the same places."""
        return other.fragments == self.fragments and other.cells == self.cells


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
        notebook: NotebookLayout | None = None,
        cells: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(
            uri=uri,
            version=version,
            fragments=fragments,
            sequence=sequence,
            notebook=notebook,
            cells=cells,
        )
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
        # a notebook's cells, taken with its text (None for any other document)
        self.notebook = document.layout() if isinstance(document, NotebookDocument) else None

    @property
    def source(self) -> SourceFile:
        """The engine's view of this text."""
        return SourceFile(
            text=self.text, settings=self.settings, path=self.path, project_root=self.root
        )


class ResultIds:
    """Hands out result ids and carries them over to results with the same diagnostics."""

    def __init__(self) -> None:
        # taken on the analysis thread and on the event loop (a huge file's result): `next` of
        # a count is one step under the interpreter lock, `+= 1` is not
        self._sequence = itertools.count(1)

    def next(self) -> int:
        """A new sequence number for a result's id."""
        return next(self._sequence)

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
            and cached.same_diagnostics(result)
        ):
            # what the cache said: not pushed again, and a pull keeps its result id
            result.already_published = True
            result.result_id = cached.result_id
        elif previous is not None and previous.same_diagnostics(result):
            # the same diagnostics: a pull naming the previous result gets "unchanged"
            result.result_id = previous.result_id
