"""Load the demo organisation: departments, people, procedures. Idempotent."""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from audits.demo import seed_audits
from procedures import services
from procedures.models import Procedure
from qms import roles
from qms.models import Edition, OrgUnit
from service_quality.demo import seed as seed_service_quality

DEMO_DATA = Path(__file__).resolve().parents[2] / "demo_data"

ROOT = ("UBND", "Ủy ban nhân dân thành phố")
DEPARTMENTS = [
    ("VP", "Văn phòng HĐND và UBND"),
    ("TNMT", "Phòng Tài nguyên và Môi trường"),
    ("QLDT", "Phòng Quản lý đô thị"),
    ("LDTBXH", "Phòng Lao động - Thương binh và Xã hội"),
    ("KT", "Phòng Kinh tế"),
    ("TP", "Phòng Tư pháp"),
    ("MC", "Bộ phận Tiếp nhận và Trả kết quả"),
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


class Command(BaseCommand):
    help = "Create the demo People's Committee, its users and procedures (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="demo12345", help="password of every demo user")

    @transaction.atomic
    def handle(self, *args, password, **options):
        units = self._units()
        users = self._people(units, password)
        created = self._procedures(units, users, password)
        self.stdout.write(
            f"{len(units)} units, {len(users)} users, {created} new procedure(s); "
            f"{Procedure.objects.count()} procedures in all."
        )
        audits = seed_audits(units=units, users=users, password=password)
        self.stdout.write(f"{audits} new audit(s) in the 2026 audit programme.")
        self.stdout.write(seed_service_quality(units=units, users=users, password=password))

    def _units(self):
        root, _ = OrgUnit.objects.get_or_create(code=ROOT[0].lower(), defaults={"name": ROOT[1]})
        units = {ROOT[0]: root}
        for code, name in DEPARTMENTS:
            units[code], _ = OrgUnit.objects.get_or_create(
                code=code.lower(), defaults={"name": name, "parent": root}
            )
        return units

    def _people(self, units, password):
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
        return users

    def _procedures(self, units, users, password):
        rows = json.loads((DEMO_DATA / "procedures.json").read_text(encoding="utf-8"))
        edition = Edition.objects.get(year=2008)
        officer_of = {
            u.department.code.upper(): u
            for u in users.values()
            if roles.has_role(u, roles.QUALITY_OFFICER)
        }
        approver = users["approver"]
        created = 0
        for row in rows:
            if Procedure.objects.filter(code=row["code"]).exists():
                continue
            author = officer_of[row["department"]]
            version = None
            for rev in row["revisions"]:
                version = self._revision(
                    row, rev, version, author=author, edition=edition, department=units[row["department"]]
                )
                services.version_submit(version=version, actor=author)
                services.version_approve(version=version, actor=approver, password=password)
                services.version_make_effective(
                    version=version,
                    actor=author,
                    effective_from=datetime.date.fromisoformat(rev["effective_from"]),
                    backdate=True,
                )
            if row.get("draft"):
                draft = self._revision(
                    row, row["draft"], version, author=author, edition=edition, department=None
                )
                if row["draft"].get("state") == "in_review":
                    services.version_submit(version=draft, actor=author)
            created += 1
        return created

    def _revision(self, row, rev, previous, *, author, edition, department):
        if previous is None:
            return services.procedure_create(
                actor=author,
                code=row["code"],
                title=row["title"],
                kind=row.get("kind", Procedure.Kind.PROCEDURE),
                department=department,
                edition=edition,
                body=rev["body"],
                clause_numbers=rev["clauses"],
                change_summary=rev.get("change_summary", ""),
            )
        draft = services.version_start_revision(procedure=previous.procedure, actor=author)
        return services.version_update(
            version=draft,
            actor=author,
            body=rev["body"],
            clause_numbers=rev["clauses"],
            change_summary=rev.get("change_summary", ""),
        )
