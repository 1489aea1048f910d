"""How views show numbers and pictures: formatted numbers, matrices as HTML, SVG pieces, figures as PNG.

Every number a view shows goes through `num` (4 decimals, a true minus sign) and sits in a
<span class="ck-num" data-q="dA0" data-i="0,1"> so that tests and the browser can read it back.
"""
import html as _html
import io

import matplotlib as mpl
import numpy as np
from matplotlib import ticker
from matplotlib.figure import Figure

from .. import plots

MINUS = "\u2212"
_CMAP = mpl.colormaps[plots.DIVERGING]


def num(x, digits=4):
    """x with `digits` decimals and a true minus sign (−); no "−0.0000"; huge values in e-notation."""
    x = float(x)
    if not np.isfinite(x) or abs(x) >= 1e5:
        text = f"{x:.3e}"
    else:
        text = f"{x:.{digits}f}"
        if float(text) == 0.0:
            text = f"{0.0:.{digits}f}"
    return text.replace("-", MINUS)


def parse_num(text):
    """The float behind a `num` string (accepts − or -)."""
    return float(text.strip().replace(MINUS, "-"))


def esc(text):
    return _html.escape(str(text), quote=True)


def sign_class(x):
    return " ck-neg" if x < 0 and num(x) != num(0) else (" ck-pos" if x > 0 and num(x) != num(0) else "")


def span(q, x, index=None, digits=4, signed=False):
    """One shown number: <span class="ck-num" data-q=q data-i="i,j">x</span>."""
    where = "" if index is None else f' data-i="{",".join(str(int(i)) for i in index)}"'
    cls = "ck-num" + (sign_class(x) if signed else "")
    return f'<span class="{cls}" data-q="{q}"{where}>{num(x, digits)}</span>'


def matrix(q, M, digits=4, signed=False):
    """A 2-D array as a bracketed HTML table, every entry a `span` with its index."""
    M = np.atleast_2d(np.asarray(M, dtype=float))
    rows = "".join("<tr>" + "".join(f"<td>{span(q, M[i, j], (i, j), digits, signed)}</td>"
                                    for j in range(M.shape[1])) + "</tr>" for i in range(M.shape[0]))
    return f'<table class="ck-m">{rows}</table>'


def row(label, body, note="", below=False):
    """A line of a quantity table: name, value, a short note (shape, formula) beside it or `below` it."""
    if below:
        return (f'<tr><td class="ck-name">{label}</td><td>{body}'
                + (f'<div class="ck-note">{note}</div>' if note else "") + "</td></tr>")
    return f'<tr><td class="ck-name">{label}</td><td>{body}</td><td class="ck-note">{note}</td></tr>'


def table(rows):
    return f'<table class="ck-q">{"".join(rows)}</table>'


def shape(M):
    M = np.atleast_2d(M)
    return f"{M.shape[0]} × {M.shape[1]}"


def colour(value, scale):
    """A PuOr colour for a signed value: purple for +, orange for −, paler the smaller |value| / scale."""
    t = 0.0 if scale <= 0 else max(-1.0, min(1.0, value / scale))
    strength = 0.25 + 0.25 * abs(t) if t != 0 else 0.0
    r, g, b, _ = _CMAP(0.5 + np.sign(t) * strength if t != 0 else 0.5)
    if t == 0:
        return "#999999"
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def svg_text(x, y, text, size=11, anchor="middle", weight="normal", fill="#000", halo=False, cls="",
             data=""):
    """An SVG <text>; `halo` draws a white outline behind it so it stays readable on top of lines."""
    extra = ' stroke="white" stroke-width="3" paint-order="stroke"' if halo else ""
    klass = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{fill}"{extra}{klass}{data}>{text}</text>')


def svg_line(x1, y1, x2, y2, stroke="#999", width=1.0, extra=""):
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" '
            f'stroke-width="{width:.2f}" stroke-linecap="round"{extra}/>')


def svg_circle(x, y, r, fill="white", stroke="#333", width=1.2):
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>'


def svg(width, height, body, label):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(label)}" '
            f'style="font-family: sans-serif">{"".join(body)}</svg>')


def new_figure(width, height, ncols=1, nrows=1):
    """A matplotlib Figure outside pyplot (so nothing is left open or shown twice) in the course style.

    The margins are fixed (no constrained layout): laying out again on every redraw would cost more than
    drawing.
    """
    with mpl.rc_context():
        plots.use_course_style()
        fig = Figure(figsize=(width, height), layout="none")
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        fig.subplots_adjust(left=0.8 / width, right=1 - 0.15 / width, bottom=0.5 / height,
                            top=1 - 0.3 / height, wspace=0.35 if ncols > 1 else 0.2)
    return fig, list(axes)


def draw_png(fig, draw, dpi=90):
    """Run draw() (which fills the axes) in the course style and return the figure as PNG bytes."""
    with mpl.rc_context():
        plots.use_course_style()
        mpl.rcParams["figure.constrained_layout.use"] = False
        for ax in fig.axes:
            ax.clear()
        draw()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def plain_log(ax, which="y"):
    """Log-axis ticks as plain text (1e-8), without minor ticks: mathtext labels cost more than the plot."""
    label = ticker.FuncFormatter(lambda v, _: f"1e{round(np.log10(v)):d}".replace("-", MINUS) if v > 0 else "")
    for axis in ([ax.xaxis] if "x" in which else []) + ([ax.yaxis] if "y" in which else []):
        axis.set_major_locator(ticker.LogLocator(numticks=7))
        axis.set_major_formatter(label)
        axis.set_minor_locator(ticker.NullLocator())
