"""Figures suites record (``record_figure``), drawn as small SVG charts: a histogram of a list
of values, or a bar chart of labelled values."""

from __future__ import annotations

import html
import math
from typing import Any

W, H = 460.0, 220.0
PAD_L, PAD_R, PAD_T, PAD_B = 52.0, 12.0, 14.0, 42.0


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _num(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 1000 or abs(v) < 0.01:
        return f"{v:.3g}"
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * step:
            return m * step
    return 10 * step


def _frame(title: str, unit: str, body: list[str], top: float, caption: str) -> str:
    plot_h = H - PAD_T - PAD_B
    grid = []
    for i in range(5):
        value = top * i / 4
        y = PAD_T + plot_h * (1 - i / 4)
        grid.append(f'<line class="g" x1="{PAD_L}" x2="{W - PAD_R}" y1="{y:.1f}" y2="{y:.1f}"/>'
                    f'<text class="ax" x="{PAD_L - 4}" y="{y + 3:.1f}" text-anchor="end">{_num(value)}</text>')
    return (f'<figure class="chart"><div class="ctl">{_e(title)}</div><svg class="fig" width="{W:g}" height="{H:g}" '
            f'viewBox="0 0 {W:g} {H:g}" role="img" aria-label="{_e(title)}">' + "".join(grid) + "".join(body)
            + f'<line class="axl" x1="{PAD_L}" x2="{W - PAD_R}" y1="{H - PAD_B}" y2="{H - PAD_B}"/></svg>'
            f'<figcaption>{_e(caption)}</figcaption></figure>')


def bar_chart(title: str, labels: list[str], values: list[float], unit: str = "") -> str:
    top = _nice_max(max(values + [0.0]))
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    n = max(1, len(values))
    slot = plot_w / n
    body = []
    for i, (label, v) in enumerate(zip(labels, values)):
        h = plot_h * max(0.0, v) / top
        x = PAD_L + i * slot + slot * 0.15
        body.append(f'<rect class="bar" x="{x:.1f}" y="{H - PAD_B - h:.1f}" width="{slot * 0.7:.1f}" height="{max(h, 0.5):.1f}">'
                    f'<title>{_e(label)}: {_num(v)} {_e(unit)}</title></rect>'
                    f'<text class="ax" x="{x + slot * 0.35:.1f}" y="{H - PAD_B + 13:.1f}" text-anchor="middle">{_e(label[:14])}</text>'
                    f'<text class="val" x="{x + slot * 0.35:.1f}" y="{H - PAD_B - h - 3:.1f}" text-anchor="middle">{_num(v)}</text>')
    return _frame(title, unit, body, top, f"{len(values)} values{', ' + unit if unit else ''}")


def histogram(title: str, values: list[float], unit: str = "", bins: int | None = None) -> str:
    if not values:
        return _frame(title, unit, [], 1.0, "no values recorded")
    lo, hi = min(values), max(values)
    n = bins or max(1, min(30, int(math.sqrt(len(values))) + 1))
    width = (hi - lo) / n if hi > lo else 1.0
    counts = [0] * n
    for v in values:
        counts[min(n - 1, int((v - lo) / width))] += 1
    top = _nice_max(float(max(counts)))
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    slot = plot_w / n
    body = []
    for i, c in enumerate(counts):
        h = plot_h * c / top
        x = PAD_L + i * slot
        a, b = lo + i * width, lo + (i + 1) * width
        body.append(f'<rect class="bar" x="{x + 0.5:.1f}" y="{H - PAD_B - h:.1f}" width="{max(slot - 1, 0.5):.1f}" '
                    f'height="{max(h, 0.5 if c else 0):.1f}"><title>{_num(a)} to {_num(b)} {_e(unit)}: {c}</title></rect>')
    for i in range(0, n + 1, max(1, n // 5)):
        x = PAD_L + i * slot
        body.append(f'<text class="ax" x="{x:.1f}" y="{H - PAD_B + 13:.1f}" text-anchor="middle">{_num(lo + i * width)}</text>')
    ordered = sorted(values)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    caption = (f"{len(values)} values{' (' + unit + ')' if unit else ''}: min {_num(lo)}, median {_num(pct(0.5))}, "
               f"p99 {_num(pct(0.99))}, max {_num(hi)}")
    body.append(f'<text class="ax" x="{W - PAD_R:.1f}" y="{H - 8:.1f}" text-anchor="end">{_e(unit)}</text>')
    return _frame(title, unit, body, top, caption)


def render(fig: dict[str, Any]) -> str:
    if fig.get("kind") == "bar":
        return bar_chart(fig["name"], list(fig.get("labels") or []), list(fig["values"]), fig.get("unit", ""))
    return histogram(fig["name"], list(fig["values"]), fig.get("unit", ""))


CSS = """
figure.chart{display:inline-block;margin:.3em 1em .6em 0;vertical-align:top}
figure.chart figcaption{font-size:12px;color:#555;max-width:460px}
figure.chart .ctl{font-weight:bold;font-size:13px;max-width:460px;margin-bottom:2px}
svg.fig{background:#fff;border:1px solid #ddd;border-radius:4px;font:10px sans-serif}
svg.fig .g{stroke:#eee}
svg.fig .axl{stroke:#999}
svg.fig .ax{fill:#555}
svg.fig .val{fill:#333;font-size:9px}
svg.fig .bar{fill:#4a6fa5}
"""
