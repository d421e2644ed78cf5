"""A slider kit: sliders for named inputs that redraw one reused picture.

The picture is made by a plain *update function* ``update(fig=None, **values)`` that draws into
``fig`` (a fresh figure when None) and returns it; what it prints appears under the sliders. A
notebook calls the same function once with fixed values in a checked cell; ``sliders`` wires it
to widgets for the learner::

    sliders(update_apple, figsize=(6.4, 2.4), price=(50, 300, 10, 100), count=(0, 10, 1, 2))

Each slider is labelled with words for its name (``LABELS``), in the language in use. A move
calls ``render``: the update function changes only what moved in the picture
(``bplib.viz.picture``), and the new PNG replaces the old one in place.
"""

import contextlib
import html
import io

import ipywidgets as widgets

from ..words import say, sentences
from .picture import canvas, clear_figure, full_png, new_figure, png  # noqa: F401  (bplib.viz.sliders.png etc.)

# The words on each slider of the course, by the name of the update function's argument.
LABELS = {
    "slope": "slope",
    "price": "apple price",
    "count": "apple count",
    "tax": "tax",
    "apple": "apple price",
    "apple_num": "apple count",
    "orange": "orange price",
    "orange_num": "orange count",
    "upstream": "upstream gradient",
    "dout": "upstream gradient",
    "step": "backward step",
    "steps": "steps without clearing",
    "rate": "tax rate",
    "x": "x",
    "y": "y",
    "depth": "layers",
    "N": "batch size N",
    "input_size": "input size",
    "output_size": "output size",
    "a1": "score a1",
    "a2": "score a2",
    "a3": "score a3",
    "true_class": "true class",
    "i": "row i of W (input Xᵢ)",
    "j": "column j of W (output Yⱼ)",
}
STYLE = {"description_width": "initial"}  # the whole label, never cut to "appl..."


def label(name):
    """The words on the slider for ``name``: from ``LABELS`` in the language in use; a name of
    your own is shown as it is."""
    return say(LABELS[name]) if name in LABELS else name


def slider(spec, name):
    """A widget from a spec: (min, max, step, value) -> FloatSlider (IntSlider if all
    are ints); a list of options -> Dropdown; a bool -> Checkbox; a widget is kept."""
    if isinstance(spec, widgets.Widget):
        return spec
    words = label(name)
    if isinstance(spec, bool):
        return widgets.Checkbox(value=spec, description=words, style=STYLE)
    if isinstance(spec, list):
        return widgets.Dropdown(options=spec, value=spec[0], description=words, style=STYLE)
    if not (isinstance(spec, tuple) and len(spec) == 4):
        raise ValueError(
            say("slider {name!r}: expected (min, max, step, value), a list or a bool, got {spec!r}",
                name=name, spec=spec)
        )  # fmt: skip
    lo, hi, step, value = spec
    if not lo <= value <= hi:
        raise ValueError(
            say(
                "slider {name!r}: start value {value} is outside [{lo}, {hi}]",
                name=name,
                value=value,
                lo=lo,
                hi=hi,
            )
        )
    kind = widgets.IntSlider if all(isinstance(v, int) for v in spec) else widgets.FloatSlider
    return kind(
        min=lo, max=hi, step=step, value=value, description=words, style=STYLE, continuous_update=True
    )


def render(update, fig, values):
    """One slider move: ``update(fig=fig, **values)``, then its picture as PNG bytes and what it
    printed. A position the update function refuses (ValueError) gives no picture (None) and its
    message in the language in use."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        try:
            return png(update(fig=fig, **values)), printed.getvalue()
        except ValueError as error:
            return None, printed.getvalue() + say("Cannot draw this: {error}", error=error)


def sliders(update, figsize=(7, 3.2), **specs):
    """Build one slider per keyword and redraw ``update``'s picture on every change.

    Example: ``sliders(update_apple, price=(50, 200, 10, 100), count=(0, 5, 1, 2))``.
    Returns the widget box (the notebook cell displays it): the sliders, what the update function
    printed, and its picture.
    """
    controls = {name: slider(spec, name) for name, spec in specs.items()}
    fig = new_figure(figsize)
    image, text = widgets.Image(format="png"), widgets.HTML()

    def redraw(_change=None):
        picture, printed = render(update, fig, {name: w.value for name, w in controls.items()})
        shown = f"<pre>{html.escape(printed.rstrip())}</pre>" if printed.strip() else ""
        if picture is not None:  # first, so that the browser paints it without waiting for the text
            image.value = picture  # the picture is replaced in place: no flicker, one message
        if text.value != shown:  # an unchanged widget sends nothing to the browser
            text.value = shown

    for w in controls.values():
        w.observe(redraw, names="value")
    redraw()
    return widgets.VBox(
        [widgets.HBox(list(controls.values()), layout={"flex_flow": "row wrap"}), text, image]
    )


def update_demo(fig=None, slope=1.0):
    """The start-here picture: the line y = slope * x (figure 5 × 2.6). Prints the slope it drew."""
    import numpy as np

    from .picture import axes, describe, dynamic, part

    fig = canvas(fig, (5, 2.6), key="demo")
    ax = axes(fig, (0.13, 0.2, 0.82, 0.68))
    line = part(ax, "line", lambda: dynamic(ax.plot([], [], color="tab:blue")[0]))
    title = part(ax, "title", lambda: dynamic(ax.set_title("", y=1.0, pad=4)))
    if not ax.get_xlabel():  # the axes are drawn once
        ax.set(xlim=(-2, 2), ylim=(-6, 6), xlabel="x", ylabel="y")
        ax.grid(alpha=0.3)
    x = np.linspace(-2, 2, 21)
    line.set_data(x, slope * x)
    title.set_text(f"y = {slope:.1f} · x")
    line_words = say(
        "slope = {slope}: at x = 2 the line is at y = {y}", slope=f"{slope:.1f}", y=f"{2 * slope:.1f}"
    )
    describe(
        fig,
        "line",
        sentences([say("The line y = {slope} · x.", slope=f"{slope:.1f}"), line_words + say(".")]),
    )
    print(line_words)
    return fig
