"""Shares of dossiers as exact decimals: never floats, rounded half up.

"99.54" is 99.535 rounded up; a binary float would round 1.005 down to 1.0.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")
ONE_PLACE = Decimal("0.1")


def pct(part: int, whole: int, places: int = 2) -> Decimal | None:
    """part / whole in per cent, rounded half up to `places` decimals; None when
    there is nothing to divide by."""
    if not whole:
        return None
    exponent = TWO_PLACES if places == 2 else ONE_PLACE if places == 1 else Decimal(1).scaleb(-places)
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(exponent, rounding=ROUND_HALF_UP)


def pct_text(value: Decimal | None) -> str | None:
    """The JSON form: a decimal string ("99.54"), or None."""
    return None if value is None else str(value)


@dataclass
class Totals:
    """Dossier counts over a period. `received` counts what was carried over into
    the first month of each run of months plus everything newly received."""

    received: int = 0
    received_new: int = 0
    carried_in: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    pending_in_time: int = 0
    pending_overdue: int = 0
    online_level3: int = 0
    online_level4: int = 0
    apologies: int = 0
    online_target: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def resolved_pct(self):
        return pct(self.resolved, self.received)

    @property
    def early_pct(self):
        return pct(self.early, self.resolved)

    @property
    def on_time_pct(self):
        return pct(self.on_time, self.resolved)

    @property
    def late_pct(self):
        return pct(self.late, self.resolved)

    @property
    def online_share_pct(self):
        return pct(self.online_level3 + self.online_level4, self.received_new)

    @property
    def online_target_pct(self):
        return pct(self.online_level3, self.online_target or 0, places=1)

    def add_row(self, row, *, starts_run: bool) -> None:
        """Add one month's row (a DossierStat or a mapping with its attributes)."""
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        if starts_run:
            self.carried_in += get("carried_over")
        self.received_new += get("received")
        self.received = self.carried_in + self.received_new
        self.early += get("resolved_early")
        self.on_time += get("resolved_on_time")
        self.late += get("resolved_late")
        self.online_level3 += get("received_online_l3")
        self.online_level4 += get("received_online_l4")
        self.apologies += get("apologies")

    def as_json(self) -> dict:
        """The keys of the issue's JSON contract, in its order."""
        return {
            "received": self.received,
            "resolved": self.resolved,
            "resolved_pct": pct_text(self.resolved_pct),
            "early": self.early,
            "early_pct": pct_text(self.early_pct),
            "on_time": self.on_time,
            "on_time_pct": pct_text(self.on_time_pct),
            "late": self.late,
            "late_pct": pct_text(self.late_pct),
            "online_level3": self.online_level3,
            "online_target": self.online_target,
            "online_target_pct": pct_text(self.online_target_pct),
        }
