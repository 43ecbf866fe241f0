"""Forms of the procedure screens. They validate input; the services decide."""

import re
from html import escape

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from qms import limits
from qms.codes import CODE_HELP, validate_code
from qms.forms import date_field
from qms.models import Clause, Edition, OrgUnit, Sector

from .models import Procedure, State
from .search import query as search_query

MAX_QUERY_CHARS = search_query.MAX_QUERY_CHARS


def split_clause_numbers(text: str) -> list[str]:
    """ "4.2.3, 7.5; 8.2.2" -> ["4.2.3", "7.5", "8.2.2"]."""
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


class Form(forms.Form):
    """Labels without Django's trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class QuickSelect(forms.Select):
    """A <select> written in Python: the template-per-option rendering of Django's
    widget costs about 80 ms for the clause catalogue on the search page (and
    format_html per option still 5 ms: each value is escaped once, as text). The
    search page's other filters use it too: each template-rendered select cost
    about 1 ms on every search."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}

        def options(choices):
            return "".join(
                f'<option value="{escape(str(v))}"{" selected" if str(v) in chosen else ""}>'
                f"{escape(str(label))}</option>"
                for v, label in choices
            )

        parts = []
        for key, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{escape(str(key))}">{options(label)}</optgroup>')
            else:
                parts.append(options([(key, label)]))
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return mark_safe(f"<select{flatatt(attrs)}>{''.join(parts)}</select>")


class ClauseChoiceField(forms.TypedChoiceField):
    """A clause of either edition, offered grouped by edition."""

    widget = QuickSelect

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def load(self):
        # Plain rows, not model instances: the search page builds this on every request.
        rows = Clause.objects.order_by("edition__year", "sort_key").values_list(
            "pk", "number", Clause.title_column(), "edition__name"
        )
        groups: dict[str, list] = {}
        for pk, number, text, edition in rows:
            text = text if len(text) <= 60 else text[:57] + "…"
            groups.setdefault(edition, []).append((pk, f"{number} {text}"))
        self.choices = [("", _("Mọi điều khoản")), *groups.items()]


class SearchForm(Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        error_messages={
            "max_length": _("Từ khóa tìm kiếm quá dài (tối đa %(limit_value)d ký tự).")
        },
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Mã số, tên hoặc nội dung, có dấu hoặc không dấu")}
        ),
    )
    department = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=OrgUnit.objects.order_by("name"),
        required=False,
        empty_label=_("Mọi đơn vị"),
        error_messages={"invalid_choice": _("Đơn vị đã chọn không tồn tại.")},
        widget=QuickSelect,
    )
    kind = forms.ChoiceField(
        label=_("Loại tài liệu"),
        required=False,
        choices=[("", _("Mọi loại")), *Procedure.Kind.choices],
        error_messages={"invalid_choice": _("Loại tài liệu đã chọn không tồn tại.")},
        widget=QuickSelect,
    )
    clause = ClauseChoiceField(
        label=_("Điều khoản"),
        required=False,
        error_messages={"invalid_choice": _("Điều khoản đã chọn không tồn tại.")},
    )
    sector = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Sector.objects.order_by("name"),
        required=False,
        empty_label=_("Mọi lĩnh vực"),
        error_messages={"invalid_choice": _("Lĩnh vực đã chọn không tồn tại.")},
        widget=QuickSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clause"].load()
        self.fields["q"].widget.attrs.update({
            "autocomplete": "off", "data-suggest": reverse_lazy("procedures:suggest"),
        })

    def clean_q(self):
        # Refused here, with the reason, rather than searched in part.
        return search_query.parse(self.cleaned_data["q"])

    def search_kwargs(self) -> dict:
        data = self.cleaned_data
        clause = Clause.objects.filter(pk=data["clause"]).first() if data.get("clause") else None
        return {
            "query": data.get("q") or "",
            "department": data.get("department"),
            "kind": data.get("kind") or None,
            "clause": clause,
            "sector": data.get("sector"),
        }


def _clause_numbers_field():
    return forms.CharField(
        label=_("Điều khoản viện dẫn"),
        required=False,
        max_length=1000,
        help_text=_("Số hiệu điều khoản cách nhau bởi dấu phẩy, ví dụ: 4.2.3, 7.5.3"),
    )


def _body_field():
    return forms.CharField(
        label=_("Nội dung"),
        required=False,
        strip=False,
        validators=[limits.max_chars(limits.BODY_CHARS)],
        widget=forms.Textarea(attrs={"rows": 22, "class": "editor-source", "spellcheck": "false"}),
        help_text=_("Định dạng Markdown nhẹ: # tiêu đề, **đậm**, *nghiêng*, - danh sách, | bảng |"),
    )


class ProcedureCreateForm(Form):
    code = forms.CharField(label=_("Mã số"), max_length=40, validators=[validate_code],
                           help_text=CODE_HELP,
                           widget=forms.TextInput(attrs={"pattern": r"[A-Za-z0-9][A-Za-z0-9._\-]*"}))
    title = forms.CharField(label=_("Tên tài liệu"), max_length=300)
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=Procedure.Kind.choices,
                             initial=Procedure.Kind.PROCEDURE)
    department = forms.ModelChoiceField(label=_("Đơn vị chủ trì"), queryset=OrgUnit.objects.none())
    edition = forms.ModelChoiceField(
        label=_("Phiên bản tiêu chuẩn"), queryset=Edition.objects.order_by("-year"), empty_label=None
    )
    clause_numbers = _clause_numbers_field()
    owner = forms.ModelChoiceField(
        label=_("Người chủ trì quá trình"), queryset=get_user_model().objects.none(), required=False
    )
    review_period_months = forms.IntegerField(
        label=_("Chu kỳ xem xét (tháng)"), min_value=1, max_value=60, required=False
    )
    distribution = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được phân phối"),
        queryset=OrgUnit.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    body = _body_field()
    change_summary = forms.CharField(
        label=_("Tóm tắt thay đổi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.order_by("name")
        if not user.is_superuser:
            units = units.filter(pk=user.department_id)
        self.fields["department"].queryset = units
        if user.department_id:
            self.fields["department"].initial = user.department_id
            self.fields["distribution"].initial = [user.department_id]
        self.fields["edition"].initial = Edition.objects.filter(year=2015).first()
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("last_name", "first_name")
        )
        self.fields["review_period_months"].initial = settings.QMS_REVIEW_PERIOD_MONTHS

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "title": data["title"],
            "kind": data["kind"],
            "department": data["department"],
            "edition": data["edition"],
            "clause_numbers": split_clause_numbers(data["clause_numbers"]),
            "owner": data["owner"],
            "review_period_months": data["review_period_months"],
            "distribution": list(data["distribution"]) or None,
            "body": data["body"],
            "change_summary": data["change_summary"],
        }


class VersionForm(Form):
    """A draft's editor. `lock_version` is the value loaded: a save by someone else in
    between makes the service refuse this one (nothing overwritten)."""

    title = forms.CharField(label=_("Tên tài liệu"), max_length=300)
    edition = forms.ModelChoiceField(
        label=_("Phiên bản tiêu chuẩn"), queryset=Edition.objects.order_by("-year"), empty_label=None
    )
    clause_numbers = _clause_numbers_field()
    body = _body_field()
    change_summary = forms.CharField(
        label=_("Tóm tắt thay đổi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    distribution = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được phân phối"),
        queryset=OrgUnit.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Thay đổi phân phối được xem xét, phê duyệt cùng lần ban hành này."),
        error_messages={
            "required": _("Hãy chọn ít nhất một đơn vị được phân phối."),
            "invalid_choice": _("Đơn vị đã chọn không tồn tại."),
            "invalid_pk_value": _("Đơn vị đã chọn không tồn tại."),
        },
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def initial_for(cls, version) -> dict:
        units = list(version.distribution.all()) or list(version.procedure.distribution.all())
        return {
            "title": version.title or version.procedure.title,
            "distribution": [u.pk for u in units],
            "edition": version.edition_id,
            "clause_numbers": ", ".join(c.number for c in version.clauses.all()),
            "body": version.body,
            "change_summary": version.change_summary,
            "lock_version": version.lock_version,
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "edition": data["edition"],
            "clause_numbers": split_clause_numbers(data["clause_numbers"]),
            "body": data["body"],
            "change_summary": data["change_summary"],
            "distribution": list(data["distribution"]),
            "lock_version": data["lock_version"],
        }


class AttachmentForm(Form):
    file = forms.FileField(
        label=_("Tệp đính kèm"),
        error_messages={
            "required": _("Hãy chọn một tệp."),
            "empty": _("Tệp đã chọn rỗng."),
            "invalid": _("Không đọc được tệp đã gửi."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.txt,.md"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.QMS_UPLOAD_MAX_BYTES
        # Refuse before reading: a huge file is never loaded into memory.
        if upload.size > limit:
            raise forms.ValidationError(
                _("Tệp “%(name)s” lớn hơn giới hạn %(limit)s MB."),
                code="too_large",
                params={"name": upload.name, "limit": limit // (1024 * 1024)},
            )
        return upload


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy nêu lý do.")},
    )


class SignForm(Form):
    password = forms.CharField(
        label=_("Mật khẩu của bạn (ký điện tử)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Hãy nhập mật khẩu để ký.")},
    )
    # The SHA-256 of the content on the page: the service refuses to sign another.
    content_sha256 = forms.CharField(
        widget=forms.HiddenInput, max_length=64,
        error_messages={"required": _("Thiếu mã băm của nội dung: hãy tải lại trang rồi ký.")},
    )


def _date_field(label, required_message):
    return date_field(label, required_message=required_message, years_ahead=5)


class MakeEffectiveForm(Form):
    """Issuing: the decision that issues the revision, and the date it takes effect."""

    decision_number = forms.CharField(
        label=_("Số quyết định ban hành"),
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "125/QĐ-UBND"}),
        help_text=_("Ví dụ 125/QĐ-UBND; chỉ nhập số thì hệ thống thêm /QĐ-UBND."),
        error_messages={"required": _("Hãy nhập số quyết định ban hành.")},
    )
    decision_date = _date_field(
        _("Ngày quyết định"), _("Hãy nhập ngày của quyết định ban hành.")
    )
    effective_from = _date_field(_("Ngày hiệu lực"), _("Hãy nhập ngày hiệu lực."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate()
        self.fields["decision_date"].initial = timezone.localdate()


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.get_username()
        return f"{name} — {obj.department}" if obj.department_id else name


class PeopleChoice(forms.ModelMultipleChoiceField):
    label_from_instance = PersonChoice.label_from_instance


class SubmitForm(Form):
    """Submitting a draft: its reviewers and its approver, among the people allowed."""

    reviewers = PeopleChoice(
        label=_("Người xem xét"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Người được chọn không có quyền xem xét tài liệu này."),
            "invalid_pk_value": _("Người được chọn không có quyền xem xét tài liệu này."),
        },
    )
    approver = PersonChoice(
        label=_("Người phê duyệt"),
        queryset=get_user_model().objects.none(),
        empty_label=_("— Chọn người phê duyệt —"),
        error_messages={
            "required": _("Hãy chọn người phê duyệt."),
            "invalid_choice": _("Người được chọn không có quyền phê duyệt tài liệu này."),
        },
    )

    def __init__(self, *args, version, **kwargs):
        from . import permissions, selectors

        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = selectors.eligible_reviewers(version=version)
        self.fields["approver"].queryset = selectors.eligible_approvers(version=version)
        self.review_required = permissions.review_required(version.procedure)
        if self.review_required:
            self.fields["reviewers"].help_text = _(
                "Chọn một hoặc nhiều người; họ xem xét song song, rồi người phê duyệt ký."
            )
        else:
            self.fields["reviewers"].help_text = _(
                "Loại tài liệu này chỉ cần phê duyệt; có thể chọn thêm người xem xét."
            )

    def clean(self):
        data = super().clean()
        approver, reviewers = data.get("approver"), data.get("reviewers") or []
        if approver is not None and approver in reviewers:
            self.add_error(None, forms.ValidationError(
                _("Một người không được vừa xem xét vừa phê duyệt cùng một phiên bản: %(name)s."),
                code="duties",
                params={"name": approver.get_full_name() or approver.get_username()},
            ))
        return data


class ReturnForm(Form):
    """Returning a draft is a signature: the reason and the password."""

    reason = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy nêu lý do trả lại.")},
    )
    password = SignForm.base_fields["password"]
    content_sha256 = SignForm.base_fields["content_sha256"]


class CommentForm(Form):
    quote = forms.CharField(
        label=_("Đoạn trích dẫn (tùy chọn)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "quote-field"}),
        help_text=_("Bôi đen một đoạn trong nội dung rồi bấm “Trích dẫn đoạn đã chọn”, "
                    "hoặc để trống để góp ý cho toàn văn."),
        error_messages={"max_length": _("Đoạn trích dẫn quá dài (tối đa %(limit_value)d ký tự).")},
    )
    body = forms.CharField(
        label=_("Góp ý"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Hãy nhập nội dung góp ý."),
            "max_length": _("Góp ý quá dài (tối đa %(limit_value)d ký tự)."),
        },
    )


class AnswerForm(Form):
    body = forms.CharField(
        label=_("Trả lời"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Hãy nhập nội dung góp ý."),
            "max_length": _("Góp ý quá dài (tối đa %(limit_value)d ký tự)."),
        },
    )


class ResolveForm(Form):
    resolution = forms.CharField(
        label=_("Cách giải quyết (tùy chọn)"), required=False, max_length=2000,
        widget=forms.TextInput(),
    )


class AttachmentRemoveForm(Form):
    reason = forms.CharField(label=_("Lý do gỡ (tùy chọn)"), required=False, max_length=2000)


class RegisterFilterForm(Form):
    q = forms.CharField(label=_("Tìm"), required=False, max_length=MAX_QUERY_CHARS,
                        error_messages={"max_length": _("Từ khóa tìm kiếm quá dài (tối đa %(limit_value)d ký tự).")},
                        widget=forms.TextInput(attrs={"type": "search"}))
    state = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Mọi trạng thái")), *State.choices],
        error_messages={"invalid_choice": _("Trạng thái đã chọn không tồn tại.")},
    )
    department = forms.ModelChoiceField(
        label=_("Đơn vị"),
        queryset=OrgUnit.objects.order_by("name"),
        required=False,
        empty_label=_("Mọi đơn vị"),
        error_messages={"invalid_choice": _("Đơn vị đã chọn không tồn tại.")},
        widget=QuickSelect,
    )


class DiffForm(Form):
    a = forms.TypedChoiceField(label=_("Bản cũ"), coerce=int)
    b = forms.TypedChoiceField(label=_("Bản mới"), coerce=int)

    def __init__(self, *args, revisions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(r, _("Lần ban hành %(rev)s") % {"rev": r}) for r in revisions]
        for name in ("a", "b"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = _(
                "Lần ban hành đã chọn không tồn tại."
            )
