"""The caller's plan, credits and API usage."""

from django.conf import settings
from ninja import Query

from apikeys import usage
from billing import services as billing

from .errors import ERROR_RESPONSES
from .router import router
from .schemas import MeOut, UsageOut

TAGS = ["Account"]


@router.get(
    "/me",
    tags=TAGS,
    response={200: MeOut, **ERROR_RESPONSES},
    summary="Your plan and remaining credits",
)
def me(request):
    account = billing.credit_account_for(user=request.user)
    return {
        "email": request.user.email,
        "plan": account.plan,
        "credits_remaining": account.balance,
        "period_end": account.period_end,
        "api_key": request.auth.masked,
        "api_key_scopes": request.auth.scope_names,
        "api_key_monthly_credit_cap": request.auth.monthly_credit_cap,
        "api_key_spent_this_month": request.auth.spent_this_month(),
        "key_rate_limit": settings.API_KEY_RATE_LIMIT,
        "generation_rate_limit": settings.GENERATION_RATE_LIMIT,
    }


@router.get(
    "/usage",
    tags=TAGS,
    response={200: UsageOut, **ERROR_RESPONSES},
    summary="Requests per day and endpoint",
)
def usage_stats(request, days: int = Query(30, ge=1, le=90)):
    return usage.usage_report(user=request.user, days=days)
