"""Data charts for articles: CSV in, accessible SVG out, rendered on the
server so charts show without JavaScript and in feeds."""

import csv
import io
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

PALETTE = ["#b3261e", "#1f5aa6", "#2e7d32", "#ef8f00", "#6a1b9a", "#00838f"]
MAX_ROWS = 200


class ChartDataError(ValueError):
    pass


@dataclass
class ChartData:
    labels: list
    series: list  # [(name, [float|None, ...]), ...]

    @property
    def max_value(self):
        values = [v for _, vs in self.series for v in vs if v is not None]
        return max(values + [0])

    @property
    def min_value(self):
        values = [v for _, vs in self.series for v in vs if v is not None]
        return min(values + [0])


def _number(cell):
    """Read a number as Vietnamese write it ("1.234,5", "2,125" = 2.125),
    also accepting a dot as the decimal mark ("2.5", "1,234.5"). Where a
    lone separator is ambiguous, the Vietnamese reading wins: "1.234" is
    1234 and "1,234" is 1.234."""
    cell = cell.strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-").rstrip("%")
    if not cell:
        return None
    if "," in cell and "." in cell:
        # Both marks: the last one is the decimal mark.
        cell = cell.replace(".", "").replace(",", ".") if cell.rfind(",") > cell.rfind(".") else cell.replace(",", "")
    else:
        mark = "," if "," in cell else "."
        groups = cell.split(mark)
        head = groups[0].lstrip("+-")
        groups_thousands = len(groups) > 2 or (mark == "." and len(groups[-1]) == 3 and 1 <= len(head) <= 3 and head != "0")
        if groups_thousands:
            if not 1 <= len(head) <= 3 or any(len(group) != 3 for group in groups[1:]):
                raise ValueError(cell)
            cell = "".join(groups)
        else:
            cell = ".".join(groups)
    value = float(cell)
    if not math.isfinite(value):  # float() accepts "nan" and "inf"
        raise ValueError(cell)
    return value


def parse_csv(text):
    """First row: header (label column, then one column per series)."""
    rows = [row for row in csv.reader(io.StringIO((text or "").strip())) if any(c.strip() for c in row)]
    if len(rows) < 2:
        raise ChartDataError(_("The CSV needs a header row and at least one data row."))
    if len(rows) - 1 > MAX_ROWS:
        raise ChartDataError(_("A chart can show at most %(max)d rows.") % {"max": MAX_ROWS})
    header = [c.strip() for c in rows[0]]
    if len(header) < 2:
        raise ChartDataError(_("The CSV needs a label column and at least one number column."))
    labels, columns = [], [[] for _ in header[1:]]
    for line_no, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ChartDataError(
                _("Row %(line)d has %(got)d columns; the header has %(want)d.") % {"line": line_no, "got": len(row), "want": len(header)}
            )
        labels.append(row[0].strip())
        for i, cell in enumerate(row[1:]):
            try:
                columns[i].append(_number(cell))
            except ValueError:
                raise ChartDataError(
                    _("Row %(line)d, column \"%(col)s\": \"%(cell)s\" is not a number.")
                    % {"line": line_no, "col": header[i + 1], "cell": cell.strip()}
                ) from None
    return ChartData(labels=labels, series=list(zip(header[1:], columns, strict=True)))


def _fmt(value):
    if value is None:
        return "–"
    if abs(value - round(value)) < 1e-9:
        return f"{int(round(value)):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def render_svg(data, kind="bar", title=""):
    """Return SVG markup for a bar or line chart of ``data``."""
    width, height = 640, 360
    left, right, top, bottom = 56, 16, 24, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    vmax, vmin = data.max_value, min(0, data.min_value)
    span = (vmax - vmin) or 1
    n = max(1, len(data.labels))

    def y(value):
        return top + plot_h - (value - vmin) / span * plot_h

    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{_esc(title)}" xmlns="http://www.w3.org/2000/svg" class="chart-svg">',
        f"<title>{_esc(title)}</title>",
    ]
    for step in range(5):
        value = vmin + span * step / 4
        yy = y(value)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" font-size="11" fill="#555">{_fmt(value)}</text>')
    band = plot_w / n
    label_every = max(1, n // 12)
    for i, label in enumerate(data.labels):
        if i % label_every == 0:
            x = left + band * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" fill="#333">{_esc(label[:14])}</text>')
    series_count = len(data.series)
    for s, (name, values) in enumerate(data.series):
        color = PALETTE[s % len(PALETTE)]
        if kind == "line":
            points = [f"{left + band * (i + 0.5):.1f},{y(v):.1f}" for i, v in enumerate(values) if v is not None]
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{" ".join(points)}"/>')
            for i, v in enumerate(values):
                if v is not None:
                    parts.append(
                        f'<circle cx="{left + band * (i + 0.5):.1f}" cy="{y(v):.1f}" r="3.5" fill="{color}">'
                        f"<title>{_esc(data.labels[i])}: {_fmt(v)}</title></circle>"
                    )
        else:
            bar_w = band * 0.8 / series_count
            for i, v in enumerate(values):
                if v is None:
                    continue
                x = left + band * i + band * 0.1 + bar_w * s
                y0, y1 = y(max(v, 0)), y(min(v, 0))
                parts.append(
                    f'<rect x="{x:.1f}" y="{y0:.1f}" width="{bar_w:.1f}" height="{max(y1 - y0, 0.5):.1f}" fill="{color}">'
                    f"<title>{_esc(data.labels[i])} – {_esc(name)}: {_fmt(v)}</title></rect>"
                )
        lx = left + s * 150
        parts.append(f'<rect x="{lx}" y="{height - 22}" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="{lx + 16}" y="{height - 12}" font-size="12" fill="#222">{_esc(name[:20])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _esc(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


format_number = _fmt
