"""Mutants of the reference service, each breaking one rule of the catalogue (the self-test kills them)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel

from govparts.conformance import Mutant
from govparts.core.audit import TrailEntry
from govparts.core.db import session_scope
from govparts.core.errors import InvalidInput
from govparts.core.events import CloudEvent
from govparts.core.money import Money
from govparts.core.process import TransitionContext
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

from .. import tables as t
from ..models import AssetCard, AssetCardIn, BookBalance, DepreciationRun, Finding, ReturnTask
from ..rules import DepreciationRow, DisposalTier, DisposalTiers, category_rule
from ..service import ReferenceService, _envelope, service_on_temp_db

__all__ = ["MUTANTS"]


class StartsNextMonth(ReferenceService):
    """Applies the income-tax rule: depreciation from the month after the asset is added."""

    def register(self, actor: Actor, org: str, asset_id: str, in_service: date) -> AssetCard:
        following = date(in_service.year + in_service.month // 12, in_service.month % 12 + 1, 1)
        return super().register(actor, org, asset_id, following)


class KeepsResidualValue(ReferenceService):
    """Keeps a 5 % residual value: depreciates only 95 % of the cost."""

    def register(self, actor: Actor, org: str, asset_id: str, in_service: date) -> AssetCard:
        card = super().register(actor, org, asset_id, in_service)
        with session_scope(self.engine) as session:
            h = t.HISTORY.c
            session.execute(
                sa.update(t.HISTORY).where(h.asset_id == int(asset_id)).values(value=h.value * 95 / 100)
            )
            row = self._load(session, asset_id)
            if row.depreciable:
                self._store_segment(session, row)
                session.add(row)
        return card


class TruncatesTheLastMonth(ReferenceService):
    """Charges the rounded monthly amount in the last month too, so the total misses by the rounding."""

    def schedule(self, actor: Actor, org: str, asset_id: str) -> list[DepreciationRow]:
        rows = super().schedule(actor, org, asset_id)
        if len(rows) > 1:
            rows[-1] = DepreciationRow(rows[-1].year, rows[-1].month, rows[0].amount)
        return rows


class DepreciatesEverything(ReferenceService):
    """Depreciates cultural relics, books, land and nominal-value assets like any other asset."""

    def request_acquisition(self, actor: Actor, org: str, card: AssetCardIn | Mapping[str, Any]) -> AssetCard:
        made = super().request_acquisition(actor, org, card)
        with session_scope(self.engine) as session:
            a = t.ASSET.c
            session.execute(
                sa.update(t.ASSET)
                .where(a.id == int(made.id), a.depreciable.is_(False))
                .values(depreciable=True, useful_life_months=120)
            )
        return self.get(actor, org, made.id)


class RunsAMonthTwice(ReferenceService):
    """Forgets earlier runs: running a month again charges it again."""

    def run_depreciation(self, actor: Actor, org: str, year: int, month: int) -> DepreciationRun:
        with session_scope(self.engine) as session:
            period = year * 12 + month - 1
            session.execute(
                sa.delete(t.RUN).where(t.RUN.c.organization_credit_code == org, t.RUN.c.period == period)
            )
            session.execute(sa.update(t.ENTRY).where(t.ENTRY.c.period == period).values(period=-period - 1))
        return super().run_depreciation(actor, org, year, month)


class ChargesTheDisposalMonth(ReferenceService):
    """Still depreciates an asset in the month it is disposed of."""

    def approve_disposal(self, actor: Actor, org: str, asset_id: str) -> AssetCard:
        card = super().approve_disposal(actor, org, asset_id)
        with session_scope(self.engine) as session:
            session.execute(
                sa.update(t.ASSET)
                .where(t.ASSET.c.id == int(asset_id))
                .values(end_index=t.ASSET.c.end_index + 1)
            )
        return card


class IgnoresTheCustodian(ReferenceService):
    """Moves an asset whoever is named as giving it up."""

    def _holder(self, asset_id: str) -> str:
        with session_scope(self.engine) as session:
            return str(self._load(session, asset_id).custodian_id)

    def transfer(  # noqa: PLR0917 - actor, org, then the step's inputs
        self, actor: Actor, org: str, asset_id: str, from_custodian: str, to: PersonRef, using_unit: str = ""
    ) -> AssetCard:
        return super().transfer(actor, org, asset_id, self._holder(asset_id), to, using_unit)

    def return_asset(self, actor: Actor, org: str, asset_id: str, from_custodian: str) -> AssetCard:
        return super().return_asset(actor, org, asset_id, self._holder(asset_id))


def _one_tier() -> DisposalTiers:
    tier = DisposalTier(
        None, "department_approver", {"zh_Hans_CN": "主管部门", "en": "department", "ug_CN": "تارماق"}
    )
    return DisposalTiers("one tier", "mutant", (tier,))


class OneTierForAll(ReferenceService):
    """Lets the department approve every disposal, whatever its value."""

    def __init__(self, engine: Any, **_: Any) -> None:
        super().__init__(engine, disposal_tiers=_one_tier())


class ForgetsLeavers(ReferenceService):
    """Ignores employee.separated: no return task is raised."""

    def receive_event(self, actor: Actor, event: CloudEvent) -> list[ReturnTask]:
        return []


class IgnoresRepairs(ReferenceService):
    """Adds a capitalised repair to the book value but leaves the schedule as it was."""

    def capitalise_repair(  # noqa: PLR0917 - actor, org, then the step's inputs
        self, actor: Actor, org: str, asset_id: str, amount: Money, on: date, extra_life_months: int = 0
    ) -> AssetCard:
        with session_scope(self.engine) as session:
            row = self._row(session, actor, org, asset_id, write=True)
            self.process.fire(session, row, "capitalise_repair", actor, {"amount": str(amount), "on": on})
            row.book_value = row.book_value + Money.of(amount)
            session.add(row)
            return self._card(row)


class AcceptsShortLives(ReferenceService):
    """Ignores the guide's minimum lives: a too-short life falls back to the default silently."""

    def request_acquisition(self, actor: Actor, org: str, card: AssetCardIn | Mapping[str, Any]) -> AssetCard:
        try:
            return super().request_acquisition(actor, org, card)
        except InvalidInput as exc:
            if exc.field != "useful_life_months":
                raise
            data = dict(card) if not isinstance(card, AssetCardIn) else card.model_dump()
            data["useful_life_months"] = None
            return super().request_acquisition(actor, org, data)


class OverlooksLosses(ReferenceService):
    """Reconciles only what was counted: an asset on the books that nobody found is not a loss."""

    def reconcile(
        self,
        actor: Actor,
        org: str,
        stocktake_id: str,
        books: Sequence[BookBalance | Mapping[str, Any]] | None = None,
    ) -> list[Finding]:
        found = super().reconcile(actor, org, stocktake_id, books)
        with session_scope(self.engine) as session:
            f = t.FINDING.c
            session.execute(sa.delete(t.FINDING).where(f.stocktake_id == int(stocktake_id), f.kind == "loss"))
        return [x for x in found if x.kind != "loss"]


class IgnoresTheBooks(ReferenceService):
    """Reconciles the cards with the goods only: the book balances it is given are never compared."""

    def reconcile(
        self,
        actor: Actor,
        org: str,
        stocktake_id: str,
        books: Sequence[BookBalance | Mapping[str, Any]] | None = None,
    ) -> list[Finding]:
        return super().reconcile(actor, org, stocktake_id)


class BooksEveryDisposalAsFixed(ReferenceService):
    """Tells finance that every disposal leaves 1601 / 1602, intangible assets included."""

    def _disposed_payload(self, ctx: TransitionContext) -> BaseModel:
        payload = super()._disposed_payload(ctx)
        return payload.model_copy(update={"asset_account": "1601", "accumulated_account": "1602"})


class KeepsLostAssets(ReferenceService):
    """Approves a stock-take's findings without writing lost assets off."""

    def approve_findings(self, actor: Actor, org: str, stocktake_id: str, on: date) -> list[Finding]:
        with session_scope(self.engine) as session:
            f = t.FINDING.c
            session.execute(
                sa.update(t.FINDING)
                .where(f.stocktake_id == int(stocktake_id), f.kind == "loss")
                .values(kind="ignored")
            )
        found = super().approve_findings(actor, org, stocktake_id, on)
        with session_scope(self.engine) as session:
            f = t.FINDING.c
            session.execute(
                sa.update(t.FINDING)
                .where(f.stocktake_id == int(stocktake_id), f.kind == "ignored")
                .values(kind="loss")
            )
        return found


class ChargesStraightLineForUnitsOfWork(ReferenceService):
    """Depreciates a units-of-work asset by straight line too, whatever its usage."""

    def register(self, actor: Actor, org: str, asset_id: str, in_service: date) -> AssetCard:
        card = super().register(actor, org, asset_id, in_service)
        with session_scope(self.engine) as session:
            row = self._load(session, asset_id)
            if row.depreciable and row.depreciation_method == "units_of_work":
                self._store_segment(session, row)
                session.add(row)
        return card


class IgnoresTheOrganisation(ReferenceService):
    """Lets anyone act on any organisation's data, and a leaver's number match custodians anywhere."""

    @staticmethod
    def _gate(*_: Any, **__: Any) -> None:
        return None

    def receive_event(self, actor: Actor, event: CloudEvent) -> list[ReturnTask]:
        data = event.data if isinstance(event.data, Mapping) else {}
        person = dict(data.get("person") or {})
        person.pop("organization_credit_code", None)
        unit = dict(data.get("unit") or {})
        unit.pop("organization_credit_code", None)
        with session_scope(self.engine) as session:
            a = t.ASSET.c
            orgs = session.scalars(
                sa.select(a.custodian_org).where(a.custodian_id == person.get("person_id")).distinct()
            ).all()
        tasks: list[ReturnTask] = []
        for number, org in enumerate(orgs):
            named = {**data, "person": {**person, "organization_credit_code": org}, "unit": unit}
            copy = event.model_copy(update={"id": f"{event.id}#{number}", "data": named})
            tasks += super().receive_event(actor, copy)
        return tasks


class SkipsDecember(ReferenceService):
    """Computes the run's month as ``month % 12``: December's run charges nothing (a year-end fault)."""

    def run_depreciation(self, actor: Actor, org: str, year: int, month: int) -> DepreciationRun:
        if month == 12:
            self._period(year, month)
            with session_scope(self.engine) as session:
                self._gate(session, actor, org, write=True)
            return DepreciationRun(
                organization_credit_code=org,
                year=year,
                month=month,
                asset_count=0,
                total=Money.zero(),
                totals=[],
                created=True,
                without_usage=[],
            )
        return super().run_depreciation(actor, org, year, month)


class AnyoneRunsTheMonth(ReferenceService):
    """Lets whoever acts for the organisation run the monthly depreciation, whatever their role."""

    @staticmethod
    def _require_role(actor: Actor, role: str, transition: str) -> None:
        if transition != "run_depreciation":
            ReferenceService._require_role(actor, role, transition)


class ReadersMayWrite(ReferenceService):
    """Passes every call through the read gate: an actor of another organisation may change its data."""

    def _gate(self, session: Any, actor: Actor, org: str | None, *, write: bool, **kwargs: Any) -> None:  # type: ignore[override]
        if isinstance(actor, Actor) and actor.org is not None and actor.org != org:
            return
        super()._gate(session, actor, org, write=write, **kwargs)


class TrailOfCreationOnly(ReferenceService):
    """Returns only the first audit record of an entity (its creation)."""

    def audit_trail(self, actor: Actor, org: str, entity: str, entity_id: str) -> list[TrailEntry]:
        return super().audit_trail(actor, org, entity, entity_id)[:1]


class PublishesEveryOrganisationsEvents(ReferenceService):
    """published_events forgets the organisation: every office sees every office's events."""

    def published_events(self, actor: Actor, org: str, *, type: str | None = None) -> list[CloudEvent]:
        with session_scope(self.engine) as session:
            self._gate(session, actor, org, write=False)
        o = t.ASSET.metadata.tables["core_outbox_event"]
        query = sa.select(o).where(o.c.type.like("cn.govparts.assets.%")).order_by(o.c.position)
        if type is not None:
            query = query.where(o.c.type == type)
        with session_scope(self.engine) as session:
            return [_envelope(row) for row in session.execute(query).mappings().all()]


class StoresAmountsAsFloat(ReferenceService):
    """Stores the original value through a binary float and truncates to the fen (0.30 becomes 0.29)."""

    def request_acquisition(self, actor: Actor, org: str, card: AssetCardIn | Mapping[str, Any]) -> AssetCard:
        data = dict(card) if not isinstance(card, AssetCardIn) else card.model_dump(mode="json")
        value = float(str(data.get("original_value", "0")))
        data["original_value"] = str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_DOWN))
        return super().request_acquisition(actor, org, data)


class RejectedDisposalLeavesTheBooks(ReferenceService):
    """A rejected disposal stops the asset's depreciation as if it had been disposed of."""

    def reject_disposal(self, actor: Actor, org: str, asset_id: str) -> AssetCard:
        card = super().reject_disposal(actor, org, asset_id)
        with session_scope(self.engine) as session:
            row = self._load(session, asset_id)
            on = date.today()
            row.end_index = on.year * 12 + on.month - 1 - 240
            session.add(row)
        return card


def _inclusive_tiers() -> DisposalTiers:
    from ..rules import load_disposal_tiers

    table = load_disposal_tiers()
    first, *rest = table.tiers
    moved = DisposalTier(Money.of("200000.01"), first.approver_role, first.authority)
    return DisposalTiers(table.name, table.source, (moved, *rest))


class TierBoundaryInclusive(ReferenceService):
    """Reads "20万元以下" as "up to and including 200000.00": the department approves exactly 200000.00."""

    def __init__(self, engine: Any, **_: Any) -> None:
        super().__init__(engine, disposal_tiers=_inclusive_tiers())


class LeapDayStartsInMarch(ReferenceService):
    """Normalises 29 February to 1 March before registering: a leap-day asset starts a month late."""

    def register(self, actor: Actor, org: str, asset_id: str, in_service: date) -> AssetCard:
        if isinstance(in_service, date) and (in_service.month, in_service.day) == (2, 29):
            in_service = date(in_service.year, 3, 1)
        return super().register(actor, org, asset_id, in_service)


class LoadsAnyOrganisationsCard(ReferenceService):
    """Finds a card by its id alone: another organisation's id reads its card through one's own."""

    @staticmethod
    def _load(session: Any, asset_id: str, org: str | None = None) -> t.AssetRow:
        return ReferenceService._load(session, asset_id)


class MinimumLifeOffByOne(ReferenceService):
    """Refuses a life only when it is more than a month below the guide's minimum."""

    def request_acquisition(self, actor: Actor, org: str, card: AssetCardIn | Mapping[str, Any]) -> AssetCard:
        data = dict(card) if not isinstance(card, AssetCardIn) else card.model_dump(mode="json")
        life = data.get("useful_life_months")
        if isinstance(life, int) and life == category_rule(str(data.get("category", ""))).min_months - 1:
            data["useful_life_months"] = life + 1
        return super().request_acquisition(actor, org, data)


def _factory(cls: type[ReferenceService]) -> Callable[[], AbstractContextManager[ReferenceService]]:
    return lambda: service_on_temp_db(cls)


MUTANTS = [
    Mutant("skips-december", "December's run charges nothing", _factory(SkipsDecember), ("AST-045",)),
    Mutant(
        "anyone-runs-the-month",
        "no role check on the monthly run",
        _factory(AnyoneRunsTheMonth),
        ("AST-043",),
    ),
    Mutant(
        "readers-may-write",
        "another organisation's actor may change data",
        _factory(ReadersMayWrite),
        ("AST-041",),
    ),
    Mutant(
        "trail-of-creation-only",
        "the audit trail shows the creation only",
        _factory(TrailOfCreationOnly),
        ("AST-042",),
    ),
    Mutant(
        "events-of-every-organisation",
        "published_events shows other organisations' events",
        _factory(PublishesEveryOrganisationsEvents),
        ("AST-047",),
    ),
    Mutant(
        "amounts-as-float",
        "amounts stored through a binary float",
        _factory(StoresAmountsAsFloat),
        ("AST-046",),
    ),
    Mutant(
        "rejected-disposal-leaves-the-books",
        "a rejected disposal stops depreciation",
        _factory(RejectedDisposalLeavesTheBooks),
        ("AST-044",),
    ),
    Mutant(
        "tier-boundary-inclusive",
        "200000.00 approved by the department",
        _factory(TierBoundaryInclusive),
        ("AST-020",),
    ),
    Mutant(
        "leap-day-starts-in-march",
        "an asset added on 29 February starts in March",
        _factory(LeapDayStartsInMarch),
        ("AST-045",),
    ),
    Mutant(
        "loads-any-organisations-card",
        "another organisation's card id is found through one's own",
        _factory(LoadsAnyOrganisationsCard),
        ("AST-027",),
    ),
    Mutant(
        "minimum-life-off-by-one",
        "a life one month below the minimum is accepted",
        _factory(MinimumLifeOffByOne),
        ("AST-004",),
    ),
    Mutant(
        "starts-next-month", "depreciation starts the month after", _factory(StartsNextMonth), ("AST-010",)
    ),
    Mutant("residual-value", "keeps a 5 % residual value", _factory(KeepsResidualValue), ("AST-009",)),
    Mutant(
        "truncated-last-month",
        "the last month does not absorb rounding",
        _factory(TruncatesTheLastMonth),
        ("AST-011",),
    ),
    Mutant(
        "depreciates-everything",
        "depreciates relics, books, land",
        _factory(DepreciatesEverything),
        ("AST-012",),
    ),
    Mutant("runs-twice", "a month run again is charged again", _factory(RunsAMonthTwice), ("AST-014",)),
    Mutant(
        "charges-disposal-month",
        "charges the month of disposal",
        _factory(ChargesTheDisposalMonth),
        ("AST-017",),
    ),
    Mutant("ignores-custodian", "moves an asset from anyone", _factory(IgnoresTheCustodian), ("AST-019",)),
    Mutant("one-tier", "the department approves every disposal", _factory(OneTierForAll), ("AST-020",)),
    Mutant("forgets-leavers", "no return task for a person who left", _factory(ForgetsLeavers), ("AST-025",)),
    Mutant(
        "ignores-repairs",
        "a capitalised repair leaves the schedule as it was",
        _factory(IgnoresRepairs),
        ("AST-022",),
    ),
    Mutant(
        "accepts-short-lives",
        "a life below the guide's minimum is accepted",
        _factory(AcceptsShortLives),
        ("AST-004",),
    ),
    Mutant("overlooks-losses", "an asset not found is not a loss", _factory(OverlooksLosses), ("AST-031",)),
    Mutant(
        "ignores-the-books",
        "the cards are never compared with the book balances",
        _factory(IgnoresTheBooks),
        ("AST-039",),
    ),
    Mutant(
        "disposals-as-fixed-assets",
        "a disposal names 1601 / 1602 whatever the asset",
        _factory(BooksEveryDisposalAsFixed),
        ("AST-040",),
    ),
    Mutant(
        "keeps-lost-assets", "approved losses are not written off", _factory(KeepsLostAssets), ("AST-032",)
    ),
    Mutant(
        "straight-line-for-units-of-work",
        "a units-of-work asset is charged by straight line, usage or not",
        _factory(ChargesStraightLineForUnitsOfWork),
        ("AST-036", "AST-037"),
    ),
    Mutant(
        "ignores-the-organisation",
        "an actor of one organisation acts on another's data",
        _factory(IgnoresTheOrganisation),
        ("AST-041",),
    ),
]
