from django.shortcuts import render
from django.views.decorators.cache import cache_control

from generation.starters import STARTERS
from sharing.models import Share

HOME_SHARES = 12


# no-cache: a share its owner ends or staff hide leaves the page at once.
@cache_control(no_cache=True)
def home(request):
    shares, examples = [], ()
    if not request.user.is_authenticated:
        shares = list(Share.objects.public().for_display()[:HOME_SHARES])
        examples = () if shares else STARTERS  # the wall is never blank
    return render(request, "home.html", {"shares": shares, "examples": examples})
