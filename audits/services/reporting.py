"""Closing an audit and issuing the revisions of its PDF audit record."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qms import files

from .. import pdf, permissions, selectors
from ..exceptions import AuditError
from ..models import (
    ActionState,
    Audit,
    AuditReport,
    AuditSignature,
    AuditState,
    ChecklistItem,
    CorrectiveAction,
)
from ..seal import seal_of
from ._common import (
    _check_audit_transition,
    _check_password,
    _deny,
    _lock_audit,
    _name,
    _save,
    _text,
)


@transaction.atomic
def audit_close(*, audit: Audit, actor) -> Audit:
    """Close a reported audit once every nonconformity's action is verified and closed."""
    audit = _lock_audit(audit)
    if not permissions.can_lead(actor, audit):
        _deny()
    _check_audit_transition(audit, AuditState.CLOSED)
    still_open = list(
        CorrectiveAction.objects.filter(finding__audit=audit)
        .exclude(state=ActionState.CLOSED)
        .order_by("finding__number")
        .values_list("finding__number", flat=True)
    )
    if still_open:
        raise AuditError(
            _("Chưa thể kết thúc cuộc đánh giá: còn %(count)s điểm không phù hợp chưa được "
              "khắc phục và kiểm tra hiệu lực (phát hiện số %(numbers)s)."),
            code="open_nonconformities",
            params={"count": len(still_open), "numbers": ", ".join(map(str, still_open))},
        )
    audit.state = AuditState.CLOSED
    audit.closed_at, audit.closed_by = timezone.now(), actor
    _save(audit, actor=actor, reason=_("Kết thúc cuộc đánh giá"))
    return audit


def report_number(audit: Audit, revision: int) -> str:
    """"BC-ĐG-2026-01 / lần 2". Stored and printed as the record's identity, so
    it is the same in every language (not translated)."""
    return f"BC-{audit.code} / lần {revision}"


def _check_can_issue(audit: Audit, actor) -> None:
    if not permissions.can_lead(actor, audit):
        _deny()
    if audit.lead_auditor_id != actor.pk:
        raise AuditError(
            _("Chỉ trưởng đoàn đánh giá (%(name)s) ký phát hành báo cáo."),
            code="signer",
            params={"name": _name(audit.lead_auditor)},
        )
    if audit.state == AuditState.PLANNED:
        raise AuditError(
            _("Cuộc đánh giá chưa bắt đầu nên chưa thể phát hành báo cáo."), code="state"
        )
    if audit.state == AuditState.IN_PROGRESS:
        pending = audit.checklist.filter(result=ChecklistItem.Result.PENDING).count()
        if pending:
            raise AuditError(
                _("Còn %(count)s mục kiểm tra chưa được đánh giá."),
                code="checklist",
                params={"count": pending},
            )


def _check_shown(audit: Audit, shown_sha256: str | None) -> str:
    """The lead auditor signs the content the page showed: `shown_sha256` is the
    report content hash the issue form carried (None: a caller without a page, the
    command). Returns the hash of the content as stored now."""
    stored = selectors.report_content_sha256(audit=audit)
    if shown_sha256 is not None and shown_sha256 != stored:
        raise AuditError(
            _("Nội dung báo cáo đã thay đổi sau khi bạn mở trang (một phát hiện hoặc hành "
              "động khắc phục đã được thêm hay sửa): báo cáo chưa được ký và phát hành. Hãy "
              "tải lại trang, xem lại nội dung rồi ký."),
            code="stale",
        )
    return stored


def audit_report_authorise(*, audit: Audit, actor, password: str,
                           shown_sha256: str | None = None) -> str:
    """The checks of a signature, made while the signer is there (in the request):
    lead auditor of this audit, audit started, checklist answered, content unchanged
    since the page was opened, password again. The report itself is then built in
    the background (audit_report_issue_signed), which checks all but the password again.
    Returns the hash of the content signed."""
    _check_can_issue(audit, actor)
    content_sha256 = _check_shown(audit, shown_sha256)
    _check_password(actor, password)
    return content_sha256


@transaction.atomic
def audit_report_issue_signed(*, audit: Audit, actor, signed_at, note: str = "",
                              shown_sha256: str | None = None) -> AuditReport:
    """Issue the record the lead auditor signed at `signed_at` (the moment they gave
    their password to audit_report_authorise) over the content hashed `shown_sha256`:
    refused when the content changed in between. A second call for the same signature
    (a job run again) returns the report it issued instead of issuing another."""
    audit = _lock_audit(audit)
    done = audit.reports.filter(issued_by=actor, issued_at=signed_at).first()
    if done is not None:
        return done
    _check_can_issue(audit, actor)
    content_sha256 = _check_shown(audit, shown_sha256)
    return _issue(audit, actor, note=note, issued_at=signed_at, content_sha256=content_sha256)


@transaction.atomic
def audit_report_issue(*, audit: Audit, actor, password: str, note: str = "",
                       shown_sha256: str | None = None) -> AuditReport:
    """Issue the PDF audit record: a new revision, signed electronically by the lead
    auditor, stored with its SHA-256 and frozen.

    The signature asks for the lead auditor's password again; its meaning is
    "Trưởng đoàn đánh giá — phát hành báo cáo". The PDF shows the signature block
    (name, date and time, meaning) and the AuditSignature records the signer, the
    time, the SHA-256 of that very PDF and the hash of the report content signed
    (selectors.report_content_sha256; refused when `shown_sha256`, the hash of what
    the page showed, differs). Only the lead auditor of the audit signs.

    The first issue moves an audit in progress to reported (every checklist item
    must be answered); later issues (after actions are verified, after closing) are
    new revisions, and the earlier ones are kept unchanged.
    """
    audit = _lock_audit(audit)
    content_sha256 = audit_report_authorise(audit=audit, actor=actor, password=password,
                                            shown_sha256=shown_sha256)
    return _issue(audit, actor, note=note, issued_at=timezone.now(), content_sha256=content_sha256)


def _issue(audit: Audit, actor, *, note: str, issued_at, content_sha256: str) -> AuditReport:
    revision = (audit.reports.aggregate(m=Max("revision"))["m"] or 0) + 1
    number = report_number(audit, revision)
    if audit.state == AuditState.IN_PROGRESS:
        # Before the data is read: the record shows the state it creates.
        audit.state = AuditState.REPORTED
        audit.reported_at = issued_at
        _save(audit, actor=actor, reason=_("Phát hành báo cáo %(number)s") % {"number": number})
    meaning = AuditSignature.Meaning.REPORT_ISSUED
    signer_name = _name(actor)
    data = selectors.audit_report_data(audit=audit)
    content = pdf.build_audit_report(
        data, number=number, issued_at=issued_at, issued_by=signer_name,
        signature={"name": signer_name, "signed_at": issued_at, "meaning": str(meaning.label)},
    )
    digest = files.sha256_of(content)
    report = AuditReport(
        audit=audit,
        revision=revision,
        number=number,
        # Written before commit, named by its hash (see _attach).
        file=files.store(content, "pdf", folder="audit_reports"),
        sha256=digest,
        size=len(content),
        note=_text(note),
        issued_by=actor,
        issued_at=issued_at,
    )
    _save(report, actor=actor, reason=_("Phát hành báo cáo %(number)s") % {"number": number})
    signature = AuditSignature(
        report=report,
        signer=actor,
        signer_name=signer_name,
        meaning=meaning,
        signed_at=issued_at,
        pdf_sha256=digest,
        content_sha256=content_sha256,
    )
    signature.seal = seal_of(signature)
    _save(signature, actor=actor, reason=str(meaning.label))
    return report
