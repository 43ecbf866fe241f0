"""Writing history-tracked rows the one way the services write them."""


REASON_MAX = 100  # simple-history's history_change_reason is a varchar(100)


def history_reason(reason: str) -> str:
    """The reason as the history keeps it: at most REASON_MAX characters (a long file
    name in "Đính kèm tệp …" would make PostgreSQL refuse the row)."""
    reason = str(reason)
    return reason if len(reason) <= REASON_MAX else reason[:REASON_MAX - 1] + "…"


def save_with_history(obj, *, actor, reason: str) -> None:
    """Validate and save `obj`, naming the acting user and the reason in its history row.

    Uniqueness and constraints are left to the database (and its error handling in
    the calling service), so that a race cannot slip between check and insert.
    """
    obj._history_user = actor
    obj._change_reason = history_reason(reason)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()
