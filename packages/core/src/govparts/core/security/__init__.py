"""Who acts, what they may read, and keeping personal data out of logs.

:class:`Actor` names a person (or system) acting: id, name, unit, the roles process specs grant
transitions to, and a clearance. Classified material carries a secrecy level (密级, 绝密 > 机密 > 秘密,
codes ``UM``/``JM``/``MM`` of core's list ``GB/T 9704-2012 密级``); an actor reads it only when the
clearance reaches the level, and every such read, allowed or refused, is recorded in the audit log::

    >>> from govparts.core.security import Actor, can_read
    >>> archivist = Actor(id="u-2001", name="古丽娜尔·买买提", roles={"archivist"}, clearance="机密")
    >>> can_read(archivist, "MM"), can_read(archivist, "绝密")
    (True, False)

    check_read(archivist, document.secrecy, audit_to=engine, entity="document", entity_id=doc_id)

Personal data is masked wherever it may leak into logs, reprs or error messages::

    >>> from govparts.core.security import mask_citizen_id
    >>> mask_citizen_id("650102199001011239")
    '650102********1239'
"""

from ._actor import Actor as Actor
from ._actor import Clearance as Clearance
from ._clearance import READ_ACTION as READ_ACTION
from ._clearance import READ_DENIED_ACTION as READ_DENIED_ACTION
from ._clearance import can_read as can_read
from ._clearance import check_read as check_read
from ._levels import SECRECY_CODE_LIST as SECRECY_CODE_LIST
from ._levels import SecrecyLevel as SecrecyLevel
from ._levels import secrecy_level as secrecy_level
from ._masking import MaskingFilter as MaskingFilter
from ._masking import mask_citizen_id as mask_citizen_id
from ._masking import mask_name as mask_name
from ._masking import mask_phone as mask_phone
from ._masking import mask_text as mask_text
from ._orgs import CROSS_ORG_READ_ACTION as CROSS_ORG_READ_ACTION
from ._orgs import CROSS_ORG_READ_ROLE as CROSS_ORG_READ_ROLE
from ._orgs import check_org as check_org
from ._orgs import may_act_for as may_act_for
from ._orgs import may_read_org as may_read_org

__all__ = [
    # who acts
    "Actor",
    "Clearance",
    # secrecy levels and reads
    "READ_ACTION",
    "READ_DENIED_ACTION",
    "SECRECY_CODE_LIST",
    "SecrecyLevel",
    "can_read",
    "check_read",
    "secrecy_level",
    # organisations: an actor acts for its own
    "CROSS_ORG_READ_ACTION",
    "CROSS_ORG_READ_ROLE",
    "check_org",
    "may_act_for",
    "may_read_org",
    # masking personal data
    "MaskingFilter",
    "mask_citizen_id",
    "mask_name",
    "mask_phone",
    "mask_text",
]
