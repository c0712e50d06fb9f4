"""Static files, media (a local folder or an S3-compatible bucket) and upload limits."""

from cartonify.settings.base import BASE_DIR, DEVELOPMENT, env

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Hashed, compressed static names need a collectstatic run; off for dev and tests.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEVELOPMENT)
# In development WhiteNoise serves the source folders, fresh on every request, whatever DEBUG.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEVELOPMENT
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Media (outputs, uploads, exports) in an S3-compatible bucket (AWS S3, Cloudflare R2,
# MinIO) when AWS_STORAGE_BUCKET_NAME is set; the bucket stays private and files are
# fetched through short-lived presigned links (core.files). Unset: MEDIA_ROOT.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default="")  # empty: AWS itself
# Where browsers reach the store, when not at AWS_S3_ENDPOINT_URL (MinIO under compose).
AWS_S3_PUBLIC_ENDPOINT_URL = env("AWS_S3_PUBLIC_ENDPOINT_URL", default="")
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default="us-east-1")
# Seconds a presigned download link works; the redirect to it is cached half as long.
S3_PRESIGN_SECONDS = env.int("S3_PRESIGN_SECONDS", default=300)
AWS_S3_ADDRESSING_STYLE = env(
    # MinIO and most other stores answer on one host, with the bucket in the path.
    "AWS_S3_ADDRESSING_STYLE",
    default="path" if AWS_S3_ENDPOINT_URL else "virtual",
)
if AWS_STORAGE_BUCKET_NAME:
    from core.object_storage import s3_storage

    STORAGES["default"] = s3_storage(
        bucket=AWS_STORAGE_BUCKET_NAME,
        endpoint_url=AWS_S3_ENDPOINT_URL,
        public_endpoint_url=AWS_S3_PUBLIC_ENDPOINT_URL,
        region=AWS_S3_REGION_NAME,
        addressing_style=AWS_S3_ADDRESSING_STYLE,
        # Empty: boto3's own chain (an instance role, ~/.aws) finds them.
        access_key=env("AWS_ACCESS_KEY_ID", default=None),
        secret_key=env("AWS_SECRET_ACCESS_KEY", default=None),
        presign_seconds=S3_PRESIGN_SECONDS,
    )

DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
