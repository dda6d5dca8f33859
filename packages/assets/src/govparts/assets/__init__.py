"""govparts.assets: the state-owned assets part (国有资产) of administrative and public institutions.

Asset cards (资产卡片) classified by GB/T 14885, their life cycle as a process (acquisition, issue,
transfer, return, repair, revaluation, disposal), and depreciation under 政府会计准则第3号 computed
from each asset's history::

    >>> from datetime import date
    >>> from govparts.core.money import Money
    >>> from govparts.assets import depreciation_schedule
    >>> rows = depreciation_schedule(Money.of("7200.00"), 72, date(2024, 3, 15))
    >>> rows[0], len(rows)
    (DepreciationRow(year=2024, month=3, amount=Money('100.00')), 72)
"""

from .rules import DOMAIN as DOMAIN
from .rules import BookDifference as BookDifference
from .rules import CategoryRule as CategoryRule
from .rules import DepreciationRow as DepreciationRow
from .rules import DisposalTier as DisposalTier
from .rules import DisposalTiers as DisposalTiers
from .rules import HistoryEvent as HistoryEvent
from .rules import Segment as Segment
from .rules import card_accounts as card_accounts
from .rules import category_rule as category_rule
from .rules import check_custodian as check_custodian
from .rules import compare_books as compare_books
from .rules import depreciation_schedule as depreciation_schedule
from .rules import load_disposal_tiers as load_disposal_tiers
from .rules import schedule_from_history as schedule_from_history
from .rules import segments_from_history as segments_from_history

__all__ = [
    # depreciation (pure rules)
    "DepreciationRow",
    "HistoryEvent",
    "Segment",
    "depreciation_schedule",
    "schedule_from_history",
    "segments_from_history",
    # category and disposal rule data
    "CategoryRule",
    "DisposalTier",
    "DisposalTiers",
    "category_rule",
    "load_disposal_tiers",
    # custody
    "check_custodian",
    # cards against the books (账卡核对)
    "BookDifference",
    "card_accounts",
    "compare_books",
    # messages
    "DOMAIN",
]
