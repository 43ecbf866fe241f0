"""The clause catalogues, the schema and the docs page of the API."""

import re

import pytest

from tests.api_client import client_for

pytestmark = pytest.mark.django_db


def test_clause_catalogues_and_the_map(people):
    client = client_for(people["staff"])
    assert [e["year"] for e in client.get("/api/v1/editions/").json()] == [2008, 2015]
    clauses = client.get("/api/v1/clauses/", {"edition": 2015, "page_size": 100}).json()
    numbers = [c["number"] for c in clauses["results"]]
    assert "6.1" in numbers and "4.2.3" not in numbers
    mapped = client.get("/api/v1/clause-map/", {"page_size": 100}).json()
    assert mapped["count"] > 0
    assert {"source", "target", "kind", "note_vi", "note_en"} == set(mapped["results"][0])
    refused = client.get("/api/v1/clauses/", {"edition": "1999"})
    assert refused.status_code == 400 and refused.json()["errors"]["edition"]


def test_the_schema_and_the_docs_are_served_without_a_cdn(people, client):
    client.force_login(people["staff"])
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/v1/procedures/{code}/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "swagger-ui" in page and "cdn" not in page.lower() and "//unpkg" not in page
    assert "/static/drf_spectacular_sidecar/" in page
    # The Content-Security-Policy allows no inline script: every script is a file.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    script = re.search(r'<script src="([^"]*\?script=[^"]*)"', page).group(1)
    assert client.get(script.replace("&amp;", "&")).status_code == 200


def test_the_api_needs_a_user():
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/clauses/").status_code == 401
