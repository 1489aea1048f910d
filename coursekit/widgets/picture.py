"""A view's picture: shapes and text in pixels, written as SVG for the live view and as PNG for a stored notebook.

Colours are roles ("fg", "muted", "pos", "neg", "blue", …), not fixed values: in the browser each role is a CSS
variable taken from JupyterLab's theme (THEME, light and dark), so a picture follows the theme; the PNG uses
the light values on an opaque background. Text is rich in one way only: "f_1", "E^r", "θ_{12}" write a sub-
or superscript (a smaller, raised or lowered tspan in SVG; the Unicode sub-/superscript in PNG).
Plots (`Axes`) map data to pixels with linear or log scales, ticks at 1-2-5 steps or whole decades.
"""
import base64
import html
import io
import math
import re
import zlib

import numpy as np

MINUS = "\u2212"

# role: (light, dark). Text roles have a contrast of at least 4.5:1 on "bg" in both themes, lines at least 3:1
# (tests/test_widgets.py checks both). Values starting with "var(" follow JupyterLab's own variables.
THEME = {
    "fg": ("var(--jp-ui-font-color1, #1f1f1f)", "var(--jp-ui-font-color1, #dedede)"),
    "muted": ("var(--jp-ui-font-color2, #616161)", "var(--jp-ui-font-color2, #a0a0a0)"),
    "bg": ("var(--jp-layout-color0, #ffffff)", "var(--jp-layout-color0, #111111)"),
    "panel": ("var(--jp-layout-color2, #eeeeee)", "var(--jp-layout-color2, #424242)"),
    "line": ("var(--jp-border-color1, #9e9e9e)", "var(--jp-border-color1, #757575)"),
    "grid": ("var(--jp-border-color2, #e0e0e0)", "var(--jp-border-color2, #424242)"),
    "pos": ("#542788", "#c8b2e0"),
    "neg": ("#a14f05", "#fdb863"),
    "zero": ("#6e6e6e", "#a8a8a8"),
    "blue": ("#0072b2", "#56b4e9"),
    "orange": ("#9c6300", "#e69f00"),
    "green": ("#007a5a", "#33c59a"),
    "vermillion": ("#c44f00", "#ff8a4c"),
    "purple": ("#a23f7c", "#e59cc8"),
    "accent": ("#c44f00", "#ff8a4c"),
    "ink": ("#ffffff", "var(--jp-ui-font-color1, #dedede)"),     # text on a strongly coloured cell
}
# what the PNG (and the contrast test) uses for the roles that come from JupyterLab's variables
FALLBACK = {role: tuple(re.search(r"#[0-9a-f]{6}", value).group(0) if value.startswith("var(") else value
                        for value in pair) for role, pair in THEME.items()}
TEXT_ROLES = ("fg", "muted", "pos", "neg", "zero", "blue", "orange", "green", "vermillion", "purple", "accent")
DIVERGING_ENDS = ("#7f3b08", "#2d004b")                  # PuOr's ends: orange for −, purple for +

SUB = str.maketrans("0123456789+-=()aehijklmnoprstuvxβ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦ")
SUP = str.maketrans("0123456789+-−=()inrTt*", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁱⁿʳᵀᵗ*")
SCRIPT = re.compile(r"([_^])(\{[^}]*\}|.)")


def theme_css(scope=".ck-view"):
    """CSS that defines every role as a variable --ck-<role> (light theme; JupyterLab's dark theme overrides)."""
    light = "; ".join(f"--ck-{role}: {pair[0]}" for role, pair in THEME.items())
    dark = "; ".join(f"--ck-{role}: {pair[1]}" for role, pair in THEME.items())
    rules = [f"{scope} {{{light}}}", f'body[data-jp-theme-light="false"] {scope} {{{dark}}}']
    for role in THEME:
        rules.append(f".ck-pic .s-{role} {{stroke: var(--ck-{role})}} .ck-pic .f-{role} {{fill: var(--ck-{role})}} "
                     f".ck-c-{role} {{color: var(--ck-{role})}}")
    return "\n".join(rules)


def plain(text):
    """Rich text as plain Unicode: sub- and superscripts become Unicode characters where they exist."""
    def script(match):
        body = match.group(2).strip("{}")
        table = SUB if match.group(1) == "_" else SUP
        converted = body.translate(table)
        if any(c == o and not c.isspace() for c, o in zip(converted, body)) and not body.isdigit():
            return ("_" if match.group(1) == "_" else "^") + body if len(body) > 1 else converted
        return converted
    return SCRIPT.sub(script, text)


def rich_svg(text):
    """Rich text as SVG content: "f_1" → f<tspan …>1</tspan> (lowered, smaller)."""
    out, last = [], 0
    for match in SCRIPT.finditer(text):
        out.append(html.escape(text[last:match.start()], quote=False))
        body = html.escape(match.group(2).strip("{}"), quote=False)
        shift = "sub" if match.group(1) == "_" else "super"
        out.append(f'<tspan baseline-shift="{shift}" font-size="72%">{body}</tspan>')
        last = match.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


def colour_of(role, theme=0):
    """A role's hex value in the light (0) or dark (1) theme; a literal "#rrggbb" stays itself."""
    if role is None or role == "none":
        return None
    return role if role.startswith("#") else FALLBACK[role][theme]


def _f(x):
    return f"{x:.1f}"


class Picture:
    """Shapes in pixel coordinates (origin top left), written out by svg() or png()."""

    def __init__(self, width, height, label, cls=""):
        self.width, self.height, self.label, self.cls = width, height, label, cls
        self.items = []            # (kind, attributes)
        self._clip = None

    # -- shapes ---------------------------------------------------------------------------------------------
    def line(self, x1, y1, x2, y2, stroke="line", width=1.0, dash=None, data=None, title=None):
        self.items.append(("line", dict(points=[(x1, y1), (x2, y2)], stroke=stroke, width=width, dash=dash,
                                        data=data, title=title, clip=self._clip)))

    def polyline(self, points, stroke="fg", width=1.2, dash=None, fill=None, data=None, closed=False):
        points = np.asarray(points, dtype=float).reshape(-1, 2)
        points = np.clip(points, -1e5, 1e5)            # a diverging path stays drawable (and is clipped anyway)
        self.items.append(("poly", dict(points=points, stroke=stroke, width=width, dash=dash, fill=fill,
                                        data=data, closed=closed, clip=self._clip)))

    def circle(self, x, y, r, fill="bg", stroke="fg", width=1.2, data=None):
        self.items.append(("circle", dict(x=x, y=y, r=r, fill=fill, stroke=stroke, width=width, data=data,
                                          clip=self._clip)))

    def rect(self, x, y, w, h, fill="bg", stroke="fg", width=1.0, rx=0.0, data=None, title=None, opacity=None):
        self.items.append(("rect", dict(x=x, y=y, w=w, h=h, fill=fill, stroke=stroke, width=width, rx=rx,
                                        data=data, title=title, clip=self._clip, opacity=opacity)))

    def text(self, x, y, text, size=11, anchor="middle", fill="fg", weight="normal", halo=False, data=None,
             italic=False, mono=False, rotate=0.0, box=False):
        """Text whose baseline starts (anchor "start"), centres ("middle") or ends ("end") at (x, y), turned
        by `rotate` degrees (clockwise on the screen, as SVG) about (x, y); `box` puts it on a background
        box (a label written on a line: the line stops at the box)."""
        self.items.append(("text", dict(x=x, y=y, text=str(text), size=size, anchor=anchor, fill=fill,
                                        weight=weight, halo=halo, data=data, italic=italic, mono=mono,
                                        rotate=rotate, box=box)))

    def image(self, x, y, w, h, rgba):
        """An (rows, cols, 4) array of 0…1 floats stretched over the box (row 0 at the top)."""
        self.items.append(("image", dict(x=x, y=y, w=w, h=h, rgba=np.asarray(rgba, dtype=float),
                                         clip=self._clip)))

    def clip(self, box):
        """Clip the shapes that follow (not text) to box = (x, y, w, h); None ends clipping."""
        self._clip = box

    # -- output ---------------------------------------------------------------------------------------------
    def svg(self, uid="ck"):
        """The picture as an <svg> element that scales with its container (CSS roles for every colour)."""
        clips, body = {}, []
        for kind, a in self.items:
            extra = _data(a.get("data"))
            clip = a.get("clip")
            if clip is not None:
                if clip not in clips:
                    clips[clip] = f"{uid}-clip{len(clips)}"
                extra += f' clip-path="url(#{clips[clip]})"'
            paint = _paint(a.get("stroke"), a.get("fill"), a.get("width"), a.get("dash"))
            if kind != "text" and a.get("fill") in (None, "none"):
                paint += ' fill="none"'                            # SVG's default fill is black
            if kind in ("line", "poly"):
                pts = a.get("text") or " ".join(f"{x:.1f},{y:.1f}" for x, y in np.asarray(a["points"]).tolist())
                tag = "polygon" if a.get("closed") else "polyline"
                shape = f'<{tag} points="{pts}"{paint} stroke-linecap="round" stroke-linejoin="round"{extra}/>'
            elif kind == "circle":
                shape = f'<circle cx="{_f(a["x"])}" cy="{_f(a["y"])}" r="{_f(a["r"])}"{paint}{extra}/>'
            elif kind == "rect":
                opacity = f' fill-opacity="{a["opacity"]:.3f}"' if a.get("opacity") is not None else ""
                shape = (f'<rect{opacity} x="{_f(a["x"])}" y="{_f(a["y"])}" width="{_f(a["w"])}" height="{_f(a["h"])}" '
                         f'rx="{_f(a["rx"])}"{paint}{extra}/>')
            elif kind == "image":
                shape = (f'<image x="{_f(a["x"])}" y="{_f(a["y"])}" width="{_f(a["w"])}" height="{_f(a["h"])}" '
                         f'preserveAspectRatio="none" style="image-rendering: auto" '
                         f'href="data:image/png;base64,{base64.b64encode(png_bytes(a["rgba"])).decode()}"{extra}/>')
            else:
                shape = _svg_text(a, extra)
            if a.get("title"):
                shape = f"<g><title>{html.escape(a['title'], quote=False)}</title>{shape}</g>"
            body.append(shape)
        defs = "".join(f'<clipPath id="{cid}"><rect x="{_f(x)}" y="{_f(y)}" width="{_f(w)}" height="{_f(h)}"/>'
                       f"</clipPath>" for (x, y, w, h), cid in clips.items())
        label = html.escape(self.label, quote=True)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" class="ck-pic {self.cls}" viewBox="0 0 {self.width} '
                f'{self.height}" width="{self.width}" height="{self.height}" role="img" aria-label="{label}">'
                f"<title>{label}</title>{'<defs>' + defs + '</defs>' if defs else ''}{''.join(body)}</svg>")

    def png(self, scale=1.5, caption=None):
        """The picture as PNG bytes (light theme, opaque background), with an optional caption line below."""
        import matplotlib as mpl
        from matplotlib import patheffects
        from matplotlib.figure import Figure
        from matplotlib.patches import Circle, FancyBboxPatch, Rectangle

        extra = 22 if caption else 0
        W, H = self.width, self.height + extra
        with mpl.rc_context({"font.family": "DejaVu Sans", "svg.fonttype": "none"}):
            fig = Figure(figsize=(W / 72, H / 72), dpi=72 * scale)
            fig.patch.set_facecolor(FALLBACK["bg"][0])
            ax = fig.add_axes((0, 0, 1, 1))
            ax.set_xlim(0, W)
            ax.set_ylim(H, 0)
            ax.axis("off")
            for z, (kind, a) in enumerate(self.items):
                stroke, fill = colour_of(a.get("stroke")), colour_of(a.get("fill"))
                clip = a.get("clip")
                artist = None
                if kind in ("line", "poly"):
                    pts = np.asarray(a["points"], dtype=float)
                    if a.get("closed") or fill:
                        from matplotlib.patches import Polygon
                        artist = ax.add_patch(Polygon(pts, closed=True, facecolor=fill or "none",
                                                      edgecolor=stroke or "none", linewidth=a["width"], zorder=z))
                    else:
                        (artist,) = ax.plot(pts[:, 0], pts[:, 1], color=stroke, linewidth=a["width"], zorder=z,
                                            linestyle=(0, a["dash"]) if a.get("dash") else "-",
                                            solid_capstyle="round")
                elif kind == "circle":
                    artist = ax.add_patch(Circle((a["x"], a["y"]), a["r"], facecolor=fill or "none",
                                                 edgecolor=stroke or "none", linewidth=a["width"], zorder=z))
                elif kind == "rect":
                    if a["rx"]:
                        artist = ax.add_patch(FancyBboxPatch((a["x"], a["y"]), a["w"], a["h"],
                                                             boxstyle=f"round,pad=0,rounding_size={a['rx']}",
                                                             facecolor=fill or "none", edgecolor=stroke or "none",
                                                             linewidth=a["width"], zorder=z))
                    else:
                        face = mpl.colors.to_rgba(fill, a["opacity"]) if fill and a.get("opacity") is not None else fill
                        artist = ax.add_patch(Rectangle((a["x"], a["y"]), a["w"], a["h"], facecolor=face or "none",
                                                        edgecolor=stroke or "none", linewidth=a["width"], zorder=z))
                elif kind == "image":
                    artist = ax.imshow(np.clip(a["rgba"], 0, 1), extent=(a["x"], a["x"] + a["w"],
                                                                        a["y"] + a["h"], a["y"]),
                                       interpolation="bilinear", zorder=z, aspect="auto")
                else:
                    effects = ([patheffects.withStroke(linewidth=3, foreground=FALLBACK["bg"][0])]
                               if a["halo"] else None)
                    bbox = (dict(boxstyle="round,pad=0.18", facecolor=FALLBACK["bg"][0], edgecolor="none")
                            if a.get("box") else None)
                    ax.text(a["x"], a["y"], plain(a["text"]), fontsize=a["size"], color=colour_of(a["fill"]), bbox=bbox,
                            ha={"start": "left", "middle": "center", "end": "right"}[a["anchor"]],
                            va="baseline", fontweight=a["weight"], fontstyle="italic" if a["italic"] else "normal",
                            family="DejaVu Sans Mono" if a["mono"] else "DejaVu Sans", path_effects=effects,
                            rotation=-a.get("rotate", 0.0), rotation_mode="anchor", zorder=z)
                if artist is not None and clip is not None:
                    artist.set_clip_path(Rectangle(clip[:2], clip[2], clip[3], transform=ax.transData))
            if caption:
                ax.text(8, H - 7, caption, fontsize=10.5, color=FALLBACK["muted"][0], ha="left", va="baseline",
                        fontstyle="italic")
            ax.add_patch(Rectangle((0.5, 0.5), W - 1, H - 1, facecolor="none", edgecolor=FALLBACK["line"][0],
                                   linewidth=1))
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=72 * scale, facecolor=fig.get_facecolor())
        return buffer.getvalue()


def _paint(stroke, fill, width, dash):
    cls, style = [], ""
    if stroke not in (None, "none"):
        if stroke.startswith("#"):
            style += f' stroke="{stroke}"'
        else:
            cls.append(f"s-{stroke}")
        style += f' stroke-width="{_f(width or 1.0)}"'
    if fill not in (None, "none"):
        if fill.startswith("#"):
            style += f' fill="{fill}"'
        else:
            cls.append(f"f-{fill}")
    if dash:
        style += f' stroke-dasharray="{" ".join(_f(d) for d in dash)}"'
    return (f' class="{" ".join(cls)}"' if cls else "") + style


def _data(data):
    if not data:
        return ""
    return "".join(f' data-{key}="{html.escape(str(value), quote=True)}"' for key, value in data.items())


def _svg_text(a, extra):
    cls = [f"f-{a['fill']}"] if not a["fill"].startswith("#") else []
    if a["halo"]:
        cls.append("ck-halo")
    if a["mono"]:
        cls.append("ck-mono")
    fill = f' fill="{a["fill"]}"' if a["fill"].startswith("#") else ""
    style = ' font-style="italic"' if a["italic"] else ""
    weight = f' font-weight="{a["weight"]}"' if a["weight"] != "normal" else ""
    turn = f' transform="rotate({_f(a["rotate"])} {_f(a["x"])} {_f(a["y"])})"' if a.get("rotate") else ""
    text = (f'<text x="{_f(a["x"])}" y="{_f(a["y"])}" font-size="{a["size"]}" text-anchor="{a["anchor"]}"'
            f'{"" if a.get("box") else turn}{weight}{style} class="{" ".join(cls)}"{fill}{extra}>'
            f'{rich_svg(a["text"])}</text>')
    if not a.get("box"):
        return text
    w = (0.6 if a["mono"] else 0.56) * a["size"] * len(plain(a["text"])) + 5
    h = 1.3 * a["size"]
    x0 = a["x"] - {"start": 2.5, "middle": w / 2, "end": w - 2.5}[a["anchor"]]
    rect = (f'<rect x="{_f(x0)}" y="{_f(a["y"] - 0.95 * a["size"])}" width="{_f(w)}" height="{_f(h)}" '
            f'rx="3" class="f-bg"/>')
    return f"<g{turn}>{rect}{text}</g>"


def png_bytes(rgba):
    """A small RGBA image (rows, cols, 4 floats in 0…1) as PNG bytes, without any imaging library."""
    pixels = (np.clip(rgba, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
    rows, cols = pixels.shape[:2]
    raw = b"".join(b"\x00" + pixels[r].tobytes() for r in range(rows))

    def chunk(tag, body):
        return (len(body).to_bytes(4, "big") + tag + body
                + (zlib.crc32(tag + body) & 0xFFFFFFFF).to_bytes(4, "big"))

    header = cols.to_bytes(4, "big") + rows.to_bytes(4, "big") + bytes([8, 6, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


# ---- plots ---------------------------------------------------------------------------------------------------

def nice_ticks(lo, hi, target=5):
    """About `target` round tick values (1, 2, 5 × 10^k) covering [lo, hi]."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(target, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = [first + k * step for k in range(int((hi - first) / step + 1e-9) + 1)]
    return [0.0 if abs(t) < step * 1e-9 else t for t in ticks]


def tick_label(value, step=None):
    """A tick value with as many decimals as its step needs and a true minus sign."""
    if step is None or step >= 1:
        text = f"{value:.0f}" if abs(value - round(value)) < 1e-9 else f"{value:g}"
    else:
        text = f"{value:.{max(0, -math.floor(math.log10(step) + 1e-9))}f}"
    return text.replace("-", MINUS)


def decade_label(k):
    """10^k as "10⁻³" (Unicode superscripts); 10⁰ = 1 and 10¹ = 10 written plainly."""
    if k == 0:
        return "1"
    if k == 1:
        return "10"
    return "10" + str(int(k)).translate(SUP)


class Axes:
    """A plot box inside a Picture: data (x, y) → pixels, ticks, labels, lines, markers, images, contours."""

    def __init__(self, picture, box, xlim, ylim, xlog=False, ylog=False):
        self.picture, self.box = picture, box                     # box = (left, top, width, height) in pixels
        self.xlog, self.ylog = xlog, ylog
        self.xlim = tuple(np.log10(xlim)) if xlog else tuple(map(float, xlim))
        self.ylim = tuple(np.log10(ylim)) if ylog else tuple(map(float, ylim))

    def px(self, x, y):
        """Pixel coordinates of data points (arrays)."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if self.xlog:
            x = np.log10(np.maximum(x, 1e-300))
        if self.ylog:
            y = np.log10(np.maximum(y, 1e-300))
        left, top, w, h = self.box
        u = left + (x - self.xlim[0]) / (self.xlim[1] - self.xlim[0]) * w
        v = top + h - (y - self.ylim[0]) / (self.ylim[1] - self.ylim[0]) * h
        return u, v

    def data_attrs(self):
        """What a test needs to read pixels back as data: the box and the limits (log10 for a log axis)."""
        left, top, w, h = self.box
        return {"box": f"{left},{top},{w},{h}",
                "lim": ",".join(repr(float(v)) for v in (*self.xlim, *self.ylim)),
                "log": f"{int(self.xlog)},{int(self.ylog)}"}

    def frame(self, xlabel="", ylabel="", title="", xticks=None, yticks=None, grid=True):
        p, (left, top, w, h) = self.picture, self.box
        p.rect(left, top, w, h, fill=None, stroke="line", width=1, data=self.data_attrs())
        for axis, ticks in (("x", xticks), ("y", yticks)):
            log = self.xlog if axis == "x" else self.ylog
            lim = self.xlim if axis == "x" else self.ylim
            if ticks is None:
                ticks = self._log_ticks(lim) if log else [(t, None) for t in nice_ticks(*lim, 5 if axis == "x" else 4)]
            step = None
            if not log and len(ticks) > 1:
                step = abs(ticks[1][0] - ticks[0][0])
            for value, label in ticks:
                if label is None:
                    label = decade_label(round(value)) if log else tick_label(value, step)
                if axis == "x":
                    u = left + (value - lim[0]) / (lim[1] - lim[0]) * w
                    if grid:
                        p.line(u, top, u, top + h, stroke="grid", width=0.8)
                    p.line(u, top + h, u, top + h + 4, stroke="line", width=1)
                    p.text(u, top + h + 15, label, size=10, fill="muted")
                else:
                    v = top + h - (value - lim[0]) / (lim[1] - lim[0]) * h
                    if grid:
                        p.line(left, v, left + w, v, stroke="grid", width=0.8)
                    p.line(left - 4, v, left, v, stroke="line", width=1)
                    p.text(left - 6, v + 3.5, label, size=10, fill="muted", anchor="end")
        if xlabel:
            p.text(left + w / 2, top + h + 31, xlabel, size=11)
        if ylabel:
            p.text(left - 40, top + h / 2, ylabel, size=11, rotate=-90)
        if title:
            p.text(left + w / 2, top - 8, title, size=11.5, weight="bold")

    @staticmethod
    def _log_ticks(lim):
        lo, hi = math.ceil(lim[0] - 1e-9), math.floor(lim[1] + 1e-9)
        decades = list(range(lo, hi + 1))
        every = max(1, math.ceil(len(decades) / 6))
        return [(k, None) for k in decades if (k - lo) % every == 0]

    def plot(self, x, y, stroke="blue", width=1.6, dash=None, data=None):
        u, v = self.px(x, y)
        if len(u) > 2 * self.box[2]:                   # more points than the screen shows: every k-th, and the last
            k = int(np.ceil(len(u) / (2 * self.box[2])))
            keep = np.r_[np.arange(0, len(u), k), len(u) - 1] if (len(u) - 1) % k else np.arange(0, len(u), k)
            u, v = u[keep], v[keep]
        self.picture.clip(self.box)
        self.picture.polyline(np.column_stack([u, v]), stroke=stroke, width=width, dash=dash, data=data)
        self.picture.clip(None)

    def markers(self, x, y, fill="blue", stroke="bg", r=3.0, shape="circle", data=None):
        u, v = self.px(x, y)
        left, top, w, h = self.box
        for k, (a, b) in enumerate(zip(np.atleast_1d(u), np.atleast_1d(v))):
            if not (left - r <= a <= left + w + r and top - r <= b <= top + h + r):
                continue
            d = dict(data or {})
            if shape == "circle":
                self.picture.circle(a, b, r, fill=fill, stroke=stroke, width=0.8, data=d or None)
            elif shape == "square":
                self.picture.rect(a - r, b - r, 2 * r, 2 * r, fill=fill, stroke=stroke, width=0.8, data=d or None)
            else:                                                                   # a star / diamond
                pts = [(a, b - 1.4 * r), (a + r, b), (a, b + 1.4 * r), (a - r, b)]
                self.picture.polyline(pts, stroke=stroke, fill=fill, width=0.8, closed=True, data=d or None)

    def vline(self, x, stroke="fg", width=1.0, dash=(2, 3)):
        u, _ = self.px([x], [self._data_y(self.ylim[0])])
        left, top, w, h = self.box
        if left <= u[0] <= left + w:
            self.picture.line(u[0], top, u[0], top + h, stroke=stroke, width=width, dash=dash)

    def _data_y(self, y):
        return 10.0 ** y if self.ylog else y

    def image(self, rgba, extent):
        """An image covering the data rectangle extent = (x0, x1, y0, y1); row 0 is y1 (the top)."""
        u, v = self.px([extent[0], extent[1]], [extent[3], extent[2]])
        self.picture.clip(self.box)
        self.picture.image(u[0], v[0], u[1] - u[0], v[1] - v[0], rgba)
        self.picture.clip(None)

    def contours(self, x, y, z, levels, stroke="muted", width=0.9, data=None, cache=None):
        """Contour lines of z over the grid (x, y) (each (rows, cols)) at the given levels (contourpy); with a
        `cache` dict, lines drawn once are reused (the same grid in the same box)."""
        import contourpy

        key = (self.box, self.xlim, self.ylim)
        if cache is None or key not in cache:
            generator = contourpy.contour_generator(x, y, z)
            lines = []
            for level in levels:
                for line in generator.lines(level):
                    u, v = self.px(line[:, 0], line[:, 1])
                    points = np.column_stack([u, v])
                    lines.append((points, " ".join(f"{a:.1f},{b:.1f}" for a, b in points.tolist())))
            if cache is None:
                cache = {}
            cache[key] = lines
        self.picture.clip(self.box)
        for points, text in cache[key]:
            self.picture.polyline(points, stroke=stroke, width=width, data=data)
            self.picture.items[-1][1]["text"] = text
        self.picture.clip(None)

    def legend(self, entries, corner="upper right"):
        """entries: [(label, role, kind)] with kind "line", "dashed", "circle", "square"."""
        p, (left, top, w, h) = self.picture, self.box
        width = 26 + 6.2 * max(len(plain(label)) for label, _, _ in entries)
        x = left + w - width - 6 if "right" in corner else left + 6
        y = top + 6 if "upper" in corner else top + h - 6 - 15 * len(entries)
        p.rect(x, y, width, 15 * len(entries) + 4, fill="bg", stroke="grid", width=0.8, rx=3)
        for k, (label, role, kind) in enumerate(entries):
            cy = y + 10 + 15 * k
            if kind in ("line", "dashed"):
                p.line(x + 5, cy, x + 19, cy, stroke=role, width=2, dash=(3, 2) if kind == "dashed" else None)
            elif kind == "square":
                p.rect(x + 8.5, cy - 3.5, 7, 7, fill=role, stroke="bg", width=0.8)
            else:
                p.circle(x + 12, cy, 3.5, fill=role, stroke="bg", width=0.8)
            p.text(x + 24, cy + 3.5, label, size=10, anchor="start")


def diverging_rgba(values, bound, alpha=1.0):
    """PuOr colours (orange −, white 0, purple +) for values in [−bound, bound], as (…, 4) floats."""
    import matplotlib as mpl

    t = 0.5 + 0.5 * np.clip(np.asarray(values, dtype=float) / max(bound, 1e-300), -1.0, 1.0)
    rgba = mpl.colormaps["PuOr"](t)
    rgba[..., 3] = alpha
    return rgba


def to_rgb(hex_value):
    """"#rrggbb" as three floats in 0…1."""
    return [int(hex_value[k:k + 2], 16) / 255 for k in (1, 3, 5)]


def hex_colour(rgba):
    r, g, b = (int(round(255 * c)) for c in rgba[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def luminance(hex_value):
    """Relative luminance (WCAG 2) of "#rrggbb"."""
    channels = [int(hex_value[k:k + 2], 16) / 255 for k in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    """WCAG contrast ratio of two "#rrggbb" colours (1 … 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
