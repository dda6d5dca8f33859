"""National identifiers: citizen identity number, unified social credit code, division code.

Three python-stdnum-style modules, each with ``compact``, ``validate`` (canonical form or
:class:`~govparts.core.errors.InvalidIdentifier` naming the part that is wrong and the clause),
``is_valid`` (never raises) and ``format``:

* :mod:`govparts.core.ids.citizen_id`: GB 11643-1999 公民身份号码;
* :mod:`govparts.core.ids.credit_code`: GB 32100-2015 统一社会信用代码, with Amendment No. 1;
* :mod:`govparts.core.ids.division_code`: GB/T 2260 行政区划代码, current and former codes.

Pydantic field types validate the same rules fast enough for bulk loads::

    from pydantic import BaseModel
    from govparts.core.ids import CitizenId, CreditCode, DivisionCode

    class Employee(BaseModel):
        citizen_id: CitizenId
        employer: CreditCode
        residence: DivisionCode

>>> is_valid_citizen_id('11010519491231002X'), is_valid_credit_code('91350100M000100Y43')
(True, True)
>>> upgrade_legacy_citizen_id('110105491231002')
'11010519491231002X'
>>> describe('654200').details['parent']
'654000'
"""

from ..errors import InvalidIdentifier as InvalidIdentifier
from . import citizen_id as citizen_id
from . import credit_code as credit_code
from . import division_code as division_code
from ._describe import IdInfo as IdInfo
from ._describe import IdKind as IdKind
from ._describe import describe as describe
from ._types import CitizenId as CitizenId
from ._types import CreditCode as CreditCode
from ._types import DivisionCode as DivisionCode
from ._types import IdentifierType as IdentifierType
from .citizen_id import CitizenIdInfo as CitizenIdInfo
from .citizen_id import CitizenIdKind as CitizenIdKind
from .citizen_id import is_valid as is_valid_citizen_id
from .citizen_id import upgrade_legacy as upgrade_legacy_citizen_id
from .credit_code import is_valid as is_valid_credit_code
from .division_code import is_valid as is_valid_division_code

__all__ = [
    # standard modules
    "citizen_id",
    "credit_code",
    "division_code",
    # pydantic field types
    "CitizenId",
    "CreditCode",
    "DivisionCode",
    "IdentifierType",
    # checks and conversion
    "is_valid_citizen_id",
    "is_valid_credit_code",
    "is_valid_division_code",
    "upgrade_legacy_citizen_id",
    # what an identifier says
    "CitizenIdInfo",
    "CitizenIdKind",
    "IdInfo",
    "IdKind",
    "describe",
    # errors
    "InvalidIdentifier",
]
