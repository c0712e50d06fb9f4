from django import template

from .. import services
from ..models import Delivery, DeliveryAttempt

register = template.Library()

RECENT = 20


@register.inclusion_tag("webhooks/secret_card.html", takes_context=True)
def webhook_secret_card(context):
    user = context["request"].user
    return {"secret": services.signing_secret_for(user=user), "csrf_token": context["csrf_token"]}


@register.inclusion_tag("webhooks/recent_deliveries.html", takes_context=True)
def recent_webhook_deliveries(context):
    attempts = (
        DeliveryAttempt.objects.for_user(context["request"].user)
        .select_related("delivery__webhook")
        .order_by("-attempted_at", "-id")[:RECENT]
    )
    return {"attempts": attempts}


@register.inclusion_tag("webhooks/job_log.html")
def job_webhook_log(job):
    """One query, and only for API jobs (the only ones that can have a webhook)."""
    deliveries = []
    if job.via == "api":
        deliveries = list(Delivery.objects.filter(webhook__generation=job).order_by("created_at"))
    return {"deliveries": deliveries}
