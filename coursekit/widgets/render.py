"""How views show numbers: formatted numbers and matrices as HTML tables.

Every number a view shows goes through `num` (4 decimals, a true minus sign) or `sci` (3 significant digits,
× 10ⁿ) and sits in a <span class="ck-num" data-q="dA0" data-i="0,1"> so that tests and the browser can read it
back. Array entries are counted from 0, as numpy does.
"""
import html as _html
import math

import numpy as np

from .picture import MINUS, SUP


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


def sci(x, digits=3):
    """x as "5.62 × 10⁻²" (`digits` significant digits, a true minus sign); 0 as "0"."""
    x = float(x)
    if x == 0 or not np.isfinite(x):
        return num(x, 0) if x == 0 else str(x)
    k = math.floor(math.log10(abs(x)))
    m = x / 10.0 ** k
    if abs(round(m, digits - 1)) >= 10:
        m, k = m / 10, k + 1
    mantissa = f"{m:.{digits - 1}f}".replace("-", MINUS)
    return mantissa if k == 0 else f"{mantissa} × 10{str(k).translate(SUP)}"


def sig(x, digits=3):
    """x with `digits` significant digits, plainly written between 10⁻³ and 10⁴, else as `sci`."""
    x = float(x)
    if x != 0 and not 1e-3 <= abs(x) < 1e4:
        return sci(x, digits)
    text = f"{x:.{digits}g}"
    return text.replace("-", MINUS)


def parse_num(text):
    """The float behind a `num` or `sci` string (accepts − or -)."""
    text = text.strip().replace(MINUS, "-")
    if "×" in text:
        mantissa, power = text.split("×")
        digits = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
        return float(mantissa) * 10.0 ** int(power.strip()[2:].translate(digits))
    return float(text)


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


