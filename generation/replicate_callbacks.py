"""Replicate's callbacks about a running prediction (Replicate calls them webhooks; ours
to other people are in `webhooks/`), at the signed address the prediction was created with."""

import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.instruments import counts_replicate_webhooks

from . import services
from .models import Generation, ReplicateWebhookEvent
from .providers import InvalidWebhook
from .providers.replicate import verify_webhook

logger = logging.getLogger(__name__)


@counts_replicate_webhooks
@csrf_exempt
@require_POST
def replicate_callback(request, pk):
    if not settings.REPLICATE_WEBHOOK_SECRET:
        raise Http404("Replicate callbacks are not enabled.")
    try:
        payload = verify_webhook(request.headers, request.body)
    except (InvalidWebhook, json.JSONDecodeError):
        logger.warning("rejected a Replicate callback for generation %s", pk)
        return HttpResponseBadRequest("invalid signature")
    generation = get_object_or_404(Generation, pk=pk)
    try:
        with transaction.atomic():
            ReplicateWebhookEvent.objects.create(
                webhook_id=request.headers["webhook-id"], generation=generation
            )
    except IntegrityError:
        return HttpResponse("duplicate")
    # Progress is noted now; the outputs are downloaded by a worker, not while Replicate
    # waits for our answer.
    services.generation_record_callback(generation=generation, payload=payload)
    return HttpResponse("ok")
