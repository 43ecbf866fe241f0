"""Management reviews: the inputs of 9.3.2 gathered from every app as plain data
(frozen into the review), the lists and the PDF's data."""

import datetime

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import get_objects_for_user

from audits.models import ActionState as CorrectiveState
from audits.models import Audit, AuditState, CorrectiveAction, Finding
from procedures.models import ProcedureVersion

from .. import permissions
from ..models import ManagementReview, ReviewOutput, SatisfactionSurvey, period_label
from .objectives import objective_queryset, satisfaction_share, with_status
from .report import Visibility, report_data, report_plain

# The inputs of 9.3.2, in the order of the standard, as keys of ManagementReview.inputs.
INPUT_SECTIONS = (
    ("previous_actions", _("a) Tình trạng các hành động từ các cuộc xem xét trước")),
    ("changes", _("b) Thay đổi của bối cảnh, căn cứ pháp lý và hệ thống tài liệu")),
    ("objectives", _("c) Mức độ đạt được mục tiêu chất lượng")),
    ("timeliness", _("c) Kết quả giải quyết hồ sơ thủ tục hành chính")),
    ("satisfaction", _("c) Sự hài lòng của tổ chức, công dân")),
    ("audits", _("c) Kết quả đánh giá nội bộ")),
    ("nonconformities", _("c) Sự không phù hợp và hành động khắc phục")),
    ("resources", _("d) Sự đầy đủ của nguồn lực")),
    ("risk_actions", _("e) Hiệu lực của các hành động giải quyết rủi ro và cơ hội")),
    ("improvement", _("f) Các cơ hội cải tiến")),
)


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _money(value) -> str | None:
    return None if value is None else str(value)


def _timeliness(year: int) -> dict:
    return report_plain(report_data(year=year, visibility=Visibility.everything()))


def _objectives(year: int) -> list[dict]:
    objectives = with_status(objective_queryset().filter(year__in=(year, year + 1)),
                             visibility=Visibility.everything())
    return [
        {
            "year": o.year,
            "title": o.title,
            "scope": o.field.name if o.field_id else (o.department.name if o.department_id
                                                      else str(o.get_scope_display())),
            "indicator": str(o.get_indicator_display()),
            "target": o.target_text,
            "value": _money(o.state["value"]),
            "status": o.state["status"],
            "status_label": str(o.state["status_label"]),
            "trend": o.state["trend"],
            "trend_label": str(o.state["trend_label"]),
            "owner": _person(o.owner),
        }
        for o in objectives
    ]


def _satisfaction(year: int) -> dict:
    surveys = list(SatisfactionSurvey.objects.filter(year=year).select_related("department")
                   .order_by("department__name", "month"))
    return {
        "overall": _money(satisfaction_share(surveys)),
        "rows": [
            {
                "department": s.department.name, "period": period_label(s.year, s.month),
                "respondents": s.respondents,
                **{g: str(getattr(s, g)) for g in SatisfactionSurvey.GROUPS},
                "overall": _money(satisfaction_share([s])),
                "comments": s.comments,
            }
            for s in surveys
        ],
    }


def gather_inputs(*, year: int, since: datetime.date, until: datetime.date, exclude_review=None) -> dict:
    """Everything 9.3.2 asks for, as the system knows it now: plain JSON data."""
    earlier = (
        ReviewOutput.objects.filter(review__meeting_date__lt=until)
        .select_related("review", "owner").order_by("review__meeting_date", "number")
    )
    if exclude_review is not None:
        earlier = earlier.exclude(review=exclude_review)
    versions = (
        ProcedureVersion.objects.filter(effective_from__gt=since, effective_from__lte=until)
        .exclude(state__in=["draft", "in_review", "approved"])
        .select_related("procedure").order_by("effective_from", "procedure__code")
    )
    audits = (
        Audit.objects.filter(planned_start__gt=since, planned_start__lte=until)
        .select_related("programme")
        .annotate(
            majors=Count("findings", filter=Q(findings__grade="major")),
            minors=Count("findings", filter=Q(findings__grade="minor")),
            observations=Count("findings", filter=Q(findings__grade="observation")),
            opportunities=Count("findings", filter=Q(findings__grade="opportunity")),
        )
        .order_by("planned_start")
    )
    actions = (
        CorrectiveAction.objects.filter(
            Q(finding__recorded_at__date__gt=since, finding__recorded_at__date__lte=until)
            | ~Q(state=CorrectiveState.CLOSED))
        .filter(finding__recorded_at__date__lte=until)
        .select_related("finding__audit__programme", "finding__department", "owner")
        .order_by("due_date", "pk")
    )
    opportunities = (
        Finding.objects.filter(grade="opportunity", recorded_at__date__gt=since,
                               recorded_at__date__lte=until)
        .select_related("audit__programme", "department").order_by("recorded_at")
    )
    return {
        "year": year,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "gathered_at": timezone.now().isoformat(),
        "previous_actions": [
            {"review": o.review.code, "number": o.number, "description": o.description,
             "owner": _person(o.owner), "due_date": _day(o.due_date), "state": o.state,
             "state_label": str(o.get_state_display()), "done_note": o.done_note}
            for o in earlier
        ],
        "document_changes": [
            {"code": v.procedure.code, "title": v.procedure.title, "revision": v.revision,
             "effective_from": _day(v.effective_from), "change_summary": v.change_summary}
            for v in versions
        ],
        "objectives": _objectives(year),
        "timeliness": _timeliness(year),
        "satisfaction": _satisfaction(year),
        "audits": [
            {"code": a.code, "title": a.title, "state_label": str(AuditState(a.state).label),
             "planned_start": _day(a.planned_start), "major": a.majors, "minor": a.minors,
             "observation": a.observations, "opportunity": a.opportunities}
            for a in audits
        ],
        "nonconformities": [
            {"finding": f"{a.finding.audit.code} / {a.finding.number}",
             "department": a.finding.department.name, "statement": a.finding.statement,
             "owner": _person(a.owner), "due_date": _day(a.due_date),
             "state_label": str(CorrectiveState(a.state).label),
             "overdue": a.state != CorrectiveState.CLOSED and a.due_date < until}
            for a in actions
        ],
        "opportunities": [
            {"finding": f"{f.audit.code} / {f.number}", "department": f.department.name,
             "statement": f.statement}
            for f in opportunities
        ],
    }


# ---------------------------------------------------------------- reading reviews


def review_list(*, user):
    if not permissions.can_use(user):
        return ManagementReview.objects.none()
    qs = ManagementReview.objects.select_related("chair").annotate(
        output_count=Count("outputs", distinct=True),
        open_count=Count("outputs", filter=Q(outputs__state="open"), distinct=True),
    ).order_by("-meeting_date", "-pk")
    if permissions.can_view_reviews(user):
        return qs
    granted = get_objects_for_user(user, f"service_quality.{permissions.VIEW_REVIEW}",
                                   klass=ManagementReview, accept_global_perms=False)
    return qs.filter(pk__in=granted.values("pk"))


def review_get(*, user, pk: int) -> ManagementReview:
    review = review_list(user=user).filter(pk=pk).first()
    if review is None:
        raise Http404(pk)
    return review


def review_detail(*, user, pk: int) -> dict:
    review = review_get(user=user, pk=pk)
    outputs = list(review.outputs.select_related("owner", "done_by").order_by("number"))
    for output in outputs:
        output.can_complete = output.state == "open" and permissions.can_complete_output(user, output)
    return {
        "review": review,
        "participants": list(review.participants.order_by("last_name", "first_name")),
        "outputs": outputs,
        "inputs": review.inputs,
        "can_edit": review.state == "draft" and permissions.can_prepare_review(user),
        "today": timezone.localdate(),
    }


def review_pdf_data(*, review: ManagementReview) -> dict:
    """Plain data for pdf.build_review_record; no model object leaves here."""
    review = ManagementReview.objects.select_related("chair").get(pk=review.pk)
    return {
        "code": review.code,
        "year": review.year,
        "meeting_date": review.meeting_date,
        "chair": _person(review.chair),
        "participants": [_person(u) for u in review.participants.order_by("last_name", "first_name")],
        "other_participants": review.other_participants,
        "state_label": str(review.get_state_display()),
        "context_changes": review.context_changes,
        "resources": review.resources,
        "risk_actions": review.risk_actions,
        "improvement_notes": review.improvement_notes,
        "inputs": review.inputs,
        "outputs": [
            {"number": o.number, "kind": str(o.get_kind_display()), "description": o.description,
             "owner": _person(o.owner), "due_date": o.due_date, "state_label": str(o.get_state_display()),
             "done_note": o.done_note}
            for o in review.outputs.select_related("owner").order_by("number")
        ],
    }
