"""The proposed 2015 text cut into segments around the flagged terms, for the review screen."""


def review_segments(migration) -> list[dict]:
    """[{"text": ..., "flag": TermFlag | None}] over the proposed text (base_body);
    a flag's segment shows the phrase found and, when accepted, its replacement."""
    body = migration.base_body
    segments, last = [], 0
    for flag in migration.terms.all():  # ordered by position
        if flag.position < last:
            continue
        segments.append({"text": body[last:flag.position], "flag": None})
        segments.append({"text": body[flag.position:flag.position + len(flag.found)], "flag": flag})
        last = flag.position + len(flag.found)
    segments.append({"text": body[last:], "flag": None})
    return segments
