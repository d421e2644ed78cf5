"""A slider kit: sliders for named inputs that redraw one reused figure.

The picture is made by a plain *update function* ``update(fig=None, **values)``
that draws into ``fig`` (a fresh figure when None) and returns it. A notebook
calls the same function once with fixed values in a checked cell; ``sliders``
wires it to widgets for the learner.
"""

import base64
import contextlib
import io

import ipywidgets as widgets
from IPython import get_ipython
from IPython.core.pylabtools import select_figure_formats
from IPython.display import Image, display
from matplotlib.figure import Figure

from ..words import say


def _show_figures_as_png():
    """In a Jupyter kernel, display any Figure (also ones pyplot does not know) as PNG."""
    shell = get_ipython()
    if shell is not None and hasattr(shell, "kernel"):
        select_figure_formats(shell, {"png"})


_show_figures_as_png()


def new_figure(figsize=(7, 3.2), dpi=80):
    """A matplotlib Figure not registered with pyplot: nothing piles up, nothing leaks."""
    return Figure(figsize=figsize, dpi=dpi, layout="constrained")


def clear_figure(fig):
    """Empty ``fig`` for redrawing. Removing the axes first is cheaper than letting
    ``fig.clear()`` tidy each one up (about 5 ms per axes)."""
    for ax in list(fig.axes):
        fig.delaxes(ax)
    fig.clear()


def canvas(fig=None, figsize=(7, 3.2)):
    """``fig`` emptied (a new figure when None) for axes placed at fixed positions
    (``fig.add_axes``): constrained layout would measure every label on every slider
    move, which is too slow for a live picture."""
    fig = new_figure(figsize) if fig is None else fig
    clear_figure(fig)
    fig.set_layout_engine("none")
    return fig


def slider(spec, name):
    """A widget from a spec: (min, max, step, value) -> FloatSlider (IntSlider if all
    are ints); a list of options -> Dropdown; a bool -> Checkbox; a widget is kept."""
    if isinstance(spec, widgets.Widget):
        return spec
    if isinstance(spec, bool):
        return widgets.Checkbox(value=spec, description=name)
    if isinstance(spec, list):
        return widgets.Dropdown(options=spec, value=spec[0], description=name)
    if not (isinstance(spec, tuple) and len(spec) == 4):
        raise ValueError(f"slider {name!r}: expected (min, max, step, value), a list or a bool, got {spec!r}")
    lo, hi, step, value = spec
    if not lo <= value <= hi:
        raise ValueError(f"slider {name!r}: start value {value} is outside [{lo}, {hi}]")
    kind = widgets.IntSlider if all(isinstance(v, int) for v in spec) else widgets.FloatSlider
    return kind(min=lo, max=hi, step=step, value=value, description=name, continuous_update=True)


def sliders(update, figsize=(7, 3.2), **specs):
    """Build one slider per keyword and redraw ``update``'s figure on every change.

    Example: ``sliders(update_apple, price=(50, 200, 10, 100), count=(0, 5, 1, 2))``.
    Returns the widget box (the notebook cell displays it).
    """
    controls = {name: slider(spec, name) for name, spec in specs.items()}
    fig = new_figure(figsize)
    out = widgets.Output()

    def redraw(_change=None):
        values = {name: w.value for name, w in controls.items()}
        with out:
            out.clear_output(wait=True)  # wait: the old picture stays until the new one arrives
            clear_figure(fig)
            display(Image(data=png(update(fig=fig, **values))))

    for w in controls.values():
        w.observe(redraw, names="value")
    _first_picture(out, update, fig, {name: w.value for name, w in controls.items()})
    return widgets.VBox([widgets.HBox(list(controls.values()), layout={"flex_flow": "row wrap"}), out])


def _first_picture(out, update, fig, values):
    """Put the first picture into ``out`` as widget state instead of capturing it while the cell
    runs: nbclient (Voilà, nbconvert) answers captured output on the shell channel and can then
    miss the cell's reply and wait forever (jupyter/nbclient#312)."""
    printed, warned = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(warned):
        result = update(fig=fig, **values)
    if get_ipython() is None:  # plain Python: no front end shows the widget anyway
        return
    data = {"image/png": base64.b64encode(png(result)).decode("ascii"), "text/plain": repr(result)}
    streams = [
        {"output_type": "stream", "name": name, "text": text.getvalue()}
        for name, text in [("stdout", printed), ("stderr", warned)]
        if text.getvalue()
    ]
    out.outputs = (*streams, {"output_type": "display_data", "data": data, "metadata": {}})


def png(fig):
    """The figure as PNG bytes, drawn once. (Jupyter's own display trims the margins with
    ``bbox_inches="tight"``, which draws the figure twice; slider figures have fixed layouts.)"""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def update_demo(fig=None, slope=1.0):
    """The start-here picture: the line y = slope * x. Prints the slope it drew."""
    import numpy as np

    fig = fig or new_figure((5, 2.6))
    ax = fig.add_subplot()
    x = np.linspace(-2, 2, 21)
    ax.plot(x, slope * x, color="tab:blue")
    ax.set(xlim=(-2, 2), ylim=(-6, 6), xlabel="x", ylabel="y", title=f"y = {slope:.1f} · x")
    ax.grid(alpha=0.3)
    print(say("slope = {slope}: at x = 2 the line is at y = {y}", slope=f"{slope:.1f}", y=f"{2 * slope:.1f}"))
    return fig
