"""The kit's contribution to ``govparts spec build``: requirement catalogues with their coverage.

Core's publisher (:mod:`govparts.core.spec`) knows nothing of the kit; it calls every callable
registered under the entry-point group ``govparts.spec``. This one adds, for each part with a
requirement catalogue, ``requirements/<part>.json`` and ``requirements/<part>.csv``: each
requirement with its level, statement in the three languages, source clause, and the checks of the
part's suite that verify it (or the recorded reason it is not tested).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ._coverage import check_catalogue_coverage

if TYPE_CHECKING:
    from govparts.core.parts import Part
    from govparts.core.spec import Artifact

__all__ = ["requirement_artifacts"]

_COLUMNS = (
    "id",
    "level",
    "feature",
    "status",
    "checks",
    "source",
    "statement_zh_Hans_CN",
    "statement_en",
    "statement_ug_CN",
    "not_tested_reason",
)


def requirement_artifacts(parts: Sequence[Part]) -> Iterator[Artifact]:
    """One ``requirements:<part>`` artifact (JSON and CSV) per part that publishes a catalogue."""
    from govparts.core.spec import Artifact, canonical_csv, canonical_json

    for part in parts:
        if part.requirements is None:
            continue
        catalogue = part.load("requirements")
        coverage = {row.requirement.id: row for row in check_catalogue_coverage(part).rows}
        rows: list[dict[str, Any]] = []
        for requirement in catalogue:
            row = requirement.to_dict()
            covered = coverage.get(requirement.id)
            row["checks"] = sorted(covered.checks) if covered else []
            row["status"] = covered.status if covered else "missing"
            row.setdefault("not_tested_reason", None)
            rows.append(row)
        document = {
            "part": catalogue.part,
            "version": catalogue.version,
            "fingerprint": catalogue.fingerprint(),
            "requirements": rows,
        }
        table = (
            [
                r["id"],
                r["level"],
                r["feature"],
                r["status"],
                " ".join(r["checks"]),
                r["source"],
                r["statement"].get("zh_Hans_CN", ""),
                r["statement"].get("en", ""),
                r["statement"].get("ug_CN", ""),
                r["not_tested_reason"],
            ]
            for r in rows
        )
        yield Artifact(
            id=f"requirements:{part.name}",
            kind="requirements",
            part=part.name,
            version=catalogue.version,
            status="draft",
            files={
                f"requirements/{part.name}.json": canonical_json(document),
                f"requirements/{part.name}.csv": canonical_csv(_COLUMNS, table),
            },
            title=dict(part.title),
        )
