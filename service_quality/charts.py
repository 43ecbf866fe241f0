"""Server-side SVG charts for the report page (no JavaScript, nothing from a CDN).

Plain data in, an SVG string out; every label is escaped. The PDF draws the
same three charts with reportlab (service_quality.pdf_charts).
"""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .formatting import vn_number, vn_pct
from .rates import pct

COLOURS = {"early": "#2e7d32", "on_time": "#1f6fb2", "late": "#c62828", "last": "#9e9e9e"}


def _svg(width, height, body, title) -> str:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _legend(items, x, y) -> list[str]:
    body = []
    for key, label in items:
        body.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS[key]}"/>'
                    f'<text x="{x + 14}" y="{y}" font-size="11">{escape(label)}</text>')
        x += 18 + 7 * len(label)
    return body


def _labels():
    return [("early", _("Trước hạn")), ("on_time", _("Đúng hạn")), ("late", _("Trễ hạn"))]


def split_by_field(rows) -> str:
    """Rows of (name, early, on_time, late): one 100 % bar per field, late share at the end."""
    title = _("Tỷ lệ trước hạn, đúng hạn, trễ hạn theo lĩnh vực")
    left, bar_w, row_h = 210, 420, 24
    height = 40 + row_h * max(len(rows), 1)
    body = _legend(_labels(), left, 16)
    for i, (name, early, on_time, late) in enumerate(rows):
        y = 30 + i * row_h
        total = early + on_time + late
        body.append(f'<text x="{left - 6}" y="{y + 14}" font-size="11" text-anchor="end">{escape(name)}</text>')
        x = float(left)
        for key, value in (("early", early), ("on_time", on_time), ("late", late)):
            width = bar_w * value / total if total else 0
            if width:
                body.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{row_h - 6}" '
                            f'fill="{COLOURS[key]}"><title>{escape(vn_number(value))}</title></rect>')
            x += width
        share = pct(late, total)
        body.append(f'<text x="{left + bar_w + 6}" y="{y + 14}" font-size="11">{escape(_("trễ"))} '
                    f'{escape(vn_pct(share))}</text>')
    return _svg(left + bar_w + 90, height, body, title)


def _axis(left, top, plot_h, peak, ticks=4, suffix="") -> list[str]:
    body = []
    for t in range(ticks + 1):
        value = peak * t / ticks
        y = top + plot_h - plot_h * t / ticks
        body.append(f'<line x1="{left}" x2="{left + 600}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                    f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
                    f'{escape(vn_number(int(value)) if not suffix else vn_number(round(value, 1)))}{suffix}</text>')
    return body


def monthly_trend(months) -> str:
    """months: 12 items of (early, on_time, late) or None; stacked columns per month."""
    title = _("Hồ sơ đã giải quyết theo tháng")
    left, top, plot_h, col = 60, 30, 180, 50
    peak = max((sum(m) for m in months if m), default=0) or 1
    body = _legend(_labels(), left, 16) + _axis(left, top, plot_h, peak)
    for i, m in enumerate(months):
        x = left + i * col + 10
        body.append(f'<text x="{x + 15}" y="{top + plot_h + 16}" font-size="10" text-anchor="middle">'
                    f'{i + 1:02d}</text>')
        if not m:
            continue
        y = top + plot_h
        for key, value in zip(("early", "on_time", "late"), m, strict=True):
            h = plot_h * value / peak
            y -= h
            body.append(f'<rect x="{x}" y="{y:.1f}" width="30" height="{h:.1f}" fill="{COLOURS[key]}">'
                        f'<title>{escape(vn_number(value))}</title></rect>')
    return _svg(left + 12 * col + 10, top + plot_h + 26, body, title)


def year_beside_year(pairs, year: int) -> str:
    """pairs: 12 items of (last year's late %, this year's late %) as Decimal or None."""
    title = _("Tỷ lệ trễ hạn theo tháng: năm %(year)s bên cạnh năm %(last)s") % {
        "year": year, "last": year - 1}
    left, top, plot_h, col = 60, 30, 180, 50
    values = [v for pair in pairs for v in pair if v is not None]
    peak = float(max(values, default=Decimal(1))) or 1.0
    body = _legend([("last", str(year - 1)), ("late", str(year))], left, 16)
    body += _axis(left, top, plot_h, peak, suffix=" %")
    for i, (last, now) in enumerate(pairs):
        x = left + i * col + 8
        body.append(f'<text x="{x + 17}" y="{top + plot_h + 16}" font-size="10" text-anchor="middle">'
                    f'{i + 1:02d}</text>')
        for offset, key, value in ((0, "last", last), (17, "late", now)):
            if value is None:
                continue
            h = plot_h * float(value) / peak
            body.append(f'<rect x="{x + offset}" y="{top + plot_h - h:.1f}" width="16" height="{h:.1f}" '
                        f'fill="{COLOURS[key]}"><title>{escape(vn_pct(value))}</title></rect>')
    return _svg(left + 12 * col + 10, top + plot_h + 26, body, title)


def chart_data(data: dict) -> dict:
    """The three charts' plain data from selectors.report.report_data."""
    return {
        "split": [(f["name"], f["totals"].early, f["totals"].on_time, f["totals"].late)
                  for f in data["by_field"]],
        "months": [(m["totals"].early, m["totals"].on_time, m["totals"].late) if m["totals"] else None
                   for m in data["months"]],
        "compare": [(m["previous"].late_pct if m["previous"] else None,
                     m["totals"].late_pct if m["totals"] else None) for m in data["months"]],
        "year": data["year"],
    }


def render_all(data: dict) -> dict:
    plain = chart_data(data)
    return {
        "split": split_by_field(plain["split"]),
        "trend": monthly_trend(plain["months"]),
        "compare": year_beside_year(plain["compare"], plain["year"]),
    }
