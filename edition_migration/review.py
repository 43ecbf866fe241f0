"""The review screen's rows: the 2008 text and the proposal, aligned line by line.

The proposal is cut around the points for decision (terms and references), each
shown with what stands in the draft for it now; the migration never adds or
removes a line (notes stay beside the text), so line N of the 2008 version faces
line N of the proposal.
"""


def review_rows(migration) -> list[dict]:
    """[{"number", "old", "segments": [{"text", "flag"}], "changed", "flags"}] per line."""
    body = migration.base_body
    flags = [f for f in migration.terms.all() if f.kind != "clause"]  # ordered by position
    segments, last = [], 0
    for flag in flags:
        if flag.position < last:
            continue
        segments.append({"text": body[last:flag.position], "flag": None})
        segments.append({"text": body[flag.position:flag.position + len(flag.found)], "flag": flag})
        last = flag.position + len(flag.found)
    segments.append({"text": body[last:], "flag": None})
    lines: list[list[dict]] = [[]]
    for segment in segments:
        parts = segment["text"].split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append([])
            if part or segment["flag"] is not None:
                lines[-1].append({"text": part, "flag": segment["flag"]})
    old_lines = migration.source_version.body.split("\n")
    rows = []
    for number in range(max(len(lines), len(old_lines))):
        new = lines[number] if number < len(lines) else []
        old = old_lines[number] if number < len(old_lines) else ""
        plain = "".join(s["text"] for s in new)
        rows.append({
            "number": number + 1,
            "old": old,
            "segments": new,
            "changed": plain != old,
            "flags": [s["flag"] for s in new if s["flag"] is not None],
        })
    return rows


def clause_points(migration) -> list:
    """The points about the version's clause list (not in the text)."""
    return [f for f in migration.terms.all() if f.kind == "clause"]
