from django import forms
from django.utils.translation import gettext_lazy as _

from qms.files import validate_upload_size
from qms.models import Edition, OrgUnit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("validators", [validate_upload_size])
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Tệp quy trình (.docx, .odt, .txt, .md)"),
        error_messages={"required": _("Hãy chọn ít nhất một tệp.")},
    )
    edition = forms.ModelChoiceField(
        label=_("Phiên bản tiêu chuẩn"), queryset=Edition.objects.all(), to_field_name="year",
        empty_label=None,
    )
    department = forms.ModelChoiceField(
        label=_("Đơn vị chủ trì (cho tài liệu mới)"), queryset=OrgUnit.objects.all(), required=False
    )
    as_draft = forms.BooleanField(
        label=_("Tài liệu đã có trong sổ đăng ký: nhập thành dự thảo lần ban hành mới "
                "(để xem xét, phê duyệt)"),
        required=False,
    )


class RunForm(forms.Form):
    codes = forms.MultipleChoiceField(label=_("Tài liệu"), required=False, choices=())
    dry_run = forms.BooleanField(label=_("Chạy thử (không lưu)"), required=False)
    all = forms.BooleanField(label=_("Tất cả tài liệu chờ chuyển đổi"), required=False)

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [(c, c) for c in codes]


class DecideForm(forms.Form):
    ACTIONS = (("accept", _("Chấp nhận")), ("refuse", _("Từ chối")))

    action = forms.ChoiceField(choices=ACTIONS)
    flag = forms.IntegerField(required=False)
    key = forms.CharField(required=False, max_length=60)
    choice = forms.IntegerField(required=False, min_value=0)
    wording = forms.CharField(required=False, max_length=300, strip=True)

    def clean(self):
        data = super().clean()
        if not data.get("flag") and not data.get("key"):
            raise forms.ValidationError(_("Hãy chọn thuật ngữ cần quyết định."))
        return data


class NotApplicableForm(forms.Form):
    number = forms.CharField(max_length=12)
    justification = forms.CharField(
        label=_("Lý giải (điều 4.3)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
    )


class TemplateDraftForm(forms.Form):
    template = forms.CharField(max_length=20)
    code = forms.CharField(label=_("Mã số"), max_length=40)


class LinkForm(forms.Form):
    key = forms.CharField(max_length=60)
    code = forms.CharField(max_length=40)
    action = forms.ChoiceField(choices=(("confirm", _("Xác nhận")), ("refuse", _("Không đúng"))))
