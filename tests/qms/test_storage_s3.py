"""With QMS_S3_BUCKET set, uploads and issued files go to S3-compatible object storage
(MinIO in compose.yaml) through django-storages. Proved here against moto's S3 server
on 127.0.0.1, with the same options the settings build (path-style, SigV4)."""

import hashlib
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import storages
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from procedures import services
from tests.factories import draft

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BUCKET = "qms-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(settings, s3_endpoint, monkeypatch):
    """The default storage switched to the bucket, as qms/settings/base.py does it."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET, "endpoint_url": s3_endpoint, "access_key": "test",
                "secret_key": "test", "region_name": "us-east-1", "addressing_style": "path",
                "signature_version": "s3v4", "default_acl": None, "querystring_auth": True,
                "file_overwrite": True,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_an_attachment_is_stored_in_the_bucket_under_its_hash_and_read_back(s3, people, media_root):
    assert isinstance(storages["default"], S3Storage)
    version = draft(author=people["officer"], code="QT-S3-01")
    attachment = services.attachment_add(version=version, actor=people["officer"],
                                         name="Biểu mẫu đề nghị.pdf", content=PDF)
    digest = hashlib.sha256(PDF).hexdigest()
    key = f"attachments/{digest[:2]}/{digest}.pdf"
    assert attachment.file.name == key and attachment.sha256 == digest
    assert attachment.original_name == "Biểu mẫu đề nghị.pdf"
    # The bytes are in the bucket, named by their hash, and nowhere on the local disk.
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == PDF
    assert [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]] == [key]
    assert list(Path(media_root).rglob("*")) == []
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF


def test_the_same_file_twice_is_one_object(s3, people):
    first = services.attachment_add(version=draft(author=people["officer"], code="QT-S3-02"),
                                    actor=people["officer"], name="a.pdf", content=PDF)
    second = services.attachment_add(version=draft(author=people["officer"], code="QT-S3-03"),
                                     actor=people["officer"], name="b.pdf", content=PDF)
    assert first.file.name == second.file.name
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 1


def test_the_download_page_serves_the_file_from_the_bucket(s3, people, client):
    version = draft(author=people["officer"], code="QT-S3-04")
    attachment = services.attachment_add(version=version, actor=people["officer"],
                                         name="Quy trình.pdf", content=PDF)
    client.force_login(people["officer"])
    url = f"/procedures/QT-S3-04/versions/1/attachments/{attachment.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    # A file lost from the bucket is a 404 for the reader, not a server error.
    s3.delete_object(Bucket=BUCKET, Key=attachment.file.name)
    assert client.get(url).status_code == 404
