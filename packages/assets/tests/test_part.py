"""The part descriptor, code lists, event catalogue and process spec of the assets part."""

from __future__ import annotations

from govparts.assets.part import PART
from govparts.core import codes, events, parts


def test_part_is_discovered() -> None:
    """Registers under the govparts.parts entry point with every reference resolvable."""
    assert parts.get_part("assets") == PART
    for name in ("processes", "events", "requirements", "conformance", "mutants", "demo"):
        assert PART.load(name) is not None, name


def test_code_lists_load() -> None:
    """Loads GB/T 14885-2010 and the part's own lists with labels in three languages."""
    gbt = codes.get("GB/T 14885-2010")
    assert gbt["2010000"].zh == "计算机设备及软件"
    assert gbt["2030000"].parent == "2"
    assert {c.code for c in gbt.children("1")} == {"1010000", "1020000", "1030000"}
    for list_id in ("GOVPARTS 资产-取得方式-1.0", "GOVPARTS 资产-处置方式-1.0", "GOVPARTS 资产-资金来源-1.0"):
        found = codes.get(list_id)
        assert all(code.ug and code.zh and code.en for code in found.codes.values())
    assert set(codes.get("GOVPARTS 资产-处置方式-1.0").codes) == {
        "free_transfer",
        "sale",
        "assignment",
        "transfer",
        "exchange",
        "scrapping",
        "loss",
        "donation_out",
    }


def test_events_are_in_the_catalogue() -> None:
    """Publishes the three asset events with JSON Schemas; money is a string."""
    names = {e.type for e in events.registered()}
    for name in (
        "cn.govparts.assets.asset.registered.v1",
        "cn.govparts.assets.asset.depreciated.v1",
        "cn.govparts.assets.asset.disposed.v1",
    ):
        assert name in names
    schema = events.get("cn.govparts.assets.asset.registered.v1").json_schema()
    assert schema["properties"]["original_value"]["type"] == "string"


def test_process_spec_roles_and_events() -> None:
    """Names the registration and disposal events and separates approval from acceptance."""
    spec, stocktake = PART.load("processes")
    assert stocktake.transition("approve_findings").separation_of_duties is not None
    assert spec.transition("register").event == "cn.govparts.assets.asset.registered.v1"
    assert spec.transition("approve_disposal").event == "cn.govparts.assets.asset.disposed.v1"
    accept = spec.transition("accept")
    assert accept.separation_of_duties is not None
    assert accept.separation_of_duties.differs_from == ("approve",)
