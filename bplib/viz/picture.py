"""Pictures that keep up with a slider: laid out once per shape, redrawn by changing only what moved.

An update function draws into a ``Picture``, a matplotlib Figure that remembers what it holds::

    fig = canvas(fig, (6, 3), key="chain")            # while the key stays the same: the same
    ax = axes(fig, (0.1, 0.1, 0.8, 0.8))              # figure, axes and artists as last time
    curve = part(ax, "curve", lambda: dynamic(ax.plot([], [])[0]))   # made once, then changed
    curve.set_data(xs, ys)

Artists marked ``dynamic`` change from one slider position to the next; everything else is static.
``png(fig)`` draws the static artists once into a cached background, and then, move after move, only
the dynamic ones over a copy of it (blitting), and encodes the PNG quickly. ``full_png(fig)`` draws
everything from scratch: the tests check that both give the same picture. A new ``key`` (another
shape, e.g. more nodes) clears the figure; a static change under the same key needs
``invalidate(fig)``.

A Picture's text (its ``repr``, which a notebook stores as ``text/plain``) describes it in words:
``describe(fig, part, text)`` sets the words of one part, e.g. one graph's values and gradients.
"""

import struct
import zlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.text import Text


class Picture(Figure):
    """A Figure that keeps its parts and a cached background between slider moves, and reads as
    a description in words (``repr``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        FigureCanvasAgg(self)  # drawn off screen, into pixels that png() can copy and encode
        self.key = None  # what shape of picture it holds (see canvas)
        self.descriptions = {}  # part -> words; the repr joins them in order
        self._background = None  # (size, the canvas's copy of the static artists)
        self._sprites = {}  # id(text) -> {its look: its pixels over the background}

    def __repr__(self):
        if not self.descriptions:
            return super().__repr__()
        return "\n".join(text for text in self.descriptions.values() if text)


def _show_pictures_as_png():
    """In a Jupyter kernel, show a Picture as its fast PNG and any other Figure (also ones pyplot
    does not know) as PNG; a Picture's text is its description."""
    from IPython import get_ipython
    from IPython.core.pylabtools import select_figure_formats

    shell = get_ipython()
    if shell is not None and hasattr(shell, "kernel"):
        select_figure_formats(shell, {"png"})
        shell.display_formatter.formatters["image/png"].for_type(Picture, _shown_once)


def _shown_once(fig):
    """A Picture shown as a cell's output: its PNG, then its pixel buffers let go (IPython keeps the
    figure in ``Out``; a learner's kernel need not keep its pixels too). Drawn again if reshown."""
    data = png(fig)
    agg = fig.canvas
    agg.__dict__.pop("renderer", None)
    agg._lastKey = None  # matplotlib makes a new renderer on the next draw
    fig._background, fig._sprites = None, {}
    return data


def new_figure(figsize=(7, 3.2), dpi=80):
    """A Picture not registered with pyplot (nothing piles up, nothing leaks), laid out by
    matplotlib's constrained layout: for pictures drawn once."""
    return Picture(figsize=figsize, dpi=dpi, layout="constrained")


def clear_figure(fig):
    """Empty ``fig`` for redrawing. Removing the axes first is cheaper than letting
    ``fig.clear()`` tidy each one up (about 5 ms per axes)."""
    for ax in list(fig.axes):
        fig.delaxes(ax)
    fig.clear()
    if isinstance(fig, Picture):
        fig.key, fig.descriptions = None, {}
        invalidate(fig)


def canvas(fig=None, figsize=(7, 3.2), key=None):
    """A figure for axes placed at fixed positions (``axes``): no layout engine, which would measure
    every label on every move. ``fig`` is None: a new Picture of ``figsize``. ``fig`` already holds
    a picture of the same ``key``: it is returned as it is, for its parts to be changed. Otherwise
    (or when ``key`` is None) it is emptied first."""
    fig = new_figure(figsize) if fig is None else fig
    if key is None or getattr(fig, "key", None) != key:
        clear_figure(fig)
        fig.set_layout_engine("none")
        fig.key = key
    return fig


def axes(fig, rect):
    """The axes of ``fig`` at ``rect`` (left, bottom, width, height in figure fractions), made once."""
    for ax in fig.axes:
        if getattr(ax, "_bplib_rect", None) == rect:
            return ax
    ax = fig.add_axes(rect)
    ax._bplib_rect = rect
    return ax


def part(owner, name, make):
    """The artist (or anything) called ``name`` of ``owner`` (axes or figure): ``make()``'s result,
    made on the first call and kept."""
    parts = owner.__dict__.setdefault("_bplib_parts", {})
    if name not in parts:
        parts[name] = make()
    return parts[name]


ON_TOP = 5  # above every static artist (frames 2.5, texts 3, node labels 4): dynamic ones come last


def dynamic(*artists):
    """Mark artists as changing with the sliders (drawn on every move, over the static ones);
    returns the first one."""
    for artist in artists:
        artist.set_animated(True)
        artist.set_zorder(max(artist.get_zorder(), ON_TOP))
    return artists[0] if artists else None


def invalidate(fig):
    """Forget the cached background: a static artist changed."""
    if isinstance(fig, Picture):
        fig._background = None


def describe(fig, part_name, text):
    """The words for one part of the picture (its repr joins the parts in the order first set)."""
    if isinstance(fig, Picture):
        fig.descriptions[part_name] = text


def _dynamic_artists(fig):
    """(owner, artist) of every dynamic artist, in drawing order: the figure's, then each axes'."""
    found = []
    for owner in [fig, *fig.axes]:
        marked = [a for a in owner.get_children() if a.get_animated()]
        found += [(owner, a) for a in sorted(marked, key=lambda a: a.get_zorder())]
    return found


def png(fig):
    """The figure as PNG bytes, drawn fast: static artists from the cached background, dynamic ones
    drawn over them. A figure with a layout engine (drawn once) is drawn whole."""
    if not isinstance(fig, Picture) or not isinstance(
        fig.get_layout_engine(), (type(None), PlaceHolderLayoutEngine)
    ):
        return full_png(fig)
    agg = fig.canvas
    size = (agg.get_width_height(), fig.dpi)
    if fig._background is None or fig._background[0] != size:
        agg.draw()  # every static artist (dynamic ones are left out of a plain draw)
        fig._background = (size, agg.copy_from_bbox(fig.bbox))
        fig._sprites = {}  # drawn over the old background: stale
    else:
        agg.restore_region(fig._background[1])
    _draw_dynamic(fig, agg)
    return _encode(agg)


SPRITES = 64  # rendered texts kept per dynamic text: a slider dragged back and forth finds them again


def _draw_dynamic(fig, agg):
    """Draw the dynamic artists over the background. A text drawn before, at the same place with
    the same words and style, over nothing but the background, is pasted back from its pixels
    (a "sprite"): drawing a text is most of a redraw's cost, pasting it almost none."""
    renderer, drawn = agg.get_renderer(), []
    for owner, artist in _dynamic_artists(fig):
        if not isinstance(artist, Text) or not artist.get_visible() or not artist.get_text():
            owner.draw_artist(artist)
            if artist.get_visible():
                drawn.append(artist.get_window_extent(renderer).extents)
            continue
        look = (artist.get_text(), artist.get_color(), artist.get_fontsize(), artist.get_position(),
                artist.get_horizontalalignment(), artist.get_verticalalignment())  # fmt: skip
        sprites = fig._sprites.setdefault(id(artist), {})
        box, pixels = sprites.get(look) or (artist.get_window_extent(renderer).padded(1), None)
        alone = not any(_overlap(box.extents, other) for other in drawn)
        if alone and pixels is not None:
            agg.restore_region(pixels)
        else:
            owner.draw_artist(artist)
            if alone:
                if len(sprites) >= SPRITES:
                    sprites.pop(next(iter(sprites)))
                sprites[look] = (box, agg.copy_from_bbox(box))
        drawn.append(box.extents)


def _overlap(a, b):
    """Whether two (x0, y0, x1, y1) boxes overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def full_png(fig):
    """The figure as PNG bytes, every artist drawn from scratch (the slow path, and the reference)."""
    marked = [a for _, a in _dynamic_artists(fig)]
    for artist in marked:
        artist.set_animated(False)
    try:
        fig.canvas.draw()
        return _encode(fig.canvas)
    finally:
        for artist in marked:
            artist.set_animated(True)
        invalidate(fig)


def _encode(agg):
    """The canvas's pixels as an RGB PNG, no filter, zlib's fastest level: several times faster
    than Pillow's encoder, and about as small for these mostly white pictures."""
    rgb = np.asarray(agg.buffer_rgba())[..., :3]  # a white figure needs no alpha
    height, width, _ = rgb.shape
    rows = np.empty((height, 1 + 3 * width), np.uint8)
    rows[:, 0] = 0  # each row's filter byte: none
    rows[:, 1:] = rgb.reshape(height, -1)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    body = zlib.compress(rows.tobytes(), 1)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


_show_pictures_as_png()
