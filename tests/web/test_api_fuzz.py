"""Every operation in the OpenAPI document, fuzzed by schemathesis against the in-process WSGI app.

Requests come both valid and invalid by the schema, signed in with the token of a person who has
checked in. No answer may be a server error, and every answer must match the schema the document gives
for its status. The app runs outside the test's transaction, so the database is a transactional one.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from conftest import check_in, make_user, session_payload
from sijcoach.web.accounts.models import ApiToken
from sijcoach.web.plans import services
from sijcoach.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def person(transactional_db) -> tuple[str, list[int]]:
    """A person who has checked in and logged three sessions: their token and their session ids."""
    user = make_user("fuzz@example.org")
    check_in(user)
    sessions = [services.save_session(user, services.parse_session(session_payload()), services.today_for(user))
                for _ in range(3)]
    _, key = ApiToken.issue(user, "fuzz")
    return key, [s.pk for s in sessions]


@schema.parametrize()
@settings(max_examples=30, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_operation_answers_a_server_error_or_off_schema(case, person):
    token, session_ids = person
    wanted = str((case.path_parameters or {}).get("session_id", ""))
    if wanted.isascii() and wanted.isdigit() and int(wanted) % 4:
        # Random ids almost never name a row: most are turned into the person's own sessions, so that
        # the answers for a real session are fuzzed too, not only the 404s.
        case.path_parameters["session_id"] = session_ids[int(wanted) % len(session_ids)]
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    if case.path.startswith("/api/v1/me/"):
        assert response.status_code != 401, "the fuzzer's token must sign in, or /me is not being tested"
