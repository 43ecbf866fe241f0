"""Uploaded files handed to a job: a job's params are JSON, so the bytes wait in the
storage backend (a shared volume or the bucket, which every worker reads) under
jobs/<random>/, and the job is given their names and paths."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ..text import nfc


def job_files_stash(files) -> list[dict]:
    """Store (name, bytes) pairs; returns [{"name", "path"}] for the job's params."""
    folder = "jobs/" + uuid.uuid4().hex
    stashed = []
    for index, (name, content) in enumerate(files):
        path = default_storage.save(f"{folder}/{index:04d}.bin", ContentFile(content))
        stashed.append({"name": nfc(name), "path": path})
    return stashed


def job_files_read(stashed: list[dict]):
    """Yield (name, bytes) of stashed files, one at a time (a batch may be large)."""
    for item in stashed:
        with default_storage.open(item["path"], "rb") as handle:
            yield item["name"], handle.read()


def job_files_discard(stashed: list[dict]) -> None:
    for item in stashed:
        if default_storage.exists(item["path"]):
            default_storage.delete(item["path"])
