"""The ground of the REST API that the apps' api modules share (the error body's
schema, a 400 for a form's errors), and the clause catalogues of both editions
with their correspondence (qms's own data). Authentication, pages and error
bodies: qms/api_access.py."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, generics, serializers
from rest_framework.views import APIView

from .models import Clause, ClauseCorrespondence, Edition

# ---------------------------------------------------------------- common


ErrorSerializer = inline_serializer(
    "Error",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                        required=False),
    },
)


def error_responses(*statuses: int) -> dict:
    """The error statuses a view documents, each with the error body (404 for every
    view: an unknown object, or a page past the last)."""
    return {status: ErrorSerializer for status in (401, 403, 404, *statuses)}


def invalid_input(errors: dict) -> exceptions.ValidationError:
    """A 400 for a form's errors ({field: [message, …]})."""
    return exceptions.ValidationError({field: [str(m) for m in messages]
                                       for field, messages in errors.items()})


# ---------------------------------------------------------------- clause catalogues


class EditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Edition
        fields = ["year", "name"]


class ClauseSerializer(serializers.ModelSerializer):
    edition = serializers.IntegerField(source="edition.year")
    parent = serializers.CharField(source="parent.number", allow_null=True, default=None)

    class Meta:
        model = Clause
        fields = ["edition", "number", "title_vi", "title_en", "parent"]


class ClauseRefSerializer(serializers.ModelSerializer):
    """A clause cited by a version, an audit or a finding. Its edition's year comes
    from one read of the two editions per response, not one query per clause (the
    selectors prefetch clauses without their edition)."""

    edition = serializers.SerializerMethodField()

    class Meta:
        model = Clause
        fields = ["edition", "number", "title_vi", "title_en"]

    def get_edition(self, clause) -> int:
        years = self.context.setdefault("_edition_years", {})
        if clause.edition_id not in years:
            years.update(Edition.objects.values_list("id", "year"))
        return years[clause.edition_id]


class CorrespondenceSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.number")
    target = serializers.CharField(source="target.number")

    class Meta:
        model = ClauseCorrespondence
        fields = ["source", "target", "kind", "note_vi", "note_en"]


class EditionList(generics.ListAPIView):
    """The editions of ISO 9001 in the catalogue."""

    serializer_class = EditionSerializer
    pagination_class = None
    queryset = Edition.objects.order_by("year")

    @extend_schema(responses={200: EditionSerializer(many=True), **error_responses()})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema_view(get=extend_schema(
    parameters=[OpenApiParameter("edition", int, description="2008 or 2015")],
    responses={200: ClauseSerializer(many=True), **error_responses(400)},
))
class ClauseList(generics.ListAPIView):
    """The clauses of one edition (`?edition=2015`) or of both, in clause order."""

    serializer_class = ClauseSerializer

    def get_queryset(self):
        qs = Clause.objects.select_related("edition", "parent").order_by("edition__year", "sort_key")
        edition = self.request.query_params.get("edition", "")
        if edition:
            if not edition.isdigit() or not Edition.objects.filter(year=int(edition)).exists():
                raise invalid_input({"edition": [_("Không có phiên bản tiêu chuẩn này.")]})
            qs = qs.filter(edition__year=int(edition))
        return qs


@extend_schema_view(get=extend_schema(responses={200: CorrespondenceSerializer(many=True),
                                                 **error_responses()}))
class CorrespondenceList(generics.ListAPIView):
    """The 2008 → 2015 map: each 2008 clause and the 2015 clauses taking it over."""

    serializer_class = CorrespondenceSerializer
    queryset = ClauseCorrespondence.objects.select_related("source", "target").order_by(
        "source__sort_key", "target__sort_key")


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any address under the API that names nothing: a JSON 404, signed in or not."""

    permission_classes = []
    authentication_classes = []

    def dispatch(self, request, *args, **kwargs):
        # Every method gets the 404 (not a 405): the address itself is unknown.
        self.args, self.kwargs = args, kwargs
        self.request = self.initialize_request(request, *args, **kwargs)
        self.headers = self.default_response_headers
        response = self.handle_exception(exceptions.NotFound())
        self.response = self.finalize_response(self.request, response, *args, **kwargs)
        return self.response
