"""Many offices in one database: an actor acts for its own organisation; cross-org reads are audited."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import Engine

from govparts.core import audit
from govparts.core.errors import InvalidInput, OrganizationDenied, PermissionDenied, from_validation_error
from govparts.core.security import (
    CROSS_ORG_READ_ACTION,
    CROSS_ORG_READ_ROLE,
    Actor,
    check_org,
    may_act_for,
    may_read_org,
)
from govparts.core.text import Text, TextLine, check_text

HOME = "11650102MB1234567A"
OTHER = "91350100M000100Y43"


def _clerk(*roles: str, org: str | None = HOME) -> Actor:
    return Actor(id="u-4001", name="热依拉·阿不都", roles=frozenset(roles or {"clerk"}), org=org)


def test_an_actor_acts_for_its_own_organisation_only() -> None:
    """Allows the actor's own organisation and refuses another, for reads and changes alike."""
    clerk = _clerk()
    assert may_act_for(clerk, HOME)
    assert not may_act_for(clerk, OTHER)
    check_org(clerk, HOME, write=True)
    for write in (True, False):
        with pytest.raises(OrganizationDenied) as caught:
            check_org(clerk, OTHER, write=write, field="voucher.org")
        assert isinstance(caught.value, PermissionDenied)
        assert caught.value.field == "voucher.org"
        assert OTHER not in caught.value.message("en")
        assert "其他单位" in caught.value.message("zh_Hans_CN")
        assert "باشقا ئورۇن" in caught.value.message("ug_CN")


def test_a_system_actor_has_no_organisation() -> None:
    """Lets an actor with no organisation (migrations, the dispatcher) act for any organisation."""
    system = _clerk(org=None)
    assert may_act_for(system, OTHER)
    check_org(system, OTHER, write=True)


def test_a_cross_org_auditor_reads_with_an_audit_record_and_never_writes(engine: Engine) -> None:
    """Records every cross-organisation read by the auditor role, refuses its changes and unaudited reads."""
    auditor = _clerk(CROSS_ORG_READ_ROLE, org=OTHER)
    assert may_read_org(auditor, HOME)
    assert not may_act_for(auditor, HOME)
    before = audit.verify(engine).head_seq
    check_org(auditor, HOME, write=False, audit_to=engine, entity="voucher", entity_id="V-1")
    assert audit.verify(engine).head_seq == before + 1
    with engine.connect() as conn:
        (row,) = audit.history(conn, "voucher", "V-1")
    assert row.action == CROSS_ORG_READ_ACTION
    with pytest.raises(OrganizationDenied):
        check_org(auditor, HOME, write=True, audit_to=engine)
    with pytest.raises(OrganizationDenied):
        check_org(auditor, HOME, write=False)
    assert audit.verify(engine).head_seq == before + 1


def test_actor_org_must_be_a_credit_code_length() -> None:
    """Refuses an organisation that is not 18 characters long."""
    with pytest.raises(ValidationError):
        Actor(id="u", name="n", org="123")


@pytest.mark.parametrize(
    "bad", ["a\x00b", "line\nbreak", "bell\x07", "\x85next", "Ali\u202eeva", "\u2066x\u2069", "\u202a"]
)
def test_a_text_line_refuses_control_and_bidi_characters(bad: str) -> None:
    """Refuses NUL, C0/C1 controls and bidirectional controls in a name, naming the field and code point."""

    class Person(BaseModel):
        name: TextLine

    with pytest.raises(ValidationError) as caught:
        Person(name=bad)
    (error,) = from_validation_error(caught.value).errors
    assert isinstance(error, InvalidInput)
    assert error.field == "name"
    assert "U+" in error.message("en")
    assert bad not in error.message("en")


def test_text_keeps_line_breaks_and_uyghur() -> None:
    """Keeps tabs and line breaks in multi-line text, and Uyghur and Chinese letters everywhere."""

    class Document(BaseModel):
        title: TextLine
        body: Text

    doc = Document(title="ئۇقتۇرۇش 通知", body="第一段\n\tئىككىنچى ئابزاس\r\n")
    assert doc.body.count("\n") == 2
    with pytest.raises(InvalidInput):
        check_text("x\x00", field="body", multiline=True)
