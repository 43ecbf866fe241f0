"""The review workflow's screens: the version page with its routing, signatures and
comments, the life-cycle actions, and the attachments of a draft (issue 10).

Thin views over the selectors and the services, as in `views`: no view changes
state except through `services`. A refused action shows the page again with the
message and what the user typed (nothing lost); a done one redirects.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import forms, permissions, selectors, services
from .models import AccessLog, Attachment, Comment, State
from .views import _error_text, _version_url, once


def version_detail(request, code, revision):
    version = selectors.version_by_revision_get(user=request.user, code=code, revision=revision)
    if not permissions.can_view_drafts(request.user, version.procedure):
        return redirect("procedures:detail", code=version.procedure.code)
    response = _render_version(request, version)
    services.access_record(version=version, actor=request.user, action=AccessLog.Action.VIEW)
    return response


def _render_version(request, version, *, bound=None, extra=None, status=200):
    """The version page; `bound` holds a posted form that failed (shown with what the
    user typed, so that nothing is lost)."""
    procedure, user = version.procedure, request.user
    state = version.state
    page_forms = {
        "sign_form": forms.SignForm(),
        "return_form": forms.ReturnForm(),
        "effective_form": forms.MakeEffectiveForm(),
        "comment_form": forms.CommentForm(),
        "reason_form": forms.ReasonForm(),
    }
    can = {
        "edit": state == State.DRAFT and permissions.can_author(user, procedure),
        "submit": state == State.DRAFT and permissions.can_author(user, procedure),
        "recall": permissions.can_recall(user, version),
        "review": permissions.can_sign_review(user, version),
        "approve": permissions.can_sign_approval(user, version),
        "return": permissions.can_return(user, version),
        "comment": permissions.can_comment(user, version),
        "answer": permissions.can_answer_comments(user, version),
        "make_effective": state == State.APPROVED and permissions.can_publish(user, procedure),
        "withdraw": state == State.EFFECTIVE and permissions.can_publish(user, procedure),
        "start_revision": state == State.EFFECTIVE and permissions.can_author(user, procedure),
        "manage": permissions.can_manage(user, procedure),
    }
    if can["submit"]:
        page_forms["submit_form"] = forms.SubmitForm(version=version)
    if bound is not None:
        page_forms[bound[0]] = bound[1]
    context = {
        "version": version,
        "versions": selectors.procedure_versions(procedure=procedure),
        "signatures": selectors.signatures_checked(version=version),
        "shown_sha256": services.content_hash(version),
        "rounds": selectors.routing_rounds(version=version),
        "current_round": version.submission_round,
        "approval_open": permissions.approval_is_open(version),
        "threads": selectors.comment_threads(version=version),
        "distribution": selectors.version_distribution(version=version),
        "can": can,
        **page_forms,
        **(extra or {}),
    }
    return render(request, "procedures/version_detail.html", context, status=status)


VERSION_ACTIONS = {
    # action: (form class, name of the form on the page, service call, message on success)
    "submit": (
        forms.SubmitForm,
        "submit_form",
        lambda v, u, d: services.version_submit(
            version=v, actor=u, reviewers=list(d["reviewers"]), approver=d["approver"]
        ),
        gettext_lazy("Đã trình phiên bản để xem xét, phê duyệt."),
    ),
    "recall": (
        None,
        None,
        lambda v, u, d: services.version_recall(version=v, actor=u),
        gettext_lazy("Đã rút lại dự thảo để sửa."),
    ),
    "return": (
        forms.ReturnForm,
        "return_form",
        lambda v, u, d: services.version_return(
            version=v, actor=u, password=d["password"], reason=d["reason"],
            shown_sha256=d["content_sha256"],
        ),
        gettext_lazy("Đã trả lại dự thảo cho người soạn."),
    ),
    "review": (
        forms.SignForm,
        "sign_form",
        lambda v, u, d: services.version_review(
            version=v, actor=u, password=d["password"], shown_sha256=d["content_sha256"]
        ),
        gettext_lazy("Đã ký xem xét."),
    ),
    "approve": (
        forms.SignForm,
        "sign_form",
        lambda v, u, d: services.version_approve(
            version=v, actor=u, password=d["password"], shown_sha256=d["content_sha256"]
        ),
        gettext_lazy("Đã ký phê duyệt."),
    ),
    "make-effective": (
        forms.MakeEffectiveForm,
        "effective_form",
        lambda v, u, d: services.version_make_effective(
            version=v, actor=u, effective_from=d["effective_from"],
            decision_number=d["decision_number"], decision_date=d["decision_date"],
        ),
        gettext_lazy("Đã ban hành phiên bản."),
    ),
    "withdraw": (
        forms.ReasonForm,
        "reason_form",
        lambda v, u, d: services.version_withdraw(version=v, actor=u, reason=d["reason"]),
        gettext_lazy("Đã hủy bỏ tài liệu."),
    ),
    "comment": (
        forms.CommentForm,
        "comment_form",
        lambda v, u, d: services.comment_add(version=v, actor=u, body=d["body"], quote=d["quote"]),
        gettext_lazy("Đã gửi góp ý."),
    ),
}


def _form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_POST
@once
def version_action(request, code, revision, action):
    """One step of the life cycle. A refusal (bad input or a rule) shows the page again
    with the message and what the user typed; success redirects to the page."""
    if action not in VERSION_ACTIONS:
        raise Http404(action)
    version = selectors.version_by_revision_get(user=request.user, code=code, revision=revision)
    form_class, form_name, call, success = VERSION_ACTIONS[action]
    form = None
    if form_class is forms.SubmitForm:
        form = form_class(request.POST, version=version)
    elif form_class is not None:
        form = form_class(request.POST)
    if form is not None and not form.is_valid():
        _form_errors(request, form)
        return _render_version(request, version, bound=(form_name, form))
    try:
        call(version, request.user, form.cleaned_data if form else {})
    except ValidationError as error:
        messages.error(request, _error_text(error))
        if form is None:
            return redirect(_version_url(version))
        version = selectors.version_by_revision_get(user=request.user, code=code, revision=revision)
        return _render_version(request, version, bound=(form_name, form))
    request.form_done = True
    messages.success(request, success)
    return redirect(_version_url(version) + ("#comments" if action == "comment" else ""))


def _comment_of(request, code, revision, pk):
    version = selectors.version_by_revision_get(user=request.user, code=code, revision=revision)
    return version, get_object_or_404(Comment, pk=pk, version=version, parent__isnull=True)


@require_POST
@once
def comment_answer(request, code, revision, pk):
    version, comment = _comment_of(request, code, revision, pk)
    form = forms.AnswerForm(request.POST)
    kept = {"answer_for": comment.pk, "answer_form": form}
    if not form.is_valid():
        _form_errors(request, form)
        return _render_version(request, version, extra=kept)
    try:
        services.comment_answer(comment=comment, actor=request.user, body=form.cleaned_data["body"])
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _render_version(request, version, extra=kept)
    request.form_done = True
    messages.success(request, _("Đã trả lời góp ý."))
    return redirect(_version_url(version) + f"#comment-{comment.pk}")


@require_POST
@once
def comment_resolve(request, code, revision, pk):
    version, comment = _comment_of(request, code, revision, pk)
    form = forms.ResolveForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _render_version(request, version)
    try:
        services.comment_resolve(
            comment=comment, actor=request.user, resolution=form.cleaned_data["resolution"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _render_version(request, version)
    request.form_done = True
    messages.success(request, _("Đã đánh dấu góp ý là đã giải quyết."))
    return redirect(_version_url(version) + f"#comment-{comment.pk}")


def _attachment_of(request, code, revision, pk):
    version = selectors.version_by_revision_get(user=request.user, code=code, revision=revision)
    return get_object_or_404(Attachment, pk=pk, version=version)


@require_POST
@once
def attachment_remove(request, code, revision, pk):
    attachment = _attachment_of(request, code, revision, pk)
    target = redirect("procedures:version_edit", code=code, revision=revision)
    form = forms.AttachmentRemoveForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return target
    try:
        services.attachment_remove(
            attachment=attachment, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return target
    request.form_done = True
    messages.success(request, _("Đã gỡ tệp “%(name)s” khỏi dự thảo.") % {
        "name": attachment.original_name})
    return target


@require_POST
@once
def attachment_replace(request, code, revision, pk):
    attachment = _attachment_of(request, code, revision, pk)
    target = redirect("procedures:version_edit", code=code, revision=revision)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return target
    upload = form.cleaned_data["file"]
    try:
        new = services.attachment_replace(
            attachment=attachment, actor=request.user, name=upload.name, content=upload.read()
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return target
    request.form_done = True
    messages.success(request, _("Đã thay tệp “%(old)s” bằng “%(new)s”.") % {
        "old": attachment.original_name, "new": new.original_name})
    return target
