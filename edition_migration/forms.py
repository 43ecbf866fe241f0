from django import forms
from django.utils.translation import gettext_lazy as _

from qms.models import Edition, OrgUnit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
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


class RunForm(forms.Form):
    codes = forms.MultipleChoiceField(label=_("Tài liệu"), required=False, choices=())
    dry_run = forms.BooleanField(label=_("Chạy thử (không lưu)"), required=False)

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [(c, c) for c in codes]


class DecideForm(forms.Form):
    ACTIONS = (("accept", _("Chấp nhận")), ("refuse", _("Từ chối")))

    action = forms.ChoiceField(choices=ACTIONS)
    flag = forms.IntegerField(required=False)
    key = forms.CharField(required=False, max_length=60)

    def clean(self):
        data = super().clean()
        if not data.get("flag") and not data.get("key"):
            raise forms.ValidationError(_("Hãy chọn thuật ngữ cần quyết định."))
        return data
