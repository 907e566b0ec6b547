import pytest

from tests.helpers import make_staff
from workflows.models import Role


@pytest.fixture
def staff(newsroom):
    """One person per role in the finance unit (usernames ``tc.<role>``),
    a section head of its "Kinh tế" section and a reporter of the province
    unit, all with the password ``pw-test-123``."""
    unit = newsroom.finance.unit
    people = {
        role: make_staff(unit, role, f"tc.{role}", first_name=role.replace("_", " ").title())
        for role in (
            Role.REPORTER, Role.CONTRIBUTOR, Role.DESK_EDITOR, Role.MANAGING_EDITOR, Role.EDITOR_IN_CHIEF,
            Role.DEPUTY_EDITOR, Role.DISTRIBUTION, Role.UNIT_ADMIN,
        )
    }
    people[Role.SECTION_HEAD] = make_staff(unit, Role.SECTION_HEAD, "tc.section_head", section=newsroom.finance.economy)
    people["other_unit_reporter"] = make_staff(newsroom.province.unit, Role.REPORTER, "ld.reporter")
    people["other_unit_editor_in_chief"] = make_staff(newsroom.province.unit, Role.EDITOR_IN_CHIEF, "ld.editor_in_chief")
    return people
