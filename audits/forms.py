"""Forms of the audit pages. They check the shape of the input; the rules live in
audits.services, whose refusals the views show on the same form."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from procedures.models import Procedure, ProcedureVersion
from procedures.models import State as VersionState
from qms import limits, roles
from qms.files import validate_upload_size
from qms.forms import date_field
from qms.models import Clause, OrgUnit

from .models import ChecklistItem, Finding


def _date_field(label, **kwargs):
    return date_field(label, **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        unit = obj.department.name if obj.department_id else "—"
        return f"{obj.get_full_name() or obj.get_username()} ({unit})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        unit = obj.department.name if obj.department_id else "—"
        return f"{obj.get_full_name() or obj.get_username()} ({unit})"


def auditors():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.INTERNAL_AUDITOR)
        .select_related("department")
        .order_by("last_name", "first_name")
    )


class ProgrammeForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Tên chương trình"), max_length=300, required=False)
    objectives = forms.CharField(label=_("Mục tiêu"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AuditForm(forms.Form):
    title = forms.CharField(label=_("Tên cuộc đánh giá"), max_length=300)
    objectives = forms.CharField(label=_("Mục tiêu"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    departments = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được đánh giá"),
        queryset=OrgUnit.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Hãy chọn ít nhất một đơn vị được đánh giá.")},
    )
    clause_numbers = forms.CharField(
        label=_("Điều khoản ISO 9001:2015"),
        required=False,
        help_text=_("Số hiệu, cách nhau bằng dấu phẩy: 4.1, 6.1, 7.5.3"),
    )
    procedures = forms.ModelMultipleChoiceField(
        label=_("Quy trình"),
        queryset=Procedure.objects.filter(versions__state=VersionState.EFFECTIVE).distinct().order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    planned_start = _date_field(_("Ngày bắt đầu dự kiến"))
    planned_end = _date_field(_("Ngày kết thúc dự kiến"))
    lead_auditor = PersonChoiceField(label=_("Trưởng đoàn đánh giá"), queryset=auditors())
    team = PeopleChoiceField(
        label=_("Thành viên đoàn"), queryset=auditors(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_clause_numbers(self):
        raw = self.cleaned_data["clause_numbers"].replace(";", ",")
        return [n.strip() for n in raw.split(",") if n.strip()]


class ChecklistAnswerForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[c for c in ChecklistItem.Result.choices if c[0] != ChecklistItem.Result.PENDING],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                            validators=[limits.max_chars(limits.NOTE_CHARS)])


class ClauseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.title_vi}"


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(code)s lần %(revision)s — %(title)s") % {
            "code": obj.procedure.code, "revision": obj.revision, "title": obj.procedure.title}


class FindingForm(forms.Form):
    grade = forms.ChoiceField(label=_("Mức độ"), choices=Finding.Grade.choices)
    clause = ClauseChoiceField(
        label=_("Điều khoản ISO 9001:2015"),
        queryset=Clause.objects.filter(edition__year=2015).order_by("sort_key"),
        error_messages={"required": _("Phát hiện phải viện dẫn một điều khoản của ISO 9001:2015.")},
    )
    department = forms.ModelChoiceField(label=_("Đơn vị"), queryset=OrgUnit.objects.none())
    statement = forms.CharField(label=_("Nội dung phát hiện"), widget=forms.Textarea(attrs={"rows": 4}),
                                validators=[limits.max_chars(limits.STATEMENT_CHARS)])
    evidence = forms.CharField(label=_("Bằng chứng"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               validators=[limits.max_chars(limits.STATEMENT_CHARS)])
    procedure_version = VersionChoiceField(
        label=_("Quy trình liên quan (phiên bản đang hiệu lực)"),
        queryset=ProcedureVersion.objects.none(),
        required=False,
    )
    action_owner = PersonChoiceField(
        label=_("Người chịu trách nhiệm khắc phục (điểm không phù hợp)"),
        queryset=get_user_model().objects.none(),
        required=False,
    )
    action_due = _date_field(_("Hạn hoàn thành hành động khắc phục"), required=False)
    attachment = forms.FileField(label=_("Tệp bằng chứng"), required=False,
                                 validators=[validate_upload_size])
    checklist_item = forms.ModelChoiceField(
        queryset=ChecklistItem.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, audit, departments, versions, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["procedure_version"].queryset = versions
        self.fields["action_owner"].queryset = owners
        self.fields["checklist_item"].queryset = audit.checklist.all()


class FindingEditForm(FindingForm):
    """The same fields, less the evidence file and the checklist item; the reason is
    required once the report has been issued (the service says so)."""

    reason = forms.CharField(
        label=_("Lý do sửa đổi"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["attachment"]
        del self.fields["checklist_item"]
        self.fields["action_owner"].help_text = _(
            "Khi phát hiện trở thành điểm không phù hợp, hoặc để đổi người chịu trách nhiệm "
            "khi hành động chưa được trả lời."
        )


class AttachmentForm(forms.Form):
    attachment = forms.FileField(label=_("Tệp bằng chứng"), validators=[validate_upload_size])


class ActionAnswerForm(forms.Form):
    correction = forms.CharField(
        label=_("Khắc phục tức thời"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    root_cause = forms.CharField(label=_("Nguyên nhân gốc rễ"), widget=forms.Textarea(attrs={"rows": 3}),
                                 validators=[limits.max_chars(limits.STATEMENT_CHARS)])
    action_plan = forms.CharField(label=_("Hành động khắc phục"), widget=forms.Textarea(attrs={"rows": 3}),
                                  validators=[limits.max_chars(limits.STATEMENT_CHARS)])
    evidence = forms.CharField(
        label=_("Bằng chứng thực hiện"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text=_("Hồ sơ, tài liệu chứng minh hành động đã được thực hiện."),
    )


class ActionVerifyForm(forms.Form):
    effective = forms.TypedChoiceField(
        label=_("Kết luận"),
        choices=[("yes", _("Có hiệu lực — đóng")), ("no", _("Chưa có hiệu lực — yêu cầu khắc phục lại"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Kết quả kiểm tra hiệu lực"), widget=forms.Textarea(attrs={"rows": 3}),
                           validators=[limits.max_chars(limits.NOTE_CHARS)])
    new_due_date = _date_field(
        _("Hạn hoàn thành mới (khi chưa có hiệu lực)"), required=False,
    )


class ReportIssueForm(forms.Form):
    note = forms.CharField(label=_("Lý do phát hành"), max_length=500, required=False)
    password = forms.CharField(
        label=_("Mật khẩu của bạn (ký điện tử)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Hãy nhập mật khẩu để ký.")},
    )
    # The SHA-256 of the report content on the page: the service refuses to sign another.
    content_sha256 = forms.CharField(
        widget=forms.HiddenInput, max_length=64,
        error_messages={"required": _("Thiếu mã băm của nội dung: hãy tải lại trang rồi ký.")},
    )
