"""Who acts: the :class:`Actor` every state change, read and audit record names."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from ._levels import SECRECY_CODE_LIST, SecrecyLevel, secrecy_level
from ._masking import mask_name, mask_text

__all__ = ["Actor", "Clearance"]


def _level_code(level: SecrecyLevel) -> str | None:
    return level.code


Clearance = Annotated[
    SecrecyLevel,
    BeforeValidator(secrecy_level),
    PlainSerializer(_level_code, return_type=str | None, when_used="always"),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "enum": ["MM", "JM", "UM"]}, {"type": "null"}],
            "description": f"highest secrecy level the actor may read, a code of {SECRECY_CODE_LIST} "
            "(null: unclassified material only)",
        }
    ),
]
"""A secrecy level as a pydantic field: accepts codes, names or levels; serialised as its code."""


class Actor(BaseModel):
    """A person (or system) acting: who they are, their unit, their roles and clearance.

    ``roles`` are the role ids process specs name (``"reviewer"``); ``clearance`` is the highest
    secrecy level the actor may read (``"JM"``, ``"机密"`` or :attr:`SecrecyLevel.SECRET`); ``org`` is
    the unified social credit code of the organisation the actor acts for (``None``: a deployment-wide
    system actor; see :func:`~govparts.core.security.check_org`).

    >>> clerk = Actor(id="u-1001", name="阿依古丽·艾力", unit="650102-hr", roles={"preparer"})
    >>> clerk.has_role("preparer", "reviewer"), clerk.clearance
    (True, <SecrecyLevel.NONE: 0>)
    >>> clerk
    Actor(id='u-1001', name='阿***·艾*', unit='650102-hr', roles=['preparer'], clearance=NONE)
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    unit: str | None = Field(default=None, max_length=100)
    roles: frozenset[str] = frozenset()
    clearance: Clearance = SecrecyLevel.NONE
    org: str | None = Field(default=None, min_length=18, max_length=18)

    def has_role(self, *roles: str) -> bool:
        """True when the actor holds at least one of ``roles``."""
        return not self.roles.isdisjoint(roles)

    def __repr__(self) -> str:
        # Names are personal data: reprs end up in logs and tracebacks.
        return (
            f"Actor(id={mask_text(self.id)!r}, name={mask_name(self.name)!r}, unit={self.unit!r}, "
            f"roles={sorted(self.roles)!r}, clearance={self.clearance.name}"
            + (f", org={self.org!r})" if self.org is not None else ")")
        )

    def __str__(self) -> str:
        return mask_text(self.id)
