"""Management reviews (9.3): prepare the meeting, gather and freeze its inputs,
record its outputs as actions with owners and due dates, close it."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from .. import permissions
from ..exceptions import ServiceQualityError
from ..models import (
    OUTPUT_TRANSITIONS,
    REVIEW_TRANSITIONS,
    ManagementReview,
    OutputState,
    ReviewOutput,
    ReviewState,
)
from ._common import deny, save, text

TEXT_FIELDS = ("other_participants", "context_changes", "resources", "risk_actions", "improvement_notes")


def _lock(review) -> ManagementReview:
    return ManagementReview.objects.select_for_update().get(pk=review.pk)


def _check_transition(review, target) -> None:
    if target not in REVIEW_TRANSITIONS[ReviewState(review.state)]:
        raise ServiceQualityError(
            _("Không thể chuyển cuộc họp xem xét từ trạng thái “%(current)s” sang “%(target)s”."),
            code="state",
            params={"current": ReviewState(review.state).label, "target": target.label},
        )


def _check_draft(review) -> None:
    if review.state != ReviewState.DRAFT:
        raise ServiceQualityError(
            _("Cuộc họp xem xét đã kết thúc: biên bản không được sửa."), code="state")


def _since(review_year: int, meeting_date: datetime.date, exclude=None) -> datetime.date:
    """Inputs cover what happened since the previous review (or the start of the year reviewed)."""
    earlier = ManagementReview.objects.filter(meeting_date__lt=meeting_date)
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude.pk)
    previous = earlier.aggregate(m=Max("meeting_date"))["m"]
    return previous or datetime.date(review_year, 1, 1) - datetime.timedelta(days=1)


def _grant(review, people) -> None:
    people = [p for p in people if p is not None]
    if people:
        assign_perm(permissions.VIEW_REVIEW, people, review)


def _gather(review) -> None:
    from ..selectors.reviews import gather_inputs

    review.inputs = gather_inputs(
        year=review.year, since=_since(review.year, review.meeting_date, exclude=review),
        until=review.meeting_date, exclude_review=review)
    review.inputs_gathered_at = timezone.now()


def _check_people(chair, meeting_date, year) -> None:
    if chair is None or not chair.is_active:
        raise ServiceQualityError(_("Hãy chọn người chủ trì cuộc họp."), code="chair")
    if meeting_date is None:
        raise ServiceQualityError(_("Hãy nhập ngày họp."), code="meeting_date")
    if not isinstance(year, int) or not 2000 <= year <= 2100 or year > meeting_date.year:
        raise ServiceQualityError(
            _("Năm được xem xét phải không sau năm của ngày họp."), code="year")


@transaction.atomic
def review_create(*, actor, year: int, meeting_date: datetime.date, chair, participants=(),
                  **texts) -> ManagementReview:
    """Prepare a management review of a year: the system gathers its inputs now
    (figures, objectives, surveys, audits, actions, document changes); they stay
    frozen unless gathered again before the review is closed."""
    if not permissions.can_prepare_review(actor):
        deny()
    _check_people(chair, meeting_date, year)
    number = (ManagementReview.objects.filter(year=year).aggregate(m=Max("number"))["m"] or 0) + 1
    review = ManagementReview(year=year, number=number, meeting_date=meeting_date, chair=chair,
                              created_by=actor, **{k: text(texts.get(k)) for k in TEXT_FIELDS})
    save(review, actor=actor, reason=_("Lập cuộc họp xem xét của lãnh đạo"))
    _gather(review)
    save(review, actor=actor, reason=_("Thu thập đầu vào xem xét"))
    review.participants.set(participants)
    _grant(review, [chair, *participants])
    return review


@transaction.atomic
def review_update(*, review: ManagementReview, actor, meeting_date, chair, participants=(),
                  **texts) -> ManagementReview:
    review = _lock(review)
    if not permissions.can_prepare_review(actor):
        deny()
    _check_draft(review)
    _check_people(chair, meeting_date, review.year)
    review.meeting_date, review.chair = meeting_date, chair
    for key in TEXT_FIELDS:
        setattr(review, key, text(texts.get(key)))
    save(review, actor=actor, reason=_("Sửa thông tin cuộc họp xem xét"))
    review.participants.set(participants)
    _grant(review, [chair, *participants])
    return review


@transaction.atomic
def review_gather_inputs(*, review: ManagementReview, actor) -> ManagementReview:
    """Gather the inputs again (before the meeting closes), replacing the frozen ones."""
    review = _lock(review)
    if not permissions.can_prepare_review(actor):
        deny()
    _check_draft(review)
    _gather(review)
    save(review, actor=actor, reason=_("Thu thập lại đầu vào xem xét"))
    return review


@transaction.atomic
def review_output_add(*, review: ManagementReview, actor, kind: str, description: str, owner,
                      due_date: datetime.date) -> ReviewOutput:
    """An output of the review (9.3.3) as an action: owner, due date; it is in the
    owner's task list until done. The owner may read the review."""
    review = _lock(review)
    if not permissions.can_prepare_review(actor):
        deny()
    _check_draft(review)
    description = text(description)
    if kind not in ReviewOutput.Kind.values:
        raise ServiceQualityError(_("Loại quyết định không hợp lệ."), code="kind")
    if not description:
        raise ServiceQualityError(_("Hãy nêu nội dung quyết định."), code="description")
    if owner is None or not owner.is_active:
        raise ServiceQualityError(_("Hãy chọn người thực hiện."), code="owner")
    if due_date is None:
        raise ServiceQualityError(_("Hãy nhập hạn hoàn thành."), code="due_date")
    if due_date < review.meeting_date:
        raise ServiceQualityError(_("Hạn hoàn thành không được trước ngày họp."), code="due_date")
    number = (review.outputs.aggregate(m=Max("number"))["m"] or 0) + 1
    output = ReviewOutput(review=review, number=number, kind=kind, description=description,
                          owner=owner, due_date=due_date, created_by=actor)
    save(output, actor=actor, reason=_("Ghi quyết định của cuộc họp xem xét"))
    _grant(review, [owner])
    return output


@transaction.atomic
def review_close(*, review: ManagementReview, actor) -> ManagementReview:
    """Close the review: its inputs and outputs are final (outputs are then carried out)."""
    review = _lock(review)
    if not permissions.can_prepare_review(actor):
        deny()
    _check_transition(review, ReviewState.CLOSED)
    if not review.outputs.exists():
        raise ServiceQualityError(
            _("Cuộc họp xem xét cần ít nhất một quyết định (đầu ra) trước khi kết thúc."), code="outputs")
    review.state = ReviewState.CLOSED
    review.closed_by, review.closed_at = actor, timezone.now()
    save(review, actor=actor, reason=_("Kết thúc cuộc họp xem xét"))
    return review


@transaction.atomic
def review_output_complete(*, output: ReviewOutput, actor, note: str) -> ReviewOutput:
    """The owner (or the central office) reports an output done, saying what was done."""
    output = ReviewOutput.objects.select_for_update().get(pk=output.pk)
    if not permissions.can_complete_output(actor, output):
        deny()
    if OutputState.DONE not in OUTPUT_TRANSITIONS[OutputState(output.state)]:
        raise ServiceQualityError(_("Quyết định này đã được báo hoàn thành."), code="state")
    note = text(note)
    if not note:
        raise ServiceQualityError(_("Hãy nêu kết quả thực hiện."), code="note")
    output.state, output.done_note = OutputState.DONE, note
    output.done_by, output.done_at = actor, timezone.now()
    save(output, actor=actor, reason=_("Báo hoàn thành quyết định xem xét"))
    return output
