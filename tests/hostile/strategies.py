"""Hypothesis strategies for hostile form input, shared by the property tests.

`field_value(field, choices)` draws what a careless user or an attacker could send
for one form field, chosen by the field's kind: any Unicode text (control
characters, right-to-left marks, huge strings), dates of any year and in any
format, numbers beyond every range, NaN and infinities, unknown ids, and files
with odd names and contents. Valid values are mixed in, so that the checks past
the first field (cross-field `clean()`, services) are reached too.
"""

import datetime
import os
import string

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Few examples per form: ~50 forms on a shared 2-core machine (see the module docs).
PROPERTY = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])
# A page per example: fewer.
VIEW_PROPERTY = settings(PROPERTY, max_examples=15)

# Text a careless user or an attacker types: any Unicode, and pieces known to hurt.
NASTY = st.sampled_from([
    "", " ", "0", "-1", "99999999999999999999", "abc", "01/01/0001", "01/01/9999", "31/02/2026",
    "2026-13-45", "QT/01", "../../etc/passwd", "<script>alert(1)</script>", "- " * 500,
    '<ol start="abc"><li>x</li></ol>', "\x00", "\u202e", "Đ" * 300, "x" * 70_000, "%s%n", "' OR 1=1 --",
    "NaN", "inf", "-inf", "1e999", "0x10", "١٢٣", "\ufeff1", "1\u200b", "e\u0301" * 50, "\r\n" * 100,
    "{{ 7*7 }}", "{% debug %}", "\U0001f4a9" * 10, "\ufffd", "\u0000\u0007\u001b[31m",
])
CONTROL = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x20), min_size=1, max_size=20)
TEXT = st.one_of(st.text(max_size=200), NASTY, CONTROL)


def _date_text():
    days = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
    plausible = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))
    return st.one_of(
        plausible.map(lambda d: d.strftime("%d/%m/%Y")),
        days.map(lambda d: d.strftime("%d/%m/") + f"{d.year:04d}"),
        days.map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
        st.tuples(st.integers(-5, 99), st.integers(-5, 99), st.integers(-99999, 99999)).map(
            lambda t: f"{t[0]}/{t[1]}/{t[2]}"),
        TEXT,
    )


NUMBER = st.one_of(
    st.integers(0, 100).map(str),  # plausible: lets the post reach the service
    st.integers(-10**30, 10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    TEXT,
)

FILE_NAMES = st.one_of(
    st.sampled_from(["a.docx", "a.odt", "a.txt", "a.md", "a.pdf", "a.png", "a.csv", "a.xlsx",
                     "../../etc/passwd", "CON", ".docx", "a" * 300 + ".docx", "tệp đất đai.docx",
                     "a\x00b.txt", "a\u202excod.txt", "a.DOCX", "a.docx.exe", "a"]),
    st.text(alphabet=string.ascii_letters + string.digits + "._-/\\ ", min_size=1, max_size=40),
)
FILE_CONTENT = st.one_of(
    st.binary(max_size=2048),
    st.sampled_from([b"", b"PK\x03\x04" + b"\x00" * 100, b"%PDF-1.4\n" + b"x" * 100,
                     b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "QUY TRÌNH\nMã số: QT-01\n".encode(),
                     b"a,b,c\n1,2,3\n", b"\xff\xfe" + "Đ".encode("utf-16-le") * 50]),
)


def _kept_by_the_parser(name: str) -> bool:
    # Django's multipart parser drops a file whose name has no last part ("/", ".", "..").
    return os.path.basename(name.replace("\\", "/")).strip() not in ("", ".", "..")


@st.composite
def uploaded_file(draw):
    return SimpleUploadedFile(draw(FILE_NAMES.filter(_kept_by_the_parser)), draw(FILE_CONTENT))


def is_file_field(field) -> bool:
    return isinstance(field, forms.FileField)


def valid_choices(field) -> list[str]:
    """A few values the field accepts (ids of existing rows, listed choices), read
    once before the examples run."""
    if isinstance(field, forms.ModelChoiceField):
        key = field.to_field_name or "pk"
        return [str(v) for v in field.queryset.values_list(key, flat=True)[:20]]
    if isinstance(field, forms.ChoiceField):
        values = []
        for value, label in field.choices:
            if isinstance(label, list | tuple):  # an optgroup
                values += [str(v) for v, _label in label]
            else:
                values.append(str(value))
        return values[:50]
    return []


def field_value(field, choices: list[str]):
    """What may be posted for one field (a list for a multiple one)."""
    if is_file_field(field):
        multiple = getattr(field.widget, "allow_multiple_selected", False)
        return st.lists(uploaded_file(), max_size=3) if multiple else uploaded_file()
    one = TEXT
    if choices:
        one = st.one_of(st.sampled_from(choices), TEXT, st.integers(-10, 10**12).map(str))
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(one, max_size=4)
    if isinstance(field, forms.BooleanField):
        return st.one_of(st.sampled_from(["on", "true", "false", "1", "0", ""]), TEXT)
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return _date_text()
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return NUMBER
    return one


WORDS = st.text(alphabet=string.ascii_letters + string.digits + " .,-ĐđăâêôơưạệộữỳÀÁ", min_size=1,
                max_size=60).filter(str.strip)


def plausible_value(field, choices: list[str]):
    """What a careful user sends: a listed choice, a short text, a date near today,
    a small number; so that the post passes the form and reaches the service."""
    if is_file_field(field):
        return field_value(field, choices)
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(st.sampled_from(choices), max_size=2, unique=True) if choices else st.just([])
    if choices:
        return st.sampled_from(choices)
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", ""])
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return st.dates(min_value=datetime.date(2025, 1, 1), max_value=datetime.date(2027, 12, 31)).map(
            lambda d: d.strftime("%d/%m/%Y"))
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return st.integers(0, 100).map(str)
    return WORDS


@st.composite
def form_input(draw, fields: dict, choices: dict):
    """(data, files) for a bound form with these fields. Half the posts are hostile
    throughout (a field may be left out); the other half are plausible but for one
    or two hostile fields, so that the checks past the form are reached too."""
    data, files = {}, {}
    careful = draw(st.booleans())
    hostile = set(draw(st.lists(st.sampled_from(sorted(fields)), max_size=2))) if fields else set()
    for name, field in fields.items():
        if careful and name not in hostile:
            value = draw(plausible_value(field, choices.get(name, [])))
        else:
            if draw(st.integers(0, 9)) == 0:
                continue  # absent from the post
            value = draw(field_value(field, choices.get(name, [])))
        if is_file_field(field):
            files[name] = value
        else:
            data[name] = value
    return data, files
