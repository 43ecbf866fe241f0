"""Forms of the service-quality pages: they check the shape of the input; the
rules live in the services, whose refusals the views show on the same form."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qms.files import validate_upload_size
from qms.forms import date_field
from qms.models import OrgUnit, Sector

from .importing import parse_period
from .models import (
    COUNT_FIELDS,
    Comparison,
    DossierStat,
    Indicator,
    ReviewOutput,
    SatisfactionSurvey,
    Scope,
)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        unit = obj.department.name if obj.department_id else "—"
        return f"{obj.get_full_name() or obj.get_username()} ({unit})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        unit = obj.department.name if obj.department_id else "—"
        return f"{obj.get_full_name() or obj.get_username()} ({unit})"


def people():
    return (get_user_model().objects.filter(is_active=True).select_related("department")
            .order_by("last_name", "first_name"))


def units(ids=None):
    qs = OrgUnit.objects.order_by("name")
    return qs if ids is None else qs.filter(pk__in=ids)


class PeriodField(forms.CharField):
    default_error_messages = {"invalid": _("Kỳ phải có dạng YYYY-MM, ví dụ 2017-03.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        period = parse_period(value)
        if period is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return period


class StatForm(forms.Form):
    period = PeriodField(label=_("Kỳ (YYYY-MM)"), max_length=7)
    department = forms.ModelChoiceField(label=_("Đơn vị"), queryset=OrgUnit.objects.none())
    field = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Sector.objects.order_by("name"))

    def __init__(self, *args, unit_ids=None, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = units(unit_ids)
        for name in COUNT_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=DossierStat._meta.get_field(name).verbose_name, min_value=0,
                error_messages={"min_value": _("Không được âm.")})
        if locked:
            for name in ("period", "department", "field"):
                self.fields[name].disabled = True

    def counts(self) -> dict:
        return {name: self.cleaned_data[name] for name in COUNT_FIELDS}


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV hoặc Excel (.xlsx)"), validators=[validate_upload_size])
    replace = forms.BooleanField(label=_("Thay số liệu các kỳ đã nhập (đính chính)"), required=False)


class SurveyUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV hoặc Excel (.xlsx)"), validators=[validate_upload_size])


class SurveyForm(forms.Form):
    period = PeriodField(label=_("Kỳ (YYYY-MM)"), max_length=7)
    department = forms.ModelChoiceField(label=_("Đơn vị"), queryset=OrgUnit.objects.none())
    respondents = forms.IntegerField(label=_("Số người trả lời"), min_value=1)
    comments = forms.CharField(label=_("Ý kiến khác"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, unit_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = units(unit_ids)
        for name in SatisfactionSurvey.GROUPS:
            self.fields[name] = forms.DecimalField(
                label=SatisfactionSurvey._meta.get_field(name).verbose_name, min_value=0, max_value=100,
                decimal_places=2)
        self.order_fields(["period", "department", "respondents", *SatisfactionSurvey.GROUPS, "comments"])

    def shares(self) -> dict:
        return {name: self.cleaned_data[name] for name in SatisfactionSurvey.GROUPS}


class PublishForm(forms.Form):
    period = PeriodField(label=_("Kỳ (YYYY-MM)"), max_length=7)
    reason = forms.CharField(label=_("Lý do (khi rút lại)"), required=False, max_length=500)


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    department = forms.ModelChoiceField(label=_("Đơn vị"), queryset=OrgUnit.objects.order_by("name"))
    target = forms.IntegerField(label=_("Chỉ tiêu hồ sơ trực tuyến mức độ 3"), min_value=0)


class FieldForm(forms.Form):
    code = forms.SlugField(label=_("Mã lĩnh vực"), max_length=30)
    name = forms.CharField(label=_("Tên lĩnh vực"), max_length=200)
    department = forms.ModelChoiceField(label=_("Đơn vị giải quyết"), queryset=OrgUnit.objects.order_by("name"))


class ObjectiveForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Mục tiêu"), max_length=300)
    indicator = forms.ChoiceField(label=_("Chỉ số"), choices=Indicator.choices)
    scope = forms.ChoiceField(label=_("Phạm vi"), choices=Scope.choices)
    department = forms.ModelChoiceField(label=_("Đơn vị (phạm vi một đơn vị)"), required=False,
                                        queryset=OrgUnit.objects.order_by("name"))
    field = forms.ModelChoiceField(label=_("Lĩnh vực (phạm vi một lĩnh vực)"), required=False,
                                   queryset=Sector.objects.order_by("name"))
    comparison = forms.ChoiceField(label=_("So sánh"), choices=Comparison.choices)
    target = forms.DecimalField(label=_("Chỉ tiêu"), max_digits=9, decimal_places=2)
    unit_label = forms.CharField(label=_("Đơn vị tính"), max_length=20, initial="%")
    owner = PersonChoiceField(label=_("Cán bộ theo dõi"), queryset=get_user_model().objects.none())
    plan_actions = forms.CharField(label=_("Việc sẽ làm"), widget=forms.Textarea(attrs={"rows": 3}))
    plan_resources = forms.CharField(label=_("Nguồn lực"), widget=forms.Textarea(attrs={"rows": 2}),
                                     required=False)
    plan_responsible = forms.CharField(label=_("Người, đơn vị thực hiện"), max_length=300)
    plan_due = date_field(_("Thời hạn hoàn thành"))
    plan_evaluation = forms.CharField(label=_("Cách đánh giá kết quả"),
                                      widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()
        if editing:
            for name in ("year", "indicator", "scope", "department", "field", "unit_label"):
                del self.fields[name]


class ReadingForm(forms.Form):
    month = forms.IntegerField(label=_("Tháng"), min_value=1, max_value=12)
    value = forms.DecimalField(label=_("Giá trị"), max_digits=9, decimal_places=2)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class RaiseForm(forms.Form):
    owner = PersonChoiceField(label=_("Người chịu trách nhiệm khắc phục"), queryset=get_user_model().objects.none())
    due_date = date_field(_("Hạn hoàn thành hành động khắc phục"))

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = people()
        self.fields["owner"].queryset = qs.filter(department=department) if department else qs


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("Năm được xem xét"), min_value=2000, max_value=2100)
    meeting_date = date_field(_("Ngày họp"))
    chair = PersonChoiceField(label=_("Chủ trì"), queryset=get_user_model().objects.none())
    participants = PeopleChoiceField(label=_("Thành phần tham dự"), required=False,
                                     queryset=get_user_model().objects.none(),
                                     widget=forms.SelectMultiple(attrs={"size": 8}))
    other_participants = forms.CharField(label=_("Thành phần khác"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))
    context_changes = forms.CharField(label=_("Thay đổi bối cảnh, căn cứ pháp lý"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    resources = forms.CharField(label=_("Sự đầy đủ của nguồn lực"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    risk_actions = forms.CharField(label=_("Hiệu lực của hành động giải quyết rủi ro, cơ hội"),
                                   required=False, widget=forms.Textarea(attrs={"rows": 2}))
    improvement_notes = forms.CharField(label=_("Cơ hội cải tiến"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = people()
        self.fields["participants"].queryset = people()
        if editing:
            del self.fields["year"]


class OutputForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại quyết định"), choices=ReviewOutput.Kind.choices)
    description = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = PersonChoiceField(label=_("Người thực hiện"), queryset=get_user_model().objects.none())
    due_date = date_field(_("Hạn hoàn thành"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()


class DoneForm(forms.Form):
    note = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 2}))
