import pytest

from export_helpers import LOGS, person, plan_for


@pytest.fixture(scope="session")
def profile():
    return person()


@pytest.fixture(scope="session")
def logs():
    return LOGS


@pytest.fixture(scope="session")
def plan(profile):
    return plan_for(profile)
