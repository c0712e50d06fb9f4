from django.urls import path

from . import replicate_callbacks, views

app_name = "generation"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("generate/", views.generate, name="generate"),
    path("generate/edit/", views.edit_upload, name="edit_upload"),
    path("generate/enhance/", views.enhance, name="enhance"),
    path("generate/enhance/<int:pk>/", views.enhance_status, name="enhance_status"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("gallery/", views.gallery, name="gallery"),
    path("gallery/<int:pk>/", views.output_detail, name="output_detail"),
    path("gallery/<int:pk>/file/", views.output_file, name="output_file"),
    path("gallery/<int:pk>/favorite/", views.output_favorite, name="output_favorite"),
    path("gallery/<int:pk>/delete/", views.output_delete, name="output_delete"),
    path("gallery/<int:pk>/edit/", views.output_edit, name="output_edit"),
    path("gallery/<int:pk>/animate/", views.output_animate, name="output_animate"),
    path("staff/outputs/<int:pk>/file/", views.admin_output_file, name="admin_output_file"),
    # Predictions in flight were created with this address: it stays.
    path(
        "webhooks/replicate/<int:pk>/",
        replicate_callbacks.replicate_callback,
        name="replicate_webhook",
    ),
]
