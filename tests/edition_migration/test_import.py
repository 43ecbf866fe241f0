"""Point 2 and 9: importing procedure files, good and bad."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from edition_migration import services
from edition_migration.services import MigrationError
from procedures.models import Attachment, Procedure, ProcedureVersion, State
from qms.files import sha256_of

from .conftest import import_file, sample

pytestmark = pytest.mark.django_db


def test_markdown_file_becomes_an_effective_2008_procedure(people, org):
    result = import_file(people["officer"], "qt-tnmt-05.md")
    # Issue 9 point 2: the file's "Lần ban hành: 02" is the imported revision.
    assert (result.status, result.code, result.revision, result.edition) == ("created", "QT-TNMT-05", 2, 2008)
    assert result.title == "QUY TRÌNH THU HỒI ĐẤT VÀ BỒI THƯỜNG, HỖ TRỢ TÁI ĐỊNH CƯ"
    assert result.clause_refs == ["4.2.3", "4.2.4", "5.6", "7.5.1", "8.2.2", "8.5.3"]
    version = ProcedureVersion.objects.get(procedure__code="QT-TNMT-05")
    assert version.state == State.EFFECTIVE
    assert version.edition.year == 2008
    assert version.procedure.department == org["a"]
    assert sorted(c.number for c in version.clauses.all()) == result.clause_refs
    assert version.effective_from == datetime.date(2019, 3, 15)  # its "Ngày ban hành:" line
    assert version.next_review_due == datetime.date(2020, 3, 15)
    assert "| 1 | Quyết định thu hồi đất |" in version.body


def test_import_is_in_history_with_the_files_sha256(people):
    import_file(people["officer"], "qt-tnmt-05.md")
    digest = sha256_of(sample("qt-tnmt-05.md"))
    version = ProcedureVersion.objects.get(procedure__code="QT-TNMT-05")
    latest = version.history.order_by("-history_id").first()
    assert latest.history_change_reason == f"Nhập từ tệp qt-tnmt-05.md (SHA-256 {digest})"
    assert latest.history_user == people["officer"]
    attachment = version.attachments.get()
    assert (attachment.sha256, attachment.original_name) == (digest, "qt-tnmt-05.md")
    assert attachment.file.name.endswith(f"{digest}.md")


def test_importing_the_same_file_again_changes_nothing(people):
    import_file(people["officer"], "qt-tnmt-05.md")
    counts = (ProcedureVersion.history.count(), Attachment.objects.count())
    again = import_file(people["officer"], "qt-tnmt-05.md")
    assert (again.status, again.revision) == ("unchanged", 2)
    assert (ProcedureVersion.history.count(), Attachment.objects.count()) == counts


def test_a_different_file_for_an_existing_code_is_refused_and_supersedes_nothing(people):
    # Issue 9 point 3 (this test replaced "…is a new revision", which made the file
    # effective at once, with no signature, superseding the approved revision).
    import_file(people["officer"], "qt-tnmt-05.md")
    changed = sample("qt-tnmt-05.md") + "\n4.8 Bổ sung bước lưu hồ sơ theo mục 4.2.4.\n".encode()
    with pytest.raises(MigrationError) as excinfo:
        import_file(people["officer"], "qt-tnmt-05-sua.md", content=changed)
    assert excinfo.value.messages == [
        "Tệp “qt-tnmt-05-sua.md”: Tài liệu QT-TNMT-05 đã có trong sổ đăng ký: tệp nhập không thay "
        "thế phiên bản đang hiệu lực. Hãy nhập tệp dưới dạng dự thảo lần ban hành mới để xem xét, "
        "phê duyệt."]
    states = dict(Procedure.objects.get(code="QT-TNMT-05").versions.values_list("revision", "state"))
    assert states == {2: State.EFFECTIVE}


def test_as_draft_an_existing_code_becomes_a_draft_revision_for_review(people):
    import_file(people["officer"], "qt-tnmt-05.md")
    changed = sample("qt-tnmt-05.md") + "\n4.8 Bổ sung bước lưu hồ sơ theo mục 4.2.4.\n".encode()
    result = services.procedure_import(actor=people["officer"], name="qt-tnmt-05-sua.md",
                                       content=changed, edition=2008, as_draft=True)
    assert (result.status, result.code, result.revision) == ("draft", "QT-TNMT-05", 3)
    versions = {v.revision: v for v in Procedure.objects.get(code="QT-TNMT-05").versions.all()}
    assert (versions[2].state, versions[3].state) == (State.EFFECTIVE, State.DRAFT)
    assert versions[3].based_on == versions[2] and versions[3].approved_by is None
    assert versions[3].import_origin.file_name == "qt-tnmt-05-sua.md"
    assert versions[3].attachments.get().sha256 == sha256_of(changed)


@pytest.mark.parametrize(
    "name,code,title,refs",
    [
        ("qt-qldt-07.docx", "QT-QLDT-07", "QUY TRÌNH CẤP GIẤY PHÉP QUY HOẠCH", ["7.2.2", "7.2.3", "7.4.1", "7.5.3"]),
        ("qt-kt-04.odt", "QT-KT-04", "QUY TRÌNH ĐĂNG KÝ KINH DOANH HỢP TÁC XÃ", ["4.2.4", "7.5.1", "8.2.1"]),
        ("qt-tp-09-cp1258.txt", "QT-TP-09", "QUY TRÌNH CHỨNG THỰC CHỮ KÝ", ["4.2.4", "7.5.3", "7.5.4"]),
        ("qt-tp-10-utf16.txt", "QT-TP-10", "QUY TRÌNH ĐĂNG KÝ KẾT HÔN", ["7.2.2", "8.3"]),
        ("sop-pur-01.txt", "SOP-PUR-01", "PURCHASING PROCEDURE", ["4.2.4", "5.5.2", "7.4", "7.6", "8.3", "8.5.3"]),
    ],
)
def test_each_format_is_read(people, name, code, title, refs):
    result = import_file(people["admin"], name, department=people["officer"].department)
    assert (result.status, result.code, result.title, result.clause_refs) == ("created", code, title, refs)


def test_docx_tables_are_kept_as_rows_in_document_order(people):
    import_file(people["admin"], "qt-qldt-07.docx", department=people["officer"].department)
    body = ProcedureVersion.objects.get(procedure__code="QT-QLDT-07").body
    assert body.index("## 2. NỘI DUNG") < body.index("| Bước | Nội dung | Căn cứ |") < body.index("2.1 Công chức")
    assert "| 2 | Thẩm định, trình ký; nhà cung ứng dịch vụ đo vẽ được đánh giá | xem 7.4.1 |" in body
    assert "| xem 7.4.1 |\n\n2.1 Công chức" in body  # the paragraph after the table stays one


def test_cp1258_text_is_stored_as_nfc(people):
    import_file(people["admin"], "qt-tp-09-cp1258.txt", department=people["officer"].department)
    body = ProcedureVersion.objects.get(procedure__code="QT-TP-09").body
    assert "Tài sản của khách hàng được bảo quản theo 7.5.4" in body


def test_code_from_the_file_name_when_the_text_has_none(people):
    content = "# Hướng dẫn sử dụng phần mềm một cửa\nTheo mục 4.2.3.\n".encode()
    result = import_file(people["officer"], "HD MC 02.txt", content=content)
    assert (result.code, result.title, result.revision) == ("HD-MC-02", "Hướng dẫn sử dụng phần mềm một cửa", 1)
    assert result.notes == ["Tệp không ghi lần ban hành: nhập là lần ban hành 1.",
                            "Tệp không ghi ngày hiệu lực: phiên bản không có ngày hiệu lực.",
                            "Tệp không ghi người phê duyệt."]
    version = ProcedureVersion.objects.get(procedure__code="HD-MC-02")
    assert (version.revision, version.effective_from, version.state) == (1, None, State.EFFECTIVE)


def test_a_new_procedure_needs_a_department(people):
    with pytest.raises(MigrationError) as excinfo:
        services.procedure_import(actor=people["admin"], name="qt-tnmt-05.md",
                                  content=sample("qt-tnmt-05.md"), edition=2008)
    assert excinfo.value.messages == [
        "Tệp “qt-tnmt-05.md”: Chưa chọn đơn vị chủ trì cho tài liệu mới QT-TNMT-05 (tùy chọn --department)."
    ]
    assert not Procedure.objects.exists()


def test_an_officer_cannot_import_into_another_department(people, org):
    with pytest.raises(MigrationError) as excinfo:
        import_file(people["officer_b"], "qt-tnmt-05.md", department=org["a"])
    assert excinfo.value.messages == ["Tệp “qt-tnmt-05.md”: Bạn không có quyền thực hiện thao tác này."]
    assert not Procedure.objects.exists()


BAD_FILES = [
    ("mat-khau.docx", "Tệp “mat-khau.docx” được bảo vệ bằng mật khẩu (hoặc là tệp Word 97-2003 .doc); "
                      "hãy gỡ mật khẩu hoặc lưu lại dưới dạng .docx rồi nhập lại."),
    ("hong.docx", "Không đọc được tệp “hong.docx”: tệp bị hỏng hoặc không đúng định dạng."),
    ("rong.md", "Tệp “rong.md” rỗng."),
    ("nhi-phan.txt", "Nội dung tệp “nhi-phan.txt” không đúng với loại TXT."),
]


@pytest.mark.parametrize("name,message", BAD_FILES)
def test_bad_files_are_refused_with_a_reason_naming_them(people, name, message):
    with pytest.raises(MigrationError) as excinfo:
        import_file(people["officer"], name)
    assert excinfo.value.messages == [message]
    assert not Procedure.objects.exists()
    assert not Attachment.objects.exists()


def test_a_batch_goes_on_past_bad_files(people):
    names = ["mat-khau.docx", "qt-tnmt-05.md", "hong.docx", "rong.md", "nhi-phan.txt",
             "qt-tp-09-cp1258.txt", "qt-tp-10-utf16.txt"]
    results = services.procedures_import(
        actor=people["officer"], files_in=[(n, sample(n)) for n in names], edition=2008,
        department=people["officer"].department,
    )
    assert [(r.name, r.status) for r in results] == [
        ("mat-khau.docx", "failed"), ("qt-tnmt-05.md", "created"), ("hong.docx", "failed"),
        ("rong.md", "failed"), ("nhi-phan.txt", "failed"), ("qt-tp-09-cp1258.txt", "created"),
        ("qt-tp-10-utf16.txt", "created"),
    ]
    assert [r.error for r in results if r.status == "failed"] == [m for _, m in BAD_FILES]
    assert sorted(Procedure.objects.values_list("code", flat=True)) == ["QT-TNMT-05", "QT-TP-09", "QT-TP-10"]


def test_command_prints_one_json_object_per_file(people, tmp_path):
    paths = []
    for name in ("qt-tnmt-05.md", "rong.md", "qt-kt-04.odt"):
        (tmp_path / name).write_bytes(sample(name))
        paths.append(str(tmp_path / name))
    out = io.StringIO()
    call_command("import_procedures", *paths, "--edition", "2008", "--department", "TNMT",
                 "--format", "json", "--actor", "officer", stdout=out)
    data = json.loads(out.getvalue())
    assert [(d["code"], d["title"], d["edition"], d["clause_refs"]) for d in data] == [
        ("QT-TNMT-05", "QUY TRÌNH THU HỒI ĐẤT VÀ BỒI THƯỜNG, HỖ TRỢ TÁI ĐỊNH CƯ", 2008,
         ["4.2.3", "4.2.4", "5.6", "7.5.1", "8.2.2", "8.5.3"]),
        (None, None, None, []),
        ("QT-KT-04", "QUY TRÌNH ĐĂNG KÝ KINH DOANH HỢP TÁC XÃ", 2008, ["4.2.4", "7.5.1", "8.2.1"]),
    ]
    assert data[1]["error"] == "Tệp “rong.md” rỗng."
    history = ProcedureVersion.history.filter(procedure__code="QT-KT-04").first()
    assert history.history_user == people["officer"]


def test_command_fails_only_when_every_file_failed(people, tmp_path):
    (tmp_path / "rong.md").write_bytes(b"")
    with pytest.raises(CommandError) as excinfo:
        call_command("import_procedures", str(tmp_path / "rong.md"), "--department", "tnmt",
                     stdout=io.StringIO())
    assert excinfo.value.returncode == 1


def test_command_refuses_an_unknown_department(people, tmp_path):
    (tmp_path / "a.md").write_bytes(sample("qt-tnmt-05.md"))
    with pytest.raises(CommandError, match="Không có đơn vị mã “XYZ”."):
        call_command("import_procedures", str(tmp_path / "a.md"), "--department", "XYZ",
                     stdout=io.StringIO())


def test_a_long_file_name_is_shortened_in_the_history_reason_not_the_hash(people):
    name = "Quy trinh thu hoi dat va boi thuong ho tro tai dinh cu ban sua doi.md"
    import_file(people["officer"], name, content=sample("qt-tnmt-05.md"))
    digest = sha256_of(sample("qt-tnmt-05.md"))
    version = ProcedureVersion.objects.get(procedure__code="QT-TNMT-05")
    reason = version.history.order_by("-history_id").first().history_change_reason
    assert len(reason) <= 100
    assert reason.startswith("Nhập từ tệp Quy trinh") and reason.endswith(f"….md (SHA-256 {digest})")
    assert version.change_summary == f"Nhập từ tệp {name} (SHA-256 {digest})"
    assert version.attachments.get().original_name == name
