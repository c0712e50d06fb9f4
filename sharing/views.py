"""Share controls for owners, the public share page, its file, the feed, remix, and the
signed-out home page that shows the newest shares."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

from generation.models import Output
from generation.pagination import KeysetPage
from generation.responses import output_file_response
from generation.starters import STARTERS

from . import services
from .exceptions import ShareRefused
from .forms import ShareForm
from .models import Share

FEED_PAGE_SIZE = 24
HOME_SHARES = 12


def _owned_output(request, pk) -> Output:
    return get_object_or_404(Output, pk=pk, user=request.user)


def _public_share(token) -> Share:
    return get_object_or_404(Share.objects.public().for_display(), token=token)


@login_required
@require_POST
def share(request, pk):
    output = _owned_output(request, pk)
    form = ShareForm(request.POST)
    form.is_valid()  # one optional checkbox: always valid
    try:
        services.share_create(output=output, show_prompt=form.cleaned_data["show_prompt"])
    except ShareRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Shared. Anyone with the link can see it.")
    return redirect("generation:output_detail", pk=output.pk)


@login_required
@require_POST
def unshare(request, pk):
    output = _owned_output(request, pk)
    share = get_object_or_404(Share, output=output)
    try:
        services.share_delete(share=share)
    except ShareRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "No longer shared: the link now leads nowhere.")
    return redirect("generation:output_detail", pk=output.pk)


# Public pages are checked on every request: an unshared, deleted or hidden output's
# address must answer 404 at once, so nothing may keep a copy.
@never_cache
@require_GET
def share_page(request, token):
    share = _public_share(token)
    file_url = request.build_absolute_uri(reverse("sharing:file", args=[share.token]))
    # A link preview needs a picture: a video's is the app's icon (we keep no poster frame).
    image_url = file_url
    if share.is_video:
        image_url = request.build_absolute_uri(static("img/icon-512.png"))
    context = {"share": share, "output": share.output, "file_url": file_url, "image_url": image_url}
    return render(request, "sharing/share_page.html", context)


@never_cache
@require_GET
def share_file(request, token):
    share = _public_share(token)
    output = share.output
    # The gallery's file name carries the output's id; with an object store it would
    # travel in the presigned link.
    return output_file_response(output, download=False, filename=f"cartonify.{output.extension}")


@login_required
@require_GET
def remix(request, token):
    share = _public_share(token)
    query = services.share_remix_query(share=share)
    return redirect(f"{reverse('generation:generate')}?{query}")


@cache_control(no_cache=True)
@require_GET
def explore(request):
    shares = Share.objects.public().for_display()
    page = KeysetPage(shares, before=request.GET.get("before"), size=FEED_PAGE_SIZE)
    return render(request, "sharing/explore.html", {"page": page, "query": ""})


# no-cache: a share its owner ends or staff hide leaves the page at once.
@cache_control(no_cache=True)
def home(request):
    shares, examples = [], ()
    if not request.user.is_authenticated:
        shares = list(Share.objects.public().for_display()[:HOME_SHARES])
        examples = () if shares else STARTERS  # the wall is never blank
    return render(request, "home.html", {"shares": shares, "examples": examples})
