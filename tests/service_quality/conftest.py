"""Service-quality fixtures: the shared committee (root, A = tnmt, B = qldt) plus the
central office (vp) and its officer; two fields, one per department, created by
the central office through the services (which grants each department's officers
their figures)."""

import csv
import io

import pytest

from qms import roles
from service_quality import services
from service_quality.models import COUNT_FIELDS
from tests.factories import OrgUnitFactory, UserFactory


@pytest.fixture
def cast(org, people):
    people = dict(people)
    org["vp"] = OrgUnitFactory(code="vp", name="Văn phòng HĐND và UBND", parent=org["root"])
    people["central"] = UserFactory(username="central", role=roles.QUALITY_OFFICER, department=org["vp"])
    people["grantee"] = UserFactory(username="grantee", role=roles.STAFF, department=org["b"])
    return people


@pytest.fixture
def fields(cast, org):
    return {
        "land": services.field_create(actor=cast["central"], code="dat-dai", name="Đất đai", department=org["a"]),
        "build": services.field_create(actor=cast["central"], code="xay-dung", name="Xây dựng",
                                       department=org["b"]),
    }


def row(period, department="tnmt", field="dat-dai", *, carried=0, received=100, early=80, on_time=10,
        late=5, overdue=0, l3=0, l4=0, apologies=None):
    """A balanced month: what is not resolved is pending in time (less `overdue`)."""
    pending = carried + received - early - on_time - late
    return {
        "period": period, "department": department, "field": field, "carried_over": carried,
        "received": received, "received_online_l3": l3, "received_online_l4": l4,
        "resolved_early": early, "resolved_on_time": on_time, "resolved_late": late,
        "pending_in_time": pending - overdue, "pending_overdue": overdue,
        "apologies": late if apologies is None else apologies,
    }


def items(rows):
    """Rows as the importer gives them: (line, {column: text}), the header on line 1."""
    return [(line, {k: str(v) for k, v in r.items()}) for line, r in enumerate(rows, start=2)]


def csv_bytes(rows, columns=("period", "department", "field", *COUNT_FIELDS)) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get(c, "") for c in columns])
    return out.getvalue().encode("utf-8")


def load(actor, rows, **kwargs):
    return services.stats_import(actor=actor, items=items(rows), **kwargs)
