"""The officer's part in the gap report: requirements not applicable (with the
justification 4.3 asks for), links of documented information to procedures
(the tool proposes, the officer confirms), and drafts from templates for the
requirements nothing covers yet."""

import json
from functools import cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures import permissions as procedure_permissions
from procedures import services as procedure_services
from procedures.models import Procedure, ProcedureVersion
from qms.history import save_with_history
from qms.models import Edition
from qms.text import nfc

from .. import permissions
from ..gap import documented_information
from ..models import DocumentedInformationLink, RequirementDecision
from ._common import MigrationError, _deny


@cache
def templates() -> dict:
    path = settings.BASE_DIR / "edition_migration" / "data" / "templates_2015.json"
    return json.loads(path.read_text(encoding="utf-8"))["templates"]


def _check_requirement(number: str) -> str:
    number = (number or "").strip()
    if not Edition.objects.filter(year=2015, clauses__number=number).exists():
        raise MigrationError(
            _("Không có điều khoản %(number)s trong TCVN ISO 9001:2015."), code="clause",
            params={"number": number},
        )
    return number


@transaction.atomic
def requirement_not_applicable(*, actor, number: str, justification: str) -> RequirementDecision:
    """State that a 2015 requirement does not apply to the system, with its
    justification (4.3). A decision for the whole system: the central office's
    officers and the administrator take it."""
    if not permissions.sees_every_department(actor):
        _deny()
    number = _check_requirement(number)
    justification = nfc(justification).strip()
    if len(justification) < 20:
        raise MigrationError(
            _("Hãy nêu lý giải vì sao yêu cầu không áp dụng (ít nhất 20 ký tự), như điều 4.3 "
              "yêu cầu."),
            code="justification",
        )
    decision = RequirementDecision(number=number, justification=justification, decided_by=actor)
    try:
        with transaction.atomic():
            save_with_history(decision, actor=actor,
                              reason=_("Yêu cầu %(number)s không áp dụng") % {"number": number})
    except IntegrityError:
        raise MigrationError(
            _("Yêu cầu %(number)s đã được ghi là không áp dụng."), code="duplicate",
            params={"number": number},
        ) from None
    return decision


@transaction.atomic
def requirement_applicable(*, actor, number: str) -> RequirementDecision:
    """Withdraw a "not applicable" statement; it stays in history."""
    if not permissions.sees_every_department(actor):
        _deny()
    decision = (RequirementDecision.objects.select_for_update()
                .filter(number=number, withdrawn_at__isnull=True).first())
    if decision is None:
        raise MigrationError(_("Yêu cầu %(number)s không được ghi là không áp dụng."),
                             code="none", params={"number": number})
    decision.withdrawn_at = timezone.now()
    save_with_history(decision, actor=actor,
                      reason=_("Rút lại: yêu cầu %(number)s có áp dụng") % {"number": number})
    return decision


@transaction.atomic
def documented_information_decide(*, actor, key: str, procedure: Procedure,
                                  confirm: bool) -> DocumentedInformationLink:
    """Confirm (or refuse) that `procedure` holds the documented information `key`."""
    if key not in {item["key"] for item in documented_information()}:
        raise MigrationError(_("Không có mục thông tin dạng văn bản “%(key)s”."), code="key",
                             params={"key": key})
    if not (permissions.sees_every_department(actor)
            or (permissions.can_use_migration(actor)
                and procedure_permissions.can_author(actor, procedure))):
        _deny()
    link, _created = DocumentedInformationLink.objects.select_for_update().get_or_create(
        key=key, procedure=procedure, defaults={"status": DocumentedInformationLink.Status.PROPOSED},
    )
    link.status = (DocumentedInformationLink.Status.CONFIRMED if confirm
                   else DocumentedInformationLink.Status.REFUSED)
    link.decided_by, link.decided_at = actor, timezone.now()
    save_with_history(link, actor=actor, reason=(
        _("Xác nhận thông tin dạng văn bản") if confirm else _("Không đúng thông tin dạng văn bản")))
    return link


@transaction.atomic
def requirement_draft_create(*, actor, template: str, code: str, department) -> ProcedureVersion:
    """A new draft procedure on 2015 from a template (context and interested parties,
    risks and opportunities, quality objectives, organisational knowledge, changes),
    with the sections of the agencies' model system; it goes through review and
    approval like any draft (procedures.services.procedure_create)."""
    found = templates().get(template)
    if found is None:
        raise MigrationError(_("Không có mẫu “%(name)s”."), code="template", params={"name": template})
    code = nfc(code).strip().upper()
    if not code:
        raise MigrationError(_("Hãy nhập mã số cho tài liệu mới."), code="code")
    body = found["body"].replace("{code}", code).replace("{unit}", str(department))
    return procedure_services.procedure_create(
        actor=actor, code=code, title=found["title"], department=department,
        edition=Edition.objects.get(year=2015), body=body, clause_numbers=found["clauses"],
        change_summary=_("Dự thảo từ mẫu cho yêu cầu mới của TCVN ISO 9001:2015 (%(numbers)s).") % {
            "numbers": ", ".join(found["clauses"])},
    )
