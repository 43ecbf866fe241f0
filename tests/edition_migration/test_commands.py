"""Points 3, 14 and 16: the commands speak Vietnamese by default, --as-draft, empty runs."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from procedures.models import Procedure, ProcedureVersion, State

from .conftest import sample

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def test_import_reports_in_vietnamese(people, tmp_path):
    path = tmp_path / "qt-tnmt-05.md"
    path.write_bytes(sample("qt-tnmt-05.md"))
    out = run("import_procedures", str(path), "--department", "tnmt", "--actor", "officer")
    assert out.splitlines() == [
        "qt-tnmt-05.md: nhập từ hệ thống cũ QT-TNMT-05 lần ban hành 2, hiệu lực từ 15/03/2019 — "
        "QUY TRÌNH THU HỒI ĐẤT VÀ BỒI THƯỜNG, HỖ TRỢ TÁI ĐỊNH CƯ [4.2.3, 4.2.4, 5.6, 7.5.1, 8.2.2, 8.5.3]",
        "    Tệp không ghi người phê duyệt.",
        "1 tài liệu được nhập, 0 dự thảo, 0 tệp không thay đổi, 0 tệp lỗi.",
    ]


def test_import_json_revision_is_the_legacy_one_and_says_when_none_is_stated(people, tmp_path):
    path = tmp_path / "hd-mc-02.txt"
    path.write_bytes("# Hướng dẫn sử dụng phần mềm một cửa\nTheo mục 4.2.3.\n".encode())
    data = json.loads(run("import_procedures", str(path), "--department", "tnmt", "--format", "json",
                          "--actor", "officer"))
    assert (data[0]["revision"], data[0]["effective_from"], data[0]["stated_approval"]) == (1, None, None)
    assert data[0]["notes"][:2] == ["Tệp không ghi lần ban hành: nhập là lần ban hành 1.",
                                    "Tệp không ghi ngày hiệu lực: phiên bản không có ngày hiệu lực."]


def test_an_existing_code_is_refused_or_becomes_a_draft_with_as_draft(people, tmp_path):
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_bytes(sample("qt-tnmt-05.md"))
    second.write_bytes(sample("qt-tnmt-05.md") + "\n4.8 Bổ sung.\n".encode())
    run("import_procedures", str(first), "--department", "tnmt", "--actor", "officer")
    with pytest.raises(CommandError, match="Mọi tệp đều không nhập được."):
        out = io.StringIO()
        call_command("import_procedures", str(second), "--actor", "officer", stdout=out)
    assert "b.md: LỖI — Tệp “b.md”: Tài liệu QT-TNMT-05 đã có trong sổ đăng ký" in out.getvalue()
    out = run("import_procedures", str(second), "--as-draft", "--actor", "officer")
    assert out.startswith("b.md: dự thảo lần ban hành mới QT-TNMT-05 lần ban hành 3")
    states = dict(Procedure.objects.get(code="QT-TNMT-05").versions.values_list("revision", "state"))
    assert states == {2: State.EFFECTIVE, 3: State.DRAFT}


def test_migrate_edition_speaks_vietnamese_and_says_when_there_is_nothing(people, tnmt_procedure):
    out = run("migrate_edition", "--dry-run", "--actor", "officer")
    assert out.splitlines()[-1] == "Đã tạo 0 dự thảo, 0 đã có từ trước, 1 chạy thử, 0 không chuyển đổi được."
    assert out.startswith("QT-TNMT-05: chạy thử, lần ban hành 2 → -; 4.2.3, 4.2.4, 5.6, 7.5.1, 8.2.2, 8.5.3 → "
                          "7.5.2, 7.5.3, 8.5.1, 9.2, 9.3;")
    out = run("migrate_edition", "--actor", "officer_b")
    assert out == "Không có tài liệu nào theo bản 2008 cần chuyển đổi: không có gì được chuyển đổi.\n"


def test_unknown_actor_is_refused_in_vietnamese(people):
    with pytest.raises(CommandError, match="Không có người dùng đang hoạt động tên “ai-do”."):
        run("migrate_edition", "--actor", "ai-do")


def test_gap_report_text_in_vietnamese(people, tnmt_procedure):
    out = run("gap_report")
    assert "4.1       Hiểu tổ chức và bối cảnh của tổ chức: CHƯA ĐÁP ỨNG" in out
    assert out.splitlines()[-1].endswith("thông tin dạng văn bản còn thiếu.")


@pytest.mark.parametrize("command", [
    ("migrate_edition", "--actor", "officer", "--report"),
    ("gap_report", "--output"),
])
@pytest.mark.parametrize("where", ["/missing/x.pdf", "DIR/", "DIR"])
def test_a_bad_output_path_is_refused_before_any_change(people, tnmt_procedure, tmp_path, command, where):
    path = where.replace("DIR", str(tmp_path))
    before = ProcedureVersion.objects.count()
    with pytest.raises(CommandError) as caught:
        run(*command, path)
    assert ("không tồn tại" in str(caught.value)) or ("là một thư mục" in str(caught.value))
    assert ProcedureVersion.objects.count() == before  # no draft was created
