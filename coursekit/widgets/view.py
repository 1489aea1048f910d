"""The container every view is: controls by name, the numbers it shows, the last computed state, an error box.

A view is a VBox with
    view.controls   {name: control}     e.g. view.controls["A1[0,1]"] is a FloatSlider
    view.readouts   {name: HTML text}   the fragment of the page that shows that quantity
    view.state      {name: value}       the numbers behind the last update (numpy arrays, floats)
    view.output     Output              errors raised while updating are shown here, never lost
Each control is observed once (names="value"); nothing is shared between two views, so building a view
again in a re-run cell never stacks handlers on the old one.
"""
import traceback

import ipywidgets as W

STYLE = """<style>
.ck-view {font-size: 12px;}
.ck-view .widget-html-content {line-height: 1.35;}
.ck-num {font-family: var(--jp-code-font-family, monospace); white-space: pre;}
.ck-pos {color: #542788;} .ck-neg {color: #b35806;}
table.ck-m {border-collapse: collapse; display: inline-table; vertical-align: middle; margin: 1px 4px;
            border-left: 1px solid #666; border-right: 1px solid #666;}
table.ck-m td {padding: 0 5px; text-align: right; border: none;}
table.ck-q {border-collapse: collapse;} table.ck-q td {padding: 2px 6px; vertical-align: middle; border: none;}
table.ck-q td.ck-name {text-align: right; white-space: nowrap;}
.ck-note {color: #555; font-size: 11px;}
.ck-ok {color: #009E73; font-weight: bold;} .ck-bad {color: #D55E00; font-weight: bold;}
</style>"""


class View(W.VBox):
    """A view: controls, readouts and state by name, errors shown in `output`; see the module docstring."""

    title = "view"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.controls = {}
        self.readouts = {}
        self.state = {}
        self.last_error = None
        self.output = W.Output(layout=W.Layout(max_height="220px", overflow="auto"))
        self.output.add_class("ck-errors")
        self.add_class("ck-view")
        self._hold = False

    def __repr__(self):
        # a short, stable text/plain for the notebook (a VBox repr lists every child with its values)
        return f"<coursekit.widgets.{self.title}>"

    def _add(self, name, control):
        """Register a control under `name` and update the view whenever its value changes."""
        self.controls[name] = control
        control.observe(self._changed, names="value")
        return control

    def _changed(self, change=None):
        if not self._hold:
            self.update()

    def update(self):
        """Recompute and redraw from the controls' current values; an error goes to `output`."""
        try:
            self.refresh()
        except Exception as error:                      # shown in the Output widget, never lost
            self.show_error(error)
            return False
        if self.last_error is not None:
            self.last_error = None
            self.output.outputs = ()
        return True

    def refresh(self):
        raise NotImplementedError

    def show_error(self, error):
        """Write the error and its traceback into `output` (replacing an older error)."""
        self.last_error = error
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self.output.outputs = ({"output_type": "stream", "name": "stderr",
                                "text": f"coursekit.widgets.{self.title} could not update:\n{text}"},)

    def set_values(self, values):
        """Set several controls at once ({name: value}) with a single update at the end."""
        self._hold = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._hold = False
        return self.update()

    def close(self):
        """Stop observing and close every widget of the view (for a view that is no longer shown)."""
        for control in self.controls.values():
            try:
                control.unobserve(self._changed, names="value")
            except ValueError:
                pass
        for widget in [*_descendants(self), self]:
            for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
                if isinstance(part, W.Widget):
                    part.close()
            if widget is not self:
                widget.close()
        super().close()


def _descendants(widget):
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)
        yield child


def button(description, callback, view, width="auto", style=""):
    """A Button whose click runs `callback` with errors shown in the view's output."""
    b = W.Button(description=description, layout=W.Layout(width=width), button_style=style)

    def clicked(_):
        try:
            callback()
        except Exception as error:
            view.show_error(error)

    b.on_click(clicked)
    return b


def html(cls="", value=""):
    """An HTML widget with a CSS class (so tests and the browser can find it)."""
    widget = W.HTML(value=value)
    if cls:
        widget.add_class(cls)
    return widget
