from pathlib import Path

import pytest

from edition_migration import services

SAMPLES = Path(__file__).resolve().parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def import_file(actor, name, *, content=None, department=None, edition=2008):
    return services.procedure_import(
        actor=actor, name=name, content=sample(name) if content is None else content,
        edition=edition, department=department or actor.department,
    )


@pytest.fixture
def tnmt_procedure(people):
    """QT-TNMT-05, imported from its Markdown file by the department's officer."""
    return import_file(people["officer"], "qt-tnmt-05.md")


@pytest.fixture
def english_procedure(people):
    """SOP-PUR-01, an English-language 2008 procedure, imported into department A."""
    return import_file(people["officer"], "sop-pur-01.txt")
