"""STD203 and `Literal` types: members of a type the module or its package declares."""

from __future__ import annotations

from pathlib import Path

from rules.checks.constants.literal_types import package_literal_words, package_root, words_in_text
from rules.engine import Engine, SourceFile
from tests.support.engine import flagged, rule_settings

_COMPARED = (
    "def a(session) -> bool:\n"
    '    return session.state == "speaking"\n\n\n'
    "def b(session) -> bool:\n"
    '    return session.state != "speaking"\n'
)


def test_a_member_of_a_literal_of_the_module_is_not_repeated() -> None:
    typed = 'from typing import Literal\n\nState = Literal["listening", "speaking"]\n\n\n'
    assert flagged("STD203", typed + _COMPARED) == []
    assert flagged("STD203", _COMPARED) == ['"speaking"', '"speaking"']


def test_positional_occurrences_stay_counted() -> None:
    """Passed positionally (the `value` role) nothing says the type guards it."""
    source = (
        'from typing import Literal\n\nState = Literal["speaking"]\n\n\n'
        'def a(s) -> None:\n    s.update("speaking")\n\n\n'
        'def b(s) -> None:\n    s.update("speaking")\n'
    )
    assert flagged("STD203", source) == ['"speaking"', '"speaking"']


def test_a_member_of_a_literal_elsewhere_in_the_package(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "voice").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "voice" / "__init__.py").write_text("", encoding="utf-8")
    (package / "events.py").write_text(
        'from typing import Literal\n\nAgentState = Literal[\n    "listening",\n    "speaking",\n]\n',
        encoding="utf-8",
    )
    module = package / "voice" / "activity.py"
    module.write_text(_COMPARED, encoding="utf-8")
    assert package_root(str(module)) == package
    assert {"listening", "speaking"} <= package_literal_words(str(module))
    settings = rule_settings("STD203")
    analysis = Engine().check(SourceFile(text=_COMPARED, settings=settings, path=str(module)))
    assert [f.code for f in analysis.findings] == []


def test_outside_a_package_nothing_is_read(tmp_path: Path) -> None:
    (tmp_path / "types_.py").write_text('X = Literal["speaking"]\n', encoding="utf-8")
    assert package_root(str(tmp_path / "m.py")) is None
    assert package_literal_words(str(tmp_path / "m.py")) == frozenset()


def test_words_in_text() -> None:
    text = "a: Literal['x', \"y\"] | None\nb: Literal[1, 'z']\nc = ['w']\n"
    assert words_in_text(text) == {"x", "y", "z"}


def test_repeated_fstrings_are_not_counted() -> None:
    source = (
        "def a(c, uid: str):\n    return c.get(f'/users/{uid}/bookings')\n\n\n"
        "def b(c, uid: str):\n    return c.post(f'/users/{uid}/bookings')\n"
    )
    assert flagged("STD203", source) == []


def test_gettext_functions_under_the_names_a_project_imports_them_as() -> None:
    """humanize: `from .i18n import _ngettext`, `_ngettext_noop as NS_`; extracting their
    arguments lost 21 messages of its catalogue."""
    source = (
        "from .i18n import _ngettext\nfrom .i18n import _ngettext_noop as NS_\n\n\n"
        'def a(n):\n    return _ngettext("%d day", "%d days", n) % n\n\n\n'
        'def b(n):\n    return _ngettext("%d day", "%d days", n) % n\n\n\n'
        'def c():\n    return NS_("thousand", "thousand"), NS_("thousand", "thousand")\n'
    )
    assert flagged("STD203", source) == []
