"""The REST API's URLs, /api/v1/…: each app's views (procedures/api.py,
audits/api.py, service_quality/api.py, qms/api.py), the OpenAPI schema and its
docs page (Swagger UI served from drf-spectacular-sidecar's static files)."""

from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from audits import api as audits_api
from procedures import api as procedures_api
from qms import api as qms_api
from service_quality import api as service_quality_api

app_name = "api"


class IdConverter:
    """A database id or a revision number: digits that fit a 64-bit integer (a longer
    number would overflow the database's integer and fall to the JSON 404 below)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file of its own: the
    # Content-Security-Policy allows no inline script. (drf-spectacular's Redoc page
    # is left out: its template links web fonts from Google.)
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("procedures/", procedures_api.ProcedureList.as_view(), name="procedures"),
    path("procedures/<str:code>/", procedures_api.ProcedureDetail.as_view(), name="procedure"),
    path("procedures/<str:code>/versions/", procedures_api.VersionList.as_view(), name="versions"),
    path("procedures/<str:code>/versions/<id:revision>/", procedures_api.VersionDetail.as_view(),
         name="version"),
    path("editions/", qms_api.EditionList.as_view(), name="editions"),
    path("clauses/", qms_api.ClauseList.as_view(), name="clauses"),
    path("clause-map/", qms_api.CorrespondenceList.as_view(), name="clause_map"),
    path("audits/", audits_api.AuditList.as_view(), name="audits"),
    path("audits/<id:pk>/", audits_api.AuditDetail.as_view(), name="audit"),
    path("audits/<id:pk>/findings/", audits_api.FindingList.as_view(), name="findings"),
    path("dossier-figures/", service_quality_api.FigureList.as_view(), name="figures"),
    # Anything else under /api/v1/ is a JSON 404 in the caller's language, not a page.
    re_path(r"^.*$", qms_api.NotFoundView.as_view(), name="not_found"),
]
