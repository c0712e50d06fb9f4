"""Baselines, mounted only by bench.settings.

`baseline_generate` is the original design: the model runs inside the request and
the worker is held for all of it. `intake_limit` is the least any correct intake
does. `bare_page` is Django with no database access.
"""

import json
import uuid
from functools import cache

from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apikeys import services as apikeys
from cartonify.celery import ping
from generation.forms import GenerateForm
from generation.models import Generation, Kind
from generation.providers import GenerationSpec, get_provider


@login_required
@require_POST
def baseline_generate(request):
    form = GenerateForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("invalid form")
    data = form.cleaned_data
    spec = GenerationSpec(
        kind=data["kind"],
        prompt=data["prompt"],
        style=data["style"],
        color=data["color"],
        width=data["size"],
        height=data["size"],
        count=data["count"],
    )
    started = get_provider("local").start(spec)
    names = [
        default_storage.save(
            f"bench/{uuid.uuid4().hex}.{file.extension}", ContentFile(file.content)
        )
        for file in started.outcome.files
    ]
    return HttpResponse("".join(f"<img src='/media/{name}'>" for name in names))


@csrf_exempt
@require_POST
def intake_limit(request):
    """Authenticate the key as the API does, insert one row in a transaction, publish one
    Celery message on commit, answer 202: what no correct intake can skip."""
    api_key = apikeys.api_key_authenticate(request.headers.get("Authorization", "")[7:])
    if api_key is None:
        return HttpResponse(status=401)
    prompt = json.loads(request.body)["prompt"]
    with transaction.atomic():
        job = Generation.objects.create(
            user=api_key.user, kind=Kind.IMAGE, prompt=prompt, provider="local"
        )
        transaction.on_commit(ping.delay)
    return JsonResponse({"id": job.pk}, status=202)


@cache
def _page(size: int) -> bytes:
    head = b"<!doctype html><html><body>"
    return head + b"x" * max(size - len(head) - 14, 0) + b"</body></html>"


@require_GET
def bare_page(request):
    size = min(int(request.GET.get("bytes", "0") or 0), 1_000_000)
    return HttpResponse(_page(size), content_type="text/html; charset=utf-8")
