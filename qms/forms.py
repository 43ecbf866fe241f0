"""Forms of the ground's own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
