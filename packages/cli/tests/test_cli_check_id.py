"""``govparts check-id``: the kind of a national identifier, whether it is valid, and why not."""

from __future__ import annotations

from cli_support import Run, row

from govparts.core import ids

# GB 11643-1999's own worked example (see packages/core/tests/vectors); the others are synthetic.
CITIZEN_EXAMPLE = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"


def test_valid_citizen_id_says_what_it_tells(run: Run) -> None:
    """Names a valid citizen identity number and shows its birth date and sex."""
    result = run("check-id", CITIZEN_EXAMPLE, "--locale", "zh_Hans_CN")
    assert result.exit_code == 0, result.output
    assert row(result.stdout, "种类")[1] == "公民身份号码"
    assert row(result.stdout, "结果")[1] == "有效"
    assert row(result.stdout, "出生日期")[1] == "1949-12-31"
    assert row(result.stdout, "性别")[1] == "2 女性"


def test_invalid_check_character_exits_1_with_the_reason(run: Run) -> None:
    """Exits 1 for a wrong check character and says what it should be, in JSON too."""
    bad = CITIZEN_EXAMPLE[:-1] + "1"
    result, data = run.json("check-id", bad, "--locale", "en")
    assert result.exit_code == 1
    assert data["kind"] == "citizen-id"
    assert data["valid"] is False
    assert data["error"]["code"] == "invalid-identifier"
    assert data["error"]["message"] == ids.describe(bad).reason("en")
    table = run("check-id", bad, "--locale", "en")
    assert table.exit_code == 1
    assert row(table.stdout, "Result")[1] == "invalid"
    assert "'X'" in row(table.stdout, "Reason")[1]


def test_value_of_no_known_shape_is_invalid(run: Run) -> None:
    """Exits 1 for a value shaped like no identifier, saying so."""
    result, data = run.json("check-id", "12345", "--locale", "en")
    assert result.exit_code == 1
    assert data["kind"] is None
    assert data["error"]["field"] == "identifier"


def test_credit_code_and_division_code_are_recognised(run: Run) -> None:
    """Recognises a unified social credit code and a division code by their shape."""
    result, data = run.json("check-id", CREDIT_CODE)
    assert (result.exit_code, data["kind"], data["valid"]) == (0, "credit-code", True)
    result, data = run.json("check-id", "654200", "--locale", "zh")
    assert (result.exit_code, data["kind"], data["details"]["name"]) == (0, "division-code", "塔城地区")


def test_uyghur_output_labels_the_result_in_uyghur(run: Run) -> None:
    """Labels the rows in Uyghur with --locale ug, keeping the Uyghur words whole."""
    result = run("check-id", CITIZEN_EXAMPLE, "--locale", "ug")
    assert result.exit_code == 0
    assert "\u2067پۇقرالار كىملىك نومۇرى\u2069" in result.stdout
