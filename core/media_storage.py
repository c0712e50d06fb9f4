"""The S3 storage backend of the media bucket."""

from functools import cached_property

from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class MediaStorage(S3Storage):
    """S3Storage whose download links may name another address of the store than the one
    the servers use: under docker compose the containers reach MinIO as minio:9000 and
    browsers as localhost:9000. Without `public_endpoint_url` it is plain S3Storage."""

    def get_default_settings(self):
        return {**super().get_default_settings(), "public_endpoint_url": None}

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not self.public_endpoint_url:
            return super().url(name, parameters, expire, http_method)
        params = {
            **(parameters or {}),
            "Bucket": self.bucket_name,
            "Key": self._normalize_name(clean_name(name)),
        }
        expire = self.querystring_expire if expire is None else expire
        return self._public_client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=expire, HttpMethod=http_method
        )

    @cached_property
    def _public_client(self):
        # Signing a link is local work: this client never sends a request.
        return self._create_session().client(
            "s3",
            endpoint_url=self.public_endpoint_url,
            region_name=self.region_name,
            config=self.client_config,
        )
