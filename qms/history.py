"""Writing history-tracked rows the one way the services write them."""


def save_with_history(obj, *, actor, reason: str) -> None:
    """Validate and save `obj`, naming the acting user and the reason in its history row.

    Uniqueness and constraints are left to the database (and its error handling in
    the calling service), so that a race cannot slip between check and insert.
    """
    obj._history_user = actor
    obj._change_reason = reason
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()
