"""Errors of the finance part, each a subclass callers may catch on its own.

::

    GovPartsError
    ├── InvalidInput
    │   └── UnbalancedVoucher          a system's debits differ from its credits
    └── ProcessError
        └── GuardFailed
            ├── PeriodClosed           posting into a closed (or unopened) period
            ├── BudgetExceeded         spending beyond an indicator's available amount (stop)
            └── ParallelEntryMissing   a budget-managed cash flow without its budget entry
"""

from __future__ import annotations

from govparts.core.errors import GuardFailed, InvalidInput
from govparts.core.i18n import N_

from ._domain import DOMAIN

__all__ = ["BudgetExceeded", "ParallelEntryMissing", "PeriodClosed", "UnbalancedVoucher"]


class UnbalancedVoucher(InvalidInput):
    """A voucher whose debits and credits differ within one accounting system."""

    code = "voucher-unbalanced"
    default_message = N_("{field}: debits {debit} and credits {credit} differ in the {system} system")
    domain = DOMAIN


class PeriodClosed(GuardFailed):
    """Posting into a period that is closed or was never opened."""

    code = "period-closed"
    default_message = N_("{field}: the period {period} of {org} is not open for posting")
    domain = DOMAIN


class BudgetExceeded(GuardFailed):
    """Budget expenditure beyond what an indicator with the stop action has available."""

    code = "budget-exceeded"
    default_message = N_("{field}: {amount} exceeds the {available} available under indicator {indicator}")
    domain = DOMAIN


class ParallelEntryMissing(GuardFailed):
    """A cash flow under budget management recorded without its budget-accounting entry."""

    code = "parallel-entry-missing"
    default_message = N_(
        "{field}: the voucher moves budget-managed funds ({accounts}) but has no budget entry "
        "(平行记账, 财会〔2017〕25号)"
    )
    domain = DOMAIN
