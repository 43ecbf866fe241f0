"""Calendar arithmetic shared by the apps."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (31/01 + 1 → 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# The first year a date in this system can plausibly name (the committee's quality
# system, its oldest legacy procedures and reports are later than this).
FIRST_YEAR = 1990


class PlausibleDate:
    """A validator: refuses a date before FIRST_YEAR or more than `years_ahead` years
    after today (01/01/0001 and 01/01/9999 are typing slips, and a year past 9998 would
    overflow the review-date arithmetic)."""

    def __init__(self, years_ahead: int = 5, first_year: int = FIRST_YEAR):
        self.years_ahead, self.first_year = years_ahead, first_year

    def __call__(self, value):
        if value is None:
            return
        last = timezone.localdate().year + self.years_ahead
        if not self.first_year <= value.year <= last:
            raise ValidationError(
                _("Ngày %(day)s không hợp lý: hãy nhập một ngày từ năm %(first)s đến năm %(last)s."),
                code="implausible_date",
                params={"day": value.strftime("%d/%m/") + str(value.year).zfill(4),
                        "first": self.first_year, "last": last},
            )

    def __eq__(self, other):
        return isinstance(other, PlausibleDate) and vars(self) == vars(other)


def is_plausible(value, years_ahead: int = 5) -> bool:
    try:
        PlausibleDate(years_ahead)(value)
    except ValidationError:
        return False
    return True
