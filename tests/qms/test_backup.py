"""Issue 11, point 14: `backup` writes one archive (a consistent snapshot of every
table, every stored file with its SHA-256); `restore` into an empty installation gives
back the very same rows and files, and `verify_integrity` passes. Run on SQLite and,
with DATABASE_URL, on PostgreSQL.

Transactional tests: backup and restore open their own transactions, as in use.
An "empty installation" is the database as `migrate` leaves it (the rows migrations
create, restored by serialized_rollback), with content types renumbered as another
installation may number them, and an empty storage.
"""

import io
import itertools
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from qms.backup import tables
from tests.commands import run

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# ---------------------------------------------------------------- helpers


@pytest.fixture(autouse=True)
def fresh_content_type_cache():
    """Content types are renumbered here, and put back by the next test's set-up:
    the process-wide cache of content types must not outlive either."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()



def snapshot() -> dict[str, list[str]]:
    """Every row of every backed-up table, serialised (content types and permissions
    by natural key, sorted), in primary-key order."""
    rows = {}
    for model in tables.backed_up_models():
        stream = io.StringIO()
        tables.Serializer().serialize(model._base_manager.order_by("pk").iterator(), stream=stream,
                                      use_natural_primary_keys=model in tables.NATURAL)
        lines = stream.getvalue().splitlines()
        rows[model._meta.label] = sorted(lines) if model in tables.NATURAL else lines
    return rows


def stored_files(root) -> dict[str, bytes]:
    root = Path(root)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def empty_installation(media_root) -> None:
    """What `migrate` leaves: every table emptied, the rows migrations create put back
    (as serialized_rollback does), content types renumbered, the storage emptied."""
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE auth_permission SET content_type_id = content_type_id + 1000")
        cursor.execute("UPDATE django_content_type SET id = id + 1000")
    ContentType.objects.clear_cache()
    shutil.rmtree(media_root, ignore_errors=True)


def rewrite(source: Path, target: Path, *, replace: dict | None = None, manifest=None) -> None:
    """A copy of an archive with members replaced, or its manifest edited (and, when
    `manifest` is given, authenticated again as a genuine archive would be)."""
    replace = dict(replace or {})
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        if manifest is not None:
            content = json.loads(old.read(tables.MANIFEST))
            manifest(content)
            data = json.dumps(content).encode()
            replace[tables.MANIFEST] = data
            replace[tables.HMAC_MEMBER] = tables.manifest_hmac(data).encode()
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info)))


# ---------------------------------------------------------------- data


def extras():
    """What seed_demo leaves out: attachments with their files, a reading
    acknowledged, the access log, finding evidence, an API token, an admin log entry."""
    from django.contrib.admin.models import ADDITION, LogEntry
    from rest_framework.authtoken.models import Token

    from audits import permissions as audit_permissions
    from audits import services as audit_services
    from audits.models import AuditState, Finding
    from procedures import services
    from procedures.models import AccessLog, Procedure, State
    from qms.models import User

    officer, staff = User.objects.get(username="officer"), User.objects.get(username="staff")
    pending = (State.DRAFT, State.IN_REVIEW, State.APPROVED)
    procedure = Procedure.objects.filter(versions__state=State.EFFECTIVE).exclude(
        versions__state__in=pending).filter(department=officer.department).first()
    effective = procedure.versions.get(state=State.EFFECTIVE)
    draft = services.version_start_revision(procedure=procedure, actor=officer)
    services.attachment_add(version=draft, actor=officer, name="bieu-mau.pdf", content=PDF)
    services.attachment_add(version=draft, actor=officer, name="ghi-chu.txt",
                            content="Ghi chú sửa đổi".encode())
    services.access_record(version=effective, actor=staff, action=AccessLog.Action.VIEW)
    services.acknowledgement_record(version=effective, actor=staff)
    finding = Finding.objects.filter(audit__state__in=[AuditState.IN_PROGRESS, AuditState.REPORTED]).first()
    auditor = next(u for u in User.objects.all() if audit_permissions.can_conduct(u, finding.audit))
    audit_services.finding_attachment_add(finding=finding, actor=auditor, name="anh-chup.txt",
                                          content="Bằng chứng hiện trường".encode())
    Token.objects.create(user=officer)
    LogEntry.objects.create(user=User.objects.get(username="admin"), action_flag=ADDITION,
                            content_type=ContentType.objects.get_for_model(Procedure),
                            object_id=str(procedure.pk), object_repr=procedure.code)
    return procedure


@pytest.fixture
def small(people):
    """A small installation: an effective procedure, a draft revision with a PDF."""
    from procedures import services
    from tests.factories import effective

    version = effective(author=people["officer"], approver=people["approver"], code="QT-SL-01")
    draft = services.version_start_revision(procedure=version.procedure, actor=people["officer"])
    services.attachment_add(version=draft, actor=people["officer"], name="mau.pdf", content=PDF)
    services.attachment_add(version=draft, actor=people["officer"], name="ghi-chu.txt",
                            content=b"ghi chu")
    return version.procedure


# ---------------------------------------------------------------- the round trip


def test_restore_into_an_empty_installation_gives_back_every_row_and_file(
        client, media_root, tmp_path):
    from procedures import services
    from procedures.models import ProcedureVersion, State
    from qms.models import User

    call_command("seed_demo", stdout=io.StringIO())
    procedure = extras()
    archive = tmp_path / "sao-luu.zip"
    code, out, err = run("backup", str(archive))
    assert code == 0, err
    assert "Đã sao lưu" in out
    before, files_before = snapshot(), stored_files(media_root)
    assert len(files_before) >= 6  # 3 issued reports, 2 attachments, 1 finding evidence
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read(tables.MANIFEST))
    assert manifest["database"] == connection.vendor
    assert manifest["migrations"]["procedures"] == sorted(
        name for app, name in MigrationRecorder(connection).applied_migrations() if app == "procedures")
    assert {e["name"]: e["size"] for e in manifest["files"]} == {
        name: len(content) for name, content in files_before.items()}
    assert {t["model"]: t["rows"] for t in manifest["tables"]} == {
        label.lower(): len(lines) for label, lines in before.items()}

    empty_installation(media_root)
    assert snapshot() != before and stored_files(media_root) == {}
    old_ids = {ct.pk for ct in ContentType.objects.all()}
    code, out, err = run("restore", str(archive))
    assert code == 0, err
    assert "Đã khôi phục bản sao lưu" in out and f"{len(files_before)} tệp được ghi" in out

    after = snapshot()
    assert after.keys() == before.keys()
    differing = {label: next((b, a) for b, a in itertools.zip_longest(before[label], after[label])
                             if b != a) for label in before if before[label] != after[label]}
    assert differing == {}
    assert stored_files(media_root) == files_before
    # Content types kept this installation's ids; every reference followed them.
    assert {ct.pk for ct in ContentType.objects.all()} == old_ids
    code, out, err = run("verify_integrity")
    assert code == 0, err
    assert "integrity OK" in out

    # People sign in with their own passwords; the pages render.
    response = client.post("/accounts/login/", {"username": "staff", "password": "demo-iso-9001"})
    assert response.status_code == 302
    page = client.get(procedure.get_absolute_url())
    assert page.status_code == 200 and procedure.code in page.content.decode()
    # New rows get new ids (sequences were moved past the restored ones).
    officer = User.objects.get(username="officer")
    other = ProcedureVersion.objects.filter(state=State.EFFECTIVE).exclude(
        procedure__versions__state__in=(State.DRAFT, State.IN_REVIEW, State.APPROVED)).filter(
        procedure__department=officer.department).first()
    highest = ProcedureVersion.objects.order_by("-pk").first().pk
    highest_history = ProcedureVersion.history.order_by("-history_id").first().history_id
    new = services.version_start_revision(procedure=other.procedure, actor=officer)
    assert new.pk > highest and new.state == State.DRAFT
    assert new.history.exists() and all(
        row.history_id > highest_history for row in new.history.all())


# ---------------------------------------------------------------- refusals


def test_restore_refuses_an_installation_in_use_and_changes_nothing(small, tmp_path):
    archive = tmp_path / "b.zip"
    assert run("backup", str(archive))[0] == 0
    before = snapshot()
    code, out, err = run("restore", str(archive))
    assert code == 1 and "Cài đặt này đã có dữ liệu (" in err and "qms.User" in err
    assert snapshot() == before


@pytest.fixture
def backed_up(small, media_root, tmp_path):
    """An archive of the small installation, which is then emptied."""
    archive = tmp_path / "b.zip"
    assert run("backup", str(archive))[0] == 0
    empty_installation(media_root)
    return archive, snapshot()


def refused(archive, message, media_root, before):
    code, out, err = run("restore", str(archive))
    assert code == 1 and message in err, err
    assert snapshot() == before and stored_files(media_root) == {}


def test_a_corrupted_archive_is_refused(backed_up, media_root, tmp_path):
    archive, before = backed_up
    damaged = tmp_path / "hong.zip"
    content = bytearray(archive.read_bytes())
    content[len(content) // 3: len(content) // 3 + 64] = b"\x00" * 64
    damaged.write_bytes(bytes(content))
    refused(damaged, "Bản sao lưu bị hỏng", media_root, before)
    damaged.write_bytes(archive.read_bytes()[:-200])  # cut short: no central directory
    refused(damaged, "không phải là bản sao lưu của hệ thống", media_root, before)


def test_a_file_that_differs_from_its_sha256_in_the_archive_is_refused(
        backed_up, media_root, tmp_path):
    archive, before = backed_up
    with zipfile.ZipFile(archive) as opened:
        pdf = next(n for n in opened.namelist() if n.endswith(".pdf"))
    swapped = tmp_path / "trao.zip"
    rewrite(archive, swapped, replace={pdf: PDF.replace(b"Catalog", b"Catalox")})
    refused(swapped, f"Tệp {pdf[len(tables.FILES_FOLDER):]} trong bản sao lưu không khớp",
            media_root, before)
    # With the manifest edited to match, the manifest's HMAC gives it away.
    with zipfile.ZipFile(swapped) as opened:
        manifest = json.loads(opened.read(tables.MANIFEST))
    for entry in manifest["files"]:
        entry["sha256"] = "0" * 64
    forged = tmp_path / "gia.zip"
    rewrite(swapped, forged, replace={tables.MANIFEST: json.dumps(manifest).encode()})
    refused(forged, "manifest đã bị sửa sau khi sao lưu", media_root, before)


def test_an_archive_from_a_newer_version_or_another_key_is_refused(
        backed_up, media_root, settings, tmp_path):
    archive, before = backed_up
    newer = tmp_path / "moi.zip"
    rewrite(archive, newer, manifest=lambda m: m["migrations"]["qms"].append("9999_tu_tuong_lai"))
    refused(newer, "qms.9999_tu_tuong_lai", media_root, before)
    settings.QMS_SIGNATURE_KEY = "mot-khoa-khac"
    refused(archive, "dùng khóa ký khác", media_root, before)


def test_a_database_at_other_migrations_is_refused(backed_up, media_root):
    archive, before = backed_up
    recorder = MigrationRecorder(connection)
    last = recorder.migration_qs.filter(app="procedures").order_by("-id").first()
    last_name = last.name
    last.delete()
    try:
        refused(archive, f"Chưa áp dụng: procedures.{last_name}", media_root, before)
    finally:
        recorder.record_applied("procedures", last_name)


def test_restore_refuses_what_is_not_an_archive(backed_up, media_root, tmp_path):
    _archive, before = backed_up
    refused(tmp_path / "khong-co.zip", "Không tìm thấy tệp", media_root, before)
    refused(tmp_path, "không phải là một tệp thông thường", media_root, before)
    text = tmp_path / "a.zip"
    text.write_text("không phải zip")
    refused(text, "không phải là bản sao lưu của hệ thống", media_root, before)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as opened:
        opened.writestr("manifest.json", "{}")
    refused(other, "không có manifest của bản sao lưu", media_root, before)


def test_a_failure_while_writing_files_leaves_database_and_storage_as_they_were(
        backed_up, media_root, monkeypatch):
    archive, before = backed_up
    original, calls = FileSystemStorage.save, []

    def save_then_fail(self, name, content, **kwargs):
        calls.append(name)
        if len(calls) > 1:
            raise OSError(28, "No space left on device")
        return original(self, name, content, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", save_then_fail)
    refused(archive, "Khôi phục thất bại, không có gì thay đổi", media_root, before)
    assert len(calls) == 2


# ---------------------------------------------------------------- backup refusals


def test_backup_checks_its_output_path_first(small, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    code, _out, err = run("backup", str(tmp_path / "khong-co" / "b.zip"))
    assert code == 1 and "không tồn tại" in err
    existing = tmp_path / "b.zip"
    existing.write_bytes(b"giu nguyen")
    code, _out, err = run("backup", str(existing))
    assert code == 1 and "đã có" in err and existing.read_bytes() == b"giu nguyen"
    code, _out, err = run("backup", str(tmp_path))
    assert code == 1 and "là một thư mục" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.zip"]


def test_an_altered_stored_file_stops_the_backup_unless_included(small, media_root, tmp_path):
    from procedures.models import Attachment

    attachment = Attachment.objects.get(original_name="mau.pdf")
    path = Path(media_root) / attachment.file.name
    path.write_bytes(PDF + b"% sua\n")
    archive = tmp_path / "b.zip"
    code, _out, err = run("backup", str(archive))
    assert code == 1 and attachment.file.name in err and "Không có bản sao lưu nào được ghi" in err
    assert not archive.exists() and not list(tmp_path.glob(".b.zip.*"))

    code, _out, err = run("backup", str(archive), include_altered=True)
    assert code == 0 and attachment.file.name in err
    with zipfile.ZipFile(archive) as opened:
        entry = next(e for e in json.loads(opened.read(tables.MANIFEST))["files"]
                     if e["name"] == attachment.file.name)
    assert entry["recorded_sha256"] == [attachment.sha256] and entry["sha256"] != attachment.sha256
    empty_installation(media_root)
    assert run("restore", str(archive))[0] == 0
    code, _out, err = run("verify_integrity")
    assert code == 1 and attachment.file.name in err


def test_rows_committed_while_the_backup_runs_are_not_in_it(small, tmp_path, monkeypatch,
                                                             on_postgres):
    """The tables are read in one REPEATABLE READ, read-only transaction: a row that
    another connection commits after the first table was read is not in the archive.
    (PostgreSQL: the test database of SQLite is in memory, shared by threads.)"""
    import threading

    from django.db import connections

    from qms.backup import write
    from qms.models import OrgUnit

    original = write._write_table

    def commit_elsewhere():
        try:
            OrgUnit.objects.create(code="moi", name="Phòng mới lập")
        finally:
            connections.close_all()

    def write_then_commit_elsewhere(archive, model, *args):
        entry = original(archive, model, *args)
        if model is ContentType:
            writer = threading.Thread(target=commit_elsewhere)
            writer.start()
            writer.join()
        return entry

    monkeypatch.setattr(write, "_write_table", write_then_commit_elsewhere)
    count = OrgUnit.objects.count()
    archive = tmp_path / "b.zip"
    assert run("backup", str(archive))[0] == 0
    assert OrgUnit.objects.count() == count + 1
    with zipfile.ZipFile(archive) as opened:
        rows = {t["model"]: t["rows"] for t in json.loads(opened.read(tables.MANIFEST))["tables"]}
    assert rows["qms.orgunit"] == count
