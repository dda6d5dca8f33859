"""``govparts conformance …``: run a suite, self-test it, show its coverage.

The ``govparts`` command (distribution govparts-cli) mounts the Typer application :data:`app` found
under the entry-point group ``govparts.cli`` as the sub-command ``conformance``. Typer is imported
only when ``app`` is first looked up, so importing this module (and the kit) never needs it; the
``cli`` extra (``pip install govparts-conformance[cli]``) installs it.

The commands themselves are plain functions returning the exit code, usable without Typer:

``govparts conformance run --part P --target module:factory [--seed N] [--json] [--junit F] [--html F]``
    :func:`run_command`. Exit 0 when every MUST requirement passes (or is omitted), 1 when not,
    2 when the run could not start (unknown part, a target that does not load, a bad declaration).
    ``--seed N`` draws the checks' scenarios from seed N (default: a fresh seed; the statement
    records it, so ``--seed`` with the recorded value reruns the same scenarios).
    ``--product NAME`` names the product tested; ``--statement F`` writes the JSON statement to a
    new file, signed with the integrator's SM2 key when ``--sign-key KEY`` is given.
``govparts conformance sign STATEMENT --key KEY [--locale L]``
    :func:`sign_command`. Signs a statement file in place (see :mod:`._signed`); exit 0, or 2 when
    the file is not a statement, is signed already or the key cannot be read.
``govparts conformance verify STATEMENT --trust FILE [--json] [--locale L]``
    :func:`verify_command`. Exit 0 when the statement's signature is by a trusted key and matches,
    1 when the statement is unsigned, edited, forged or signed by an unknown or expired key, 2 when
    a file cannot be read.
``govparts conformance selftest [--part P] [--seed N] [--json] [--locale L]``
    :func:`selftest_command`. Exit 0 when every part's reference passes and every mutant is killed,
    1 when not, 2 when the self-test could not start. Seed 0 unless ``--seed`` says otherwise, so
    the self-test is deterministic.
``govparts conformance coverage [--part P] [--json] [--locale L]``
    :func:`coverage_command`. Runs the suite against the part's reference and exits 1 when a Protocol
    method is called by no check or never refused to a wrong actor, a MUST has no negative check
    (``@refuses``) or no check and no recorded reason, or a method's docstring lacks
    ``Requirements:``/``Raises:`` or names unknown ids or errors (see :func:`check_coverage`); else 0.

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

from govparts.core.errors import GovPartsError, IntegrityViolation, InvalidInput
from govparts.core.i18n import N_, normalize_locale, use_locale
from govparts.core.parts import Part

from ._coverage import check_coverage
from ._discovery import load_factory, load_reference_factory, parts_with_suites, resolve_part
from ._labels import label
from ._model import DOMAIN
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
from ._signed import profile_text, read_statement, sign_statement, verify_statement
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
    "sign_command",
    "verify_command",
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


def _write_new(path: Path, text: str) -> None:
    """Write ``text`` to a file that must not exist yet: a kept statement is never overwritten."""
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise InvalidInput(
            N_("{field}: {got} already exists; a statement is never overwritten, choose a new file"),
            field="statement",
            got=str(path),
            domain=DOMAIN,
        ) from None


def run_command(
    part: str,
    target: str | None,
    *,
    reference: bool = False,
    json_output: bool = False,
    junit: Path | None = None,
    html: Path | None = None,
    locale: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    product: str | None = None,
    statement_file: Path | None = None,
    sign_key: Path | None = None,
    seed: int | None = None,
) -> int:
    """Run ``part``'s suite against ``target`` and print (and write) the statement; returns the exit code.

    ``reference`` (instead of ``target``) tests the part's own reference implementation.
    ``statement_file`` receives the JSON statement (a new file), signed with the SM2 private key in
    ``sign_key`` when given; the key is read before the suite runs.
    """

    def body() -> int:
        from govparts.core import signing

        if sign_key is not None and statement_file is None:
            raise InvalidInput(
                N_("{field}: a signed statement is written to a file; give --statement"),
                field="sign_key",
                domain=DOMAIN,
            )
        if (target is None) == (not reference):
            raise InvalidInput(
                N_("{field}: give either --target or --reference"), field="target", domain=DOMAIN
            )
        key = None if sign_key is None else signing.read_private_key(sign_key)
        if target is None:
            resolved = resolve_part(part)
            if not isinstance(resolved, Part):
                raise InvalidInput(
                    N_("{field}: --reference needs a part, not a bare suite"), field="part", domain=DOMAIN
                )
            factory, name = load_reference_factory(resolved), "reference"
        else:
            factory, name = load_factory(target), target
        statement = run_conformance(part, factory, target=name, product=product, seed=seed)
        data = statement_to_json(statement)
        if key is not None:
            data = sign_statement(data, key)
        if statement_file is not None:
            _write_new(statement_file, _dump(data))
        if junit is not None:
            junit.write_text(statement_to_junit(statement), encoding="utf-8")
        if html is not None:
            html.write_text(statement_to_html(statement), encoding="utf-8")
        stream = out or sys.stdout
        stream.write(_dump(data) if json_output else statement_to_text(statement))
        return EXIT_CONFORMS if statement.conforms else EXIT_DOES_NOT_CONFORM

    return _guarded(locale, err, body)


def sign_command(
    statement_file: Path,
    key_file: Path,
    *,
    locale: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Sign the statement in ``statement_file`` in place with the key in ``key_file``; the exit code."""

    def body() -> int:
        from govparts.core import signing

        key = signing.read_private_key(key_file)
        signed = sign_statement(read_statement(statement_file), key)
        staging = statement_file.with_name(f".{statement_file.name}.signing")
        staging.write_text(_dump(signed), encoding="utf-8")
        os.replace(staging, statement_file)
        (out or sys.stdout).write(f"{label('signed_by', None)}: {key.key_id}\n")
        return EXIT_CONFORMS

    return _guarded(locale, err, body)


def verify_command(
    statement_file: Path,
    trust_file: Path,
    *,
    json_output: bool = False,
    locale: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Check the signature of the statement in ``statement_file`` against ``trust_file``; the exit code."""

    def body() -> int:
        from govparts.core import signing

        trust = signing.read_trust(trust_file)
        statement = read_statement(statement_file)
        stream = out or sys.stdout
        try:
            signed = verify_statement(statement, trust)
        except IntegrityViolation as exc:
            if json_output:
                stream.write(_dump({"ok": False, "problem": exc.to_dict()}))
            (err or sys.stderr).write(f"error: {exc.message()}\n")
            return EXIT_DOES_NOT_CONFORM
        facts = {
            "kit_version": statement.get("kit_version"),
            "spec_hash": statement.get("spec_hash"),
            "product": statement.get("product"),
            "profile": profile_text(statement),
            "signed_by": f"{signed.signer.name} ({signed.signer.credit_code})",
            "signed_at": signed.signed_at.isoformat(),
        }
        if json_output:
            stream.write(
                _dump(
                    {
                        "ok": True,
                        "signed_by": {
                            "credit_code": signed.signer.credit_code,
                            "name": signed.signer.name,
                            "key_id": signed.signer.public_key.key_id,
                        },
                        "signed_at": facts["signed_at"],
                        "kit_version": facts["kit_version"],
                        "spec_hash": facts["spec_hash"],
                        "product": facts["product"],
                        "profile": statement.get("profile"),
                        "conforms": statement.get("conforms"),
                    }
                )
            )
        else:
            lines = [label("signature_ok", None)]
            lines += [
                f"  {label(name, None)}: {value if value is not None else '-'}"
                for name, value in facts.items()
            ]
            verdict = "conforms" if statement.get("conforms") is True else "does_not_conform"
            lines.append(f"  {label('verdict', None)}: {label(verdict, None)}")
            stream.write("\n".join(lines) + "\n")
        return EXIT_CONFORMS

    return _guarded(locale, err, body)


def _selected_parts(part: str | None) -> list[Part | Suite]:
    return [resolve_part(part)] if part is not None else list(parts_with_suites())


def selftest_command(
    part: str | None = None,
    *,
    seed: int = 0,
    full: bool = False,
    json_output: bool = False,
    locale: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Self-test ``part``'s suite (every installed part's when None); returns the exit code."""

    def body() -> int:
        reports = [run_selftest(p, seed=seed, full=full) for p in _selected_parts(part)]
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
    """Run ``part``'s suite (every part's when None) against its reference and print its coverage
    (:func:`~govparts.conformance.check_coverage`); returns the exit code."""

    def body() -> int:
        reports = [check_coverage(p) for p in _selected_parts(part)]
        stream = out or sys.stdout
        if json_output:
            stream.write(_dump(coverage_to_json(reports)))
        else:
            stream.write("".join(coverage_to_text(r) for r in reports))
        return EXIT_CONFORMS if all(r.ok for r in reports) else EXIT_DOES_NOT_CONFORM

    return _guarded(locale, err, body)


def _(message: str) -> str:
    """``message`` in the current locale (help texts: the environment's, when the command is built)."""
    return DOMAIN.gettext(message)


def _build_app() -> "typer.Typer":
    import typer

    app = typer.Typer(
        name="conformance",
        help=_(N_("Check that an implementation of a govparts part conforms, requirement by requirement.")),
        no_args_is_help=True,
        add_completion=False,
    )
    part_help = _(N_("installed part name, or module:attribute of a Part"))
    every_part_help = _(N_("installed part name, or module:attribute of a Part (default: every part)"))
    json_help = _(N_("print the result as JSON (a stable, documented shape)"))
    locale_help = _(N_("language of the output: zh_Hans_CN, ug_CN or en (default: the current locale)"))
    seed_help = _(N_("seed of the checks' scenarios; the statement records it (default: a fresh seed)"))

    @app.command(
        "run",
        help=_(N_("Run the part's conformance suite against TARGET; exit 0 only if every MUST passes.")),
    )
    def run(
        *,
        part: Annotated[str, typer.Option("--part", help=part_help)],
        target: Annotated[
            str | None,
            typer.Option(
                "--target", help=_(N_("module:factory returning an implementation of the part's service"))
            ),
        ] = None,
        reference: Annotated[
            bool,
            typer.Option("--reference", help=_(N_("test the part's own reference implementation"))),
        ] = False,
        seed: Annotated[int | None, typer.Option("--seed", help=seed_help)] = None,
        json_output: Annotated[bool, typer.Option("--json", help=json_help)] = False,
        junit: Annotated[
            Path | None, typer.Option("--junit", help=_(N_("also write JUnit XML to this file")))
        ] = None,
        html: Annotated[
            Path | None, typer.Option("--html", help=_(N_("also write a standalone HTML page")))
        ] = None,
        locale: Annotated[str | None, typer.Option("--locale", help=locale_help)] = None,
        product: Annotated[
            str | None,
            typer.Option("--product", help=_(N_("name of the product tested (default: TARGET)"))),
        ] = None,
        statement: Annotated[
            Path | None,
            typer.Option(
                "--statement",
                help=_(N_("also write the JSON statement to this new file")),
                dir_okay=False,
            ),
        ] = None,
        sign_key: Annotated[
            Path | None,
            typer.Option(
                "--sign-key",
                help=_(N_("sign the statement written by --statement with this SM2 private key (PEM)")),
                dir_okay=False,
            ),
        ] = None,
    ) -> None:
        raise typer.Exit(
            run_command(
                part,
                target,
                reference=reference,
                json_output=json_output,
                junit=junit,
                html=html,
                locale=locale,
                product=product,
                statement_file=statement,
                sign_key=sign_key,
                seed=seed,
            )
        )

    @app.command(
        "sign", help=_(N_("Sign a JSON conformance statement in place with the integrator's SM2 key."))
    )
    def sign(
        statement: Annotated[
            Path, typer.Argument(help=_(N_("a JSON conformance statement")), dir_okay=False)
        ],
        key: Annotated[
            Path,
            typer.Option("--key", help=_(N_("the integrator's SM2 private key (PEM)")), dir_okay=False),
        ],
        locale: Annotated[str | None, typer.Option("--locale", help=locale_help)] = None,
    ) -> None:
        raise typer.Exit(sign_command(statement, key, locale=locale))

    @app.command(
        "verify",
        help=_(
            N_(
                "Check a statement's signature; exit 1 when it is unsigned, edited, forged or by an "
                "unknown key."
            )
        ),
    )
    def verify(
        statement: Annotated[
            Path, typer.Argument(help=_(N_("a signed JSON conformance statement")), dir_okay=False)
        ],
        trust: Annotated[
            Path,
            typer.Option("--trust", help=_(N_("a trust file of integrators' public keys")), dir_okay=False),
        ],
        json_output: Annotated[bool, typer.Option("--json", help=json_help)] = False,
        locale: Annotated[str | None, typer.Option("--locale", help=locale_help)] = None,
    ) -> None:
        raise typer.Exit(verify_command(statement, trust, json_output=json_output, locale=locale))

    @app.command(
        "selftest",
        help=_(N_("Run each part's suite against its mutants; a surviving mutant fails the self-test.")),
    )
    def selftest(
        part: Annotated[str | None, typer.Option("--part", help=every_part_help)] = None,
        seed: Annotated[
            int,
            typer.Option(
                "--seed",
                help=_(N_("seed of the checks' scenarios (default 0: the self-test is deterministic)")),
            ),
        ] = 0,
        full: Annotated[
            bool,
            typer.Option(
                "--full",
                help=_(
                    N_(
                        "run every check against every mutant (default: the checks of the "
                        "requirements each mutant breaks)"
                    )
                ),
            ),
        ] = False,
        json_output: Annotated[bool, typer.Option("--json", help=json_help)] = False,
        locale: Annotated[str | None, typer.Option("--locale", help=locale_help)] = None,
    ) -> None:
        raise typer.Exit(selftest_command(part, seed=seed, full=full, json_output=json_output, locale=locale))

    @app.command(
        "coverage",
        help=_(
            N_(
                "Run the part's suite against its reference and show what it covers: every Protocol "
                "method called and refused to a wrong actor, every MUST with a negative check, "
                "documented methods; exit 1 when something is missing."
            )
        ),
    )
    def coverage(
        part: Annotated[str | None, typer.Option("--part", help=every_part_help)] = None,
        json_output: Annotated[bool, typer.Option("--json", help=json_help)] = False,
        locale: Annotated[str | None, typer.Option("--locale", help=locale_help)] = None,
    ) -> None:
        raise typer.Exit(coverage_command(part, json_output=json_output, locale=locale))

    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        app = _build_app()
        globals()["app"] = app
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
