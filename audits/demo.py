"""The demo audit programme of 2026, built through the services (called by seed_demo).

Three audits: one closed (every grade of finding, actions verified, the major
one at its second attempt after a failed effectiveness check, a finding revised
after the first report, the record issued twice, each issue signed by the lead
auditor), one reported (actions open and overdue, answered, closed), one
planned. Idempotent: nothing is done when the 2026 programme exists.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from procedures.models import ProcedureVersion
from procedures.models import State as VersionState
from qms import roles
from qms.demo import clock
from qms.models import Clause

from . import services
from .models import AuditProgramme, ChecklistItem

YEAR = 2026
# username, first name, last name, department
EXTRA_AUDITORS = [("auditor2", "Hà", "Nguyễn Thu", "KT")]


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _clause(number: str) -> Clause:
    return Clause.objects.get(edition__year=2015, number=number)


def _version(code: str):
    return ProcedureVersion.objects.select_related("procedure").get(
        procedure__code=code, state=VersionState.EFFECTIVE
    )


def _auditors(units, users, password):
    User = get_user_model()
    group = Group.objects.get(name=roles.INTERNAL_AUDITOR)
    for username, first, last, unit in EXTRA_AUDITORS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "department": units[unit],
                      "email": f"{username}@ubnd.example.vn"},
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(group)
        users[username] = user
    return users


def _answer_checklist(audit, actor, nonconforming=()):
    """Answer every item: the listed positions nonconforming, clause 4.3 not applicable."""
    for item in audit.checklist.select_related("clause").order_by("position"):
        if item.position in nonconforming:
            result, notes = ChecklistItem.Result.NONCONFORMING, "Xem phát hiện kèm theo."
        elif item.clause and item.clause.number == "4.3":
            result, notes = ChecklistItem.Result.NOT_APPLICABLE, "Phạm vi HTQLCL không thay đổi trong kỳ."
        else:
            result, notes = ChecklistItem.Result.CONFORMING, "Đã kiểm tra hồ sơ mẫu, đạt yêu cầu."
        services.checklist_item_answer(item=item, actor=actor, result=result, notes=notes)


def seed(*, units, users, password) -> str:
    if AuditProgramme.objects.filter(year=YEAR).exists():
        return f"The {YEAR} audit programme exists: no new audit."
    users = _auditors(units, dict(users), password)
    lead, second = users["auditor"], users["auditor2"]
    with clock(_day("2026-01-05"), hour=9):
        programme = services.programme_create(
            actor=lead, year=YEAR,
            title="Chương trình đánh giá nội bộ năm 2026",
            objectives="Đánh giá việc chuyển đổi hệ thống quản lý chất lượng sang TCVN ISO 9001:2015 "
                       "tại các phòng chuyên môn và Bộ phận Tiếp nhận và Trả kết quả.",
        )
    _closed_audit(programme, units, users, lead, second, password)
    _reported_audit(programme, units, users, lead, second, password)
    with clock(_day("2026-11-02"), hour=9):
        services.audit_create(
            actor=lead, programme=programme,
            title="Đánh giá Văn phòng HĐND và UBND, Phòng Kinh tế",
            departments=[units["VP"], units["KT"]],
            planned_start=_day("2026-12-07"), planned_end=_day("2026-12-09"),
            lead_auditor=lead, team=[],
            clause_numbers=["4.1", "4.2", "5.1.2", "6.1", "6.2", "7.1.6", "9.3"],
            procedures=[_version("QT-VP-07").procedure, _version("QT-KT-01").procedure],
            objectives="Xác nhận việc xem xét của lãnh đạo và mục tiêu chất lượng năm 2026.",
        )
    return f"3 new audit(s) in the {YEAR} audit programme."


def _closed_audit(programme, units, users, lead, second, password):
    with clock(_day("2026-02-16"), hour=9):
        audit = services.audit_create(
            actor=lead, programme=programme,
            title="Đánh giá Phòng Tài nguyên và Môi trường, Bộ phận Tiếp nhận và Trả kết quả",
            departments=[units["TNMT"], units["MC"]],
            planned_start=_day("2026-03-09"), planned_end=_day("2026-03-13"),
            lead_auditor=lead, team=[second],
            clause_numbers=["4.3", "6.1", "7.1.6", "7.5.3", "8.2.1", "8.5.1", "9.1.2", "10.2"],
            procedures=[_version("QT-TNMT-01").procedure, _version("QT-MC-01").procedure],
            objectives="Đánh giá mức độ đáp ứng TCVN ISO 9001:2015 của quy trình đất đai và một cửa.",
        )
    with clock(_day("2026-03-09"), hour=8):
        audit = services.audit_start(audit=audit, actor=lead)
        _answer_checklist(audit, second, nonconforming=(4, 6))
    with clock(_day("2026-03-12"), hour=10):
        major = services.finding_record(
            audit=audit, actor=lead, grade="major",
            statement="Bộ phận Tiếp nhận và Trả kết quả không theo dõi thời hạn giải quyết hồ sơ: "
                      "12/40 hồ sơ đất đai trả kết quả trễ hạn nhưng không có phiếu xin lỗi và hẹn lại "
                      "ngày trả kết quả gửi công dân.",
            evidence="Sổ theo dõi hồ sơ quý I/2026; phần mềm một cửa điện tử, mã hồ sơ 000.26.31.H42-260112-0007.",
            clause=_clause("8.5.1"), department=units["MC"], procedure_version=_version("QT-MC-01"),
            action_owner=users["officer_mc"], action_due=_day("2026-04-30"),
            checklist_item=audit.checklist.get(position=6),
        )
        minor = services.finding_record(
            audit=audit, actor=second, grade="minor",
            statement="Phòng Tài nguyên và Môi trường còn sử dụng biểu mẫu BM-02 của lần ban hành cũ; "
                      "danh mục tài liệu nội bộ chưa cập nhật.",
            evidence="Hồ sơ đăng ký đất đai số 215/2026 dùng mẫu BM-02 (lần ban hành 1).",
            clause=_clause("7.5.3"), department=units["TNMT"], procedure_version=_version("QT-TNMT-01"),
            action_owner=users["officer_tnmt"], action_due=_day("2026-05-15"),
            checklist_item=audit.checklist.get(position=4),
        )
        services.finding_record(
            audit=audit, actor=second, grade="observation",
            statement="Sổ đăng ký rủi ro của phòng đã lập nhưng chưa đánh giá lại sau khi thay đổi "
                      "quy định về thời hạn cấp Giấy chứng nhận.",
            clause=_clause("6.1"), department=units["TNMT"],
        )
        services.finding_record(
            audit=audit, actor=lead, grade="opportunity",
            statement="Có thể gửi tin nhắn tự động cho công dân khi hồ sơ sắp đến hạn trả kết quả, "
                      "để giảm số cuộc gọi hỏi tình trạng hồ sơ.",
            clause=_clause("9.1.2"), department=units["MC"],
        )
    with clock(_day("2026-03-13"), hour=16):
        services.audit_report_issue(audit=audit, actor=lead, password=password,
                                    note="Phát hành lần đầu sau cuộc họp kết thúc.")
    # After the closing meeting the department showed more evidence: a new revision
    # of the minor finding (the first one stays readable).
    with clock(_day("2026-03-20"), hour=9):
        services.finding_update(
            finding=minor, actor=second, grade="minor",
            statement="Phòng Tài nguyên và Môi trường còn sử dụng biểu mẫu BM-02 của lần ban hành cũ "
                      "tại bộ phận chuyên môn (không phải tại quầy một cửa); danh mục tài liệu nội bộ "
                      "chưa cập nhật.",
            evidence=minor.evidence, clause=minor.clause, department=minor.department,
            procedure_version=minor.procedure_version,
            reason="Đơn vị cung cấp thêm bằng chứng sau cuộc họp kết thúc: biểu mẫu tại quầy đã đúng.",
        )
    # The major nonconformity's first answer does not hold: a second attempt.
    with clock(_day("2026-04-16"), hour=9):
        services.corrective_action_answer(
            action=major.action, actor=users["officer_mc"],
            correction="Đã gửi phiếu xin lỗi cho 12 công dân có hồ sơ trễ hạn.",
            root_cause="Công chức chưa được hướng dẫn lập phiếu xin lỗi và hẹn lại ngày trả kết quả.",
            action_plan="Tập huấn công chức một cửa về phiếu xin lỗi, hẹn lại.",
            evidence="Danh sách dự tập huấn ngày 15/04/2026.",
        )
    with clock(_day("2026-05-20"), hour=9):
        services.corrective_action_verify(
            action=major.action, actor=second, effective=False,
            note="Kiểm tra 20 hồ sơ tháng 5/2026: còn 3 hồ sơ trễ hạn không được phát hiện kịp; "
                 "nguyên nhân gốc rễ (phần mềm không cảnh báo hồ sơ sắp đến hạn) chưa được xử lý.",
        )
    for finding, officer, cause, plan in (
        (major, users["officer_mc"],
         "Phần mềm một cửa không cảnh báo hồ sơ sắp đến hạn; công chức chưa được hướng dẫn lập phiếu xin lỗi.",
         "Bật cảnh báo trước hạn 2 ngày; tập huấn công chức một cửa; kiểm tra hằng tuần sổ theo dõi."),
        (minor, users["officer_tnmt"],
         "Khi ban hành lần 2 chưa thu hồi biểu mẫu cũ tại bộ phận chuyên môn.",
         "Thu hồi biểu mẫu cũ, cập nhật danh mục tài liệu nội bộ, đóng dấu \u201cHẾT HIỆU LỰC\u201d bản lưu."),
    ):
        with clock(_day("2026-06-05")):
            services.corrective_action_answer(
                action=finding.action, actor=officer,
                correction="Đã liên hệ công dân có hồ sơ trễ hạn và gửi phiếu hẹn lại." if finding is major
                else "Đã thay biểu mẫu tại quầy.",
                root_cause=cause, action_plan=plan,
                evidence="Ảnh chụp cấu hình cảnh báo của phần mềm; sổ kiểm tra hằng tuần tháng 6/2026."
                if finding is major else "Biên bản thu hồi biểu mẫu cũ ngày 20/05/2026.",
            )
        with clock(_day("2026-06-30")):
            services.corrective_action_verify(
                action=finding.action, actor=second, effective=True,
                note="Kiểm tra 20 hồ sơ tháng 6/2026: không còn trường hợp vi phạm. Hành động có hiệu lực.",
            )
    with clock(_day("2026-07-01")):
        services.audit_close(audit=audit, actor=lead)
        services.audit_report_issue(
            audit=audit, actor=lead, password=password,
            note="Phát hành lại sau khi các điểm không phù hợp đã được khắc phục.",
        )
    return audit


def _reported_audit(programme, units, users, lead, second, password):
    with clock(_day("2026-08-17"), hour=9):
        audit = services.audit_create(
            actor=second, programme=programme,
            title="Đánh giá Phòng Quản lý đô thị, Phòng Lao động - Thương binh và Xã hội",
            departments=[units["QLDT"], units["LDTBXH"]],
            planned_start=_day("2026-09-14"), planned_end=_day("2026-09-18"),
            lead_auditor=second, team=[lead],
            clause_numbers=["4.4", "5.3", "7.2", "7.5.2", "8.5.1", "8.7", "9.2", "10.2"],
            procedures=[_version("QT-QLDT-01").procedure, _version("QT-LDTBXH-02").procedure],
            objectives="Đánh giá quy trình cấp giấy phép xây dựng và xác nhận người có công.",
        )
    with clock(_day("2026-09-14"), hour=8):
        audit = services.audit_start(audit=audit, actor=second)
        _answer_checklist(audit, lead, nonconforming=(3, 6))
    with clock(_day("2026-09-16"), hour=10):
        overdue = services.finding_record(
            audit=audit, actor=second, grade="major",
            statement="Phòng Quản lý đô thị không kiểm soát đầu ra không phù hợp: 3 giấy phép xây dựng "
                      "ghi sai diện tích sàn đã trả cho công dân mà không lập biên bản, không thu hồi.",
            evidence="Giấy phép số 118/GPXD, 124/GPXD, 131/GPXD năm 2026.",
            clause=_clause("8.7"), department=units["QLDT"], procedure_version=_version("QT-QLDT-01"),
            action_owner=users["staff_qldt"], action_due=_day("2026-10-31"),
            checklist_item=audit.checklist.get(position=6),
        )
        answered = services.finding_record(
            audit=audit, actor=lead, grade="minor",
            statement="Hồ sơ xác nhận người có công lưu tại Phòng Lao động - Thương binh và Xã hội "
                      "không có mục lục, không ghi thời hạn lưu trữ.",
            clause=_clause("7.5.3"), department=units["LDTBXH"], procedure_version=_version("QT-LDTBXH-02"),
            action_owner=users["officer_ldtbxh"], action_due=_day("2026-12-15"),
        )
        closed = services.finding_record(
            audit=audit, actor=lead, grade="minor",
            statement="Chưa xác định yêu cầu của công dân về hình thức nhận kết quả (trực tiếp, bưu "
                      "chính) trong phiếu tiếp nhận hồ sơ cấp phép xây dựng.",
            clause=_clause("8.2.2"), department=units["QLDT"],
            action_owner=users["officer_qldt"], action_due=_day("2026-10-15"),
        )
        services.finding_record(
            audit=audit, actor=second, grade="observation",
            statement="Mục tiêu chất lượng năm 2026 của phòng chưa có chỉ tiêu đo được cho tỷ lệ hồ sơ "
                      "giải quyết đúng hạn.",
            clause=_clause("6.2"), department=units["LDTBXH"],
        )
        services.finding_record(
            audit=audit, actor=lead, grade="opportunity",
            statement="Có thể dùng bản vẽ điện tử trong hồ sơ cấp phép để rút ngắn thời gian thẩm định.",
            clause=_clause("7.1.6"), department=units["QLDT"],
        )
    with clock(_day("2026-09-18"), hour=16):
        services.audit_report_issue(audit=audit, actor=second, password=password)
    with clock(_day("2026-10-09"), hour=9):
        services.corrective_action_answer(
            action=answered.action, actor=users["officer_ldtbxh"],
            correction="Đã lập mục lục cho hồ sơ năm 2026.",
            root_cause="Quy trình chưa quy định thời hạn lưu trữ hồ sơ người có công.",
            action_plan="Sửa đổi quy trình QT-LDTBXH-02, bổ sung bảng thời hạn lưu trữ.",
        )
        services.corrective_action_answer(
            action=closed.action, actor=users["officer_qldt"],
            correction="Bổ sung ô chọn hình thức nhận kết quả vào phiếu tiếp nhận.",
            root_cause="Mẫu phiếu tiếp nhận chưa cập nhật theo yêu cầu 8.2.2 của ISO 9001:2015.",
            action_plan="Ban hành mẫu phiếu mới, hướng dẫn công chức một cửa.",
        )
        services.corrective_action_verify(
            action=closed.action, actor=lead, effective=True,
            note="Kiểm tra 15 phiếu tiếp nhận tháng 10/2026 đều dùng mẫu mới.",
        )
    del overdue  # left open: past its due date, it shows on the dashboards
    return audit
