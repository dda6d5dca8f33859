"""Fixtures of the personnel tests: a reference service on the run's database, with an organisation."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy.engine import Engine

import govparts.personnel.tables  # noqa: F401 - registers the tables before the engine fixture creates them
from govparts.core.security import Actor
from govparts.personnel.models import Organization, OrgUnit, Position
from govparts.personnel.service import ReferenceService
from govparts.personnel.synthetic import make_credit_code

CLERK = Actor(id="hr-clerk-01", name="王芳", unit="RSK", roles=frozenset({"hr_clerk"}))
HEAD = Actor(id="hr-head-01", name="艾力·吐尔逊", unit="RSK", roles=frozenset({"hr_head"}))
ORG = make_credit_code(random.Random(7), "653101")


@pytest.fixture
def service(engine: Engine) -> ReferenceService:
    """A reference service with one organisation, two units, a post and a quota of 5 行政编制."""
    return office_service(engine)


def office_service(engine: Engine) -> ReferenceService:
    """A reference service on ``engine`` with the organisation of :data:`ORG` set up as ``service`` has it."""
    svc = ReferenceService(engine)
    svc.register_organization(
        HEAD,
        ORG,
        Organization(
            credit_code=ORG,
            name="喀什市民政局",
            name_ug="قەشقەر شەھەرلىك خەلق ئىشلىرى ئىدارىسى",
            division_code="653101",
        ),
    )
    for code, name in (("BGS", "办公室"), ("RSK", "人事科")):
        svc.add_unit(
            HEAD,
            ORG,
            OrgUnit(organization_credit_code=ORG, unit_code=code, name=name, effective_from=date(2020, 1, 1)),
        )
    svc.add_position(
        HEAD,
        ORG,
        Position(
            organization_credit_code=ORG,
            position_code="BGS-ZR",
            unit_code="BGS",
            title="办公室主任",
            post_level="141",
        ),
    )
    svc.set_quota(HEAD, ORG, "10", 5)
    return svc
