"""The dossier figures' REST API, for the one-stop system: read the figures the
caller reads on the pages, and push a batch of months through the same import
service as a file (all or nothing, every check of a file import)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from qms.api import error_responses, invalid_input

from . import services
from .importing import RowsRefused
from .models import COUNT_FIELDS, DossierStat
from .selectors import figures as selectors


class FigureSerializer(serializers.ModelSerializer):
    """One month of one department and one field; `period` is YYYY-MM."""

    period = serializers.RegexField(r"^\d{4}-\d{2}$")
    department = serializers.SlugField(max_length=20)
    field = serializers.SlugField(max_length=30)

    class Meta:
        model = DossierStat
        fields = ["period", "department", "field", *COUNT_FIELDS]
        extra_kwargs = {name: {"min_value": 0, "max_value": 10**9} for name in COUNT_FIELDS}

    def to_representation(self, stat):
        data = {name: getattr(stat, name) for name in COUNT_FIELDS}
        return {"period": f"{stat.year:04d}-{stat.month:02d}", "department": stat.department.code,
                "field": stat.field.code, **data}


class FigureBatchSerializer(serializers.Serializer):
    rows = FigureSerializer(many=True, allow_empty=False, max_length=5000)
    replace = serializers.BooleanField(default=False)


ImportResult = inline_serializer("FigureImportResult", {
    "created": serializers.IntegerField(min_value=0),
    "updated": serializers.IntegerField(min_value=0),
})


class FigureList(generics.ListCreateAPIView):
    """GET: the figures of a year (`?year=`, default this year; `?month=`) the caller
    reads in full. POST: a batch of months, saved all or nothing; a refusal lists
    every bad row by its position (1-based) in `rows`."""

    serializer_class = FigureSerializer

    def get_queryset(self):
        params = self.request.query_params
        year, month = params.get("year", ""), params.get("month", "")
        errors = {}
        if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
            errors["year"] = [_("Năm không hợp lệ.")]
        if month and not (month.isdigit() and 1 <= int(month) <= 12):
            errors["month"] = [_("Tháng không hợp lệ.")]
        if errors:
            raise invalid_input(errors)
        return selectors.stat_list(user=self.request.user,
                                   year=int(year) if year else timezone.localdate().year,
                                   month=int(month) if month else None)

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("month", int)],
                   responses={200: FigureSerializer(many=True), **error_responses(400, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=FigureBatchSerializer, responses={201: ImportResult, **error_responses(400)})
    def post(self, request, *args, **kwargs):
        batch = FigureBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        items = [(line, dict(row)) for line, row in enumerate(batch.validated_data["rows"], start=1)]
        try:
            summary = services.stats_import(actor=request.user, items=items,
                                            replace=batch.validated_data["replace"])
        except RowsRefused as refusal:
            return Response({
                "detail": _("Không lưu dòng nào: có dòng không hợp lệ."),
                "code": "rows",
                "errors": {"rows": [str(error) for error in refusal.errors]},
            }, status=status.HTTP_400_BAD_REQUEST)
        return Response({"created": summary.created, "updated": summary.updated},
                        status=status.HTTP_201_CREATED)

