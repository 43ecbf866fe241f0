"""Forms of the reading pages: the access log's filters and the acknowledgement
status's department."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qms.forms import date_field
from qms.models import OrgUnit

from .models import AccessLog


class Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _department_field():
    return forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=OrgUnit.objects.order_by("name"),
        required=False,
        empty_label=_("Mọi đơn vị"),
        error_messages={"invalid_choice": _("Đơn vị đã chọn không tồn tại.")},
    )


class AccessLogFilterForm(Form):
    person = forms.ModelChoiceField(
        label=_("Người truy cập"),
        queryset=None,
        required=False,
        empty_label=_("Mọi người"),
        error_messages={"invalid_choice": _("Người đã chọn không có trong nhật ký này.")},
    )
    department = _department_field()
    revision = forms.TypedChoiceField(label=_("Lần ban hành"), coerce=int, required=False,
                                      empty_value=None)
    action = forms.ChoiceField(
        label=_("Thao tác"),
        required=False,
        choices=[("", _("Mọi thao tác")), *AccessLog.Action.choices],
        error_messages={"invalid_choice": _("Thao tác đã chọn không tồn tại.")},
    )
    date_from = date_field(_("Từ ngày"), required=False, years_ahead=1)
    date_to = date_field(_("Đến ngày"), required=False, years_ahead=1)

    def __init__(self, *args, people, revisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = (
            lambda u: f"{u.get_full_name() or u.username} ({u.username})")
        self.fields["revision"].choices = [("", _("Mọi lần ban hành")), *(
            (r, _("Lần ban hành %(rev)s") % {"rev": r}) for r in revisions)]
        self.fields["revision"].error_messages["invalid_choice"] = _(
            "Lần ban hành đã chọn không tồn tại.")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return data

    def filters(self) -> dict:
        """The selector's keyword arguments from the fields that are valid (an invalid
        field is shown with its error and does not filter)."""
        self.is_valid()
        data = dict(getattr(self, "cleaned_data", {}))
        if self.non_field_errors():
            data.pop("date_from", None), data.pop("date_to", None)
        return {name: value for name, value in data.items() if value not in ("", None)}


class DepartmentFilterForm(Form):
    department = _department_field()
