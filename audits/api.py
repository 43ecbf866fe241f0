"""The audits' REST API: audits and their findings, as the caller may see them
(audits.selectors: the lead auditor, the team, the audited departments' officers
and the owners of corrective actions; 404 for anyone else)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers

from qms.api import ClauseRefSerializer, error_responses, invalid_input

from . import selectors
from .models import ActionState, Audit, AuditState, CorrectiveAction, Finding


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class AuditSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="programme.year")
    state = serializers.ChoiceField(choices=AuditState.choices)
    lead_auditor = serializers.CharField(source="lead_auditor.get_full_name")
    departments = UnitSerializer(many=True)

    class Meta:
        model = Audit
        fields = ["id", "year", "number", "title", "state", "planned_start", "planned_end",
                  "lead_auditor", "departments", "started_at", "reported_at", "closed_at"]


class ActionSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=ActionState.choices)
    owner = serializers.CharField(source="owner.get_full_name")

    class Meta:
        model = CorrectiveAction
        fields = ["state", "owner", "due_date", "closed_at"]


class ProcedureRefSerializer(serializers.Serializer):
    code = serializers.CharField(source="procedure.code")
    revision = serializers.IntegerField()


class FindingSerializer(serializers.ModelSerializer):
    grade = serializers.ChoiceField(choices=Finding.Grade.choices)
    clause = ClauseRefSerializer()
    department = UnitSerializer()
    procedure = ProcedureRefSerializer(source="procedure_version", allow_null=True)
    action = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = ["id", "number", "grade", "statement", "evidence", "clause", "department",
                  "procedure", "recorded_at", "revision", "action"]

    @extend_schema_field(ActionSerializer(allow_null=True))
    def get_action(self, finding):
        action = getattr(finding, "action", None)
        return ActionSerializer(action).data if action else None


class AuditList(generics.ListAPIView):
    """The audits the caller may see, newest programme first."""

    serializer_class = AuditSerializer

    def get_queryset(self):
        year = self.request.query_params.get("year", "")
        if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
            raise invalid_input({"year": [_("Năm không hợp lệ.")]})
        return selectors.audit_list(user=self.request.user, year=int(year) if year else None)

    @extend_schema(parameters=[OpenApiParameter("year", int)],
                   responses={200: AuditSerializer(many=True), **error_responses(400, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AuditDetail(generics.RetrieveAPIView):
    serializer_class = AuditSerializer

    def get_object(self):
        return selectors.audit_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(responses={200: AuditSerializer, **error_responses(404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FindingList(generics.ListAPIView):
    """The findings of an audit with their corrective actions (`?grade=` filters)."""

    serializer_class = FindingSerializer

    def get_queryset(self):
        findings = selectors.finding_list(user=self.request.user, audit_pk=self.kwargs["pk"])
        grade = self.request.query_params.get("grade", "")
        if grade and grade not in Finding.Grade.values:
            raise invalid_input({"grade": [_("Mức độ phát hiện không hợp lệ.")]})
        return findings.filter(grade=grade) if grade else findings

    @extend_schema(parameters=[OpenApiParameter("grade", str, enum=Finding.Grade.values)],
                   responses={200: FindingSerializer(many=True), **error_responses(400, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
