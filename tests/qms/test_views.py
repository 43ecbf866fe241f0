"""Sign-in, language, the dashboard of each role, and the error pages."""

import datetime

import pytest

from tests.factories import PASSWORD, effective

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese_and_signs_in(client, people):
    page = client.get("/accounts/login/")
    html = page.content.decode()
    assert '<html lang="vi">' in html and "Đăng nhập" in html
    response = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_wrong_password_gets_a_message(client, people):
    response = client.post("/accounts/login/", {"username": "staff", "password": "x"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_sign_out_needs_a_post_and_ends_the_session(client, people):
    client.force_login(people["staff"])
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_password_change(client, people):
    client.force_login(people["staff"])
    assert client.get("/accounts/password_change/").status_code == 200
    response = client.post("/accounts/password_change/", {
        "old_password": PASSWORD, "new_password1": "Mat-khau-moi-2025", "new_password2": "Mat-khau-moi-2025",
    })
    assert response["Location"] == "/accounts/password_change/done/"
    assert "Mật khẩu mới của bạn đã được lưu." in client.get(response["Location"]).content.decode()
    people["staff"].refresh_from_db()
    assert people["staff"].check_password("Mat-khau-moi-2025")


def test_vietnamese_by_default_even_for_an_english_browser(client, people):
    client.force_login(people["staff"])
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html


def test_english_by_choice_is_remembered(client, people):
    client.force_login(people["staff"])
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/procedures/"})
    assert response["Location"] == "/procedures/"
    cookie = response.cookies["django_language"]
    assert cookie.value == "en" and int(cookie["max-age"]) >= 365 * 24 * 3600
    assert '<html lang="en">' in client.get("/procedures/").content.decode()


def test_language_can_be_chosen_before_signing_in(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_dates_are_shown_as_dd_mm_yyyy(client, people):
    effective(author=people["officer"], approver=people["approver"], code="QT-D-01",
              effective_from=datetime.date(2019, 2, 15))
    client.force_login(people["staff"])
    for language in ("vi", "en"):
        client.cookies["django_language"] = language
        assert "15/02/2019" in client.get("/procedures/QT-D-01/").content.decode()


def test_forbidden_page_explains_why(client, people):
    client.force_login(people["staff"])
    response = client.get("/register/")
    assert response.status_code == 403
    assert "Sổ đăng ký tài liệu chỉ dành cho cán bộ quản lý chất lượng và lãnh đạo." in response.content.decode()


def test_static_assets_are_served_by_the_project(client, people):
    client.force_login(people["staff"])
    html = client.get("/").content.decode()
    assert "/static/css/app.css" in html and "/static/js/app.js" in html
    assert "http://" not in html.split("<main>")[0].replace("http://www.w3.org", "")


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("url", ["/khong-co-trang-nay/", "/procedures/QT-KHONG-CO-99/"])
def test_a_missing_page_is_the_projects_own_even_with_debug_on(client, people, settings, debug, url):
    settings.DEBUG = debug
    client.force_login(people["staff"])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không có trang hoặc tài liệu nào tại địa chỉ" in html and '<html lang="vi">' in html
    assert "URLconf" not in html and "technical_404" not in html and "Django tried" not in html


def test_the_missing_page_follows_the_chosen_language_with_debug_on(client, people, settings):
    settings.DEBUG = True
    client.force_login(people["staff"])
    client.cookies["django_language"] = "en"
    html = client.get("/no-such-page/").content.decode()
    assert '<html lang="en">' in html and "Not found" in html and "URLconf" not in html


def test_a_missing_page_before_signing_in_is_the_projects_own_with_debug_on(client, settings):
    settings.DEBUG = True
    response = client.get("/khong-co/")
    assert response.status_code == 404 and "URLconf" not in response.content.decode()


def test_a_favicon_is_linked_and_served(client, people):
    assert client.get("/favicon.ico")["Location"] == "/static/img/favicon.ico"  # before signing in
    client.force_login(people["staff"])
    html = client.get("/").content.decode()
    assert 'href="/static/img/favicon.svg"' in html and 'href="/static/img/favicon.ico"' in html
    for path in ("/static/img/favicon.ico", "/static/img/favicon.svg"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"".join(response.streaming_content)[:4] in (b"\x00\x00\x01\x00", b"<svg")


@pytest.mark.parametrize("who", ["staff", "nobody", "officer", "approver", "auditor", "admin"])
def test_every_menu_entry_opens_for_the_person_who_sees_it(client, people, who):
    import re

    client.force_login(people[who])
    html = client.get("/").content.decode()
    nav = html.split("<nav>", 1)[1].split("</nav>", 1)[0]
    links = [href for href in re.findall(r'<a[^>]* href="([^"]+)"', nav) if href.startswith("/")]
    assert links  # the search at least
    for href in links:
        assert client.get(href).status_code == 200, (who, href)
    assert ("/migration/" in links) == (who in ("officer", "approver", "auditor", "admin"))


def test_long_procedure_codes_are_kept_on_one_line(client, people):
    from django.contrib.staticfiles import finders

    effective(author=people["officer"], approver=people["approver"], code="QT-TNMT-DDAI-2026-012")
    css = open(finders.find("css/app.css"), encoding="utf-8").read()
    assert ".nowrap { white-space:nowrap; }" in css
    for who, url in (("staff", "/procedures/"), ("officer", "/register/")):
        client.force_login(people[who])
        html = client.get(url).content.decode()
        cell = html.split('<td class="nowrap"', 1)[1].split("</td>", 1)[0]
        assert "QT-TNMT-DDAI-2026-012" in cell, url
