"""Facts about the S3-compatible bucket that settings and start-up checks need."""

from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError

# What a storage backend raises when the store itself fails (the disk or the bucket).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


def s3_storage(
    *,
    bucket: str,
    endpoint_url: str,
    public_endpoint_url: str = "",
    region: str,
    addressing_style: str,
    access_key: str | None,
    secret_key: str | None,
    presign_seconds: int,
) -> dict:
    """STORAGES["default"] for a private S3-compatible bucket."""
    from botocore.config import Config

    return {
        "BACKEND": "core.media_storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "public_endpoint_url": public_endpoint_url or None,
            "region_name": region,
            "access_key": access_key,
            "secret_key": secret_key,
            "addressing_style": addressing_style,
            # A store that is down fails a save within seconds, so the job is retried.
            "client_config": Config(
                s3={"addressing_style": addressing_style},
                signature_version="s3v4",
                connect_timeout=3,
                read_timeout=30,
                retries={"mode": "standard", "max_attempts": 3},
            ),
            "default_acl": None,  # the bucket's own (private), never public-read
            "querystring_auth": True,
            "querystring_expire": presign_seconds,
            "file_overwrite": False,
        },
    }


def storage_origins(options: dict) -> list[str]:
    """Origins the bucket's presigned links live on, for the Content-Security-Policy."""
    endpoint = options.get("public_endpoint_url") or options.get("endpoint_url")
    bucket = options["bucket_name"]
    if endpoint:
        parts = urlsplit(endpoint)
        if options.get("addressing_style") == "virtual":
            return [f"{parts.scheme}://{bucket}.{parts.netloc}"]
        return [f"{parts.scheme}://{parts.netloc}"]
    region = options.get("region_name") or "us-east-1"
    # AWS names us-east-1 buckets without the region too.
    return [f"https://{bucket}.s3.{region}.amazonaws.com", f"https://{bucket}.s3.amazonaws.com"]


def csp_allowing_storage(policy: dict, storage: dict) -> dict:
    """`policy` with the bucket's origins allowed for pictures and videos: pages show
    outputs through redirects to its presigned links."""
    directives = dict(policy["DIRECTIVES"])
    for name in ("img-src", "media-src"):
        directives[name] = [*directives[name], *storage_origins(storage["OPTIONS"])]
    return {**policy, "DIRECTIVES": directives}


def bucket_problem(storage) -> str | None:
    """Why `storage` (an S3Storage) cannot keep files, or None when its bucket answers."""
    import boto3

    session = boto3.session.Session(
        aws_access_key_id=storage.access_key, aws_secret_access_key=storage.secret_key
    )
    if session.get_credentials() is None:
        return (
            "No credentials for the media bucket: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        )
    where = f"bucket {storage.bucket_name!r} at {storage.endpoint_url or 'AWS S3'}"
    try:
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404:
            return f"The media {where} does not exist: create it (private, no public access)."
        return f"The media {where} answered {status}: check the keys, their rights and the region."
    except BotoCoreError as error:
        return f"The media {where} cannot be reached: {error}"
    return None
