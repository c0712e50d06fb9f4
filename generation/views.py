"""Generator, jobs and gallery pages. Thin: parse, call a service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from billing import services as billing
from core.exceptions import ApplicationError
from core.staff_pages import staff_view

from . import services
from .exceptions import InvalidRequest, JobStateConflict
from .forms import AnimateForm, EditForm, EnhanceForm, GallerySearchForm, GenerateForm
from .gallery_cache import gallery_grid
from .models import Generation, Image, Kind, Output, Preferences, Status
from .options import PROMPT_MAX_LENGTH
from .pagination import KeysetPage
from .ratelimits import check_generation_rate
from .responses import output_file_response
from .starters import STARTERS
from .uploads import read_uploaded_image

GALLERY_PAGE_SIZE = 24
RECENT_JOBS = 10


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _initial_from(request) -> dict:
    """Prefill the form from ?from=<job id> ("use these settings again")."""
    job_id = request.GET.get("from", "")
    if not (job_id.isascii() and job_id.isdigit()):  # "²" passes isdigit(), not int()
        return {}
    job = Generation.objects.filter(pk=job_id, user=request.user).first()
    if job is None:
        return {}
    req = services.request_from(job)
    kind = Kind.VIDEO if job.kind == Kind.VIDEO else Kind.IMAGE
    return {**vars(req), "kind": kind}


def _initial(request) -> dict:
    """The composer's start: the user's saved defaults, then settings a link carries
    (?style=…), a past job's settings (?from=), and a reference image (?reference=)."""
    initial = {
        **Preferences.for_user(request.user).as_dict(),
        **GenerateForm.initial_from_query(request.GET),
        **_initial_from(request),
    }
    reference = request.GET.get("reference", "")
    if (
        reference.isascii()
        and reference.isdigit()
        and Image.objects.for_user(request.user).filter(pk=reference).exists()
    ):
        initial["reference_output"] = int(reference)
    return initial


COMPOSER_TABS = (("image", "Images"), ("video", "Video"), ("edit", "Edit an image"))


def _composer_context(request, form, edit_form=None, error="", tab=None):
    account = billing.credit_account_for(user=request.user)
    return {
        "form": form,
        "edit_form": edit_form or EditForm(),
        "error": error,
        "composer_tabs": COMPOSER_TABS,
        # The tab the user was on stays open, whatever the answer: an edit refused or
        # started comes back on the Edit tab.
        "tab": tab or ("video" if form["kind"].value() == Kind.VIDEO else "image"),
        "credits": account.balance,
        # Shown before submitting: what a request of each kind costs on this plan.
        "image_cost": billing.plan_cost(plan=account.plan, kind=Kind.IMAGE, count=2),
        "video_cost": billing.plan_cost(plan=account.plan, kind=Kind.VIDEO, count=1),
    }


@require_GET
def start(request):
    """The home page's prompt box: to the generator with the prompt filled in; a visitor
    signs up first, and the prompt travels through sign-up as the `next` address."""
    prompt = request.GET.get("prompt", "").strip()[:PROMPT_MAX_LENGTH]
    generator = reverse("generation:generate")
    if prompt:
        generator = f"{generator}?{urlencode({'prompt': prompt})}"
    if request.user.is_authenticated:
        return redirect(generator)
    return redirect(f"{reverse('account_signup')}?{urlencode({'next': generator})}")


@login_required
def generate(request):
    if request.method != "POST":
        form = GenerateForm(initial=_initial(request))
        context = _composer_context(request, form)
        context["jobs"] = _recent_jobs(request)
        # No jobs yet: a newcomer, welcomed with starter prompts.
        context["starters"] = STARTERS if not context["jobs"] else ()
        return render(request, "generation/generate.html", context)
    form = GenerateForm(request.POST, request.FILES)

    def submit():
        reference = form.cleaned_data["reference_output"]
        upload = form.cleaned_data["reference_upload"]
        return services.generation_submit(
            user=request.user,
            request=form.to_request(),
            source_output=_owned_image(request, reference) if reference else None,
            source_bytes=read_uploaded_image(upload) if upload else None,
        )

    return _submit(request, form, submit)


def _recent_jobs(request) -> list[Generation]:
    jobs = Generation.objects.for_user(request.user).with_pictures().prefetch_related("outputs")
    return list(jobs[:RECENT_JOBS])


def _owned_image(request, pk: int) -> Output:
    image = Image.objects.for_user(request.user).filter(pk=pk).first()
    if image is None:
        raise InvalidRequest("That image is not in your gallery.", field="reference_output")
    return image


@login_required
@require_POST
def edit_upload(request):
    edit_form = EditForm(request.POST, request.FILES)

    def submit():
        upload = edit_form.cleaned_data["source_upload"]
        if upload is None:
            raise InvalidRequest("Choose an image to upload.", field="source_upload")
        return services.generation_submit(
            user=request.user,
            request=edit_form.to_request(),
            source_bytes=read_uploaded_image(upload),
            mask_bytes=edit_form.mask_bytes(),
        )

    return _submit(request, edit_form, submit, composer_form=GenerateForm(), edit_form=edit_form)


def _submit(request, form, submit, composer_form=None, edit_form=None):
    """Shared by every form that starts a job: rate limit, validate, submit, answer."""
    status, error, headers = 400, "", {}
    try:
        # Only well-formed requests count against the hourly limit, as in the API.
        if form.is_valid():
            check_generation_rate(request)
            job = submit()
            return _job_started(request, job, form)
    except InvalidRequest as invalid:  # a form to fix: 400, as for the form's own errors
        form.add_error(invalid.field if invalid.field in form.fields else None, invalid.message)
    except ApplicationError as refused:
        status, error, headers = refused.status, refused.message, refused.headers
    context = _composer_context(request, composer_form or form, edit_form, error, tab=_tab_of(form))
    template = (
        "generation/partials/composer.html" if _is_htmx(request) else "generation/generate.html"
    )
    if not _is_htmx(request):
        context["jobs"] = _recent_jobs(request)
    return _with_headers(render(request, template, context, status=status), headers)


def _tab_of(form) -> str | None:
    """The composer tab a submitted form came from, when the form alone says it."""
    return "edit" if isinstance(form, EditForm) else None


def _with_headers(response, headers: dict):
    for name, value in headers.items():
        response[name] = value
    return response


def _job_started(request, job, form):
    if not _is_htmx(request):
        messages.success(request, "Your job is queued. It will appear below when it is done.")
        return redirect("generation:generate")
    composer = GenerateForm(initial=form.cleaned_data) if isinstance(form, GenerateForm) else None
    context = _composer_context(request, composer or GenerateForm(), tab=_tab_of(form))
    job.refresh_from_db()  # with an inline worker (the embedded defaults) it has run already
    context["new_job"] = job
    return render(request, "generation/partials/composer.html", context)


@login_required
@require_POST
def enhance(request):
    form = EnhanceForm(request.POST)
    if not form.is_valid():
        context = {"prompt": request.POST.get("prompt", ""), "error": "Write a prompt to enhance."}
        return _prompt_field(request, context, status=400)
    prompt = form.cleaned_data["prompt"]
    try:
        check_generation_rate(request, kind=Kind.ENHANCE)
        job = services.generation_submit(
            user=request.user, request=services.GenerationRequest(kind=Kind.ENHANCE, prompt=prompt)
        )
    except ApplicationError as refused:
        # Bad input is a field to fix (400, as a form); other refusals answer their status.
        status = 400 if isinstance(refused, InvalidRequest) else refused.status
        response = _prompt_field(request, {"prompt": prompt, "error": refused.message}, status)
        return _with_headers(response, refused.headers)
    return _enhanced_field(request, job)


@login_required
@require_GET
def enhance_status(request, pk):
    job = get_object_or_404(Generation, pk=pk, user=request.user, kind=Kind.ENHANCE)
    return _enhanced_field(request, job)


def _enhanced_field(request, job):
    job.refresh_from_db()  # with an inline worker the job may already be done
    context = {"prompt": job.result_text or job.prompt, "job": job}
    if job.status == Status.FAILED:
        context["error"] = job.error
    return _prompt_field(request, context)


def _prompt_field(request, context: dict, status: int = 200):
    context = {**context, "max_length": PROMPT_MAX_LENGTH}
    return render(request, "generation/partials/prompt_field.html", context, status=status)


@login_required
def jobs(request):
    page = Paginator(
        Generation.objects.for_user(request.user).with_pictures().prefetch_related("outputs"), 20
    )
    return render(request, "generation/jobs.html", {"page": page.get_page(request.GET.get("page"))})


@login_required
@require_GET
def job_status(request, pk):
    job = get_object_or_404(
        Generation.objects.prefetch_related("outputs"), pk=pk, user=request.user
    )
    return render(request, "generation/partials/job.html", {"job": job})


@login_required
@require_POST
def job_cancel(request, pk):
    job = get_object_or_404(Generation, pk=pk, user=request.user)
    notice, status = "", 200
    try:
        job = services.generation_cancel(generation=job, by=request.user)
    except JobStateConflict as refused:
        job = get_object_or_404(
            Generation.objects.prefetch_related("outputs"), pk=pk, user=request.user
        )
        notice, status = str(refused), 409
    if _is_htmx(request):
        context = {"job": job, "notice": notice}
        return render(request, "generation/partials/job.html", context, status=status)
    if notice:
        messages.error(request, notice)
    return redirect("generation:jobs")


@login_required
@require_POST
def job_retry(request, pk):
    job = get_object_or_404(Generation, pk=pk, user=request.user)
    try:
        check_generation_rate(request)
        services.generation_retry(generation=job)
    except ApplicationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "Queued again.")
    return redirect("generation:jobs")


@login_required
@require_GET
def gallery(request):
    form = GallerySearchForm(request.GET or None)
    outputs = Output.objects.for_user(request.user).select_related("generation")
    if form.is_valid():
        data = form.cleaned_data
        outputs = outputs.search(
            user=request.user, prompt=data["q"], kind=data["kind"], favorites=data["favorites"]
        )
    elif form.is_bound:
        outputs = outputs.none()  # the form says what to fix
    # Lazy: a grid served from the fragment cache runs no query.
    page = KeysetPage(outputs, before=request.GET.get("before"), size=GALLERY_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("before", None)
    grid = {"form": form, "page": page, "query": query.urlencode()}
    context = {
        **grid,
        "grid": gallery_grid(
            user_id=request.user.pk,
            variant=_gallery_variant(request, form),
            render=lambda: render_to_string(GALLERY_GRID_TEMPLATE, grid),
        ),
    }
    return render(request, "generation/gallery.html", context)


GALLERY_GRID_TEMPLATE = "generation/partials/gallery_body.html"


def _gallery_variant(request, form) -> str | None:
    """What the cached filters and grid vary on, or None: not cached. Only the first page of each
    filter is cached, a handful per user: every other query string (a search, a deeper
    page, unknown parameters) would be one more cache entry for an hour."""
    if set(request.GET) - {"q", "kind", "favorites"} or (request.GET and not form.is_valid()):
        return None
    data = form.cleaned_data if request.GET else {"q": "", "kind": "", "favorites": False}
    if data["q"]:
        return None
    return f"{data['kind']}:{data['favorites']}"


def _owned_output(request, pk):
    return get_object_or_404(Output.objects.select_related("generation"), pk=pk, user=request.user)


@login_required
@require_GET
def output_detail(request, pk):
    output = _owned_output(request, pk)
    return _render_detail(request, output, AnimateForm.for_image(output))


def _render_detail(request, output, animate_form, status=200):
    account = billing.credit_account_for(user=request.user)
    context = {
        "output": output,
        "animate_form": animate_form,
        "video_cost": billing.plan_cost(plan=account.plan, kind=Kind.VIDEO, count=1),
    }
    return render(request, "generation/output_detail.html", context, status=status)


@login_required
@require_GET
def output_file(request, pk):
    output = _owned_output(request, pk)
    return output_file_response(output, download=request.GET.get("download") == "1")


@login_required
@require_POST
def output_favorite(request, pk):
    output = _owned_output(request, pk)
    favorite = request.POST.get("favorite") == "1"
    output = services.output_set_favorite(output=output, favorite=favorite)
    if _is_htmx(request):
        on_tile = request.POST.get("on") == "tile"  # the gallery's compact switch
        template = "tile_favorite.html" if on_tile else "favorite_button.html"
        return render(request, f"generation/partials/{template}", {"output": output})
    return redirect("generation:output_detail", pk=output.pk)


@login_required
def output_delete(request, pk):
    output = _owned_output(request, pk)
    if request.method == "POST":
        services.output_delete(output=output)
        if _is_htmx(request):  # a gallery tile's button: the tile goes, nothing takes its place
            return HttpResponse("")
        messages.success(request, "Deleted.")
        return redirect("generation:gallery")
    return render(request, "generation/output_confirm_delete.html", {"output": output})


@login_required
def output_edit(request, pk):
    output = _owned_output(request, pk)
    form = EditForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":

        def submit():
            return services.generation_submit(
                user=request.user,
                request=form.to_request(),
                source_output=output,
                mask_bytes=form.mask_bytes(),
            )

        status = _submit_for_output(request, form, submit, queued="Your edit is queued.")
        if status is None:
            return redirect("generation:generate")
    context = {"output": output, "form": form}
    return render(request, "generation/output_edit.html", context, status=status)


@login_required
@require_POST
def output_animate(request, pk):
    output = _owned_output(request, pk)
    form = AnimateForm(request.POST)

    def submit():
        return services.generation_submit(
            user=request.user, request=form.to_request(), source_output=output
        )

    status = _submit_for_output(request, form, submit, queued="Your video is queued.")
    if status is None:
        return redirect("generation:generate")
    return _render_detail(request, output, form, status=status)


def _submit_for_output(request, form, submit, *, queued: str) -> int | None:
    """Start a job from a form on an output's pages: None once it is queued, else the
    status to answer with (the form or a message says what went wrong)."""
    try:
        if form.is_valid():
            check_generation_rate(request)
            submit()
            messages.success(request, queued)
            return None
    except InvalidRequest as invalid:
        if invalid.field in form.fields:
            form.add_error(invalid.field, invalid.message)
        else:  # about the output itself (a video cannot be animated): the page says it
            messages.error(request, invalid.message)
    except ApplicationError as refused:
        messages.error(request, refused.message)
        return refused.status
    return 400


@staff_view
@require_GET
def admin_output_file(request, pk):
    """Staff see any output's file (for admin previews); users only see their own."""
    output = get_object_or_404(Output, pk=pk)
    return output_file_response(output, download=False)
