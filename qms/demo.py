"""The demo committee: its departments and people (the first step of seed_demo)."""

import contextlib
import datetime
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from . import roles
from .models import OrgUnit, Sector


@contextlib.contextmanager
def clock(day: datetime.date, hour: int = 9, minute: int = 0):
    """Replay a step of the demo's history on its own date: inside the block,
    django.utils.timezone.now() — the services' stamps, auto_now fields, history
    rows and localdate() — answers that moment. Demo loading only: the services
    run unchanged, so every record and its history stay consistent in time
    (approved before it took effect, an audit started on its planned day)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


ROOT = ("UBND", "Ủy ban nhân dân thành phố")
DEPARTMENTS = [
    ("VP", "Văn phòng HĐND và UBND"),
    ("TNMT", "Phòng Tài nguyên và Môi trường"),
    ("QLDT", "Phòng Quản lý đô thị"),
    ("LDTBXH", "Phòng Lao động - Thương binh và Xã hội"),
    ("KT", "Phòng Kinh tế"),
    ("TP", "Phòng Tư pháp"),
    ("MC", "Bộ phận Tiếp nhận và Trả kết quả"),
    ("GDDT", "Phòng Giáo dục và Đào tạo"),
]
# The fields (lĩnh vực) of administrative procedures: code, name, handling department.
SECTORS = [
    ("dat-dai", "Đất đai", "TNMT"),
    ("moi-truong", "Môi trường", "TNMT"),
    ("xay-dung", "Xây dựng", "QLDT"),
    ("ldtbxh", "Lao động - Thương binh và Xã hội", "LDTBXH"),
    ("cong-thuong", "Công thương", "KT"),
    ("kinh-te", "Kinh tế", "KT"),
    ("tu-phap", "Tư pháp - Chứng thực", "TP"),
    ("ho-tich", "Hộ tịch", "TP"),
    ("giao-duc", "Giáo dục và Đào tạo", "GDDT"),
]
# username, first name, last name, role, department, superuser
PEOPLE = [
    ("admin", "Quản trị", "hệ thống", None, "VP", True),
    ("officer", "Lan", "Nguyễn Thị", roles.QUALITY_OFFICER, "VP", False),
    ("approver", "Hùng", "Trần Văn", roles.APPROVER, "UBND", False),
    ("auditor", "Minh", "Lê Quang", roles.INTERNAL_AUDITOR, "TP", False),
    ("staff", "Hoa", "Phạm Thị", roles.STAFF, "TNMT", False),
    ("officer_tnmt", "Đức", "Vũ Minh", roles.QUALITY_OFFICER, "TNMT", False),
    ("officer_qldt", "Tuấn", "Đặng Anh", roles.QUALITY_OFFICER, "QLDT", False),
    ("officer_ldtbxh", "Thảo", "Bùi Phương", roles.QUALITY_OFFICER, "LDTBXH", False),
    ("officer_kt", "Nam", "Hoàng Hải", roles.QUALITY_OFFICER, "KT", False),
    ("officer_tp", "Yến", "Đỗ Hải", roles.QUALITY_OFFICER, "TP", False),
    ("officer_mc", "Quân", "Ngô Văn", roles.QUALITY_OFFICER, "MC", False),
    ("staff_mc", "Mai", "Trịnh Thị", roles.STAFF, "MC", False),
    ("staff_qldt", "Long", "Phan Thành", roles.STAFF, "QLDT", False),
]


def seed_organisation(*, password: str) -> tuple[dict, dict]:
    """Create the committee, its departments, the fields of administrative procedures
    they handle and the demo people (idempotent).

    Returns the units by upper-case code ("UBND", "TNMT", …) and the users by
    username, which the apps' demo steps that follow build on.
    """
    root, _ = OrgUnit.objects.get_or_create(code=ROOT[0].lower(), defaults={"name": ROOT[1]})
    units = {ROOT[0]: root}
    for code, name in DEPARTMENTS:
        units[code], _ = OrgUnit.objects.get_or_create(
            code=code.lower(), defaults={"name": name, "parent": root}
        )
    for code, name, unit in SECTORS:
        Sector.objects.get_or_create(code=code, defaults={"name": name, "department": units[unit]})
    User = get_user_model()
    users = {}
    for username, first, last, role, unit, superuser in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@ubnd.example.vn",
                "department": units[unit],
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if role:
            user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return units, users
