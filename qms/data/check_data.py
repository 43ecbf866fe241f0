#!/usr/bin/env python3
"""Validate the ISO 9001 reference data files in this folder (stdlib only).

Checks:
  * every file is a JSON list of objects with exactly the expected keys;
  * clause numbers are well formed and unique per edition;
  * every parent prefix of every clause number exists in the same edition;
  * correspondence endpoints exist ("from" in 2008, "to" in 2015), kinds are valid,
    pairs are unique, partial rows carry a note, and every 2008 clause is a "from";
  * documented information clauses exist in the 2015 catalogue, keys are unique;
  * terms: keys unique, found phrases lower-case and unique, and a phrase that
    contains another phrase is listed before it;
  * every string (keys and values) is NFC-normalised.

Prints the 2015 clauses that have no 2008 source (new requirements).
Exit status 0 when everything passes, 1 otherwise.
"""
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
NUMBER_RE = re.compile(r"^(?:[14-9]|10)(?:\.[1-9]\d*){0,3}$")

errors = []


def err(msg):
    errors.append(msg)


def load(name):
    path = HERE / name
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        err(f"{name}: cannot load: {exc}")
        return []
    if not isinstance(data, list) and not (name.startswith("terms") and isinstance(data, dict)):
        err(f"{name}: top level is not a list")
        return []
    return data


def check_nfc(name, obj, where="$"):
    if isinstance(obj, str):
        if unicodedata.normalize("NFC", obj) != obj:
            err(f"{name}: string not NFC at {where}: {obj!r}")
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            check_nfc(name, item, f"{where}[{i}]")
    elif isinstance(obj, dict):
        for key, value in obj.items():
            check_nfc(name, key, f"{where}.<key>")
            check_nfc(name, value, f"{where}.{key}")


def check_shape(name, items, keys, str_keys=(), list_keys=(), bool_keys=()):
    ok = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            err(f"{name}[{i}]: not an object")
            continue
        if set(item) != set(keys):
            err(f"{name}[{i}]: keys {sorted(item)} != {sorted(keys)}")
            continue
        bad = False
        for k in str_keys:
            if not isinstance(item[k], str):
                err(f"{name}[{i}].{k}: not a string")
                bad = True
        for k in list_keys:
            if not (isinstance(item[k], list) and item[k]
                    and all(isinstance(x, str) and x.strip() for x in item[k])):
                err(f"{name}[{i}].{k}: must be a non-empty list of non-empty strings")
                bad = True
        for k in bool_keys:
            if not isinstance(item[k], bool):
                err(f"{name}[{i}].{k}: not a boolean")
                bad = True
        if not bad:
            ok.append(item)
    return ok


def number_key(number):
    return tuple(int(p) for p in number.split("."))


def check_catalogue(name, items):
    items = check_shape(name, items, ("number", "title_vi", "title_en"),
                        str_keys=("number", "title_vi", "title_en"))
    numbers = []
    seen = set()
    for item in items:
        n = item["number"]
        if not NUMBER_RE.match(n):
            err(f"{name}: malformed number {n!r}")
            continue
        if n in seen:
            err(f"{name}: duplicate number {n}")
        seen.add(n)
        numbers.append(n)
        for k in ("title_vi", "title_en"):
            if not item[k].strip() or item[k] != item[k].strip():
                err(f"{name} {n}: {k} empty or has surrounding blanks")
    for n in seen:
        parts = n.split(".")
        for depth in range(1, len(parts)):
            parent = ".".join(parts[:depth])
            if parent not in seen:
                err(f"{name}: {n} has no parent {parent}")
    if numbers != sorted(numbers, key=number_key):
        err(f"{name}: clauses are not in document order")
    return seen


def check_correspondence(rows, c2008, c2015):
    name = "correspondence_2008_2015.json"
    rows = check_shape(name, rows, ("from", "to", "kind", "note_vi", "note_en"),
                       str_keys=("from", "to", "kind", "note_vi", "note_en"))
    pairs = set()
    froms = set()
    tos = set()
    for i, row in enumerate(rows):
        f, t, kind = row["from"], row["to"], row["kind"]
        if f not in c2008:
            err(f"{name}[{i}]: from {f!r} not in iso9001_2008.json")
        if t not in c2015:
            err(f"{name}[{i}]: to {t!r} not in iso9001_2015.json")
        if kind not in ("equivalent", "partial"):
            err(f"{name}[{i}]: kind {kind!r} invalid")
        if (f, t) in pairs:
            err(f"{name}[{i}]: duplicate pair {f} -> {t}")
        pairs.add((f, t))
        froms.add(f)
        tos.add(t)
        if kind == "partial" and not (row["note_vi"].strip() and row["note_en"].strip()):
            err(f"{name}[{i}]: partial row {f} -> {t} needs note_vi and note_en")
        if bool(row["note_vi"].strip()) != bool(row["note_en"].strip()):
            err(f"{name}[{i}]: {f} -> {t} has a note in one language only")
    for n in sorted(c2008 - froms, key=number_key):
        err(f"{name}: 2008 clause {n} never appears as 'from'")
    return tos


def check_docinfo(items, c2015):
    name = "documented_information_2015.json"
    keys = ("key", "clause", "kind", "title_vi", "title_en", "keywords_vi", "keywords_en")
    items = check_shape(name, items, keys,
                        str_keys=("key", "clause", "kind", "title_vi", "title_en"),
                        list_keys=("keywords_vi", "keywords_en"))
    seen = set()
    for i, item in enumerate(items):
        if item["key"] in seen:
            err(f"{name}[{i}]: duplicate key {item['key']}")
        seen.add(item["key"])
        if item["clause"] not in c2015:
            err(f"{name}[{i}]: clause {item['clause']!r} not in iso9001_2015.json")
        if item["kind"] not in ("maintain", "retain"):
            err(f"{name}[{i}]: kind {item['kind']!r} invalid")
        for k in ("keywords_vi", "keywords_en"):
            words = item[k]
            if len(set(words)) != len(words):
                err(f"{name}[{i}].{k}: duplicate keywords")
            for w in words:
                if w != w.lower() or w != w.strip():
                    err(f"{name}[{i}].{k}: keyword {w!r} not lower-case/trimmed")


def check_terms(data):
    name = "terms_2008_2015.json"
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        err(f"{name}: an object with a list 'terms' is expected")
        return
    for k in ("source", "keep", "dossier_after"):
        if k not in data:
            err(f"{name}: '{k}' missing")
    seen, owner = set(), {}
    for i, item in enumerate(data["terms"]):
        for k in ("key", "kind", "clauses", "note_vi", "note_en", "vi", "en"):
            if k not in item:
                err(f"{name}[{i}]: '{k}' missing")
                break
        else:
            if item["key"] in seen:
                err(f"{name}[{i}]: duplicate key {item['key']}")
            seen.add(item["key"])
            if item["kind"] not in ("replace", "decision"):
                err(f"{name}[{i}]: kind {item['kind']!r} invalid")
            if item["kind"] == "decision" and not item.get("choices"):
                err(f"{name}[{i}]: a decision needs choices")
            for lang in ("vi", "en"):
                for pair in item[lang]:
                    phrase, replacement = pair
                    if phrase != phrase.lower() or phrase != phrase.strip():
                        err(f"{name}[{i}] {item['key']}: {lang} {phrase!r} not lower-case/trimmed")
                    if (lang, phrase) in owner:
                        err(f"{name}: phrase {phrase!r} listed twice")
                    owner[(lang, phrase)] = item["key"]
                    if not replacement.strip():
                        err(f"{name}[{i}]: empty replacement for {phrase!r}")
                    if "(" in replacement:
                        err(f"{name}[{i}]: replacement {replacement!r} carries an explanation")


def main():
    files = {
        "iso9001_2008.json": None,
        "iso9001_2015.json": None,
        "correspondence_2008_2015.json": None,
        "documented_information_2015.json": None,
        "terms_2008_2015.json": None,
    }
    for fname in files:
        files[fname] = load(fname)
        check_nfc(fname, files[fname])

    c2008 = check_catalogue("iso9001_2008.json", files["iso9001_2008.json"])
    c2015 = check_catalogue("iso9001_2015.json", files["iso9001_2015.json"])
    tos = check_correspondence(files["correspondence_2008_2015.json"], c2008, c2015)
    check_docinfo(files["documented_information_2015.json"], c2015)
    check_terms(files["terms_2008_2015.json"])

    unsourced = sorted(c2015 - tos, key=number_key)
    print(f"ISO 9001:2008 clauses: {len(c2008)}")
    print(f"ISO 9001:2015 clauses: {len(c2015)}")
    print(f"correspondence rows:   {len(files['correspondence_2008_2015.json'])}")
    print(f"documented information items: {len(files['documented_information_2015.json'])}")
    print(f"terminology items:     {len(files['terms_2008_2015.json']['terms'])}")
    print("2015 clauses with no 2008 source: " + (", ".join(unsourced) or "(none)"))

    if errors:
        print(f"\nFAILED: {len(errors)} problem(s)")
        for e in errors:
            print(" -", e)
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
