from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from . import services


@login_required
@require_POST
def secret_rotate(request):
    services.signing_secret_rotate(user=request.user)
    messages.success(
        request,
        "Your webhook signing secret is new. Deliveries from now on, retries included, "
        "are signed with it.",
    )
    return redirect("apikeys:key_list")
