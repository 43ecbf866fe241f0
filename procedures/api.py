"""The procedures' REST API: effective procedures (search with the page's ranking),
one procedure with its clauses and attachments, a procedure's versions.

Thin views over the same selectors, search and services as the pages: what a
caller may see is decided there (404 where they may not know a thing exists),
and reading a text writes the same access log row as opening its page.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers

from qms.api import ClauseRefSerializer, error_responses, invalid_input

from . import forms, permissions, selectors, services
from .models import AccessLog, Procedure, ProcedureVersion, State
from .search import effective_search


class DepartmentField(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField(min_value=0)
    sha256 = serializers.CharField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, attachment) -> str:
        version = attachment.version
        return reverse("procedures:attachment", kwargs={
            "code": version.procedure.code, "revision": version.revision, "pk": attachment.pk})


class VersionSummarySerializer(serializers.ModelSerializer):
    """A version as a list row."""

    code = serializers.CharField(source="procedure.code")
    title = serializers.CharField(source="procedure.title")
    kind = serializers.ChoiceField(source="procedure.kind", choices=Procedure.Kind.choices)
    department = DepartmentField(source="procedure.department")
    edition = serializers.IntegerField(source="edition.year")
    clauses = ClauseRefSerializer(many=True)

    class Meta:
        model = ProcedureVersion
        fields = ["code", "title", "kind", "department", "revision", "state", "edition", "clauses",
                  "effective_from", "next_review_due", "change_summary"]


class VersionDetailSerializer(VersionSummarySerializer):
    """A version with its text and its files."""

    attachments = serializers.SerializerMethodField()

    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "body", "content_sha256", "approved_at",
                  "decision_number", "decision_date", "attachments"]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, version) -> list:
        # A file removed from a draft is not part of the text: only draft readers see it
        # (as procedures.views.attachment_download).
        user = self.context["request"].user
        files = [a for a in version.attachments.all()
                 if not a.removed_at or permissions.can_view_drafts(user, version.procedure)]
        return AttachmentSerializer(files, many=True).data


SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description=_("Mã số, tên hoặc nội dung, có dấu hoặc không dấu")),
    OpenApiParameter("department", int, description="OrgUnit id"),
    OpenApiParameter("kind", str, enum=Procedure.Kind.values),
    OpenApiParameter("clause", int, description="Clause id (either edition)"),
]


class ProcedureList(generics.ListAPIView):
    """Effective procedures the caller may read, searched and ranked as on the page."""

    serializer_class = VersionSummarySerializer

    def get_queryset(self):
        form = forms.SearchForm(self.request.query_params)
        if not form.is_valid():
            raise invalid_input(form.errors)
        return effective_search(user=self.request.user, **form.search_kwargs())

    @extend_schema(parameters=SEARCH_PARAMETERS, responses={
        200: VersionSummarySerializer(many=True), **error_responses(400, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProcedureDetail(generics.RetrieveAPIView):
    """The effective version of a procedure with its text, clauses and files."""

    serializer_class = VersionDetailSerializer

    def get_object(self):
        version = selectors.effective_version_get(user=self.request.user, code=self.kwargs["code"])
        services.access_record(version=version, actor=self.request.user, action=AccessLog.Action.VIEW)
        return version

    @extend_schema(responses={200: VersionDetailSerializer, **error_responses(404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class VersionList(generics.ListAPIView):
    """The versions of a procedure the caller may see, newest first: the effective
    one for every reader, every revision for its officers, reviewers and approvers."""

    serializer_class = VersionSummarySerializer

    def get_queryset(self):
        versions = (
            selectors.version_list(user=self.request.user)
            .filter(procedure__code=self.kwargs["code"])
            .prefetch_related("clauses__edition")
            .order_by("-revision")
        )
        if not versions.exists():
            raise Http404(self.kwargs["code"])
        return versions

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=State.values)],
                   responses={200: VersionSummarySerializer(many=True), **error_responses(400, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        state = self.request.query_params.get("state", "")
        if state and state not in State.values:
            raise invalid_input({"state": [_("Trạng thái không hợp lệ.")]})
        return queryset.filter(state=state) if state else queryset


class VersionDetail(generics.RetrieveAPIView):
    """One revision of a procedure, where the caller may see it."""

    serializer_class = VersionDetailSerializer

    def get_object(self):
        version = selectors.version_by_revision_get(
            user=self.request.user, code=self.kwargs["code"], revision=self.kwargs["revision"])
        services.access_record(version=version, actor=self.request.user, action=AccessLog.Action.VIEW)
        return version

    @extend_schema(responses={200: VersionDetailSerializer, **error_responses(404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
