"""A small, realistic scenario through the reference service: an office buys, uses and retires assets."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.engine import Engine

from govparts.core.money import Money
from govparts.core.refs import PersonRef
from govparts.core.security import Actor

from .service import ReferenceService

__all__ = ["demo"]

ORG = "91350100M000100Y43"


def _actor(role: str, name: str) -> Actor:
    return Actor(id=f"demo-{role}", name=name, unit="650102-bgs", roles=frozenset({role}))


def demo(engine: Engine) -> dict[str, Any]:
    """Buy a computer and a car, use them, depreciate a quarter, retire the computer; return the figures.

    The engine's tables must exist. The figures are checked here, so a demo that returns has run
    correctly: 3 months of depreciation of a ¥7,200 computer (¥100 a month) and a ¥180,000 car
    (¥1,875 a month), and the computer scrapped in June (not depreciated in June).
    """
    service = ReferenceService(engine)
    requester = _actor("requester", "阿依古丽·艾力")
    approver = _actor("approver", "王建国")
    keeper = _actor("keeper", "买买提·吐尔逊")
    accountant = _actor("accountant", "李秀英")
    department = _actor("department_approver", "张伟")
    holder = PersonRef(person_id="P-0101", organization_credit_code=ORG, name="古丽娜尔·阿不都")

    cards = []
    for code, category, name, value in (
        ("DEMO-PC-001", "2010000", "台式计算机", "7200.00"),
        ("DEMO-CAR-001", "2030000", "公务用车", "180000.00"),
    ):
        made = service.request_acquisition(
            {
                "asset_code": code,
                "organization_credit_code": ORG,
                "category": category,
                "name": name,
                "original_value": value,
                "acquisition_date": "2024-03-05",
                "funding_source": "fiscal",
                "paying_account": "零余额账户",
            },
            requester,
        )
        service.approve(made.id, approver)
        service.accept(made.id, keeper, acceptance_record=f"验收单 {code}")
        service.register(made.id, accountant, date(2024, 3, 8))
        cards.append(service.issue(made.id, holder, keeper, using_unit="办公室"))

    runs = [service.run_depreciation(ORG, 2024, month, accountant) for month in (3, 4, 5)]
    computer = cards[0]
    service.request_disposal(computer.id, "scrapping", date(2024, 6, 12), keeper)
    service.approve_disposal(computer.id, department)
    june = service.run_depreciation(ORG, 2024, 6, accountant)

    quarter = Money.total(run.total for run in runs)
    assert quarter == Money.of("5925.00"), quarter
    assert june.total == Money.of("1875.00"), june.total
    registered = service.published("cn.govparts.assets.asset.registered.v1")
    disposed = service.published("cn.govparts.assets.asset.disposed.v1")
    return {
        "assets_registered": len(registered),
        "registered_value": str(Money.total(Money.of(e["original_value"]) for e in registered)),
        "depreciation_march_to_may": str(quarter),
        "depreciation_june": str(june.total),
        "disposed": len(disposed),
        "disposed_accumulated_depreciation": disposed[0]["accumulated_depreciation"],
        "depreciation_events": len(service.published("cn.govparts.assets.asset.depreciated.v1")),
    }
