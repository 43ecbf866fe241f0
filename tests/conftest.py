import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from qms import roles

from .factories import OrgUnitFactory, UserFactory


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Vietnamese: a request in English (an API call with
    Accept-Language: en, the language switch) leaves its language active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder per test."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def org(db):
    """A committee with two departments, A and B."""
    root = OrgUnitFactory(code="ubnd", name="Ủy ban nhân dân")
    return {
        "root": root,
        "a": OrgUnitFactory(code="tnmt", name="Phòng Tài nguyên và Môi trường", parent=root),
        "b": OrgUnitFactory(code="qldt", name="Phòng Quản lý đô thị", parent=root),
    }


@pytest.fixture
def people(org):
    """One person per role; officers in A and B, the approver at the committee."""
    return {
        "officer": UserFactory(username="officer", role=roles.QUALITY_OFFICER, department=org["a"]),
        "officer2": UserFactory(username="officer2", role=roles.QUALITY_OFFICER, department=org["a"]),
        "officer_b": UserFactory(username="officer_b", role=roles.QUALITY_OFFICER, department=org["b"]),
        "approver": UserFactory(username="approver", role=roles.APPROVER, department=org["root"]),
        "auditor": UserFactory(username="auditor", role=roles.INTERNAL_AUDITOR, department=org["b"]),
        "staff": UserFactory(username="staff", role=roles.STAFF, department=org["a"]),
        "nobody": UserFactory(username="nobody", department=org["a"]),
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True, department=org["root"]),
    }


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")
