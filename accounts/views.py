"""The account page: your data to take away, and closing the account."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from billing import services as billing
from core.files import stored_file_response
from core.ratelimits import RateLimited, rate_limit
from generation.models import Preferences

from . import deletion, exports
from .forms import CloseAccountForm, PreferencesForm
from .models import DataExport


@login_required
def account(request):
    context = {
        "export": request.user.exports.first(),
        "account": billing.credit_account_for(user=request.user),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def export_start(request):
    htmx = request.headers.get("HX-Request") == "true"
    try:
        _check_export_rate(request)
    except RateLimited as limited:
        if not htmx:
            messages.error(request, limited.message)
            return redirect("accounts:account")
        context = {"export": request.user.exports.first(), "refusal": limited.message}
        return render(request, "accounts/partials/export.html", context, status=429)
    export = exports.export_request(user=request.user)
    if htmx:
        return render(request, "accounts/partials/export.html", {"export": export})
    return redirect("accounts:account")


def _check_export_rate(request) -> None:
    """Each export copies every output: a user may ask for EXPORT_RATE_LIMIT of them."""
    rate_limit(
        request,
        group="accounts.export",
        key="user",
        rate=settings.EXPORT_RATE_LIMIT,
        allowed="ask for {count} data export",
        method=["POST"],
    )


@login_required
@require_GET
def export_status(request, pk):
    export = get_object_or_404(DataExport, pk=pk, user=request.user)
    return render(request, "accounts/partials/export.html", {"export": export})


@login_required
@require_GET
def export_download(request, pk):
    export = get_object_or_404(DataExport, pk=pk, user=request.user)
    if not export.can_download:
        raise Http404("This export is not ready, or has expired.")
    return stored_file_response(export.file, filename=export.filename, download=True)


@login_required
def defaults(request):
    form = PreferencesForm(request.POST or None, instance=Preferences.for_user(request.user))
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your defaults are saved.")
            return redirect("accounts:defaults")
        return render(request, "accounts/defaults.html", {"form": form}, status=400)
    return render(request, "accounts/defaults.html", {"form": form})


@login_required
def close(request):
    form = CloseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        deletion.account_delete(user=user, by=user)
        messages.success(request, "Your account is closed and everything in it deleted.")
        return redirect("home")
    return render(request, "accounts/close.html", {"form": form})
