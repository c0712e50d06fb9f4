"""API key and usage pages. Thin: parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from . import services, usage
from .charts import usage_chart
from .forms import ApiKeyForm
from .models import ApiKey

NEW_KEY_CACHE = "apikeys:new-key:{}"
NEW_KEY_TTL = 300


@login_required
def key_list(request):
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _create_and_hand_over(request, **form.cleaned_data)
        except services.KeyLimitReached as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("apikeys:key_list")
    new_key = _pop_new_key(request)
    keys = ApiKey.objects.for_user(request.user).with_month_spend()
    context = {"form": form, "new_key": new_key, "keys": keys}
    response = render(request, "apikeys/key_list.html", context)
    if new_key is not None:
        # The page holds a secret: never keep it in a cache or the back/forward history.
        response["Cache-Control"] = "no-store"
    return response


def _create_and_hand_over(request, *, name: str, scopes: list, monthly_credit_cap) -> None:
    """Create a key and leave its plaintext for the next page, or create nothing.

    Post/redirect/get, so a reload can't create a second key. The plaintext waits in
    the cache (not the session, which is also saved in the database) only until the
    very next page view takes it. If the cache is down the key is rolled back and the
    outage page shown: a stored key whose plaintext nobody saw would be useless.
    """
    with transaction.atomic():
        new_key = services.api_key_create(
            user=request.user, name=name, scopes=scopes, monthly_credit_cap=monthly_credit_cap
        )
        cache.set(
            NEW_KEY_CACHE.format(request.user.pk),
            [new_key.api_key.pk, new_key.plaintext],
            NEW_KEY_TTL,
        )


def _pop_new_key(request) -> services.NewKey | None:
    name = NEW_KEY_CACHE.format(request.user.pk)
    stored = cache.get(name)
    cache.delete(name)
    if not stored:
        return None
    api_key = ApiKey.objects.for_user(request.user).filter(pk=stored[0]).first()
    return services.NewKey(api_key=api_key, plaintext=stored[1]) if api_key else None


@login_required
def key_revoke(request, pk):
    api_key = get_object_or_404(ApiKey, pk=pk, user=request.user)
    if request.method == "POST":
        services.api_key_revoke(user=request.user, api_key_id=api_key.pk)
        messages.success(
            request, f"The key “{api_key.name}” is revoked. Requests with it now fail."
        )
        return redirect("apikeys:key_list")
    return render(request, "apikeys/key_confirm_revoke.html", {"api_key": api_key})


@login_required
def usage_page(request):
    report = usage.usage_report(user=request.user, days=30)
    context = {"report": report, "chart": usage_chart(report["days"])}
    return render(request, "apikeys/usage.html", context)
