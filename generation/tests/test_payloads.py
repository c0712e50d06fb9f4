"""A job's public shape is built once: a webhook's body is the API's answer, byte for byte."""

from datetime import UTC, datetime

from generation.models import Generation
from generation.payloads import generation_payload_json

from .factories import GenerationFactory, OutputFactory


def test_a_jobs_payload_is_the_api_answer_byte_for_byte(api, user):
    started = datetime(2026, 12, 4, 18, 40, 0, 123456, tzinfo=UTC)  # microseconds the API drops
    job = GenerationFactory(user=user, started_at=started, finished_at=started)
    OutputFactory(generation=job)

    answer = api.get(f"/generations/{job.pk}")

    payload = generation_payload_json(
        Generation.objects.get(pk=job.pk), site_url="http://testserver/"
    )
    assert answer.status_code == 200
    assert payload == answer.content.decode()
    assert '"started_at": "2026-12-04T18:40:00.123Z"' in payload
