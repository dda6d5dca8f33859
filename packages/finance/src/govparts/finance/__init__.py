"""govparts.finance: government accounting with parallel budget accounting (财务, 政府会计制度).

The Government Accounting System (财会〔2017〕25号, in force since 2019-01-01) keeps accrual financial
accounting (财务会计, accounts 1xxx–5xxx) and cash-basis budget accounting (预算会计, 6xxx–8xxx) in one
set of books, recorded in parallel (平行记账). This part offers the chart of accounts as a code list,
vouchers that balance in each system, the voucher process (draft → reviewed → posted), red-ink
reversals, period locks, gapless voucher numbers, a hash-chained ledger, budget indicators with
control actions, reimbursements, the statutory reports and an export to Beancount::

    service = ReferenceService(engine)
    voucher = service.create_voucher(preparer, org, draft)
    service.review_voucher(reviewer, org, voucher.id)
    service.post_voucher(bookkeeper, org, voucher.id)
    service.trial_balance(chief_accountant, org, 2026, 1)
"""

from ._chart import BUDGET_MANAGED_CASH as BUDGET_MANAGED_CASH
from ._chart import CHART_ID as CHART_ID
from ._chart import ELEMENTS as ELEMENTS
from ._chart import Account as Account
from ._chart import chart as chart
from ._domain import DOMAIN as DOMAIN
from ._errors import BudgetExceeded as BudgetExceeded
from ._errors import ParallelEntryMissing as ParallelEntryMissing
from ._errors import PeriodClosed as PeriodClosed
from ._errors import UnbalancedVoucher as UnbalancedVoucher
from .models import BalanceSheet as BalanceSheet
from .models import BudgetStatement as BudgetStatement
from .models import ChainReport as ChainReport
from .models import IncomeStatement as IncomeStatement
from .models import Indicator as Indicator
from .models import IndicatorExecution as IndicatorExecution
from .models import LedgerLine as LedgerLine
from .models import Reconciliation as Reconciliation
from .models import Reimbursement as Reimbursement
from .models import ReimbursementClaim as ReimbursementClaim
from .models import ReportLine as ReportLine
from .models import SubAccount as SubAccount
from .models import TrialBalance as TrialBalance
from .models import TrialBalanceRow as TrialBalanceRow
from .models import Voucher as Voucher
from .models import VoucherDraft as VoucherDraft
from .models import VoucherLine as VoucherLine
from .service import FinanceService as FinanceService
from .service import ReferenceService as ReferenceService
from .service import reference_factory as reference_factory

__all__ = [
    # the chart of accounts
    "BUDGET_MANAGED_CASH",
    "CHART_ID",
    "ELEMENTS",
    "Account",
    "chart",
    # vouchers
    "Voucher",
    "VoucherDraft",
    "VoucherLine",
    "SubAccount",
    # budget control and reimbursement
    "Indicator",
    "IndicatorExecution",
    "Reimbursement",
    "ReimbursementClaim",
    # reports
    "BalanceSheet",
    "BudgetStatement",
    "ChainReport",
    "IncomeStatement",
    "LedgerLine",
    "Reconciliation",
    "ReportLine",
    "TrialBalance",
    "TrialBalanceRow",
    # the service
    "FinanceService",
    "ReferenceService",
    "reference_factory",
    # errors
    "DOMAIN",
    "BudgetExceeded",
    "ParallelEntryMissing",
    "PeriodClosed",
    "UnbalancedVoucher",
]
