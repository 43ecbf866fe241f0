"""The daily e-mail run: reminders, escalations and digests (safe to run twice)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import reminders as audits_reminders
from procedures import reminders as procedures_reminders
from qms import notifications

# Each app's daily reminders: queue(*, today) -> number of messages offered.
REMINDERS = [
    procedures_reminders.queue,
    audits_reminders.queue,
]


class Command(BaseCommand):
    help = (
        "Daily: write the reminders of overdue work and the escalations to department "
        "heads, then send each person's digest of the day and any immediate e-mail that "
        "could not be sent. Safe to run twice the same day: nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="the day to run for, dd/mm/yyyy or yyyy-mm-dd (default: today)"
        )

    def handle(self, *args, date=None, **options):
        today = self._day(date) if date else timezone.localdate()
        offered = sum(queue(today=today) for queue in REMINDERS)
        result = notifications.send_digests(today=today)
        self.stdout.write(
            _("Ngày %(day)s: %(offered)s nhắc việc và báo cáo được xét; đã gửi %(sent)s thư "
              "tổng hợp; %(already)s người đã nhận thư hôm nay; %(none)s người chưa có địa chỉ "
              "e-mail; %(failed)s thư gửi lỗi.") % {
                "day": today.strftime("%d/%m/%Y"), "offered": offered, "sent": result.sent,
                "already": result.already_sent_today, "none": result.no_address,
                "failed": result.failed,
            }
        )
        if result.failed:
            raise CommandError(_("Có %(n)s thư gửi lỗi: xem nhật ký; chạy lại lệnh để gửi lại.")
                               % {"n": result.failed})

    def _day(self, text: str) -> datetime.date:
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise CommandError(_("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."))
