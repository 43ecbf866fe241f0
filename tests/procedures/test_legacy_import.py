"""Issue 9 in procedures: the legacy import service, the import origin on the version
page and the controlled copy, Markdown tables in bodies (issue 10 point 12), titles in
sentence case in the register."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from procedures import services
from procedures.exceptions import ProcedureError
from procedures.models import State
from qms.models import Edition

pytestmark = pytest.mark.django_db

BODY = ("# QUY TRÌNH CHỨNG THỰC CHỮ KÝ\nMã số: QT-TP-09\nCác bước:\n| Bước | Nội dung |\n|---|---|\n"
        "| 1 | Tiếp nhận hồ sơ |\n| 2 | Chứng thực chữ ký |\nKết quả trả trong ngày.\n")


def legacy(**kwargs):
    values = dict(name="qt-tp-09.md", content=BODY.encode(), kind="md", code="QT-TP-09",
                  title="QUY TRÌNH CHỨNG THỰC CHỮ KÝ", body=BODY, revision=3, stated_revision="03",
                  effective_from=datetime.date(2016, 8, 20),
                  stated_approval="Trưởng phòng Tư pháp Nguyễn Văn Bình")
    values.update(kwargs)
    return services.LegacyFile(**values)


@pytest.fixture
def imported(people):
    return services.procedure_import_legacy(actor=people["officer"], legacy=legacy(),
                                            department=people["officer"].department,
                                            edition=Edition.objects.get(year=2008))


def test_the_initial_load_is_effective_marked_as_imported_and_signed_by_nobody(people, imported):
    assert (imported.state, imported.revision, imported.effective_from) == (
        State.EFFECTIVE, 3, datetime.date(2016, 8, 20))
    assert imported.approved_by is None and imported.reviewed_by is None
    assert not imported.signatures.exists()
    origin = imported.import_origin
    assert (origin.imported_by, origin.file_name, origin.stated_approval, origin.stated_revision) == (
        people["officer"], "qt-tp-09.md", "Trưởng phòng Tư pháp Nguyễn Văn Bình", "03")
    assert origin.file_sha256 == imported.attachments.get().sha256


def test_an_existing_code_is_never_loaded_again(people, imported):
    with pytest.raises(ProcedureError) as excinfo:
        services.procedure_import_legacy(actor=people["officer"], legacy=legacy(),
                                         department=people["officer"].department,
                                         edition=Edition.objects.get(year=2008))
    assert "Tài liệu QT-TP-09 đã có trong sổ đăng ký" in excinfo.value.messages[0]


def test_a_file_as_draft_goes_through_review(people, imported):
    version = services.version_import_draft(actor=people["officer"], procedure=imported.procedure,
                                            legacy=legacy(body=BODY + "Bổ sung.\n", content=b"x" + BODY.encode()),
                                            edition=Edition.objects.get(year=2008))
    assert (version.state, version.revision, version.based_on) == (State.DRAFT, 4, imported)
    imported.refresh_from_db()
    assert imported.state == State.EFFECTIVE


def test_only_an_officer_of_the_department_loads(people):
    with pytest.raises(ProcedureError):
        services.procedure_import_legacy(actor=people["officer_b"], legacy=legacy(),
                                         department=people["officer"].department,
                                         edition=Edition.objects.get(year=2008))


def test_version_page_says_imported_with_the_stated_approval_and_renders_the_table(client, people, imported):
    client.force_login(people["officer"])
    html = client.get(reverse("procedures:version", args=["QT-TP-09", 3])).content.decode()
    assert "Nhập từ hệ thống cũ" in html
    assert "<q>Trưởng phòng Tư pháp Nguyễn Văn Bình</q>" in html
    assert "Phiên bản này được phê duyệt ngoài hệ thống: không có chữ ký điện tử nào ở đây." in html
    assert "<td>Chứng thực chữ ký</td>" in html and "| 1 |" not in html


def test_controlled_copy_prints_the_origin_and_a_real_table(client, people, imported):
    client.force_login(people["staff"])
    response = client.get(reverse("procedures:version_pdf", args=["QT-TP-09", 3]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Nhập từ hệ thống cũ" in text and "Trưởng phòng Tư pháp Nguyễn Văn Bình" in text
    assert "Chứng thực chữ ký" in text and "| 2 |" not in text


def test_register_lists_titles_in_sentence_case(client, people, imported):
    client.force_login(people["officer"])
    html = client.get(reverse("procedures:register")).content.decode()
    assert "Quy trình chứng thực chữ ký" in html
