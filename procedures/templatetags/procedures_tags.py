"""Template helpers of the procedure screens: safe Markdown, state badges, form tokens."""

import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from qms import markup
from qms.text import sentence_case

register = template.Library()


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML, through the project's one renderer (qms.markup)."""
    return markup.to_html(text)


@register.filter
def markdown_body(text):
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised by nh3 above


@register.filter
def title_sentence_case(text):
    """A title in sentence case for lists (the stored title keeps the document's case)."""
    return sentence_case(text or "")


@register.simple_tag
def state_badge(version_or_state, label=None):
    """A coloured label for a version's state (or a state value with its label)."""
    if hasattr(version_or_state, "get_state_display"):
        state, label = version_or_state.state, version_or_state.get_state_display()
    else:
        from procedures.models import State

        state = version_or_state or ""
        label = label or (State(state).label if state in State.values else "—")
    return format_html('<span class="badge state-{}">{}</span>', state, label)


@register.simple_tag
def form_token():
    """A hidden one-time token: a form posted twice is done once (see views.once)."""
    return format_html('<input type="hidden" name="form_token" value="{}">', uuid.uuid4().hex)


@register.simple_tag
def user_can_register(user):
    """True for officers, approvers and superusers (the register and work lists)."""
    from procedures import permissions

    return permissions.can_use_register(user)


@register.simple_tag
def user_must_acknowledge(user):
    from procedures import permissions

    return permissions.must_acknowledge(user)
