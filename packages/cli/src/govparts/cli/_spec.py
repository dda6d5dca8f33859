"""``govparts spec``: build the publication of the standard, and compare two publications.

``spec build OUT`` writes every artifact generated from the code (see :mod:`govparts.core.spec`);
``spec diff OLD NEW`` lists every change, classified for producers and consumers, and exits 1 when a
breaking change comes without a major version bump of its artifact or a written override.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from ._ui import (
    ARGUMENTS,
    COMMANDS,
    EXIT_FAILED,
    OPTIONS,
    Command,
    Group,
    JsonOption,
    LocaleOption,
    _,
    session,
)

app = typer.Typer(
    cls=Group,
    name="spec",
    help=_("Publish the standard: schemas, code lists, processes, events, requirements, golden corpus."),
    rich_help_panel=COMMANDS,
    no_args_is_help=True,
)


def _epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


@app.command(
    "build",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_(
        "Write the publication to folder OUT: JSON Schemas, code lists, process specs, the AsyncAPI "
        "event catalogue, requirement catalogues, the golden corpus and index.json. The same code "
        "gives the same bytes; SOURCE_DATE_EPOCH sets the date in the index."
    ),
)
def build(
    out: Annotated[
        Path,
        typer.Argument(
            metavar="OUT",
            help=_("Folder to write (replaced if it holds a publication)."),
            rich_help_panel=ARGUMENTS,
        ),
    ],
    publication_version: Annotated[
        str | None,
        typer.Option(
            "--version",
            metavar="VERSION",
            help=_("Version of the publication (default: the version of govparts-core)."),
            rich_help_panel=OPTIONS,
            show_default=False,
        ),
    ] = None,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from govparts.core import spec

    with session(locale, as_json) as out_:
        index = spec.build(out, publication_version=publication_version, source_date_epoch=_epoch())
        rows = [(a["id"], a["kind"], a["version"], a["status"], a["sha256"][:12]) for a in index["artifacts"]]
        out_.emit(
            {
                "out": str(out),
                "version": index["version"],
                "fingerprint": index["fingerprint"],
                "artifacts": index["artifacts"],
            },
            out_.table(
                _("Publication {version} in {out}").format(version=index["version"], out=out),
                [_("Artifact"), _("Kind"), _("Version"), _("Status"), "SHA-256"],
                rows,
            ),
        )
        out_.say(_("Fingerprint: {fingerprint}").format(fingerprint=index["fingerprint"]))


def _label(severity: str) -> str:
    labels = {
        "breaking": _("breaking"),
        "compatible": _("compatible"),
        "editorial": _("editorial"),
        "none": "-",
    }
    return labels[severity]


@app.command(
    "diff",
    cls=Command,
    rich_help_panel=COMMANDS,
    help=_(
        "Compare publication OLD with NEW: every change, for producers and for consumers. Exit 1 when "
        "a breaking change has neither a major version bump nor an override with a reason."
    ),
)
def diff(
    old: Annotated[
        Path, typer.Argument(metavar="OLD", help=_("The earlier publication."), rich_help_panel=ARGUMENTS)
    ],
    new: Annotated[
        Path, typer.Argument(metavar="NEW", help=_("The later publication."), rich_help_panel=ARGUMENTS)
    ],
    overrides: Annotated[
        Path | None,
        typer.Option(
            "--overrides",
            metavar="FILE",
            help=_(
                "TOML file of [[override]] entries (artifact, path, reason) letting breaking changes through."
            ),
            rich_help_panel=OPTIONS,
            show_default=False,
        ),
    ] = None,
    locale: LocaleOption = None,
    as_json: JsonOption = False,
) -> None:
    from govparts.core import spec

    with session(locale, as_json) as out:
        permits = spec.load_overrides(overrides) if overrides is not None else []
        report = spec.diff(old, new, permits)
        rows: list[tuple[Any, ...]] = [
            (
                c.artifact,
                c.path,
                c.what,
                _label(c.producers.label),
                _label(c.consumers.label),
                c.accepted_by or (_("FAILS") if c.breaking else ""),
            )
            for c in report.changes
        ]
        deprecations = [
            (d.artifact, d.path, d.since or "-", d.replacement or "-", _("new") if d.new else "")
            for d in report.deprecations
        ]
        if report.ok:
            verdict = _("No unaccounted breaking change.")
        else:
            verdict = _("{count} breaking change(s) without a major version bump or an override.").format(
                count=len(report.failures)
            )
        out.emit(
            report.to_dict(),
            out.table(
                _("Changes from {old} to {new}").format(old=report.old_version, new=report.new_version),
                [_("Artifact"), _("Path"), _("Change"), _("Producers"), _("Consumers"), _("Accepted by")],
                rows,
            ),
            out.table(
                _("Deprecations"),
                [_("Artifact"), _("Path"), _("Since"), _("Replacement"), _("New")],
                deprecations,
            ),
        )
        out.say(verdict)
        for unused in report.unused_overrides:
            out.say(
                _("Override not needed: {artifact} {path}").format(artifact=unused.artifact, path=unused.path)
            )
    if not report.ok:
        raise typer.Exit(EXIT_FAILED)
