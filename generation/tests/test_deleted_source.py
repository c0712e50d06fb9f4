"""A job that starts from one of its owner's images needs that image when a worker runs it:
deleted while the job was queued, the job ends failed and refunded, and is never sent out
as another kind of job (a video from text alone, a picture without its reference)."""

import pytest

from billing import services as billing
from generation import services
from generation.models import Kind, Status
from generation.services import GenerationRequest
from generation.tests.factories import OutputFactory

pytestmark = pytest.mark.django_db

STARTED_FROM_AN_IMAGE = [
    pytest.param(
        GenerationRequest(kind=Kind.VIDEO, prompt="the clouds drift by"),
        "The image this video was made from has been deleted.",
        id="animation",
    ),
    pytest.param(
        GenerationRequest(kind=Kind.EDIT, prompt="", edit_operation="sepia"),
        "The image this edit started from is gone.",
        id="edit",
    ),
    pytest.param(
        GenerationRequest(kind=Kind.IMAGE, prompt="a fox in this light"),
        "The reference image this picture was made from has been deleted.",
        id="reference",
    ),
]


@pytest.mark.parametrize("asked,gone", STARTED_FROM_AN_IMAGE)
def test_a_job_whose_image_was_deleted_while_queued_fails_refunded_and_is_never_sent(
    user, fake_replicate, asked, gone
):
    image = OutputFactory(generation__user=user)
    # Its task is queued when this test's transaction commits, which it never does.
    job = services.generation_submit(user=user, request=asked, source_output=image)
    assert billing.credits_balance(user=user) == 4
    services.output_delete(output=image)

    services.generation_run(generation_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.error) == (Status.FAILED, gone)
    assert not job.outputs.exists()
    assert billing.credits_balance(user=user) == 5
    assert fake_replicate.created == []
