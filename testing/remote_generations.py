from django.db.models import F

from generation import services
from generation.models import Generation
from generation.providers import get_provider
from generation.services import GenerationRequest

IMAGES = GenerationRequest(kind="image", prompt="a heron in the rain", count=2)


def running_remote_generation(user, request=IMAGES) -> Generation:
    """A job the worker has started on Replicate and is waiting for (no poller running)."""
    job = services.generation_submit(user=user, request=request)
    services.generation_claim(generation_id=job.pk)
    started = get_provider("replicate").start(services.spec_for(job), webhook_url=None)
    Generation.objects.filter(pk=job.pk).update(
        provider_job_id=started.provider_job_id, started_at=F("created_at")
    )
    job.refresh_from_db()
    return job
