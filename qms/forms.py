"""Forms of the ground's own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .dates import PlausibleDate
from .models import NotificationPreference


class NotificationPreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("Cách nhận thư"),
        choices=NotificationPreference.Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Cách nhận thư không hợp lệ."),
                        "required": _("Hãy chọn cách nhận thư.")},
    )
    language = forms.ChoiceField(
        label=_("Ngôn ngữ của thư"),
        choices=NotificationPreference.Language.choices,
        error_messages={"invalid_choice": _("Ngôn ngữ không hợp lệ."),
                        "required": _("Hãy chọn ngôn ngữ.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# ---------------------------------------------------------------- dates
# One way to enter a date on every form: dd/mm/yyyy typed or picked in the small
# calendar of static/js/app.js (inputs marked data-datepicker). A native
# <input type="date"> shows the browser's locale format (mm/dd/yyyy on an English
# Windows), which is why it is not used. ISO dates (yyyy-mm-dd) are still accepted
# for pasted values and scripts.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"


class DateInput(forms.DateInput):
    """A text input showing dd/mm/yyyy, with the calendar picker."""

    def __init__(self, attrs=None):
        base = {
            "placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off",
            "pattern": DATE_PATTERN, "data-datepicker": "", "class": "date-input",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


def date_field(label, *, required: bool = True, required_message=None, years_ahead: int = 10,
               **kwargs) -> forms.DateField:
    """A DateField entered as dd/mm/yyyy, with the message of a wrong date in the
    person's language; a date before 1990 or more than `years_ahead` years ahead is
    refused as implausible."""
    messages = {"invalid": _("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy.")}
    if required_message:
        messages["required"] = required_message
    return forms.DateField(
        label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=DateInput(),
        validators=[PlausibleDate(years_ahead=years_ahead)], error_messages=messages, **kwargs,
    )
