"""Is a picture legible? Every text readable: none printed over another, no line through one, none too small.

``problems(fig)`` draws the figure and measures, in pixels of the PNG a notebook shows: the box of
every visible text (titles, labels, tick labels, numbers on arrows), and every line a reader sees
(plotted lines, gridlines, arrows, the edges of circles and bars). It returns one sentence per
problem: two texts that overlap, a line that crosses a text, a text smaller than ``MIN_PIXELS``,
a text cut off at the picture's edge.
The tests run it on every picture of the course, at several slider positions, in both languages.
"""

from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

MIN_PIXELS = 9  # the smallest text height (font size in pixels) a reader should have to read
SLACK = 1.0  # pixels: boxes that only touch do not overlap


def problems(fig):
    """Sentences naming every legibility problem of ``fig`` (empty when it reads well)."""
    texts, lines = _drawn(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [(t, _box(t.get_window_extent(renderer))) for t in texts]
    found = []
    width, height = fig.canvas.get_width_height()
    for t, box in boxes:
        size = t.get_fontsize() * fig.dpi / 72
        if size < MIN_PIXELS:
            found.append(f"{t.get_text()!r} is {size:.1f} px high (at least {MIN_PIXELS})")
        if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height:
            found.append(f"{t.get_text()!r} is cut off at the edge of the picture")
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            if _overlap(box_a, box_b):
                found.append(f"{a.get_text()!r} overlaps {b.get_text()!r}")
    covers = {t: _covers(t, fig) for t in texts}
    grid = {line for ax in fig.axes for line in [*ax.get_xgridlines(), *ax.get_ygridlines()]}
    for artist in lines:
        points = _points(artist)
        for t, box in boxes:
            # a gridline stops at a text's opaque box (but a curve or an arrow must go around it)
            hidden = artist in grid and any(z > artist.get_zorder() for z in covers[t])
            if not hidden and _crosses(points, box):
                where = f"at ({box[0]:.0f}, {box[1]:.0f}) px"
                found.append(f"a line ({type(artist).__name__}) crosses {t.get_text()!r} {where}")
    return found


def _covers(text, fig):
    """The z-orders of the opaque boxes a text sits on (its own background box, a legend's
    frame): a line drawn below them is hidden there, and does not cross the text."""
    found = []
    patch = text.get_bbox_patch()
    if patch is not None and patch.get_facecolor()[3] == 1:
        found.append(text.get_zorder())
    for legend in fig.findobj(lambda a: a.__class__.__name__ == "Legend"):
        frame = legend.get_frame()
        if text in legend.get_texts() and frame.get_facecolor()[3] == 1 and frame.get_visible():
            found.append(legend.get_zorder())
    return found


def _drawn(fig):
    """The texts (non-empty) and the lines and patches (with an edge) that drawing ``fig`` draws,
    the dynamic artists of a Picture included, found by watching the draw."""
    drawn = []
    classes = {cls for a in fig.findobj() for cls in type(a).__mro__ if "draw" in vars(cls)}
    originals = {cls: vars(cls)["draw"] for cls in classes}

    def watch(original):
        def draw(artist, renderer, *args, **kwargs):
            if artist.get_visible() and artist not in drawn:
                drawn.append(artist)
            return original(artist, renderer, *args, **kwargs)

        return draw

    marked = [a for a in fig.findobj() if a.get_animated()]
    try:
        for cls, original in originals.items():
            cls.draw = watch(original)
        for artist in marked:
            artist.set_animated(False)
        fig.canvas.draw()
    finally:
        for cls, original in originals.items():
            cls.draw = original
        for artist in marked:
            artist.set_animated(True)
    texts = [a for a in drawn if isinstance(a, Text) and a.get_text().strip()]
    backgrounds = {fig.patch, *(ax.patch for ax in fig.axes)}
    lines = [
        a
        for a in drawn
        if (isinstance(a, Line2D) and a.get_linestyle() not in ("None", " ", "") and len(a.get_xdata()))
        or (
            isinstance(a, Patch)
            and a not in backgrounds
            and a.get_linewidth() > 0
            and a.get_edgecolor()[3] > 0
        )
    ]
    return texts, lines


def _points(artist):
    """The artist's line (or edge) in display pixels, without what its axes clip away."""
    path = artist.get_transform().transform_path(artist.get_path()).interpolated(8)
    points = path.vertices
    clip = artist.get_clip_box() if artist.get_clip_on() else None
    if clip is not None:
        points = points[[clip.contains(x, y) for x, y in points]]
    return points


def _box(bbox):
    return (bbox.x0 + SLACK, bbox.y0 + SLACK, bbox.x1 - SLACK, bbox.y1 - SLACK)


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _crosses(points, box):
    """Whether the polyline through ``points`` enters the box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0:
        return False
    for (px, py), (qx, qy) in zip(points[:-1], points[1:], strict=True):
        if max(px, qx) < x0 or min(px, qx) > x1 or max(py, qy) < y0 or min(py, qy) > y1:
            continue
        # clip the segment to the box (Liang-Barsky): it crosses if anything is left
        t0, t1, dx, dy = 0.0, 1.0, qx - px, qy - py
        for p, q in ((-dx, px - x0), (dx, x1 - px), (-dy, py - y0), (dy, y1 - py)):
            if p == 0:
                if q < 0:
                    break
                continue
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
            if t0 > t1:
                break
        else:
            return True
    return False
