"""Template helpers of the procedure screens: safe Markdown, state badges, form tokens."""

import uuid

import markdown
import nh3
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from qms.text import nfc

register = template.Library()

# What the light Markdown of a procedure body may produce; everything else is removed.
ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u",
    "ul", "ol", "li", "blockquote", "pre", "code", "table", "thead", "tbody", "tr", "th",
    "td", "a", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}


def render_markdown(text: str) -> str:
    """Markdown to HTML, then sanitised by nh3: a body can never inject a script."""
    html = markdown.markdown(
        nfc(text), extensions=["tables", "sane_lists", "fenced_code", "nl2br"], output_format="html"
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@register.filter
def markdown_body(text):
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitised by nh3 above


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
