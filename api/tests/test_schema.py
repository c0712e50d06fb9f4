"""Schemathesis drives every operation of our OpenAPI schema with a valid key: no 5xx,
and every answer (status, content type, body) must match what the schema says. Then it
chains calls statefully, by the links it infers from the schema (POST /images → GET
/generations/{id} → cancel, GET /images → GET/DELETE /images/{id}, …).

Operations are run one by one through `as_strategy()`: schemathesis' own pytest
loader does not work with pytest 9 yet (it sets a private node attribute).
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from billing import services as billing
from generation.tests.factories import GenerationFactory, OutputFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 8
STATEFUL_SCENARIOS = 25


@pytest.fixture
def api_schema(db, settings):
    from cartonify.wsgi import application

    settings.API_KEY_RATE_LIMIT = "100000/m"
    settings.GENERATION_RATE_LIMIT = "100000/h"
    settings.GENERATION_ENHANCE_RATE_LIMIT = "100000/h"
    # This test's jobs never run (their commit never comes): a generated `Prefer: wait=N`
    # would only sleep, so no request gets a waiting slot.
    settings.TRANSFORM_MAX_WAITING = 0
    # Like Django's test client: keep the test's connection (and its transaction) open
    # across the WSGI requests instead of closing it when each request finishes.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def owned_ids(user):
    """Path parameters that hit the key owner's objects, so success answers are checked too."""
    billing.credits_grant(user=user, amount=10_000, reason="schema test", reference="schema")
    image = OutputFactory(generation=GenerationFactory(user=user))
    running = GenerationFactory(user=user, status="running")
    return {"image_id": image.pk, "output_id": image.pk, "generation_id": running.pk}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_answers_every_request_as_its_schema_says(api_schema, new_key, owned_ids, mode):
    headers = {"Authorization": f"Bearer {new_key.plaintext}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12

    for operation in operations:
        _fuzz(operation.as_strategy(generation_mode=mode), headers)
        names = {p.name for p in operation.path_parameters}
        if names and mode == GenerationMode.POSITIVE:
            ids = {name: owned_ids[name] for name in names}
            _fuzz(operation.as_strategy(generation_mode=mode, path_parameters=ids), headers)


def test_chained_calls_answer_as_the_schema_says(api_schema, new_key, owned_ids):
    headers = {"Authorization": f"Bearer {new_key.plaintext}"}
    workflow = api_schema.as_state_machine()
    assert len(workflow.bundles) >= 3, "schemathesis found no links between our operations"

    class Workflow(workflow):
        # Each scenario starts from the same data and counters: hypothesis replays
        # scenarios, and one that met another's leftovers (a used idempotency key, a
        # spent rate limit) would answer differently the second time.
        def setup(self):
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)
            cache.clear()

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers)

    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )


def _fuzz(strategy, headers):
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
