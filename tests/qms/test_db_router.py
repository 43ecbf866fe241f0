"""The optional read replica: only reads asked for in replica_reads() go there."""

import pytest
from django.db import connections, router

from qms.db_router import ReplicaRouter, replica_reads
from qms.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_replica(settings, monkeypatch):
    """A configured 'replica' alias (a copy of the primary's settings) and the router."""
    monkeypatch.setitem(connections.settings, "replica",
                        {**connections.settings["default"], "TEST": {"MIRROR": "default"}})
    settings.DATABASE_ROUTERS = ["qms.db_router.ReplicaRouter"]


def test_reads_go_to_the_replica_only_inside_replica_reads(with_replica, people):
    assert Job.objects.all().db == "default"
    with replica_reads():
        assert Job.objects.all().db == "replica"
        # Writes and locked reads stay on the primary.
        assert Job.objects.select_for_update().db == "default"
        assert router.db_for_write(Job) == "default"
    assert Job.objects.all().db == "default"


def test_without_a_replica_everything_stays_on_the_primary(settings):
    settings.DATABASE_ROUTERS = ["qms.db_router.ReplicaRouter"]
    assert "replica" not in connections.settings
    with replica_reads():
        assert Job.objects.all().db == "default"


def test_migrations_run_on_the_primary_only():
    assert ReplicaRouter().allow_migrate("default", "qms") is True
    assert ReplicaRouter().allow_migrate("replica", "qms") is False
