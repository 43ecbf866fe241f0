"""Forms that are safe to post twice (double click, back and resubmit, two tabs).

Each form carries a hidden one-time token (the `form_token` template tag). The post
that does the work claims the token in the same transaction as the work
(`FormSubmission`, unique token); a second post of the same token — even at the very
same moment, since the unique index makes it wait for the first transaction — is sent
where the first one went, with a note, and does nothing.
"""

from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import FormSubmission


def _already(request, done):
    messages.info(request, _("Biểu mẫu này đã được gửi rồi; thao tác không được thực hiện lần nữa."))
    return redirect(done.location)


def once(view):
    """Only a post that did something (the view set `request.form_done` and redirected)
    uses its token up; a refused post can be corrected and sent again."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get("form_token", "")[:64] if request.method == "POST" else ""
        user = request.user if request.user.is_authenticated else None
        if not token:
            return view(request, *args, **kwargs)
        done = FormSubmission.objects.filter(token=token).first()
        if done is not None:
            if done.user_id != getattr(user, "pk", None):
                return view(request, *args, **kwargs)  # someone else's token: not ours to follow
            return _already(request, done)
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(token=token, user=user, location="")
                response = view(request, *args, **kwargs)
                if getattr(request, "form_done", False) and response.status_code == 302:
                    claim.location = response["Location"][:500]
                    claim.save(update_fields=["location"])
                else:
                    claim.delete()
        except IntegrityError:
            done = FormSubmission.objects.filter(token=token).first()
            if done is None or not done.location:
                raise
            return _already(request, done)
        return response

    return wrapper
