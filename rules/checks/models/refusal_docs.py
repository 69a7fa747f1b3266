"""Every reason the STD101/STD102 conversion can refuse with, as its rule pages list them.

Each entry is the reason as `fix` prints it after `not converted:` (`…` stands for the names,
places and code it quotes) and what the user can do about it. A test matches the reasons the
executed refusal samples and the dependency tests give against these patterns, so that a new
reason without a line here is noticed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RefusalDoc(BaseModel):
    """One refusal: the reason as printed, and what to do."""

    model_config = ConfigDict(frozen=True)

    reason: str
    action: str

    @property
    def line(self) -> str:
        return f"`` {self.reason} ``: {self.action}"  # double backticks: the reason quotes code


def _doc(reason: str, action: str) -> RefusalDoc:
    return RefusalDoc(reason=reason, action=action)


# The function itself.
SHAPE = (
    _doc(
        "… is no longer a dict with known keys",
        "the code changed since the check: check again (the editor does on the next change)",
    ),
    _doc(
        "… no longer returns dicts with known keys",
        "the code changed since the check: check again",
    ),
    _doc(
        'the default of `….get("…", ...)` is not a literal',
        "make the default a literal, or convert by hand with a `default_factory`",
    ),
    _doc(
        "the default value of … is not a dict display",
        "write the parameter's default as a dict display or `None`",
    ),
    _doc("a returned dict display repeats a key", "remove the repeated key (the last one wins)"),
    _doc(
        "… is documented as taking or returning a dict: public API",
        "change the docstring and tell the callers first; then the fix is offered",
    ),
    _doc(
        "… is invoked by the AWS Lambda runtime, which passes … as a dict: validate it inside "
        "the handler instead",
        "keep `event: dict` and call `Event.model_validate(event)` as the handler's first line",
    ),
    _doc(
        "the module lists its own names (line …: `…`): a new module-level name would be among them",
        "define the model in another module and convert by hand, or stop enumerating the module",
    ),
    _doc(
        "… is typed by a type comment (…): turn it into annotations first",
        "rewrite the `# type:` comments as annotations (e.g. with `com2ann`), then fix again",
    ),
)
# Its uses across the project.
USES = (
    _doc(
        "the project has too many files to find every caller",
        "more than 5000 Python files: open a smaller workspace folder, or convert by hand",
    ),
    _doc("… mentions … and does not parse", "fix that file's syntax error, then fix again"),
    _doc(
        "another … is defined in … (an override or a sibling would still take a dict)",
        "convert the base method and its overrides together, by hand",
    ),
    _doc(
        "… in … is not a call of this class's method",
        "it is called on an object whose class is not known: convert that caller by hand",
    ),
    _doc(
        "… is handed on uncalled in …",
        "a callback or a reference: convert the code it is handed to first",
    ),
    _doc("… star-imports it", "import the function by name there"),
    _doc(
        "… re-exports it: public API",
        "a package's API: add the model beside the dict version, deprecate the old one",
    ),
    _doc("… is in `__all__` (…): public API", "as above: public API is not changed silently"),
    _doc(
        "… is named in a string in …",
        "a `mock.patch` target or an entry point names it: update that code with the change",
    ),
    _doc(
        "… may be called by a computed name: … …, and that caller would still pass or read a dict",
        "call the functions by name, or convert every function the lookup reaches together",
    ),
    _doc(
        "no caller reads the result of … as a model: it is passed on as a dict (…), so each call "
        "would only be dumped back: convert its readers first",
        "the dict is the program's data (a tree, a record passed along): convert the code that "
        "reads it first, or keep the dict",
    ),
)
# Its call sites (a parameter).
CALL_SITES = (
    _doc("… may pass it through `*args`/`**kwargs`", "pass the argument by name there"),
    _doc(
        "the function changes the dict it is given (…) and … passes …: that caller would not see "
        "the change",
        "return the new values instead of changing the caller's dict, then fix again",
    ),
    _doc(
        "… passes …, which may be None",
        "bind the argument to a name first, or make the parameter not optional",
    ),
)
# Assembling the edit.
EDITS = (
    _doc("the rewrite changes nothing", "nothing to convert"),
    _doc("… does not parse", "a caller's file has a syntax error: fix it, then fix again"),
    _doc("… already names something else in …", "rename that name, or the model after the fix"),
    _doc("… would not parse after it", "a bug of the fix: report it with the file"),
    _doc("its edits of … overlap", "a bug of the fix: report it with the file"),
    _doc("… cannot be read", "make the file readable (permissions, encoding)"),
    _doc(
        "it edits other files, and this run writes only the file itself",
        "run `standards-lsp fix --unsafe` on the project, or use the editor's code action",
    ),
)
# Declaring pydantic.
DEPENDENCIES = (
    _doc(
        "the project's dependencies are dynamic: add pydantic first",
        "add `pydantic>=2` where your build backend reads the dependencies",
    ),
    _doc("cannot add pydantic to …", "add `pydantic>=2` there by hand, then fix again"),
    _doc(
        "setup.py computes install_requires (…): add pydantic to it by hand",
        "a list read from a file or built by code: add `pydantic>=2` to its source",
    ),
    _doc(
        "setup.py passes `**` options to `setup(...)` and no install_requires: add pydantic to "
        "them",
        "add `install_requires=[...]` to those options, or to the call",
    ),
    _doc("setup.py has … `setup(...)` calls, not one: add pydantic first", "add it by hand"),
    _doc("setup.py does not parse: add pydantic to it first", "fix setup.py, or add it by hand"),
    _doc(
        "setup.cfg reads install_requires from a file (…): add pydantic to that file",
        "add a `pydantic>=2` line to that requirements file",
    ),
)
REFUSALS: tuple[RefusalDoc, ...] = SHAPE + USES + CALL_SITES + EDITS + DEPENDENCIES


def refusals_markdown() -> str:
    """The rule pages' section: the introduction, then one line per reason."""
    return "\n".join([REFUSALS_INTRO, "", *(f"- {doc.line}" for doc in REFUSALS)])


REFUSALS_INTRO = (
    "The fix is an unsafe whole-project refactoring: where some use of the dict cannot keep "
    "its behaviour, no fix is offered and the finding's fix (the editor's disabled code "
    "action, `fix --unsafe`'s `not converted:` line) says why, in one line. Every reason, "
    "with what to do (`…` stands for the names and places it quotes):"
)
