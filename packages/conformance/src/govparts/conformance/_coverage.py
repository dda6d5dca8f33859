"""The coverage table: which requirement each check verifies, and which the kit leaves untested.

CI runs :func:`check_catalogue_coverage` for every part: a MUST requirement with no check and no
recorded ``not_tested_reason`` is a hole in the kit and fails the build, and so is a requirement
that has checks yet claims not to be tested (the reason would be stale).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govparts.core.errors import InvalidRecord, InvalidSpec
from govparts.core.i18n import N_

from ._model import DOMAIN, Level, Requirement

if TYPE_CHECKING:
    from govparts.core.parts import Part

    from ._suite import Suite

__all__ = ["CoverageReport", "CoverageRow", "check_catalogue_coverage"]


@dataclass(frozen=True)
class CoverageRow:
    """One requirement and the names of the checks that verify it."""

    requirement: Requirement
    checks: tuple[str, ...]

    @property
    def status(self) -> str:
        """``"tested"``, ``"not-tested"`` (with a recorded reason) or ``"missing"`` (no check, no reason)."""
        if self.checks:
            return "tested"
        return "not-tested" if self.requirement.not_tested_reason is not None else "missing"

    def to_dict(self) -> dict[str, Any]:
        """``{"id", "level", "feature", "status", "checks", "not_tested_reason"}``."""
        return {
            "id": self.requirement.id,
            "level": self.requirement.level.value,
            "feature": self.requirement.feature,
            "status": self.status,
            "checks": list(self.checks),
            "not_tested_reason": self.requirement.not_tested_reason,
        }


@dataclass(frozen=True)
class CoverageReport:
    """The coverage table of one part's suite and the problems CI fails on."""

    part: str
    rows: tuple[CoverageRow, ...]
    problems: tuple[InvalidSpec, ...]

    @property
    def ok(self) -> bool:
        """True when no MUST is left without a check or a reason, and no reason contradicts a check."""
        return not self.problems

    def raise_for_problems(self) -> None:
        """Raise :class:`~govparts.core.errors.InvalidRecord` listing every problem, if there is one."""
        if self.problems:
            raise InvalidRecord(self.problems, model=f"{self.part} requirement catalogue")

    def to_dict(self) -> dict[str, Any]:
        """``{"part", "ok", "requirements": [row...], "problems": [message...]}`` (messages in English)."""
        return {
            "part": self.part,
            "ok": self.ok,
            "requirements": [row.to_dict() for row in self.rows],
            "problems": [problem.message("en") for problem in self.problems],
        }


def check_catalogue_coverage(part: Part | Suite | str) -> CoverageReport:
    """The coverage table of ``part``'s suite (a part, its name, or the :class:`Suite` itself)."""
    from ._discovery import resolve_suite

    suite = resolve_suite(part)
    rows: list[CoverageRow] = []
    problems: list[InvalidSpec] = []
    for requirement in suite.catalogue:
        row = CoverageRow(requirement, tuple(c.name for c in suite.checks_for(requirement)))
        rows.append(row)
        where = f"requirements[{requirement.id}]"
        if row.status == "missing" and requirement.level is Level.MUST:
            problems.append(
                InvalidSpec(
                    N_("{field}: a MUST requirement has no check and no not_tested_reason"),
                    field=where,
                    domain=DOMAIN,
                )
            )
        if row.checks and requirement.not_tested_reason is not None:
            problems.append(
                InvalidSpec(
                    N_("{field}: has a not_tested_reason but is verified by {checks}"),
                    field=f"{where}.not_tested_reason",
                    checks=list(row.checks),
                    domain=DOMAIN,
                )
            )
    return CoverageReport(part=suite.part, rows=tuple(rows), problems=tuple(problems))
