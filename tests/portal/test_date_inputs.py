"""Dates are entered the same way on every form (issue 10, point 13): a text field
showing dd/mm/yyyy with the calendar picker, never the browser's own date input."""

import datetime
import importlib
import inspect

import pytest
from django import forms

from qms.forms import DateInput, date_field

FORM_MODULES = [
    "qms.forms", "procedures.forms", "procedures.reading_forms", "audits.forms",
    "service_quality.forms", "edition_migration.forms",
]


def date_fields():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                for field_name, field in cls.base_fields.items():
                    if isinstance(field, forms.DateField):
                        yield f"{module_name}.{name}.{field_name}", field


def test_every_date_field_of_every_app_uses_the_one_dd_mm_yyyy_input():
    found = dict(date_fields())
    assert len(found) >= 10  # procedures, the access log, audits, service quality
    for name, field in found.items():
        assert isinstance(field.widget, DateInput), name
        assert field.widget.input_type == "text", name
        assert field.input_formats[0] == "%d/%m/%Y", name


def test_the_input_shows_and_accepts_dd_mm_yyyy():
    class F(forms.Form):
        day = date_field("Ngày")

    html = str(F(initial={"day": datetime.date(2026, 3, 5)})["day"])
    assert 'type="text"' in html and 'value="05/03/2026"' in html
    assert "data-datepicker" in html and 'placeholder="dd/mm/yyyy"' in html
    assert F({"day": "5/3/2026"}).is_valid() and F({"day": "2026-03-05"}).is_valid()


@pytest.mark.parametrize("value", ["31/02/2026", "03-05-2026", "hôm nay", "05/13/2026"])
def test_a_wrong_date_gets_a_clear_message(value):
    class F(forms.Form):
        day = date_field("Ngày")

    form = F({"day": value})
    assert not form.is_valid()
    assert form.errors["day"] == ["Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."]
