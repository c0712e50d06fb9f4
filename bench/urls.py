"""The site's URLs plus the baselines the benchmarks compare against."""

from django.urls import path

from cartonify.urls import urlpatterns as site_urlpatterns

from . import views

urlpatterns = [
    path("bench/baseline/generate/", views.baseline_generate, name="bench_baseline_generate"),
    path("bench/limit/intake/", views.intake_limit, name="bench_intake_limit"),
    path("bench/bare/", views.bare_page, name="bench_bare_page"),
    *site_urlpatterns,
]

handler500 = "cartonify.errors.server_error"
