"""``govparts demo --json``: stable ids, locale-independent keys and amounts, in its published shape.

The shape is ``govparts/cli/demo-report.schema.json`` (JSON Schema 2020-12, shipped with the cli and
shown in the docs). The report is validated by ``jsonschema`` with format checking on, and by the
independent ``check-jsonschema`` command where it is installed (the ``test`` dependency group).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from cli_support import Run

from govparts.core import events
from govparts.core.demo import DemoContext, make_office, slug
from govparts.core.money import Money

ARABIC = re.compile("[\u0600-\u06ff]")
LOCALISED = {"step_title", "text", "detail", "title", "columns"}
"""The fields of the report whose text is in the locale (with the text cells of tables)."""


def _schema() -> dict[str, Any]:
    return json.loads((files("govparts.cli") / "demo-report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def reports(run: Run, db_url: str, install: Callable[..., None]) -> dict[str, dict[str, Any]]:
    """The JSON reports of one scenario run twice on the test's database (SQLite, or PostgreSQL under
    ``tox -e pg``): in English (seed 6), then in Uyghur (seed 16, the next office of the database)."""
    install("probe_part.part:PART", "probe_part.part:OFFICE", "probe_part.part:READER")
    found = {}
    for locale, seed in (("en", "6"), ("ug", "16")):
        result, data = run.json("demo", "--db", db_url, "--locale", locale, "--seed", seed)
        assert result.exit_code == 0, [c for c in data["checks"] if not c["passed"]]
        found[locale] = data
    return found


def _without_texts(value: Any, key: str = "") -> Any:
    """``value`` with every localised text replaced by a marker, everything else kept."""
    if key in LOCALISED:
        return "<text>"
    if isinstance(value, dict):
        return {k: _without_texts(v, k) for k, v in value.items() if k not in {"locale", "seed"}}
    if isinstance(value, list):
        return [_without_texts(v, key) for v in value]
    if key == "rows" and isinstance(value, str):
        return "<text>"
    return value


def test_english_and_uyghur_reports_differ_only_in_their_texts(reports: dict[str, dict[str, Any]]) -> None:
    """Ids, step keys, verdicts, amounts and numbers are equal in en and ug; only the texts differ."""
    en, ug = reports["en"], reports["ug"]
    assert (en["locale"], en["seed"], ug["locale"], ug["seed"]) == ("en", 6, "ug_CN", 16)
    assert _without_texts(en) == _without_texts(ug)
    assert [c["id"] for c in en["checks"]] == [c["id"] for c in ug["checks"]]
    # The texts really are in each locale: the comparison above is not between two English reports.
    assert all(not ARABIC.search(c["text"]) for c in en["checks"])
    assert all(ARABIC.search(c["step_title"]) for c in ug["checks"])


def test_check_ids_and_step_keys_are_stable_and_unique(reports: dict[str, dict[str, Any]]) -> None:
    """Each check has a unique id under its step's key, from the English text or the part's own id."""
    checks = reports["ug"]["checks"]
    ids = [c["id"] for c in checks]
    assert len(ids) == len(set(ids))
    steps = {c["id"]: c["step"] for c in checks}
    assert steps["core.migrations.branches-applied"] == "core.migrations"
    assert steps["core.audit.chain-holds"] == "core.audit"
    assert steps["probe.demo.1"] == "probe.demo"  # a single step's check named in the locale: its place
    assert steps["probe.the-office-has-a-credit-code"] == "probe.report"
    assert steps["reader.people-read"] == "reader.operate"
    # The same English text twice: numbered in the order of the run.
    assert steps["probe.the-books-balance"] == steps["probe.the-books-balance-2"] == "probe.report"
    # A text the part gave already localised: numbered within its part and phase.
    assert steps["probe.report.4"] == "probe.report"
    assert steps["probe.named-by-the-part"] == "probe.report"
    assert steps["core.audit-chain-holds"] == steps["core.outbox-drained"] == "core.report"


def test_amounts_are_decimal_strings_with_their_currency(reports: dict[str, dict[str, Any]]) -> None:
    """Amounts, formatted by the part or given as Money, are decimal strings beside CNY; counts numbers."""
    for locale, data in reports.items():
        (table,) = [t for t in data["tables"] if t["key"] == "probe.account-balances"]
        assert [row[2:] for row in table["rows"]] == [
            [{"amount": "237090.00", "currency": "CNY"}, 3, "2023-04-30"],
            [{"amount": "-300000.00", "currency": "CNY"}, 1, "2023-04-03"],
        ], locale
        assert [row[0] for row in table["rows"]] == ["1011", "6001"]


def test_people_still_read_amounts_in_their_locale(
    run: Run, db_url: str, install: Callable[..., None]
) -> None:
    """The printed tables show the amounts formatted in the locale, as before."""
    install("probe_part.part:OFFICE")
    result = run("demo", "--db", db_url, "--locale", "zh", "--seed", "6")
    assert result.exit_code == 0, result.output
    assert "-¥300,000.00" in result.stdout
    assert "¥237,090.00" in result.stdout


def test_the_report_validates_against_its_published_schema(reports: dict[str, dict[str, Any]]) -> None:
    """Both reports are valid under the shipped JSON Schema, format checking on."""
    from jsonschema import Draft202012Validator

    schema = _schema()
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for locale, data in reports.items():
        assert [e.message for e in validator.iter_errors(data)] == [], locale


def test_the_schema_refuses_money_as_display_text(reports: dict[str, dict[str, Any]]) -> None:
    """A display amount, a float amount or a check without its id is refused by the schema."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(_schema())
    data = reports["en"]
    (table,) = [t for t in data["tables"] if t["key"] == "probe.account-balances"]
    for wrong in ({"amount": "¥237,090.00", "currency": "CNY"}, {"amount": 237090.0, "currency": "CNY"}):
        table["rows"][0][2] = wrong
        assert not validator.is_valid(data), wrong
    table["rows"][0][2] = {"amount": "237090.00", "currency": "CNY"}
    assert validator.is_valid(data)
    del data["checks"][0]["id"]
    assert not validator.is_valid(data)


def test_check_jsonschema_accepts_the_report(reports: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    """The independent ``check-jsonschema`` command accepts both reports against the shipped schema."""
    command = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which(
        "check-jsonschema"
    )
    if command is None:
        pytest.skip("check-jsonschema is not installed (dependency group test)")
    instances = []
    for locale, data in reports.items():
        instances.append(tmp_path / f"{locale}.json")
        instances[-1].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    schema = files("govparts.cli") / "demo-report.schema.json"
    done = subprocess.run(
        [command, "--schemafile", str(schema), *map(str, instances)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _context(locale: str) -> DemoContext:
    engine = sa.create_engine("sqlite://")
    ctx = DemoContext(
        engine=engine, dispatcher=events.Dispatcher(engine), office=make_office(1), locale=locale
    )
    ctx.part, ctx.phase = "finance", "report"
    return ctx


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "en", "ug_CN"])
def test_only_an_exact_money_display_becomes_an_amount(locale: str) -> None:
    """A cell is an amount only when ``Money.format`` in the run's locale gives it back exactly."""
    ctx = _context(locale)
    other = "en" if locale != "en" else "zh_Hans_CN"
    cells = [
        Money.of("-1234.5").format(locale),
        Money.of("0").format(locale),
        Money.of("1234.5").format(other),  # another locale's display: text
        "2023-04-30",
        "39%",
        "天政数发〔2023〕1号",
        "1234.50",
        7,
        True,
    ]
    table = ctx.table(("表", "Figures", "جەدۋەل"), [("值", "Value", "قىممەت")] * len(cells), [cells])
    assert table.values == (
        (
            Money.of("-1234.50"),
            Money.zero(),
            cells[2],
            "2023-04-30",
            "39%",
            "天政数发〔2023〕1号",
            "1234.50",
            7,
            "True",
        ),
    )
    assert table.rows[0][:2] == (cells[0], cells[1])
    assert table.key == "finance.figures"


def test_ids_come_from_the_english_text_in_every_locale() -> None:
    """The same check and table get the same ids whatever the run's locale."""
    found = set()
    for locale in ("zh_Hans_CN", "en", "ug_CN"):
        ctx = _context(locale)
        ctx.check(("试算平衡", "Trial balance — balances", "تەڭپۇڭ"), True)
        ctx.check({"zh_Hans_CN": "凭证链完整", "en": "the voucher chain verifies", "ug_CN": "زەنجىر"}, True)
        table = ctx.table(("余额表", "Trial balance — financial accounting", "جەدۋەل"), [], [])
        found.add((*(c.id for c in ctx.checks), table.key))
    assert found == {
        (
            "finance.trial-balance-balances",
            "finance.the-voucher-chain-verifies",
            "finance.trial-balance-financial-accounting",
        )
    }


def test_slugs_are_short_ascii_kebab_case() -> None:
    """Slugs keep ASCII letters and digits, drop apostrophes, and stop between words by 64 characters."""
    assert slug("the month's payment quota is received") == "the-months-payment-quota-is-received"
    assert slug("Ürümqi: 04-05 (Qingming) → day off") == "urumqi-04-05-qingming-day-off"
    long = slug("acquisition vouchers: Dr 1601 / Cr the paying account + the budget entry, at cost")
    assert long == "acquisition-vouchers-dr-1601-cr-the-paying-account-the-budget"
    assert len(slug("word " * 40)) <= 64
    assert slug("财务") == ""
