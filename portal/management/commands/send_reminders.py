"""The daily e-mail run: reminders, escalations and digests (safe to run twice)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import reminders as audits_reminders
from procedures import reminders as procedures_reminders
from qms import notifications

from ...inbox import inbox_groups

# Each app's daily reminders: queue(*, today) -> number of messages offered.
REMINDERS = [
    procedures_reminders.queue,
    audits_reminders.queue,
]
# The notifications that stand for an item of the inbox (same link): one whose item
# is gone by the time of the digest is work already done, and is not sent.
TASK_KINDS = procedures_reminders.TASK_KINDS | audits_reminders.TASK_KINDS


def open_urls(user) -> set[str]:
    """The links of the person's open work, from their inbox."""
    return {item.url for _kind, _label, items in inbox_groups(user=user) for item in items}


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
        result = notifications.send_digests(
            today=today, open_urls=open_urls, task_kinds=TASK_KINDS
        )
        self.stdout.write(
            _("Ngày %(day)s: %(offered)s nhắc việc và báo cáo được xét; đã gửi %(sent)s thư "
              "tổng hợp; %(already)s người đã nhận thư hôm nay; %(none)s người chưa có địa chỉ "
              "e-mail; %(failed)s thư gửi lỗi; %(done)s thông báo không gửi vì việc đã xong.") % {
                "day": today.strftime("%d/%m/%Y"), "offered": offered, "sent": result.sent,
                "already": result.already_sent_today, "none": result.no_address,
                "failed": result.failed, "done": result.done_before,
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
