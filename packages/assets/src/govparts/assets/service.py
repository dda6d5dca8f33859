"""The ``AssetService`` Protocol and ``ReferenceService``, the SQLModel-backed reference implementation."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError

from govparts.conformance import Capabilities
from govparts.core import audit, events
from govparts.core.audit import TrailEntry
from govparts.core.db import create_engine, metadata, session_scope
from govparts.core.errors import (
    GuardFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
    from_validation_error,
)
from govparts.core.events import CloudEvent
from govparts.core.i18n import N_
from govparts.core.money import Money
from govparts.core.process import ProcessEngine, TransitionContext
from govparts.core.refs import PersonRef
from govparts.core.security import Actor, check_org, may_read_org
from govparts.core.text import check_text

from . import tables as t
from .events import ASSET_DEPRECIATED
from .models import (
    AccountTotal,
    AssetCard,
    AssetCardIn,
    AssetDisposed,
    AssetRegistered,
    BookBalance,
    DepreciationRun,
    EmployeeSeparatedAsAssetsReadsIt,
    Finding,
    MonthTotal,
    RegisterLine,
    ReturnTask,
    StockTake,
    UsageEntry,
)
from .processes import ASSET_LIFECYCLE, STOCKTAKE
from .rules import (
    DOMAIN,
    DepreciationRow,
    DisposalTiers,
    HistoryEvent,
    category_rule,
    check_custodian,
    compare_books,
    depreciation_schedule,
    load_disposal_tiers,
    month_index,
    period_of,
    schedule_from_history,
    segments_from_history,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

__all__ = [
    "AssetService",
    "ReferenceService",
    "charge_month",
    "charge_units_of_work",
    "depreciation_amount_sql",
    "units_of_work_amount_sql",
    "raise_return_tasks",
    "reference_factory",
    "service_on_temp_db",
]

PART_VERSION = "1.0"
GroupBy = Literal["category", "using_unit", "custodian"]


class _Books(BaseModel):
    """The ``books`` argument of :meth:`ReferenceService.reconcile`, so that errors say ``books[i].field``."""

    books: list[BookBalance]


def _hold(row: t.AssetRow, person: PersonRef | None) -> None:
    """Make ``person`` the custodian of ``row`` (``None``: nobody): a person is (organisation, number)."""
    row.custodian_id = person.person_id if person is not None else None
    row.custodian_org = person.organization_credit_code if person is not None else None
    row.custodian_citizen_id = person.citizen_id if person is not None else None
    row.custodian = person.model_dump(mode="json") if person is not None else None


SYSTEM = Actor(id="system:assets", name="assets event handler", roles=frozenset({"system"}))
"""The actor that delivers other parts' events to this part (bound to no organisation)."""
_OWN_EVENTS = (
    "cn.govparts.assets.asset.registered.v1",
    "cn.govparts.assets.asset.depreciated.v1",
    "cn.govparts.assets.asset.disposed.v1",
)


def _int(value: object) -> int:
    """An id as an integer (-1, which no row has, when it is not one)."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return -1


def _envelope(row: Any) -> events.CloudEvent:
    """The CloudEvent of an outbox row."""
    return events.CloudEvent.model_validate(
        {
            "specversion": "1.0",
            "id": row["id"],
            "source": row["source"],
            "type": row["type"],
            "time": row["time"],
            "subject": row["subject"],
            "datacontenttype": row["datacontenttype"],
            "dataschema": row["dataschema"],
            "data": row["data"],
            **(row["extensions"] or {}),
        }
    )


def _separated_org(data: Mapping[str, Any]) -> str | None:
    """The organisation an ``employee.separated`` payload names (the person's, else the unit's)."""
    for holder in (data.get("person"), data.get("unit")):
        if isinstance(holder, Mapping) and isinstance(holder.get("organization_credit_code"), str):
            found = str(holder["organization_credit_code"])
            if found:
                return found
    return None


def _fen(total: Any) -> int:
    """Fen of a SQL sum: a Money where the column type converts it, a plain number elsewhere."""
    return total.fen if isinstance(total, Money) else int(total or 0)


class AssetService(Protocol):
    """What an implementation of the assets part offers (the conformance suite calls only this).

    Every method takes the acting ``actor`` first and, when it reads or changes an organisation's
    data, that organisation's unified social credit code ``org`` (GB 32100-2015) second — also the
    methods addressed by a card or stock-take id. An actor bound to another organisation gets
    :class:`~govparts.core.errors.OrganizationDenied` before anything is read or written, and nothing
    of the other organisation is shown; a ``cross-org-auditor`` may read, audited, and never change;
    an id of another organisation's card or stock-take is :class:`~govparts.core.errors.NotFound`
    (requirement AST-041). Each step needs the role the process names (``processes.py``): requester,
    approver, keeper, accountant, department_approver or asset_authority (AST-043).

    Audit records (read back with :meth:`audit_trail`), by ``entity``:

    - ``"asset"``, ``entity_id`` the card's id: its creation and every transition (approve, reject,
      accept, register, issue, transfer, return, capitalise_repair, revalue, dispose_part,
      request_disposal, approve_disposal, reject_disposal, write_off), ``usage-recorded``,
      ``location-corrected`` (a stock-take finding approved), ``return-task-raised`` (a leaver's);
    - ``"stocktake"``, ``entity_id`` the stock-take's id: its creation, start, ``count-recorded``,
      reconcile and approve_findings;
    - ``"depreciation_run"``, ``entity_id`` ``"<org>/<YYYY>-<MM>"``: the monthly run;
    - ``"organization"``, ``entity_id`` the credit code: a cross-organisation auditor's reads.

    Events published (:meth:`published_events`): ``cn.govparts.assets.asset.registered.v1``,
    ``…asset.depreciated.v1`` and ``…asset.disposed.v1``; consumed (:meth:`receive_event`):
    ``cn.govparts.personnel.employee.separated.v1``.
    """

    def capabilities(self) -> Capabilities:
        """The part, version and optional features this implementation claims.

        Requirements: AST-001
        Raises:
            (none)
        """
        ...

    def request_acquisition(self, actor: Actor, org: str, card: AssetCardIn | Mapping[str, Any]) -> AssetCard:
        """Record a request to acquire an asset for ``org`` (state ``requested``); bad input writes nothing.

        The card's ``organization_credit_code`` must be ``org``. The useful life defaults to the
        category's and may not be shorter than the minimum of 《政府会计准则第3号——固定资产》应用指南
        表1 (财会〔2017〕4号); the category is a GB/T 14885-2010 code; amounts are exact decimal strings.

        Requirements: AST-001, AST-002, AST-003, AST-004, AST-005, AST-029, AST-042, AST-043, AST-046
        Raises:
            InvalidInput: a field of the card is invalid, the code is already used in ``org`` or the
                card names another organisation; names the field.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``requester``.
        """
        ...

    def approve_acquisition(self, actor: Actor, org: str, asset_id: str) -> AssetCard:
        """Approve a requested acquisition (state ``approved``).

        Requirements: AST-006, AST-042, AST-043
        Raises:
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: the card is not ``requested``.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``approver``.
        """
        ...

    def reject_acquisition(self, actor: Actor, org: str, asset_id: str) -> AssetCard:
        """Reject a requested acquisition (state ``rejected``, final: it can never be registered).

        Requirements: AST-044, AST-042, AST-043
        Raises:
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: the card is not ``requested``.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``approver``.
        """
        ...

    def accept(self, actor: Actor, org: str, asset_id: str, acceptance_record: str = "") -> AssetCard:
        """Record the acceptance check (验收) of an approved acquisition, with the acceptance record.

        The approver of a request may not accept it (separation of duties, AST-030).

        Requirements: AST-006, AST-030, AST-042, AST-043
        Raises:
            InvalidInput: ``acceptance_record`` holds control characters (field ``acceptance_record``).
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: the card is not ``approved``.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``keeper`` or approved the request.
        """
        ...

    def register(self, actor: Actor, org: str, asset_id: str, in_service: date) -> AssetCard:
        """Record the asset in the books (入账) from ``in_service``; emits ``asset.registered``.

        Depreciation starts with ``in_service``'s month (当月增加的固定资产，当月开始计提折旧).

        Requirements: AST-006, AST-007, AST-008, AST-010, AST-042, AST-043
        Raises:
            InvalidInput: ``in_service`` is not a date (field ``in_service``).
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: the card is not ``accepted``.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``accountant``.
        """
        ...

    def issue(self, actor: Actor, org: str, asset_id: str, to: PersonRef, using_unit: str = "") -> AssetCard:
        """Issue an asset in stock to a custodian (领用), optionally for ``using_unit``.

        Requirements: AST-018, AST-042, AST-043
        Raises:
            InvalidInput: ``to`` is not a PersonRef or ``using_unit`` holds control characters.
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: the card is not ``in_stock``.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``keeper``.
        """
        ...

    def transfer(  # noqa: PLR0917 - actor, org, then the step's inputs
        self, actor: Actor, org: str, asset_id: str, from_custodian: str, to: PersonRef, using_unit: str = ""
    ) -> AssetCard:
        """Move an asset from its current custodian to another (调拨); ``from_custodian`` must hold it.

        Requirements: AST-018, AST-019, AST-042, AST-043
        Raises:
            GuardFailed: ``from_custodian`` does not hold the asset (field ``from_custodian``).
            InvalidInput: ``to`` is not a PersonRef or ``using_unit`` holds control characters.
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: the card is not ``in_use``.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``keeper``.
        """
        ...

    def return_asset(self, actor: Actor, org: str, asset_id: str, from_custodian: str) -> AssetCard:
        """Take an asset back into stock from its custodian (交回); closes open return tasks for it.

        Requirements: AST-019, AST-026, AST-042, AST-043
        Raises:
            GuardFailed: ``from_custodian`` does not hold the asset (field ``from_custodian``).
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: the card is not ``in_use``.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``keeper``.
        """
        ...

    def capitalise_repair(  # noqa: PLR0917 - actor, org, then the step's inputs
        self, actor: Actor, org: str, asset_id: str, amount: Money, on: date, extra_life_months: int = 0
    ) -> AssetCard:
        """Add a repair's cost to the asset (资本化) and extend its life; the schedule is recomputed.

        The net book value left at ``on``'s month plus ``amount`` is spread over the remaining life
        plus ``extra_life_months`` (政府会计准则第3号 后续支出).

        Requirements: AST-022, AST-042, AST-043
        Raises:
            InvalidInput: ``amount`` is not more than zero, ``extra_life_months`` is not a whole
                number of at least 0, or ``on`` is before registration; names the field.
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: the card is not in the books.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``accountant``.
        """
        ...

    def revalue(self, actor: Actor, org: str, asset_id: str, new_value: Money, on: date) -> AssetCard:
        """Set a new net book value from ``on``'s month; the rest of the life spreads it.

        Requirements: AST-023, AST-042, AST-043
        Raises:
            InvalidInput: ``new_value`` is negative or ``on`` is before registration; names the field.
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: the card is not in the books.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``accountant``.
        """
        ...

    def dispose_part(  # noqa: PLR0917 - actor, org, then the step's inputs
        self, actor: Actor, org: str, asset_id: str, method: str, value: Money, on: date
    ) -> AssetCard:
        """Dispose of part of an asset (its ``value`` of the cost); emits ``asset.disposed`` (partial).

        Approved by the tier of ``value`` (AST-020); the rest is depreciated over the remaining life.

        Requirements: AST-020, AST-024, AST-042, AST-043
        Raises:
            InvalidInput: ``value`` is not more than zero or not less than the book value, or
                ``method`` is not a disposal method; names the field.
            GuardFailed: the actor's role is not the approver of ``value``'s tier (field ``approver_role``).
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: the card is not in the books.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks a disposal approver's role.
        """
        ...

    def request_disposal(self, actor: Actor, org: str, asset_id: str, method: str, on: date) -> AssetCard:
        """Ask to dispose of an asset by ``method`` on ``on`` (state ``disposal_requested``).

        Requirements: AST-017, AST-020, AST-042, AST-043
        Raises:
            InvalidInput: ``method`` is not a code of the disposal-method list (field ``method``).
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: the card is not in stock or in use.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``keeper``.
        """
        ...

    def approve_disposal(self, actor: Actor, org: str, asset_id: str) -> AssetCard:
        """Approve a requested disposal by the tier of the card's value; emits ``asset.disposed``.

        The asset is not depreciated from the disposal month on (当月减少的固定资产，当月不再计提折旧).

        Requirements: AST-017, AST-020, AST-021, AST-040, AST-042, AST-043
        Raises:
            GuardFailed: the actor's role is not the approver of the value's tier (field ``approver_role``).
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: no disposal was requested.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks a disposal approver's role.
        """
        ...

    def reject_disposal(self, actor: Actor, org: str, asset_id: str) -> AssetCard:
        """Refuse a requested disposal: the asset goes back into stock, nothing is disposed of or published.

        Requirements: AST-044, AST-042, AST-043
        Raises:
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            TransitionNotAllowed: no disposal was requested.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks a disposal approver's role.
        """
        ...

    def get(self, actor: Actor, org: str, asset_id: str) -> AssetCard:
        """The asset card ``asset_id`` of ``org``.

        Requirements: AST-001, AST-027, AST-041, AST-046
        Raises:
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def assets(self, actor: Actor, org: str) -> list[AssetCard]:
        """Every asset card of ``org``, by id.

        Requirements: AST-002, AST-041, AST-046
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def schedule(self, actor: Actor, org: str, asset_id: str) -> list[DepreciationRow]:
        """The depreciation schedule of an asset, computed from its history (empty if not depreciated).

        For a units-of-work asset (工作量法) the schedule has the months with usage so far.

        Requirements: AST-009, AST-011, AST-012, AST-022, AST-023, AST-024, AST-045
        Raises:
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def charged(self, actor: Actor, org: str, asset_id: str) -> list[DepreciationRow]:
        """The depreciation the monthly runs have charged to an asset, by month.

        Requirements: AST-013, AST-014, AST-045
        Raises:
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def run_depreciation(self, actor: Actor, org: str, year: int, month: int) -> DepreciationRun:
        """Charge one month's depreciation of ``org``'s assets, once; emits ``asset.depreciated``.

        A repeated run for the same month charges nothing and returns what the first did
        (``created=False``). 政府会计准则第3号: 固定资产应当按月计提折旧.

        Requirements: AST-010, AST-012, AST-013, AST-014, AST-015, AST-016, AST-017, AST-045
        Raises:
            InvalidInput: ``year`` or ``month`` is out of range; names the field.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``accountant``.
        """
        ...

    def record_usage(  # noqa: PLR0917 - actor, org, then the step's inputs
        self, actor: Actor, org: str, asset_id: str, year: int, month: int, units: int
    ) -> UsageEntry:
        """Record the units of work a units-of-work asset did in ``year``-``month`` (工作量法).

        One entry per asset and month, before that month's run, while the asset is in the books.

        Requirements: AST-036, AST-037, AST-038
        Raises:
            InvalidInput: the units, the month or the asset's method do not allow it; names the field.
            NotFound: ``org`` has no card ``asset_id`` (field ``asset_id``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``keeper``.
        """
        ...

    def receive_event(self, actor: Actor, event: CloudEvent) -> list[ReturnTask]:
        """Consume ``employee.separated``: an open return task per asset the leaver holds (once per event).

        The person is (organisation, number) or a citizen id; the organisation is taken from the
        event. Returns the tasks the event raised; another event type raises none.

        Requirements: AST-025, AST-026, AST-041
        Raises:
            InvalidInput: the event's data is not a readable ``employee.separated``.
            OrganizationDenied: the actor acts for another organisation than the event's.
        """
        ...

    def return_tasks(self, actor: Actor, org: str, person_id: str | None = None) -> list[ReturnTask]:
        """Return tasks of ``org``'s assets, by id; with ``person_id``, of that person of ``org`` only.

        Requirements: AST-025, AST-026
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def held_by_departed(self, actor: Actor, org: str) -> list[AssetCard]:
        """Assets of ``org`` still held by people who have left (their return task is open).

        Requirements: AST-026
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def register_report(self, actor: Actor, org: str, by: GroupBy) -> list[RegisterLine]:
        """``org``'s asset register (assets in the books, not disposed) by category, unit or custodian.

        Requirements: AST-028
        Raises:
            InvalidInput: ``by`` is not a grouping (field ``by``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def plan_stocktake(self, actor: Actor, org: str, name: str, location: str | None = None) -> StockTake:
        """Plan a stock-take of ``org``'s assets (of one location when ``location`` is given).

        Requirements: AST-031, AST-042, AST-043
        Raises:
            InvalidInput: ``name`` is empty or a text holds control characters; names the field.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``keeper``.
        """
        ...

    def record_count(
        self, actor: Actor, org: str, stocktake_id: str, asset_codes: Sequence[str], location: str
    ) -> StockTake:
        """Record asset codes scanned at ``location``; the first count starts the stock-take.

        A code scanned again keeps its first location.

        Requirements: AST-031, AST-042, AST-043
        Raises:
            InvalidInput: a scanned code is empty (field ``asset_codes``).
            NotFound: ``org`` has no stock-take ``stocktake_id`` (field ``stocktake_id``).
            TransitionNotAllowed: the stock-take was reconciled.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``keeper``.
        """
        ...

    def reconcile(
        self,
        actor: Actor,
        org: str,
        stocktake_id: str,
        books: Sequence[BookBalance | Mapping[str, Any]] | None = None,
    ) -> list[Finding]:
        """Compare the cards with the goods counted (账实核对) and with ``books`` (账卡核对).

        Requirements: AST-031, AST-039, AST-042, AST-043
        Raises:
            InvalidInput: ``books`` is not a list of balances of one day; names the field.
            NotFound: ``org`` has no stock-take ``stocktake_id`` (field ``stocktake_id``).
            TransitionNotAllowed: the stock-take is not counting.
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``keeper``.
        """
        ...

    def approve_findings(self, actor: Actor, org: str, stocktake_id: str, on: date) -> list[Finding]:
        """Approve a reconciled stock-take's findings and adjust the cards, in one transaction.

        Each loss (盘亏) is written off (method ``loss``, ``asset.disposed``, no depreciation from
        ``on``'s month); each location finding moves the card; book differences are finance's.

        Requirements: AST-032, AST-033, AST-039, AST-042, AST-043
        Raises:
            NotFound: ``org`` has no stock-take ``stocktake_id`` (field ``stocktake_id``).
            TransitionNotAllowed: the stock-take is not reconciled.
            GuardFailed: a loss is above the actor's disposal tier (field ``approver_role``).
            OrganizationDenied: the actor acts for another organisation.
            PermissionDenied: the actor lacks the role ``department_approver`` or reconciled it.
        """
        ...

    def findings(self, actor: Actor, org: str, stocktake_id: str) -> list[Finding]:
        """The discrepancies a stock-take found (the stock-take discrepancy report).

        Requirements: AST-031, AST-032
        Raises:
            NotFound: ``org`` has no stock-take ``stocktake_id`` (field ``stocktake_id``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def depreciation_totals(self, actor: Actor, org: str, year: int) -> list[MonthTotal]:
        """``org``'s depreciation charged per month of ``year`` (months with no run are left out).

        Requirements: AST-034, AST-045
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def disposal_register(self, actor: Actor, org: str) -> list[AssetCard]:
        """Assets of ``org`` that were disposed of (处置登记簿), by id.

        Requirements: AST-035
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[TrailEntry]:
        """The audit records of one thing of ``org``, oldest first (entities: see the class docstring).

        Requirements: AST-042
        Raises:
            InvalidInput: ``entity`` is not one of the part's entity names (field ``entity``).
            OrganizationDenied: the actor acts for another organisation.
        """
        ...

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[CloudEvent]:
        """The events this implementation published about ``org`` (of ``type`` if given), in order.

        Requirements: AST-007, AST-015, AST-021, AST-047
        Raises:
            OrganizationDenied: the actor acts for another organisation.
        """
        ...


def _case_min(a: sa.ColumnElement[Any], b: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    return sa.case((a < b, a), else_=b)


def depreciation_amount_sql(period: int) -> sa.ColumnElement[Any]:
    """The SQL form of :func:`govparts.assets.rules.segment_amount_fen` for month ``period``.

    Portable (CASE instead of MIN/LEAST), so SQLite and PostgreSQL compute the same fen.
    """
    a = t.ASSET.c
    offset = sa.literal(period) - a.seg_start
    before = _case_min(a.seg_monthly_fen * offset, a.seg_base_fen)
    return sa.case(
        (offset == a.seg_months - 1, a.seg_base_fen - before),
        else_=_case_min(a.seg_monthly_fen * (offset + 1), a.seg_base_fen) - before,
    )


def units_of_work_amount_sql(
    used_through: sa.ColumnElement[Any], used_now: sa.ColumnElement[Any]
) -> sa.ColumnElement[Any]:
    """The SQL form of the units-of-work month (:func:`govparts.assets.rules.depreciation_schedule`).

    ``C(u)`` is the depreciation charged once ``u`` units are used: the whole cost when ``u`` reaches
    the card's ``total_units``, else ``cost * u / total_units`` rounded half up to the fen (in integers:
    ``(2 * cost * u + total) // (2 * total)``). A month charges ``C(through) - C(through - now)``, so the
    months add up to the cost exactly and never pass it. ``total_units`` is at most 10,000,000, so the
    products stay within 64 bits for costs up to ¥4.6 billion. ``used_through`` and ``used_now`` must
    be integer expressions (cast PostgreSQL's numeric ``sum`` back to ``BigInteger``).
    """
    a = t.ASSET.c
    base, total = a.seg_base_fen, a.total_units

    def cumulative(used: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        return sa.case(
            (used >= total, base),
            else_=(sa.literal(2) * base * used + total) // (sa.literal(2) * total),
        )

    return cumulative(used_through) - cumulative(used_through - used_now)


class ReferenceService:
    """The reference implementation on any SQLAlchemy engine whose tables exist (``metadata.create_all``).

    ``disposal_tiers`` replaces the example approval tiers (``data/disposal-tiers.toml``) with a
    finance department's own table.
    """

    features: frozenset[str] = frozenset()

    def __init__(self, engine: Engine, *, disposal_tiers: DisposalTiers | None = None) -> None:
        self.engine = engine
        self.tiers = disposal_tiers or load_disposal_tiers()
        self._disposal_facts: dict[str, tuple[Money, Money, bool]] = {}
        self._opening_facts: dict[str, Money] = {}
        """The opening accumulated depreciation of an asset being registered, by id, for its event."""
        self.process = ProcessEngine(
            ASSET_LIFECYCLE,
            guards={"custodian_matches": self._custodian_matches, "disposal_tier": self._tier_allows},
            payloads={
                "register": self._registered_payload,
                "approve_disposal": self._disposed_payload,
                "dispose_part": self._disposed_payload,
                "write_off": self._disposed_payload,
            },
        )
        self.stocktakes = ProcessEngine(STOCKTAKE)

    def capabilities(self) -> Capabilities:
        """The part, version and optional features this implementation claims."""
        return Capabilities(part="assets", version=PART_VERSION, features=self.features)

    # -- guards and payloads -----------------------------------------------------------------------

    @staticmethod
    def _custodian_matches(entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        check_custodian(entity.custodian_id, str(inputs["from_custodian"]))
        return None

    def _tier_allows(self, entity: Any, inputs: Mapping[str, Any], actor: Actor) -> str | None:
        # The tier goes by 账面原值: the cost on the card now (after capitalised repairs and partial
        # disposals), or the part being disposed of.
        value = Money.of(inputs["value"]) if "value" in inputs else entity.book_value
        tier = self.tiers.tier_for(value)
        if not actor.has_role(tier.approver_role):
            raise GuardFailed(
                N_("{field}: a disposal of original value {got} needs approval by {expected}"),
                field="approver_role",
                got=str(value),
                expected=tier.approver_role,
                guard="disposal_tier",
                domain=DOMAIN,
            )
        return None

    def _registered_payload(self, ctx: TransitionContext) -> BaseModel:
        a = ctx.entity
        opening = self._opening_facts.pop(ctx.entity_id, Money.zero())
        return AssetRegistered(
            asset_id=str(a.id),
            asset_code=a.asset_code,
            organization_credit_code=a.organization_credit_code,
            category=a.category,
            name=a.name,
            original_value=a.original_value,
            acquisition_date=a.acquisition_date,
            acquisition_method=a.acquisition_method,
            funding_source=a.funding_source,
            paying_account=a.paying_account,
            in_service=ctx.inputs["in_service"],
            opening_accumulated_depreciation=opening,
        )

    def _disposed_payload(self, ctx: TransitionContext) -> BaseModel:
        a = ctx.entity
        value, accumulated, partial = self._disposal_facts.pop(ctx.entity_id)
        return AssetDisposed(
            asset_id=str(a.id),
            asset_code=a.asset_code,
            organization_credit_code=a.organization_credit_code,
            method=str(ctx.inputs.get("method", a.disposal_method or "")),
            on=ctx.inputs.get("on", a.disposal_on),
            original_value=value,
            accumulated_depreciation=accumulated,
            partial=partial,
            approver_role=self.tiers.tier_for(value).approver_role,
            category=a.category,
            asset_account=category_rule(a.category).asset_account,
            accumulated_account=a.accumulated_account,
        )

    # -- reading -----------------------------------------------------------------------------------

    @staticmethod
    def _gate(
        session: Session,
        actor: Actor,
        org: str | None,
        *,
        write: bool,
        field: str = "org",
        entity: str = "organization",
        entity_id: str | None = None,
    ) -> None:
        """The organisation gate every scoped method passes first (:func:`~govparts.core.security.check_org`).

        An actor of another organisation is refused before anything is read or written; a
        cross-organisation auditor's read is recorded in the audit log in the caller's transaction.
        """
        if not isinstance(actor, Actor):
            raise InvalidInput(
                N_("{field}: must be an Actor, got {got}"),
                field="actor",
                got=type(actor).__name__,
                domain=DOMAIN,
            )
        if org is not None and (not isinstance(org, str) or not org.strip()):
            raise InvalidInput(N_("{field}: must not be empty"), field="org", domain=DOMAIN)
        check_org(
            actor, org, write=write, field=field, audit_to=session, entity=entity, entity_id=entity_id or org
        )

    def _gate_only(self, actor: Actor, org: str, *, write: bool) -> None:
        """The organisation gate before any input is validated (a foreign actor learns nothing from errors).

        A cross-organisation auditor's read is recorded by the gate of the call's transaction.
        """
        if isinstance(actor, Actor) and not write and may_read_org(actor, org):
            return
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=write)

    @staticmethod
    def _require_role(actor: Actor, role: str, transition: str) -> None:
        """Refuse ``actor`` unless it holds ``role`` (PermissionDenied naming the step and the role)."""
        if not actor.has_role(role):
            raise PermissionDenied(field=transition, actor=actor.id, transition=transition, roles=[role])

    @staticmethod
    def _load(session: Session, asset_id: str, org: str | None = None) -> t.AssetRow:
        try:
            key = int(asset_id)
        except (TypeError, ValueError):
            key = -1
        query = sa.select(t.AssetRow).where(t.ASSET.c.id == key)
        if org is not None:
            query = query.where(t.ASSET.c.organization_credit_code == org)
        row = session.scalars(query).first()
        if row is None:
            raise NotFound(field="asset_id", kind="asset", got=str(asset_id), domain=DOMAIN)
        return row

    def _row(self, session: Session, actor: Actor, org: str, asset_id: str, *, write: bool) -> t.AssetRow:
        """Card ``asset_id`` of ``org`` once ``actor`` passed ``org``'s gate (NotFound if it has none)."""
        self._gate(session, actor, org, write=write, entity="asset", entity_id=str(asset_id))
        return self._load(session, asset_id, org)

    @staticmethod
    def _card(row: t.AssetRow) -> AssetCard:
        data = row.model_dump(
            exclude={
                "id",
                "custodian_id",
                "custodian_org",
                "custodian_citizen_id",
                "custodian",
                "seg_start",
                "seg_months",
                "seg_base_fen",
                "seg_monthly_fen",
                "end_index",
                "disposal_method",
                "disposal_on",
            }
        )
        data["attachments"] = tuple(row.attachments or ())
        return AssetCard(
            **data,
            id=str(row.id),
            custodian=PersonRef.model_validate(row.custodian) if row.custodian else None,
        )

    def get(self, actor: Actor, org: str, asset_id: str) -> AssetCard:
        """The asset card ``asset_id`` (NotFound naming ``asset_id`` if there is none)."""
        with session_scope(self.engine) as session:
            return self._card(self._row(session, actor, org, asset_id, write=False))

    def assets(self, actor: Actor, org: str) -> list[AssetCard]:
        """Every asset card of organisation ``org``, by id."""
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=False)
            rows = session.scalars(
                sa.select(t.AssetRow).where(t.ASSET.c.organization_credit_code == org).order_by(t.ASSET.c.id)
            ).all()
            return [self._card(r) for r in rows]

    def _history(self, session: Session, asset_id: int) -> list[HistoryEvent]:
        h = t.HISTORY.c
        found = session.execute(
            sa.select(h.kind, h.on, h.value, h.life_months).where(h.asset_id == asset_id).order_by(h.id)
        ).all()
        return [HistoryEvent(kind, on, value, life) for kind, on, value, life in found]

    def _usage(self, session: Session, asset_id: int) -> dict[tuple[int, int], int]:
        u = t.USAGE.c
        found = session.execute(sa.select(u.period, u.units).where(u.asset_id == asset_id)).all()
        return {period_of(p): int(n) for p, n in found}

    def _schedule_rows(self, session: Session, row: t.AssetRow) -> list[DepreciationRow]:
        history = self._history(session, int(row.id or 0))
        if not row.depreciable or not history:
            return []
        if row.depreciation_method != "units_of_work":
            return schedule_from_history(history)
        registered = history[0]
        end = row.end_index
        units = {
            ym: n
            for ym, n in self._usage(session, int(row.id or 0)).items()
            if end is None or month_index(*ym) < end
        }
        return depreciation_schedule(
            registered.value,
            max(registered.life_months, 1),
            registered.on,
            method="units_of_work",
            total_units=row.total_units,
            units=units,
        )

    def schedule(self, actor: Actor, org: str, asset_id: str) -> list[DepreciationRow]:
        """The depreciation schedule of an asset, computed from its history (empty if not depreciated).

        For a units-of-work asset (工作量法) the history is its registration, the usage recorded per
        month (:meth:`record_usage`) and its disposal: the schedule has the months with usage so far.
        """
        with session_scope(self.engine) as session:
            return self._schedule_rows(session, self._row(session, actor, org, asset_id, write=False))

    def charged(self, actor: Actor, org: str, asset_id: str) -> list[DepreciationRow]:
        """The depreciation monthly runs have charged to an asset, by month."""
        d = t.ENTRY.c
        with session_scope(self.engine) as session:
            row = self._row(session, actor, org, asset_id, write=False)
            found = session.execute(
                sa.select(d.period, d.amount_fen).where(d.asset_id == row.id).order_by(d.period)
            ).all()
        return [DepreciationRow(*period_of(p), Money.from_fen(f)) for p, f in found]

    # -- acquisition -------------------------------------------------------------------------------

    def request_acquisition(self, actor: Actor, org: str, card: AssetCardIn | Mapping[str, Any]) -> AssetCard:
        """Record a request to acquire an asset (state ``requested``); bad input writes nothing.

        The useful life defaults to the category's and may not be shorter than the minimum of
        《政府会计准则第3号——固定资产》应用指南 表1 (财会〔2017〕4号).
        """
        self._gate_only(actor, org, write=True)
        try:
            data = card if isinstance(card, AssetCardIn) else AssetCardIn.model_validate(card)
        except ValidationError as exc:
            raise from_validation_error(exc, model="AssetCardIn") from None
        if data.original_value < Money.zero():
            raise InvalidInput(
                N_("{field}: must not be negative, got {got}"),
                field="original_value",
                got=str(data.original_value),
                domain=DOMAIN,
            )
        if data.depreciation_method == "units_of_work" and data.total_units is None:
            raise InvalidInput(
                N_("{field}: a units-of-work asset needs its total expected units of work"),
                field="total_units",
                domain=DOMAIN,
            )
        rule = category_rule(data.category)
        depreciable = rule.depreciated and not data.measured_at_nominal and not data.non_depreciable
        life = data.useful_life_months
        if depreciable:
            life = life or rule.default_months
            if life < rule.min_months:
                raise InvalidInput(
                    N_("{field}: category {category} needs a life of at least {expected} months, got {got}"),
                    field="useful_life_months",
                    category=data.category,
                    expected=str(rule.min_months),
                    got=str(life),
                    domain=DOMAIN,
                )
        row = t.AssetRow(
            **data.model_dump(exclude={"useful_life_months", "attachments"}),
            attachments=list(data.attachments),
            book_value=data.original_value,
            useful_life_months=life if depreciable else None,
            depreciable=depreciable,
            accumulated_account=rule.accumulated_account,
        )
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=True)
            self._require_role(actor, "requester", "request_acquisition")
            if data.organization_credit_code != org:
                raise InvalidInput(
                    N_("{field}: the card must name the organisation it is requested for"),
                    field="organization_credit_code",
                    domain=DOMAIN,
                )
            duplicate = session.scalar(
                sa.select(sa.func.count())
                .select_from(t.ASSET)
                .where(
                    t.ASSET.c.organization_credit_code == data.organization_credit_code,
                    t.ASSET.c.asset_code == data.asset_code,
                )
            )
            if duplicate:
                raise InvalidInput(
                    N_("{field}: asset code {got} is already used in this organisation"),
                    field="asset_code",
                    got=data.asset_code,
                    domain=DOMAIN,
                )
            self.process.create(session, row, actor)
            return self._card(row)

    def _fire(self, actor: Actor, org: str, asset_id: str, transition: str) -> AssetCard:
        with session_scope(self.engine) as session:
            row = self._row(session, actor, org, asset_id, write=True)
            self.process.fire(session, row, transition, actor)
            return self._card(row)

    def approve_acquisition(self, actor: Actor, org: str, asset_id: str) -> AssetCard:
        """Approve the acquisition request."""
        return self._fire(actor, org, asset_id, "approve")

    def reject_acquisition(self, actor: Actor, org: str, asset_id: str) -> AssetCard:
        """Reject the acquisition request."""
        return self._fire(actor, org, asset_id, "reject")

    def accept(self, actor: Actor, org: str, asset_id: str, acceptance_record: str = "") -> AssetCard:
        """Record the acceptance check (验收), optionally with the acceptance record's reference."""
        check_text(acceptance_record, field="acceptance_record")
        with session_scope(self.engine) as session:
            row = self._row(session, actor, org, asset_id, write=True)
            inputs = {"acceptance_record": acceptance_record} if acceptance_record else {}
            self.process.fire(session, row, "accept", actor, inputs)
            if acceptance_record:
                row.attachments = [*row.attachments, acceptance_record]
                session.add(row)
            return self._card(row)

    def register(self, actor: Actor, org: str, asset_id: str, in_service: date) -> AssetCard:
        """Record the asset in the books (入账) from ``in_service``; emits ``asset.registered``.

        Depreciation starts with ``in_service``'s month (当月增加的固定资产，当月开始计提折旧).
        """
        return self._register(actor, org, asset_id, in_service, None)

    def register_brought_over(
        self, actor: Actor, org: str, asset_id: str, in_service: date, taken_over: date
    ) -> AssetCard:
        """Record an asset brought over from books kept elsewhere (an earlier system: 期初资产).

        The asset has been in service since ``in_service`` and was depreciated by the earlier books
        until ``taken_over``'s month; from that month on the monthly runs here charge it. Its
        schedule's depreciation of the months before is its opening accumulated depreciation
        (期初累计折旧): kept with its registration (so the cards' totals against the books count it,
        :meth:`reconcile`) and sent as ``opening_accumulated_depreciation`` in ``asset.registered``,
        for the books to carry it to 1602 (1702 for an intangible asset). ``taken_over`` in
        ``in_service``'s month brings nothing: the asset is new to any books. The runs must go on
        from ``taken_over``'s month: a run of an earlier month would charge the asset again for what
        the opening already holds (this implementation does not refuse it).

        Raises:
            InvalidInput: ``in_service`` or ``taken_over`` is not a date, ``taken_over`` is before
                ``in_service`` (field ``taken_over``), or the asset is depreciated by units of work,
                whose past usage is not known here (field ``taken_over``).
            NotFound, TransitionNotAllowed, OrganizationDenied, PermissionDenied: as :meth:`register`.
        """
        if not isinstance(taken_over, date) or (isinstance(in_service, date) and taken_over < in_service):
            raise InvalidInput(
                N_("{field}: must be a date not before the asset was in service ({expected}), got {got}"),
                field="taken_over",
                expected=str(in_service),
                got=str(taken_over),
                domain=DOMAIN,
            )
        return self._register(actor, org, asset_id, in_service, taken_over)

    def _register(
        self, actor: Actor, org: str, asset_id: str, in_service: date, taken_over: date | None
    ) -> AssetCard:
        if not isinstance(in_service, date):
            raise InvalidInput(
                N_("{field}: must be a date, got {got}"),
                field="in_service",
                got=str(in_service),
                domain=DOMAIN,
            )
        with session_scope(self.engine) as session:
            row = self._row(session, actor, org, asset_id, write=True)
            opening = self._opening_accumulated(row, in_service, taken_over)
            self._opening_facts[str(row.id)] = opening
            try:
                self.process.fire(session, row, "register", actor, {"in_service": in_service})
            finally:
                self._opening_facts.pop(str(row.id), None)
            row.in_service = in_service
            if row.depreciable:
                session.add(
                    t.AssetHistoryRow(
                        asset_id=int(row.id or 0),
                        kind="registered",
                        on=in_service,
                        value=row.original_value,
                        life_months=int(row.useful_life_months or 0),
                        accumulated_fen=opening.fen,
                    )
                )
                session.flush()
                if row.depreciation_method == "units_of_work":
                    row.seg_start = month_index(in_service.year, in_service.month)
                    row.seg_months, row.seg_monthly_fen = 0, 0
                    row.seg_base_fen = row.original_value.fen
                else:
                    self._store_segment(session, row)
            session.add(row)
            return self._card(row)

    @staticmethod
    def _opening_accumulated(row: t.AssetRow, in_service: date, taken_over: date | None) -> Money:
        """The depreciation of the months from ``in_service``'s to before ``taken_over``'s (zero when
        the asset is new to the books, or not depreciated)."""
        if taken_over is None or not row.depreciable:
            return Money.zero()
        if row.depreciation_method == "units_of_work":
            raise InvalidInput(
                N_("{field}: {got} is not supported for a units-of-work asset by this implementation"),
                field="taken_over",
                got=taken_over.isoformat(),
                domain=DOMAIN,
            )
        history = [
            HistoryEvent("registered", in_service, row.original_value, int(row.useful_life_months or 0))
        ]
        cut = month_index(taken_over.year, taken_over.month)
        return Money.total(
            r.amount for r in schedule_from_history(history) if month_index(r.year, r.month) < cut
        )

    def _store_segment(self, session: Session, row: t.AssetRow) -> None:
        history = self._history(session, int(row.id or 0))
        segment = segments_from_history(history)[-1]
        row.seg_start, row.seg_months = segment.start, segment.months
        row.seg_base_fen, row.seg_monthly_fen = segment.base_fen, segment.monthly_fen

    # -- custody -----------------------------------------------------------------------------------

    def issue(self, actor: Actor, org: str, asset_id: str, to: PersonRef, using_unit: str = "") -> AssetCard:
        """Issue an asset in stock to a custodian (领用)."""
        return self._move(actor, org, asset_id, "issue", to=to, using_unit=using_unit)

    def transfer(  # noqa: PLR0917 - actor, org, then the step's inputs
        self, actor: Actor, org: str, asset_id: str, from_custodian: str, to: PersonRef, using_unit: str = ""
    ) -> AssetCard:
        """Move an asset from its current custodian to another (调拨); ``from_custodian`` must hold it."""
        return self._move(
            actor, org, asset_id, "transfer", from_custodian=from_custodian, to=to, using_unit=using_unit
        )

    def return_asset(self, actor: Actor, org: str, asset_id: str, from_custodian: str) -> AssetCard:
        """Take an asset back into stock from its custodian (交回); closes open return tasks for it."""
        return self._move(actor, org, asset_id, "return", from_custodian=from_custodian)

    def _move(
        self,
        actor: Actor,
        org: str,
        asset_id: str,
        transition: str,
        *,
        from_custodian: str | None = None,
        to: PersonRef | None = None,
        using_unit: str = "",
    ) -> AssetCard:
        if to is not None and not isinstance(to, PersonRef):
            raise InvalidInput(
                N_("{field}: must be a PersonRef, got {got}"),
                field="to_custodian",
                got=type(to).__name__,
                domain=DOMAIN,
            )
        check_text(using_unit, field="using_unit")
        inputs: dict[str, Any] = {}
        if from_custodian is not None:
            inputs["from_custodian"] = from_custodian
        if to is not None:
            inputs["to_custodian"] = to.person_id
        if using_unit:
            inputs["using_unit"] = using_unit
        with session_scope(self.engine) as session:
            row = self._row(session, actor, org, asset_id, write=True)
            self.process.fire(session, row, transition, actor, inputs)
            before_org = row.custodian_org
            _hold(row, to)
            if using_unit:
                row.using_unit = using_unit
            session.add(row)
            if from_custodian is not None:
                r = t.RETURN_TASK.c
                session.execute(
                    sa.update(t.RETURN_TASK)
                    .where(
                        r.asset_id == row.id,
                        r.person_id == from_custodian,
                        r.person_org == sa.func.coalesce(sa.literal(before_org), r.person_org),
                        r.status == "open",
                    )
                    .values(status="done")
                )
            return self._card(row)

    # -- value changes -----------------------------------------------------------------------------

    def _recompute(  # noqa: PLR0917 - actor, org, then the step's inputs
        self,
        actor: Actor,
        org: str,
        asset_id: str,
        transition: str,
        inputs: dict[str, Any],
        event: HistoryEvent,
        *,
        accumulated_fen: int = 0,
    ) -> AssetCard:
        with session_scope(self.engine) as session:
            row = self._row(session, actor, org, asset_id, write=True)
            if row.in_service is not None and event.on < row.in_service:
                raise InvalidInput(
                    N_("{field}: must not be before the asset was registered ({expected}), got {got}"),
                    field="on",
                    expected=row.in_service.isoformat(),
                    got=event.on.isoformat(),
                    domain=DOMAIN,
                )
            if row.depreciable and row.depreciation_method == "units_of_work":
                raise InvalidInput(
                    N_("{field}: {got} is not supported for a units-of-work asset by this implementation"),
                    field="depreciation_method",
                    got=transition,
                    domain=DOMAIN,
                )
            self.process.fire(session, row, transition, actor, inputs)
            if event.kind == "capitalised":
                row.book_value = row.book_value + event.value
            elif event.kind == "revalued":
                row.book_value = event.value
            elif event.kind == "partially_disposed":
                row.book_value = row.book_value - event.value
            if row.depreciable:
                session.add(
                    t.AssetHistoryRow(
                        asset_id=int(row.id or 0),
                        kind=event.kind,
                        on=event.on,
                        value=event.value,
                        life_months=event.life_months,
                        accumulated_fen=accumulated_fen,
                    )
                )
                session.flush()
                self._store_segment(session, row)
            session.add(row)
            return self._card(row)

    @staticmethod
    def _positive(value: Money, field: str) -> Money:
        money = Money.of(value, field=field)
        if money <= Money.zero():
            raise InvalidInput(
                N_("{field}: must be more than zero, got {got}"), field=field, got=str(money), domain=DOMAIN
            )
        return money

    def capitalise_repair(  # noqa: PLR0917 - actor, org, then the step's inputs
        self, actor: Actor, org: str, asset_id: str, amount: Money, on: date, extra_life_months: int = 0
    ) -> AssetCard:
        """Add a repair's cost to the asset (资本化) and extend its life; the schedule is recomputed."""
        money = self._positive(amount, "amount")
        if (
            isinstance(extra_life_months, bool)
            or not isinstance(extra_life_months, int)
            or extra_life_months < 0
        ):
            raise InvalidInput(
                N_("{field}: must be a whole number of at least 0, got {got}"),
                field="extra_life_months",
                got=str(extra_life_months),
                domain=DOMAIN,
            )
        inputs = {"amount": str(money), "on": on, "extra_life_months": extra_life_months}
        return self._recompute(
            actor,
            org,
            asset_id,
            "capitalise_repair",
            inputs,
            HistoryEvent("capitalised", on, money, extra_life_months),
        )

    def revalue(self, actor: Actor, org: str, asset_id: str, new_value: Money, on: date) -> AssetCard:
        """Set a new net book value from ``on``'s month; the rest of the life spreads it."""
        money = Money.of(new_value, field="new_value")
        if money < Money.zero():
            raise InvalidInput(
                N_("{field}: must not be negative, got {got}"),
                field="new_value",
                got=str(money),
                domain=DOMAIN,
            )
        return self._recompute(
            actor,
            org,
            asset_id,
            "revalue",
            {"new_value": str(money), "on": on},
            HistoryEvent("revalued", on, money),
        )

    # -- disposal ----------------------------------------------------------------------------------

    def _accumulated_before(self, session: Session, row: t.AssetRow, on: date) -> int:
        cut = month_index(on.year, on.month)
        rows = self._schedule_rows(session, row)
        return sum(r.amount.fen for r in rows if month_index(r.year, r.month) < cut)

    def dispose_part(  # noqa: PLR0917 - actor, org, then the step's inputs
        self, actor: Actor, org: str, asset_id: str, method: str, value: Money, on: date
    ) -> AssetCard:
        """Dispose of part of an asset (its ``value`` of the original cost); emits ``asset.disposed``."""
        money = self._positive(value, "value")
        self._check_method(method)
        with session_scope(self.engine) as session:
            row = self._row(session, actor, org, asset_id, write=True)
            if money >= row.book_value:
                raise InvalidInput(
                    N_("{field}: a partial disposal must be less than the book value {expected}, got {got}"),
                    field="value",
                    expected=str(row.book_value),
                    got=str(money),
                    domain=DOMAIN,
                )
            accumulated = self._accumulated_before(session, row, on)
            share = (accumulated * money.fen + row.book_value.fen // 2) // max(row.book_value.fen, 1)
            self._disposal_facts[str(row.id)] = (money, Money.from_fen(share), True)
        return self._recompute(
            actor,
            org,
            asset_id,
            "dispose_part",
            {"method": method, "value": str(money), "on": on},
            HistoryEvent("partially_disposed", on, money),
            accumulated_fen=share,
        )

    @staticmethod
    def _check_method(method: str) -> None:
        from govparts.core import codes

        codes.get("GOVPARTS 资产-处置方式-1.0").validate(method, field="method")

    def request_disposal(self, actor: Actor, org: str, asset_id: str, method: str, on: date) -> AssetCard:
        """Ask to dispose of an asset by ``method`` on ``on``."""
        self._check_method(method)
        with session_scope(self.engine) as session:
            row = self._row(session, actor, org, asset_id, write=True)
            self.process.fire(session, row, "request_disposal", actor, {"method": method, "on": on})
            row.disposal_method, row.disposal_on = method, on
            session.add(row)
            return self._card(row)

    def approve_disposal(self, actor: Actor, org: str, asset_id: str) -> AssetCard:
        """Approve a requested disposal (by the tier of its original value); emits ``asset.disposed``.

        The asset is not depreciated from the disposal month on (当月减少的固定资产，当月不再计提折旧).
        """
        with session_scope(self.engine) as session:
            row = self._row(session, actor, org, asset_id, write=True)
            on = row.disposal_on or date.today()
            accumulated = self._accumulated_before(session, row, on)
            self._disposal_facts[str(row.id)] = (row.book_value, Money.from_fen(accumulated), False)
            self.process.fire(session, row, "approve_disposal", actor)
            row.end_index = month_index(on.year, on.month)
            _hold(row, None)
            if row.depreciable:
                session.add(
                    t.AssetHistoryRow(asset_id=int(row.id or 0), kind="disposed", on=on, value=Money.zero())
                )
            session.add(row)
            return self._card(row)

    def reject_disposal(self, actor: Actor, org: str, asset_id: str) -> AssetCard:
        """Refuse a requested disposal: the asset goes back into stock (its custodian, if any, is cleared)."""
        with session_scope(self.engine) as session:
            row = self._row(session, actor, org, asset_id, write=True)
            self.process.fire(session, row, "reject_disposal", actor)
            row.disposal_method, row.disposal_on = None, None
            _hold(row, None)
            session.add(row)
            return self._card(row)

    # -- the monthly run ---------------------------------------------------------------------------

    @staticmethod
    def _period(year: int, month: int) -> int:
        if not (isinstance(month, int) and not isinstance(month, bool) and 1 <= month <= 12):
            raise InvalidInput(
                N_("{field}: must be a month from 1 to 12, got {got}"),
                field="month",
                got=str(month),
                domain=DOMAIN,
            )
        if not (isinstance(year, int) and not isinstance(year, bool) and 1900 <= year <= 9999):
            raise InvalidInput(
                N_("{field}: must be a year from 1900 to 9999, got {got}"),
                field="year",
                got=str(year),
                domain=DOMAIN,
            )
        return month_index(year, month)

    def record_usage(  # noqa: PLR0917 - actor, org, then the step's inputs
        self, actor: Actor, org: str, asset_id: str, year: int, month: int, units: int
    ) -> UsageEntry:
        """Record the units of work a units-of-work asset did in ``year``-``month`` (工作量法).

        《政府会计准则第3号——固定资产》 (财会〔2016〕12号) allows 工作量法 besides 年限平均法
        (the clause text could not be read in the standard and is unverified); the month's run then
        charges ``cost * units / total_units`` (:func:`units_of_work_amount_sql`). One entry per asset
        and month, recorded before that month's run, from the month the asset was added and before
        the month it left; anything else raises ``InvalidInput`` naming the field and writes nothing.
        """
        self._gate_only(actor, org, write=True)
        period = self._period(year, month)
        if isinstance(units, bool) or not isinstance(units, int) or units < 0:
            raise InvalidInput(
                N_("{field}: must be a whole number of at least 0, got {got}"),
                field="units",
                got=str(units),
                domain=DOMAIN,
            )
        label = f"{year}-{month:02d}"
        with session_scope(self.engine) as session:
            row = self._row(session, actor, org, asset_id, write=True)
            self._require_role(actor, "keeper", "record_usage")
            if row.depreciation_method != "units_of_work":
                raise InvalidInput(
                    N_("{field}: usage is recorded only for units-of-work assets, got {got}"),
                    field="depreciation_method",
                    got=row.depreciation_method,
                    domain=DOMAIN,
                )
            if row.in_service is None or period < month_index(row.in_service.year, row.in_service.month):
                raise InvalidInput(
                    N_("{field}: the asset was not in the books in {got}"),
                    field="month",
                    got=label,
                    domain=DOMAIN,
                )
            if row.end_index is not None and period >= row.end_index:
                raise InvalidInput(
                    N_("{field}: the asset left the books before {got}"),
                    field="month",
                    got=label,
                    domain=DOMAIN,
                )
            u, r = t.USAGE.c, t.RUN.c
            if session.scalar(
                sa.select(sa.func.count())
                .select_from(t.RUN)
                .where(r.organization_credit_code == row.organization_credit_code, r.period == period)
            ):
                raise InvalidInput(
                    N_("{field}: the depreciation of {got} has already been run"),
                    field="month",
                    got=label,
                    domain=DOMAIN,
                )
            if session.scalar(
                sa.select(sa.func.count())
                .select_from(t.USAGE)
                .where(u.asset_id == row.id, u.period == period)
            ):
                raise InvalidInput(
                    N_("{field}: usage of {got} is already recorded"), field="month", got=label, domain=DOMAIN
                )
            session.execute(sa.insert(t.USAGE).values(asset_id=row.id, period=period, units=units))
            audit.append(
                session,
                action="usage-recorded",
                entity="asset",
                entity_id=str(row.id),
                actor=actor,
                after={"period": label, "units": units},
            )
            return UsageEntry(asset_id=str(row.id), year=year, month=month, units=units)

    def run_depreciation(self, actor: Actor, org: str, year: int, month: int) -> DepreciationRun:
        """Charge one month's depreciation of an organisation's assets, once (idempotent per month).

        One ``INSERT … SELECT`` writes every asset's entry; a repeated run for the same month charges
        nothing and returns what the first run did (``created=False``). Emits ``asset.depreciated``
        with the totals per pair of accounts (Dr expense, Cr 1602/1702).
        """
        run = t.RUN
        organization_credit_code = org
        self._gate_only(actor, org, write=True)
        period = self._period(year, month)
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=True)
            self._require_role(actor, "accountant", "run_depreciation")
            done = session.execute(
                sa.select(run.c.id).where(
                    run.c.organization_credit_code == organization_credit_code, run.c.period == period
                )
            ).first()
            if done is not None:
                return self._run_result(session, organization_credit_code, period, created=False)
            session.execute(
                sa.insert(run).values(
                    organization_credit_code=organization_credit_code,
                    period=period,
                    asset_count=0,
                    total_fen=0,
                )
            )
            charge_month(session, organization_credit_code, period)
            result = self._run_result(session, organization_credit_code, period, created=True)
            session.execute(
                sa.update(run)
                .where(run.c.organization_credit_code == organization_credit_code, run.c.period == period)
                .values(asset_count=result.asset_count, total_fen=result.total.fen)
            )
            events.publish(
                session,
                ASSET_DEPRECIATED,
                result.model_dump(exclude={"created", "without_usage"}),
                subject=f"organization/{organization_credit_code}/depreciation",
            )
            audit.append(
                session,
                action="depreciation-run",
                entity="depreciation_run",
                entity_id=f"{organization_credit_code}/{year}-{month:02d}",
                actor=actor,
                after={"asset_count": result.asset_count, "total": str(result.total)},
            )
            return result

    @staticmethod
    def _run_result(session: Session, organization: str, period: int, *, created: bool) -> DepreciationRun:
        d = t.ENTRY
        found = session.execute(
            sa.select(d.c.debit_account, d.c.credit_account, sa.func.count(), sa.func.sum(d.c.amount_fen))
            .where(d.c.organization_credit_code == organization, d.c.period == period)
            .group_by(d.c.debit_account, d.c.credit_account)
            .order_by(d.c.debit_account, d.c.credit_account)
        ).all()
        totals = [
            AccountTotal(debit_account=dr, credit_account=cr, amount=Money.from_fen(int(f)))
            for dr, cr, _, f in found
        ]
        year, month = period_of(period)
        a, u, e = t.ASSET.c, t.USAGE.c, t.ENTRY.c
        charged_before = (
            sa.select(sa.func.coalesce(sa.func.sum(e.amount_fen), 0))
            .where(e.asset_id == a.id, e.period < period)
            .scalar_subquery()
        )
        missing = session.execute(
            sa.select(a.id)
            .where(
                a.organization_credit_code == organization,
                a.depreciable.is_(True),
                a.depreciation_method == "units_of_work",
                a.in_service.is_not(None),
                a.seg_start <= period,
                sa.or_(a.end_index.is_(None), a.end_index > period),
                charged_before < a.seg_base_fen,
                ~sa.exists().where(u.asset_id == a.id, u.period == period),
            )
            .order_by(a.id)
        ).all()
        return DepreciationRun(
            organization_credit_code=organization,
            year=year,
            month=month,
            asset_count=sum(int(n) for _, _, n, _ in found),
            total=Money.from_fen(sum(int(f) for *_, f in found)),
            totals=totals,
            created=created,
            without_usage=[str(i) for (i,) in missing],
        )

    # -- people who leave --------------------------------------------------------------------------

    def receive_event(self, actor: Actor, event: events.CloudEvent) -> list[ReturnTask]:
        """Consume ``employee.separated``: a return task for every asset the person who left holds.

        Once per event id; another event type raises nothing. The organisation is the event's; an
        actor bound to another organisation is refused (nothing raised).
        """
        from .events import EMPLOYEE_SEPARATED

        if not isinstance(event, events.CloudEvent):
            raise InvalidInput(
                N_("{field}: must be a CloudEvent, got {got}"),
                field="event",
                got=type(event).__name__,
                domain=DOMAIN,
            )
        if event.type != EMPLOYEE_SEPARATED:
            return []
        data = event.data if isinstance(event.data, Mapping) else {}
        org = _separated_org(data)
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=True, field="event")
            return raise_return_tasks(session, event.id, data, actor=actor)

    def register_handlers(self, dispatcher: events.Dispatcher) -> None:
        """Subscribe this service to ``employee.separated`` on ``dispatcher``."""
        from .events import EMPLOYEE_SEPARATED, RETURN_ON_SEPARATION

        @dispatcher.register(RETURN_ON_SEPARATION, EMPLOYEE_SEPARATED)
        def _return(session: Session, event: events.CloudEvent) -> None:
            raise_return_tasks(session, event.id, event.data, actor=SYSTEM)

    def return_tasks(self, actor: Actor, org: str, person_id: str | None = None) -> list[ReturnTask]:
        """Return tasks of ``org``'s assets, by id; with ``person_id``, of that person of ``org`` only."""
        r, a = t.RETURN_TASK.c, t.ASSET.c
        query = (
            sa.select(r.asset_id, a.asset_code, r.person_id, r.reason, r.status)
            .join_from(t.RETURN_TASK, t.ASSET, a.id == r.asset_id)
            .where(a.organization_credit_code == org)
            .order_by(r.id)
        )
        if person_id is not None:
            query = query.where(r.person_org == org, r.person_id == person_id)
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=False)
            found = session.execute(query).all()
        return [
            ReturnTask(asset_id=str(i), asset_code=c, person_id=p, reason=reason, status=s)
            for i, c, p, reason, s in found
        ]

    def held_by_departed(self, actor: Actor, org: str) -> list[AssetCard]:
        """Assets of ``org`` still held by people who have left (their return task is open)."""
        r, a = t.RETURN_TASK.c, t.ASSET.c
        open_tasks = sa.select(r.asset_id).where(
            r.status == "open", r.person_id == a.custodian_id, r.person_org == a.custodian_org
        )
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=False)
            rows = session.scalars(
                sa.select(t.AssetRow)
                .where(a.organization_credit_code == org, a.id.in_(open_tasks.scalar_subquery()))
                .order_by(a.id)
            ).all()
            return [self._card(x) for x in rows]

    # -- reports -----------------------------------------------------------------------------------

    def register_report(self, actor: Actor, org: str, by: GroupBy) -> list[RegisterLine]:
        """``org``'s asset register (assets in the books, not disposed) by category, unit or custodian."""
        columns = {"category": "category", "using_unit": "using_unit", "custodian": "custodian_id"}
        if by not in columns:
            raise InvalidInput(
                N_("{field}: {got} is not a grouping (allowed: {allowed})"),
                field="by",
                got=str(by),
                allowed=sorted(columns),
                domain=DOMAIN,
            )
        a = t.ASSET
        key = a.c[columns[by]]
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=False)
            found = session.execute(
                sa.select(key, sa.func.count(), sa.func.sum(a.c.book_value))
                .where(
                    a.c.organization_credit_code == org,
                    a.c.state.in_(("in_stock", "in_use", "disposal_requested")),
                )
                .group_by(key)
                .order_by(key)
            ).all()
        return [
            RegisterLine(
                key=str(k or ""), count=int(n), original_value=v if isinstance(v, Money) else Money.zero()
            )
            for k, n, v in found
        ]

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[events.CloudEvent]:
        """The events about ``org`` in the outbox (of ``type`` if given), in publication order.

        Every event this part emits names its organisation (``organization_credit_code``).
        """
        o = metadata.tables[events.OutboxEvent.__tablename__]
        query = sa.select(o).where(o.c.type.in_(_OWN_EVENTS)).order_by(o.c.position)
        if type is not None:
            query = query.where(o.c.type == type)
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=False)
            found = session.execute(query).mappings().all()
        return [_envelope(row) for row in found if (row["data"] or {}).get("organization_credit_code") == org]

    _ENTITIES = ("asset", "stocktake", "depreciation_run", "organization")

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[audit.TrailEntry]:
        """The audit records of one thing of ``org``, oldest first (entities: :class:`AssetService`)."""
        if entity not in self._ENTITIES:
            raise InvalidInput(
                N_("{field}: {got} is not an entity of this part (allowed: {allowed})"),
                field="entity",
                got=str(entity),
                allowed=list(self._ENTITIES),
                domain=DOMAIN,
            )
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=False, entity=entity, entity_id=str(entity_id))
            if entity in ("asset", "stocktake"):
                table = t.ASSET if entity == "asset" else t.STOCKTAKE
                owned = session.execute(
                    sa.select(table.c.id).where(
                        table.c.organization_credit_code == org, table.c.id == _int(entity_id)
                    )
                ).first()
                if owned is None:
                    return []
            elif (entity == "depreciation_run" and not str(entity_id).startswith(f"{org}/")) or (
                entity == "organization" and str(entity_id) != org
            ):
                return []
            return audit.trail(session, entity, str(entity_id))

    # -- stock-take (资产清查/盘点) ----------------------------------------------------------------------

    _BOOK_STATES = ("in_stock", "in_use", "disposal_requested")

    def _stocktake_row(
        self, session: Session, actor: Actor, org: str, stocktake_id: str, *, write: bool
    ) -> t.StockTakeRow:
        """Stock-take ``stocktake_id`` of ``org`` once ``actor`` passed ``org``'s gate."""
        self._gate(session, actor, org, write=write, entity="stocktake", entity_id=str(stocktake_id))
        try:
            key = int(stocktake_id)
        except (TypeError, ValueError):
            key = -1
        row = session.scalars(
            sa.select(t.StockTakeRow).where(
                t.STOCKTAKE.c.id == key, t.STOCKTAKE.c.organization_credit_code == org
            )
        ).first()
        if row is None:
            raise NotFound(field="stocktake_id", kind="stock-take", got=str(stocktake_id), domain=DOMAIN)
        return row

    @staticmethod
    def _stocktake(session: Session, row: t.StockTakeRow) -> StockTake:
        c = t.STOCKTAKE_COUNT.c
        counted = session.scalar(
            sa.select(sa.func.count()).select_from(t.STOCKTAKE_COUNT).where(c.stocktake_id == row.id)
        )
        return StockTake(
            id=str(row.id),
            organization_credit_code=row.organization_credit_code,
            name=row.name,
            location=row.location,
            state=row.state,
            counted=int(counted or 0),
        )

    def plan_stocktake(self, actor: Actor, org: str, name: str, location: str | None = None) -> StockTake:
        """Plan a stock-take of ``org``'s assets (of one location when ``location`` is given)."""
        self._gate_only(actor, org, write=True)
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput(N_("{field}: must not be empty"), field="name", domain=DOMAIN)
        check_text(name, field="name")
        if location is not None:
            check_text(location, field="location")
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=True)
            self._require_role(actor, "keeper", "plan_stocktake")
            row = t.StockTakeRow(
                organization_credit_code=org,
                name=name,
                location=location or None,
                planned_on=date.today(),
            )
            self.stocktakes.create(session, row, actor)
            return self._stocktake(session, row)

    def record_count(
        self, actor: Actor, org: str, stocktake_id: str, asset_codes: Sequence[str], location: str
    ) -> StockTake:
        """Record asset codes scanned at ``location``; the first count starts the stock-take.

        A code scanned again keeps its first location.
        """
        codes = [str(code).strip() for code in asset_codes]
        if any(not code for code in codes):
            raise InvalidInput(N_("{field}: a scanned code is empty"), field="asset_codes", domain=DOMAIN)
        with session_scope(self.engine) as session:
            row = self._stocktake_row(session, actor, org, stocktake_id, write=True)
            if row.state == "planned":
                self.stocktakes.fire(session, row, "start", actor)
            elif row.state != "counting":
                raise TransitionNotAllowed(
                    field="state",
                    transition="record_count",
                    state=row.state,
                    allowed=["start"],
                    domain=DOMAIN,
                )
            elif not actor.has_role("keeper"):
                raise PermissionDenied(
                    field="record_count", actor=actor.id, transition="record_count", roles=["keeper"]
                )
            c = t.STOCKTAKE_COUNT.c
            known = set(session.scalars(sa.select(c.asset_code).where(c.stocktake_id == row.id)).all())
            fresh = list(dict.fromkeys(code for code in codes if code not in known))
            if fresh:
                session.execute(
                    sa.insert(t.STOCKTAKE_COUNT),
                    [{"stocktake_id": row.id, "asset_code": code, "location": location} for code in fresh],
                )
            audit.append(
                session,
                action="count-recorded",
                entity="stocktake",
                entity_id=str(row.id),
                actor=actor,
                after={"location": location, "scanned": len(codes), "new": len(fresh)},
            )
            return self._stocktake(session, row)

    def reconcile(
        self,
        actor: Actor,
        org: str,
        stocktake_id: str,
        books: Sequence[BookBalance | Mapping[str, Any]] | None = None,
    ) -> list[Finding]:
        """Compare the cards with the goods counted (账实核对), and with ``books`` (账卡核对); record
        every discrepancy.

        Losses: cards in the books (of the location, if the stock-take has one) whose code was not
        counted. Surpluses: codes counted that no card in the books has. Location: cards counted at
        another location than the card says.

        ``books`` are the ledger's balances (a trial balance, from finance or any vendor's ledger, all
        of one day). Given, the organisation's cards as they stand (whatever the stock-take's
        location: the ledger is the organisation's) are totalled per account — original value per
        asset account (1601, 1701), the opening accumulated depreciation of assets brought over
        (:meth:`register_brought_over`) and the depreciation charged by the monthly runs, less what
        partial disposals took, per accumulated account (1602, 1702) — and each account where cards
        and books differ is a ``book_difference`` finding with both figures (:func:`~.rules.compare_books`).
        Approving it records the decision; adjusting the books is finance's job. ``None`` compares
        with the goods only.
        """
        ledger = self._book_balances(books)
        a, c = t.ASSET.c, t.STOCKTAKE_COUNT.c
        with session_scope(self.engine) as session:
            row = self._stocktake_row(session, actor, org, stocktake_id, write=True)
            self.stocktakes.fire(session, row, "reconcile", actor)
            if ledger is not None:
                self._record_book_differences(session, row, ledger)
            in_books = sa.and_(
                a.organization_credit_code == row.organization_credit_code, a.state.in_(self._BOOK_STATES)
            )
            scope = in_books if row.location is None else sa.and_(in_books, a.location == row.location)
            counted = sa.select(c.asset_code).where(c.stocktake_id == row.id)
            columns = [
                "stocktake_id",
                "kind",
                "asset_code",
                "asset_id",
                "book_location",
                "counted_location",
                "book_value",
                "status",
            ]
            session.execute(
                sa.insert(t.FINDING).from_select(
                    columns,
                    sa.select(
                        sa.literal(row.id),
                        sa.literal("loss"),
                        a.asset_code,
                        a.id,
                        a.location,
                        sa.literal(""),
                        a.book_value,
                        sa.literal("open"),
                    ).where(scope, a.asset_code.not_in(counted)),
                )
            )
            on_books = sa.select(a.asset_code).where(in_books)
            session.execute(
                sa.insert(t.FINDING).from_select(
                    columns,
                    sa.select(
                        sa.literal(row.id),
                        sa.literal("surplus"),
                        c.asset_code,
                        sa.null(),
                        sa.literal(""),
                        c.location,
                        sa.literal(0),
                        sa.literal("open"),
                    ).where(c.stocktake_id == row.id, c.asset_code.not_in(on_books)),
                )
            )
            session.execute(
                sa.insert(t.FINDING).from_select(
                    columns,
                    sa.select(
                        sa.literal(row.id),
                        sa.literal("location"),
                        a.asset_code,
                        a.id,
                        a.location,
                        c.location,
                        a.book_value,
                        sa.literal("open"),
                    )
                    .join_from(t.ASSET, t.STOCKTAKE_COUNT, c.asset_code == a.asset_code)
                    .where(in_books, c.stocktake_id == row.id, c.location != a.location),
                )
            )
            return self._findings(session, int(row.id or 0))

    @staticmethod
    def _book_balances(books: Sequence[BookBalance | Mapping[str, Any]] | None) -> list[BookBalance] | None:
        if books is None:
            return None
        if isinstance(books, (str, bytes, Mapping)):
            raise InvalidInput(
                N_("{field}: must be a list of book balances, got {got}"),
                field="books",
                got=type(books).__name__,
                domain=DOMAIN,
            )
        try:
            ledger = _Books.model_validate({"books": list(books)}).books
        except ValidationError as exc:
            raise from_validation_error(exc, model="BookBalance") from None
        days = sorted({b.as_of for b in ledger})
        if len(days) > 1:
            raise InvalidInput(
                N_("{field}: the balances must be of one day, got {got}"),
                field="books",
                got=", ".join(d.isoformat() for d in days),
                domain=DOMAIN,
            )
        return ledger

    def _card_totals(self, session: Session, organization: str) -> dict[str, Money]:
        """The cards' totals per ledger account, signed debit positive (accumulated depreciation negative)."""
        a, e, h = t.ASSET.c, t.ENTRY.c, t.HISTORY.c
        on_books = sa.and_(a.organization_credit_code == organization, a.state.in_(self._BOOK_STATES))
        fen: dict[str, int] = {}
        values = session.execute(
            sa.select(a.category, sa.func.sum(a.book_value)).where(on_books).group_by(a.category)
        ).all()
        for category, total in values:
            account = category_rule(category).asset_account
            fen[account] = fen.get(account, 0) + _fen(total)
        charged = session.execute(
            sa.select(e.credit_account, sa.func.sum(e.amount_fen))
            .join_from(t.ENTRY, t.ASSET, a.id == e.asset_id)
            .where(on_books)
            .group_by(e.credit_account)
        ).all()
        taken = session.execute(
            sa.select(a.accumulated_account, h.kind, sa.func.sum(h.accumulated_fen))
            .join_from(t.HISTORY, t.ASSET, a.id == h.asset_id)
            .where(on_books, h.accumulated_fen != 0)
            .group_by(a.accumulated_account, h.kind)
        ).all()
        for account, total in charged:  # credited by the monthly runs
            fen[account] = fen.get(account, 0) - _fen(total)
        for account, kind, total in taken:
            # credited with an asset brought over (its opening accumulated depreciation), or debited
            # again by partial disposals (their share)
            fen[account] = fen.get(account, 0) + (-1 if kind == "registered" else 1) * _fen(total)
        return {account: Money.from_fen(n) for account, n in fen.items()}

    def _record_book_differences(
        self, session: Session, row: t.StockTakeRow, ledger: list[BookBalance]
    ) -> None:
        differences = compare_books(
            self._card_totals(session, row.organization_credit_code),
            [(b.account, b.balance) for b in ledger],
        )
        as_of = ledger[0].as_of if ledger else None
        if differences:
            session.execute(
                sa.insert(t.FINDING),
                [
                    {
                        "stocktake_id": row.id,
                        "kind": "book_difference",
                        "asset_code": "",
                        "asset_id": None,
                        "book_location": "",
                        "counted_location": "",
                        "book_value": d.difference,
                        "status": "open",
                        "account": d.account,
                        "card_total": d.card_total,
                        "ledger_balance": d.ledger_balance,
                        "as_of": as_of,
                    }
                    for d in differences
                ],
            )

    def approve_findings(self, actor: Actor, org: str, stocktake_id: str, on: date) -> list[Finding]:
        """Approve a reconciled stock-take's findings and adjust the cards, in one transaction.

        Each loss (盘亏) writes its asset off (disposal method 报损, approved by the tier of its
        value, ``asset.disposed`` emitted, no depreciation from ``on``'s month); each location
        finding moves the card to where the asset was counted. Surpluses (盘盈) are approved for
        registration: they are registered as new cards with ``acquisition_method="inventory_surplus"``.
        A ``book_difference`` is approved as the decision on record; the cards stay as they are and
        the books are finance's to adjust.
        """
        with session_scope(self.engine) as session:
            row = self._stocktake_row(session, actor, org, stocktake_id, write=True)
            self.stocktakes.fire(session, row, "approve_findings", actor)
            f = t.FINDING.c
            found = session.execute(
                sa.select(f.kind, f.asset_id, f.counted_location)
                .where(f.stocktake_id == row.id)
                .order_by(f.id)
            ).all()
            for kind, asset_id, counted_location in found:
                if kind == "surplus" or asset_id is None:
                    continue
                asset = self._load(session, str(asset_id))
                if kind == "location":
                    audit.append(
                        session,
                        action="location-corrected",
                        entity="asset",
                        entity_id=str(asset.id),
                        actor=actor,
                        before={"location": asset.location},
                        after={"location": counted_location, "stocktake": str(row.id)},
                    )
                    asset.location = counted_location
                    session.add(asset)
                    continue
                accumulated = self._accumulated_before(session, asset, on)
                self._disposal_facts[str(asset.id)] = (asset.book_value, Money.from_fen(accumulated), False)
                self.process.fire(
                    session, asset, "write_off", actor, {"method": "loss", "on": on, "stocktake": str(row.id)}
                )
                asset.end_index = month_index(on.year, on.month)
                asset.disposal_method, asset.disposal_on = "loss", on
                _hold(asset, None)
                if asset.depreciable:
                    session.add(
                        t.AssetHistoryRow(
                            asset_id=int(asset.id or 0), kind="disposed", on=on, value=Money.zero()
                        )
                    )
                session.add(asset)
            session.execute(sa.update(t.FINDING).where(f.stocktake_id == row.id).values(status="approved"))
            return self._findings(session, int(row.id or 0))

    @staticmethod
    def _findings(session: Session, stocktake_id: int) -> list[Finding]:
        f = t.FINDING.c
        found = session.execute(
            sa.select(
                f.kind,
                f.asset_code,
                f.asset_id,
                f.book_location,
                f.counted_location,
                f.book_value,
                f.status,
                f.account,
                f.card_total,
                f.ledger_balance,
                f.as_of,
            )
            .where(f.stocktake_id == stocktake_id)
            .order_by(f.kind, f.account, f.asset_code)
        ).all()
        return [
            Finding(
                kind=kind,
                asset_code=code,
                asset_id=None if asset_id is None else str(asset_id),
                book_location=book or "",
                counted_location=counted or "",
                book_value=value if isinstance(value, Money) else Money.zero(),
                status=status,
                account=account,
                card_total=cards,
                ledger_balance=ledger,
                as_of=as_of,
                adjusted_by="finance" if kind == "book_difference" else "assets",
            )
            for kind, code, asset_id, book, counted, value, status, account, cards, ledger, as_of in found
        ]

    def findings(self, actor: Actor, org: str, stocktake_id: str) -> list[Finding]:
        """The discrepancies a stock-take found (the stock-take discrepancy report)."""
        with session_scope(self.engine) as session:
            row = self._stocktake_row(session, actor, org, stocktake_id, write=False)
            return self._findings(session, int(row.id or 0))

    def depreciation_totals(self, actor: Actor, org: str, year: int) -> list[MonthTotal]:
        """``org``'s depreciation charged per month of ``year`` (months with no run are left out)."""
        d = t.ENTRY.c
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=False)
            found = session.execute(
                sa.select(d.period, sa.func.sum(d.amount_fen))
                .where(
                    d.organization_credit_code == org,
                    d.period >= month_index(year, 1),
                    d.period <= month_index(year, 12),
                )
                .group_by(d.period)
                .order_by(d.period)
            ).all()
        return [MonthTotal(year=year, month=period_of(p)[1], total=Money.from_fen(int(f))) for p, f in found]

    def disposal_register(self, actor: Actor, org: str) -> list[AssetCard]:
        """Assets of ``org`` that were disposed of (处置登记簿), by id."""
        a = t.ASSET.c
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=False)
            rows = session.scalars(
                sa.select(t.AssetRow)
                .where(a.organization_credit_code == org, a.state == "disposed")
                .order_by(a.id)
            ).all()
            return [self._card(r) for r in rows]


def charge_month(session: Session | sa.Connection, organization: str, period: int) -> int:
    """Write month ``period``'s depreciation entries of ``organization`` in one ``INSERT … SELECT``.

    Assets not depreciable, not yet added, fully depreciated or disposed before or in ``period``
    (当月减少的固定资产，当月不再计提折旧) get no entry. Returns the number of entries written.
    """
    a = t.ASSET
    d = t.ENTRY
    amount = depreciation_amount_sql(period)
    source = sa.select(
        a.c.id,
        a.c.organization_credit_code,
        sa.literal(period),
        amount,
        a.c.expense_account,
        a.c.accumulated_account,
    ).where(
        a.c.organization_credit_code == organization,
        a.c.depreciable.is_(True),
        a.c.seg_months > 0,
        a.c.seg_start <= period,
        a.c.seg_start + a.c.seg_months > period,
        sa.or_(a.c.end_index.is_(None), a.c.end_index > period),
        amount > 0,
    )
    result = session.execute(
        sa.insert(d).from_select(
            [
                "asset_id",
                "organization_credit_code",
                "period",
                "amount_fen",
                "debit_account",
                "credit_account",
            ],
            source,
        )
    )
    written = int(result.rowcount or 0)  # type: ignore[attr-defined]
    return written + charge_units_of_work(session, organization, period)


def charge_units_of_work(session: Session | sa.Connection, organization: str, period: int) -> int:
    """Write month ``period``'s entries of units-of-work assets (工作量法) in one ``INSERT … SELECT``.

    Only assets with usage recorded for ``period`` are charged, by :func:`units_of_work_amount_sql`;
    an asset with no usage that month is charged nothing (the run lists it in ``without_usage``).
    """
    a, u = t.ASSET, t.USAGE
    used = (
        sa.select(
            u.c.asset_id.label("asset_id"),
            # PostgreSQL's sum(bigint) is numeric: cast back so that // stays integer division.
            sa.cast(sa.func.sum(u.c.units), sa.BigInteger).label("through"),
            sa.cast(sa.func.sum(sa.case((u.c.period == period, u.c.units), else_=0)), sa.BigInteger).label(
                "now"
            ),
        )
        .where(u.c.period <= period)
        .group_by(u.c.asset_id)
        .subquery()
    )
    amount = units_of_work_amount_sql(used.c.through, used.c.now)
    source = (
        sa.select(
            a.c.id,
            a.c.organization_credit_code,
            sa.literal(period),
            amount,
            a.c.expense_account,
            a.c.accumulated_account,
        )
        .join_from(a, used, used.c.asset_id == a.c.id)
        .where(
            a.c.organization_credit_code == organization,
            a.c.depreciable.is_(True),
            a.c.depreciation_method == "units_of_work",
            a.c.total_units.is_not(None),
            a.c.seg_start <= period,
            sa.or_(a.c.end_index.is_(None), a.c.end_index > period),
            used.c.now > 0,
            amount > 0,
        )
    )
    result = session.execute(
        sa.insert(t.ENTRY).from_select(
            [
                "asset_id",
                "organization_credit_code",
                "period",
                "amount_fen",
                "debit_account",
                "credit_account",
            ],
            source,
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def raise_return_tasks(
    session: Session, event_id: str, data: Mapping[str, Any], *, actor: Actor = SYSTEM
) -> list[ReturnTask]:
    """The handler of ``employee.separated``: one open return task per asset the person holds.

    The person is the organisation and employee number the event names (or, with no organisation,
    the citizen id it carries): a leaver of one office never touches another office's cards, even
    where both number a custodian alike. An event naming neither raises no task.
    """
    try:
        separated = EmployeeSeparatedAsAssetsReadsIt.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, model="EmployeeSeparated") from None
    person = separated.person.person_id
    org = separated.organization_credit_code
    citizen_id = separated.person.citizen_id
    r, a = t.RETURN_TASK.c, t.ASSET.c
    if org:
        holds = sa.and_(a.custodian_org == org, a.custodian_id == person)
    elif citizen_id:
        holds = a.custodian_citizen_id == citizen_id
        if actor.org is not None:  # an organisation's own handler sees its own cards only
            holds = sa.and_(holds, a.organization_credit_code == actor.org)
    else:
        holds = sa.false()  # a number alone names no one: it may be anyone's in any office
    seen = session.scalar(sa.select(sa.func.count()).select_from(t.RETURN_TASK).where(r.event_id == event_id))
    if not seen:
        session.execute(
            sa.insert(t.RETURN_TASK).from_select(
                ["asset_id", "person_id", "person_org", "reason", "status", "event_id"],
                sa.select(
                    a.id,
                    a.custodian_id,
                    sa.func.coalesce(a.custodian_org, ""),
                    sa.literal(separated.reason or ""),
                    sa.literal("open"),
                    sa.literal(event_id),
                )
                .where(holds, a.state == "in_use")
                .order_by(a.id),
            )
        )
        raised = session.execute(
            sa.select(r.asset_id, r.person_id).where(r.event_id == event_id).order_by(r.id)
        ).all()
        if raised:
            audit.append_many(
                session,
                [
                    audit.AuditEntry(
                        action="return-task-raised",
                        entity="asset",
                        entity_id=str(asset_id),
                        actor=actor,
                        after={"person_id": person_id, "event_id": event_id, "status": "open"},
                    )
                    for asset_id, person_id in raised
                ],
            )
    found = session.execute(
        sa.select(r.asset_id, a.asset_code, r.person_id, r.reason, r.status)
        .join_from(t.RETURN_TASK, t.ASSET, a.id == r.asset_id)
        .where(r.event_id == event_id)
        .order_by(r.id)
    ).all()
    return [
        ReturnTask(asset_id=str(i), asset_code=c, person_id=p, reason=reason, status=s)
        for i, c, p, reason, s in found
    ]


@contextmanager
def service_on_temp_db(
    cls: type[ReferenceService] = ReferenceService, **kwargs: Any
) -> Iterator[ReferenceService]:
    """A fresh ``cls`` service on a new SQLite database in a temporary folder (removed afterwards)."""
    folder = Path(tempfile.mkdtemp(prefix="govparts-assets-"))
    engine = create_engine(f"sqlite:///{folder / 'assets.db'}")
    try:
        metadata.create_all(engine)
        yield cls(engine, **kwargs)
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def reference_factory() -> AbstractContextManager[ReferenceService]:
    """The reference factory: a fresh reference service on a new SQLite database."""
    return service_on_temp_db(ReferenceService)
