"""The migration's web screens: import several files, run, permissions, bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from edition_migration.models import EditionMigration
from procedures.models import Procedure

from .conftest import sample

pytestmark = pytest.mark.django_db


def upload(name):
    return SimpleUploadedFile(name, sample(name))


def test_web_import_of_several_files_reports_each(client, people, org):
    client.force_login(people["officer"])
    response = client.post(reverse("edition_migration:import"), {
        "files": [upload("qt-tnmt-05.md"), upload("mat-khau.docx"), upload("qt-kt-04.odt")],
        "edition": "2008", "department": org["a"].pk,
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "QT-TNMT-05" in html and "QT-KT-04" in html
    assert "được bảo vệ bằng mật khẩu" in html
    assert sorted(Procedure.objects.values_list("code", flat=True)) == ["QT-KT-04", "QT-TNMT-05"]


def test_web_import_without_a_file_is_a_form_error(client, people):
    client.force_login(people["officer"])
    response = client.post(reverse("edition_migration:import"), {"edition": "2008"})
    assert response.status_code == 200
    assert "Hãy chọn ít nhất một tệp." in response.content.decode()


def test_web_dry_run_then_real_run(client, people, tnmt_procedure):
    client.force_login(people["officer"])
    response = client.post(reverse("edition_migration:run"), {"dry_run": "on", "all": "on"})
    html = response.content.decode()
    assert "Chạy thử trên 1 tài liệu: chưa có thay đổi nào được lưu." in html
    # Point 14: "run it for real" with the same selection.
    assert '<input type="hidden" name="codes" value="QT-TNMT-05">' in html
    assert "Chạy thật với cùng lựa chọn" in html
    assert not EditionMigration.objects.exists()
    response = client.post(reverse("edition_migration:run"), {"codes": ["QT-TNMT-05"]})
    assert response.status_code == 200
    assert EditionMigration.objects.count() == 1
    html = response.content.decode()
    migration = EditionMigration.objects.get()
    assert "Đã tạo 1 dự thảo theo bản 2015; 0 tài liệu đã có dự thảo từ trước; 0 tài liệu không chuyển đổi được." in html
    assert f'href="/migration/{migration.pk}/"' in html


def test_an_empty_selection_converts_nothing_and_says_so(client, people, tnmt_procedure):
    client.force_login(people["officer"])
    response = client.post(reverse("edition_migration:run"), {}, follow=True)
    assert ("Chưa chọn tài liệu nào: không có tài liệu nào được chuyển đổi. Hãy đánh dấu tài liệu "
            "cần chuyển đổi, hoặc chọn “Tất cả”.") in response.content.decode()
    assert not EditionMigration.objects.exists()


def test_run_with_a_code_not_offered_is_refused_politely(client, people, tnmt_procedure):
    client.force_login(people["officer_b"])
    response = client.post(reverse("edition_migration:run"), {"codes": ["QT-TNMT-05"]}, follow=True)
    assert "Lựa chọn tài liệu không hợp lệ." in response.content.decode()
    assert not EditionMigration.objects.exists()


@pytest.mark.parametrize("who,status", [("officer", 200), ("admin", 200), ("auditor", 200), ("staff", 403)])
def test_index_by_role(client, people, who, status):
    client.force_login(people[who])
    assert client.get(reverse("edition_migration:index")).status_code == status


@pytest.mark.parametrize("name", ["import", "run"])
def test_approvers_cannot_import_or_run(client, people, name):
    client.force_login(people["approver"])
    if name == "run":
        assert client.post(reverse("edition_migration:run")).status_code == 403
    else:
        assert client.get(reverse("edition_migration:import")).status_code == 403
