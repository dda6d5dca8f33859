"""``govparts conformance …``: run a suite, self-test it, show its coverage.

The ``govparts`` command (distribution govparts-cli) mounts the Typer application :data:`app` found
under the entry-point group ``govparts.cli`` as the sub-command ``conformance``. Typer is imported
only when ``app`` is first looked up, so importing this module (and the kit) never needs it; the
``cli`` extra (``pip install govparts-conformance[cli]``) installs it.

The commands themselves are plain functions returning the exit code, usable without Typer:

``govparts conformance run --part P --target module:factory [--json] [--junit F] [--html F] [--locale L]``
    :func:`run_command`. Exit 0 when every MUST requirement passes (or is omitted), 1 when not,
    2 when the run could not start (unknown part, a target that does not load, a bad declaration).
``govparts conformance selftest [--part P] [--json] [--locale L]``
    :func:`selftest_command`. Exit 0 when every part's reference passes and every mutant is killed,
    1 when not, 2 when the self-test could not start.
``govparts conformance coverage [--part P] [--json] [--locale L]``
    :func:`coverage_command`. Exit 0 when no MUST lacks a check or a recorded reason, 1 when one does.

``--part`` takes an installed part's name or a ``module:attribute`` reference to a ``Part`` (or, for
``run`` and ``coverage``, a ``Suite``). ``--target`` is a ``module:attribute`` reference to a factory
returning an object that implements the part's service protocol; the current directory is searched
first, so a vendor can name a module of the project it runs in.
"""

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

from govparts.core.errors import GovPartsError
from govparts.core.i18n import normalize_locale, use_locale
from govparts.core.parts import Part

from ._coverage import check_catalogue_coverage
from ._discovery import load_factory, parts_with_suites, resolve_part
from ._reports import (
    coverage_to_json,
    coverage_to_text,
    selftest_to_json,
    selftest_to_text,
    statement_to_html,
    statement_to_json,
    statement_to_junit,
    statement_to_text,
)
from ._runner import run_conformance
from ._selftest import run_selftest
from ._suite import Suite

if TYPE_CHECKING:
    import typer

__all__ = [
    "EXIT_CONFORMS",
    "EXIT_DOES_NOT_CONFORM",
    "EXIT_USAGE",
    "coverage_command",
    "run_command",
    "selftest_command",
]

EXIT_CONFORMS = 0
EXIT_DOES_NOT_CONFORM = 1
EXIT_USAGE = 2


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@contextmanager
def _current_directory_importable() -> Iterator[None]:
    cwd = os.getcwd()
    added = cwd not in sys.path
    if added:
        sys.path.insert(0, cwd)
    try:
        yield
    finally:
        if added and cwd in sys.path:
            sys.path.remove(cwd)


def _guarded(locale: str | None, err: TextIO | None, body: Callable[[], int]) -> int:
    """Run ``body`` in ``locale`` with the current directory importable; a govparts error becomes its
    localised message and exit code 2."""
    stream = err or sys.stderr
    try:
        chosen = normalize_locale(locale) if locale else None
    except GovPartsError as exc:
        stream.write(f"error: {exc.message()}\n")
        return EXIT_USAGE
    try:
        with use_locale(chosen), _current_directory_importable():
            return body()
    except GovPartsError as exc:
        stream.write(f"error: {exc.message(chosen)}\n")
        return EXIT_USAGE
    except OSError as exc:
        stream.write(f"error: {exc}\n")
        return EXIT_USAGE


def run_command(
    part: str,
    target: str,
    *,
    json_output: bool = False,
    junit: Path | None = None,
    html: Path | None = None,
    locale: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run ``part``'s suite against ``target`` and print (and write) the statement; returns the exit code."""

    def body() -> int:
        statement = run_conformance(part, load_factory(target), target=target)
        if junit is not None:
            junit.write_text(statement_to_junit(statement), encoding="utf-8")
        if html is not None:
            html.write_text(statement_to_html(statement), encoding="utf-8")
        stream = out or sys.stdout
        stream.write(_dump(statement_to_json(statement)) if json_output else statement_to_text(statement))
        return EXIT_CONFORMS if statement.conforms else EXIT_DOES_NOT_CONFORM

    return _guarded(locale, err, body)


def _selected_parts(part: str | None) -> list[Part | Suite]:
    return [resolve_part(part)] if part is not None else list(parts_with_suites())


def selftest_command(
    part: str | None = None,
    *,
    json_output: bool = False,
    locale: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Self-test ``part``'s suite (every installed part's when None); returns the exit code."""

    def body() -> int:
        reports = [run_selftest(p) for p in _selected_parts(part)]
        stream = out or sys.stdout
        stream.write(_dump(selftest_to_json(reports)) if json_output else selftest_to_text(reports))
        return EXIT_CONFORMS if all(r.ok for r in reports) else EXIT_DOES_NOT_CONFORM

    return _guarded(locale, err, body)


def coverage_command(
    part: str | None = None,
    *,
    json_output: bool = False,
    locale: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Print the coverage table of ``part``'s suite (every part's when None); returns the exit code."""

    def body() -> int:
        reports = [check_catalogue_coverage(p) for p in _selected_parts(part)]
        stream = out or sys.stdout
        if json_output:
            stream.write(_dump(coverage_to_json(reports)))
        else:
            stream.write("".join(coverage_to_text(r) for r in reports))
        return EXIT_CONFORMS if all(r.ok for r in reports) else EXIT_DOES_NOT_CONFORM

    return _guarded(locale, err, body)


def _build_app() -> "typer.Typer":
    import typer

    app = typer.Typer(
        name="conformance",
        help="Check that an implementation of a govparts part conforms, requirement by requirement.",
        no_args_is_help=True,
        add_completion=False,
    )
    part_help = "installed part name, or module:attribute of a Part"
    json_help = "print the result as JSON (a stable, documented shape)"
    locale_help = "language of the output: zh_Hans_CN, ug_CN or en (default: the current locale)"

    @app.command("run")
    def run(
        *,
        part: Annotated[str, typer.Option("--part", help=part_help)],
        target: Annotated[
            str,
            typer.Option("--target", help="module:factory returning an implementation of the part's service"),
        ],
        json_output: Annotated[bool, typer.Option("--json", help=json_help)] = False,
        junit: Annotated[
            Path | None, typer.Option("--junit", help="also write JUnit XML to this file")
        ] = None,
        html: Annotated[Path | None, typer.Option("--html", help="also write a standalone HTML page")] = None,
        locale: Annotated[str | None, typer.Option("--locale", help=locale_help)] = None,
    ) -> None:
        """Run the part's conformance suite against TARGET; exit 0 only if every MUST passes."""
        raise typer.Exit(
            run_command(part, target, json_output=json_output, junit=junit, html=html, locale=locale)
        )

    @app.command("selftest")
    def selftest(
        part: Annotated[str | None, typer.Option("--part", help=part_help + " (default: every part)")] = None,
        json_output: Annotated[bool, typer.Option("--json", help=json_help)] = False,
        locale: Annotated[str | None, typer.Option("--locale", help=locale_help)] = None,
    ) -> None:
        """Run each part's suite against its mutants; a surviving mutant fails the self-test."""
        raise typer.Exit(selftest_command(part, json_output=json_output, locale=locale))

    @app.command("coverage")
    def coverage(
        part: Annotated[str | None, typer.Option("--part", help=part_help + " (default: every part)")] = None,
        json_output: Annotated[bool, typer.Option("--json", help=json_help)] = False,
        locale: Annotated[str | None, typer.Option("--locale", help=locale_help)] = None,
    ) -> None:
        """Show which checks verify each requirement; a MUST without check or reason fails."""
        raise typer.Exit(coverage_command(part, json_output=json_output, locale=locale))

    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        app = _build_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
