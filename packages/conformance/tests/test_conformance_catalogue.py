"""Requirement catalogues, capability declarations and suites as validated data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conformance_toy.conformance import CATALOGUE, SUITE

from govparts.conformance import (
    Capabilities,
    Catalogue,
    Check,
    Level,
    Requirement,
    Suite,
    collect_checks,
    verifies,
)
from govparts.core.errors import InvalidInput, InvalidSpec, NotFound

STATEMENT = {"zh_Hans_CN": "必须记录。", "en": "It must be recorded.", "ug_CN": "چوقۇم خاتىرىلىنىدۇ."}


def requirement(rid: str = "TST-001", **changes: object) -> Requirement:
    fields: dict[str, object] = {
        "id": rid,
        "level": "MUST",
        "statement": STATEMENT,
        "source": "Test rules §1",
    }
    fields.update(changes)
    return Requirement(**fields)  # type: ignore[arg-type]


def test_reads_the_toy_catalogue_from_toml() -> None:
    """Reads part, version, levels, features and not-tested reasons from the TOML catalogue."""
    assert (CATALOGUE.part, CATALOGUE.version, len(CATALOGUE)) == ("leave-toy", "1.0", 7)
    assert CATALOGUE["LVE-006"].feature == "cancellation"
    assert CATALOGUE["LVE-005"].level is Level.SHOULD
    assert CATALOGUE["LVE-007"].not_tested_reason is not None
    assert CATALOGUE.features == frozenset({"cancellation"})


@pytest.mark.parametrize("bad", ["ATT-12", "att-012", "ABCDEF-001", "A-001", "ATT012", 12])
def test_rejects_malformed_requirement_ids(bad: object) -> None:
    """Rejects an id that is not two to five capitals, a hyphen and three digits."""
    with pytest.raises(InvalidSpec) as caught:
        requirement(bad)  # type: ignore[arg-type]
    assert caught.value.field == "id"


def test_accepts_level_in_any_case() -> None:
    """Accepts 'should' as the level SHOULD."""
    assert requirement(level="should").level is Level.SHOULD


def test_rejects_unknown_level() -> None:
    """Rejects a level outside MUST, SHOULD, MAY and names the field."""
    with pytest.raises(InvalidSpec) as caught:
        requirement(level="SHALL")
    assert caught.value.field == "requirements[TST-001].level"
    assert "SHALL" in caught.value.message("en")


@pytest.mark.parametrize(
    ("statement", "field"),
    [
        ({"zh_Hans_CN": "必须。", "en": "Must."}, "requirements[TST-001].statement.ug_CN"),
        ({**STATEMENT, "en": "  "}, "requirements[TST-001].statement.en"),
        ({**STATEMENT, "fr": "Doit."}, "requirements[TST-001].statement"),
        ("Must.", "requirements[TST-001].statement"),
    ],
)
def test_requires_the_statement_in_the_three_locales(statement: object, field: str) -> None:
    """Requires a non-empty statement in zh_Hans_CN, en and ug_CN, and nothing else."""
    with pytest.raises(InvalidSpec) as caught:
        requirement(statement=statement)
    assert caught.value.field == field


def test_requires_a_source_clause() -> None:
    """Refuses a requirement without the clause it comes from."""
    with pytest.raises(InvalidSpec) as caught:
        requirement(source="")
    assert caught.value.field == "requirements[TST-001].source"


def test_rejects_malformed_feature_names() -> None:
    """Refuses a feature name that is not lower-case and hyphenated."""
    with pytest.raises(InvalidSpec) as caught:
        requirement(feature="Bulk Import")
    assert caught.value.field == "requirements[TST-001].feature"


def test_statement_in_follows_the_locale() -> None:
    """Gives the statement in the locale asked for, normalising aliases."""
    assert requirement().statement_in("ug") == STATEMENT["ug_CN"]
    assert requirement().statement_in("en_US") == STATEMENT["en"]


def test_rejects_duplicate_ids() -> None:
    """Refuses a catalogue that lists one id twice, naming the second place."""
    with pytest.raises(InvalidSpec) as caught:
        Catalogue("test", "1.0", (requirement(), requirement()))
    assert caught.value.field == "requirements[1].id"


def test_unknown_requirement_is_not_found() -> None:
    """Raises NotFound for an id the catalogue does not have."""
    with pytest.raises(NotFound) as caught:
        CATALOGUE["LVE-999"]
    assert caught.value.field == "requirement"
    assert "LVE-999" not in CATALOGUE


def test_round_trips_through_json() -> None:
    """Builds an equal catalogue from its own JSON form."""
    again = Catalogue.from_dict(json.loads(json.dumps(CATALOGUE.to_dict())))
    assert again == CATALOGUE
    assert again.fingerprint() == CATALOGUE.fingerprint()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"part": "t", "version": "1"}, "requirements"),
        ({"part": "t", "version": "1", "requirements": ["x"]}, "requirements[0]"),
        ({"part": "t", "version": "1", "requirements": [{"id": "TST-001"}]}, "requirements[0].level"),
        (
            {"part": "t", "version": "1", "requirements": [{**requirement().to_dict(), "shall": 1}]},
            "requirements[0].shall",
        ),
        ({"version": "1", "requirements": []}, "part"),
    ],
)
def test_from_dict_names_the_bad_field(data: dict[str, object], field: str) -> None:
    """Names the missing or unexpected field of a malformed catalogue."""
    with pytest.raises(InvalidSpec) as caught:
        Catalogue.from_dict(data)
    assert caught.value.field == field


def test_fingerprint_is_sha256_of_canonical_json() -> None:
    """Fingerprints the catalogue as SHA-256 of its canonical JSON, independent of order."""
    one, two = requirement("TST-001"), requirement("TST-002", level="MAY")
    forward = Catalogue("test", "1.0", (one, two))
    assert forward.fingerprint().startswith("sha256:")
    assert len(forward.fingerprint()) == len("sha256:") + 64
    assert forward.fingerprint() == Catalogue("test", "1.0", (two, one)).fingerprint()


def test_fingerprint_changes_with_the_published_text_only() -> None:
    """Changes the fingerprint for a new statement or version, not for a new not-tested reason."""
    base = Catalogue("test", "1.0", (requirement(),))
    reworded = Catalogue("test", "1.0", (requirement(statement={**STATEMENT, "en": "It is recorded."}),))
    bumped = Catalogue("test", "1.1", (requirement(),))
    excused = Catalogue("test", "1.0", (requirement(not_tested_reason="checked by audit"),))
    assert base.fingerprint() != reworded.fingerprint()
    assert base.fingerprint() != bumped.fingerprint()
    assert base.fingerprint() == excused.fingerprint()


def test_reads_a_catalogue_file(tmp_path: Path) -> None:
    """Reads a TOML catalogue written by hand, statement tables included."""
    path = tmp_path / "catalogue.toml"
    path.write_text(
        'part = "test"\nversion = "2.0"\n\n[[requirement]]\nid = "TST-001"\nlevel = "MAY"\n'
        'source = "Test rules §2"\nfeature = "bulk-import"\n[requirement.statement]\n'
        'zh_Hans_CN = "可以批量导入。"\nen = "Bulk import may be offered."\n'
        'ug_CN = "توپ بىلەن ئەكىرىشكە بولىدۇ."\n',
        encoding="utf-8",
    )
    catalogue = Catalogue.from_toml(path)
    assert catalogue["TST-001"].feature == "bulk-import"
    assert catalogue.features == frozenset({"bulk-import"})


def test_capabilities_validate_against_the_catalogue() -> None:
    """Accepts claimed features the catalogue knows and refuses others or another part."""
    assert Capabilities("leave-toy", "1.0", frozenset({"cancellation"})).validate_against(CATALOGUE)
    with pytest.raises(InvalidInput) as unknown:
        Capabilities("leave-toy", "1.0", frozenset({"delegation"})).validate_against(CATALOGUE)
    assert unknown.value.field == "capabilities.features"
    assert "delegation" in unknown.value.message("en")
    with pytest.raises(InvalidInput) as other:
        Capabilities("payroll", "1.0").validate_against(CATALOGUE)
    assert other.value.field == "capabilities.part"


def test_capabilities_coerce_from_a_mapping() -> None:
    """Builds capabilities from a mapping and refuses anything else."""
    caps = Capabilities.coerce({"part": "leave-toy", "version": "1.0", "features": ["cancellation"]})
    assert caps == Capabilities("leave-toy", "1.0", frozenset({"cancellation"}))
    with pytest.raises(InvalidInput) as caught:
        Capabilities.coerce("leave-toy")
    assert caught.value.field == "capabilities"
    with pytest.raises(InvalidSpec) as text:
        Capabilities("leave-toy", "1.0", "cancellation")  # type: ignore[arg-type]
    assert text.value.field == "capabilities.features"


def test_collects_marked_functions_in_definition_order() -> None:
    """Collects the toy suite's checks in the order they are defined."""
    assert [c.name for c in SUITE.checks] == [
        "records_a_submitted_request",
        "refuses_days_out_of_range",
        "approves_once",
        "reports_unknown_request",
        "records_rejection_note",
        "cancels_a_submitted_request",
    ]
    assert SUITE.checks[-1].feature == "cancellation"
    assert [c.name for c in SUITE.checks_for("LVE-003")] == ["approves_once"]


def test_verifies_rejects_bad_ids() -> None:
    """Refuses @verifies with no id or a malformed one."""
    with pytest.raises(InvalidSpec):
        verifies()
    with pytest.raises(InvalidSpec) as caught:
        verifies("LVE-1")
    assert caught.value.field == "verifies"


def test_stacked_marks_add_up() -> None:
    """Collects the ids of stacked @verifies marks in reading order, once each."""

    @verifies("LVE-001")
    @verifies("LVE-002", "LVE-001")
    def both(service: object) -> None:
        """Checks two requirements."""

    assert Check.from_function(both).requirement_ids == ("LVE-001", "LVE-002")


def test_suite_rejects_unknown_requirement() -> None:
    """Refuses a check that verifies an id missing from the catalogue, naming the check."""

    @verifies("LVE-099")
    def ghost(service: object) -> None:
        """Checks nothing real."""

    with pytest.raises(InvalidSpec) as caught:
        Suite(CATALOGUE, [ghost])
    assert caught.value.field == "checks[ghost]"


def test_suite_rejects_duplicate_check_names() -> None:
    """Refuses two checks of the same name."""

    @verifies("LVE-001")
    def twice(service: object) -> None:
        """Checks LVE-001."""

    with pytest.raises(InvalidSpec) as caught:
        Suite(CATALOGUE, [twice, Check.from_function(twice)])
    assert caught.value.field == "checks[twice]"


def test_suite_rejects_a_check_across_features() -> None:
    """Refuses a check verifying requirements of different optional features."""

    @verifies("LVE-001", "LVE-006")
    def mixed(service: object) -> None:
        """Checks a core and an optional requirement at once."""

    with pytest.raises(InvalidSpec) as caught:
        Suite(CATALOGUE, [mixed])
    assert caught.value.field == "checks[mixed]"


def test_suite_rejects_unmarked_functions() -> None:
    """Refuses a function without @verifies."""

    def plain(service: object) -> None:
        """Checks nothing declared."""

    with pytest.raises(InvalidSpec) as caught:
        Suite(CATALOGUE, [plain])
    assert caught.value.field == "checks"
    assert collect_checks({"plain": plain}) == []


def test_kit_errors_speak_the_three_locales() -> None:
    """Renders the kit's own errors in Chinese and Uyghur from its message catalog."""
    with pytest.raises(InvalidSpec) as caught:
        requirement("TST-1")
    assert caught.value.message("en").startswith("id: 'TST-1' is not a requirement id")
    assert caught.value.message("zh_Hans_CN") == "id：'TST-1' 不是要求标识（两到五个大写字母、“-”、三位数字）"
    assert "تەلەپ كىملىكى ئەمەس" in caught.value.message("ug_CN")
