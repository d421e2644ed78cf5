"""One learner's Jupyter kernel, driven the way JupyterLab drives it: run a notebook, move its sliders.

Shared by ``bench/kernel_memory.py`` (one chapter at a time, its memory) and
``bench/classroom.py`` (many learners at once). Not a test and not part of bplib.

- ``Learner.start()`` starts a kernel with ``jupyter_client`` (``OPENBLAS_NUM_THREADS=1``, as
  ``conftest.py`` sets for the suite; ``BPLIB_MNIST_DIR`` passed on), in the notebook's folder.
- ``Learner.run_notebook(path)`` executes its code cells in order (skipping ``NBVAL_SKIP`` /
  ``skip-execution`` cells, as nbval does) and collects the widget models the kernel opens
  (``comm_open`` messages of ipywidgets).
- ``Learner.move(slider, value)`` sends what ipywidgets 8's front end sends when a learner drags
  a slider: a ``comm_msg`` ``{"method": "update", "state": {"value": v}, "buffer_paths": []}``
  to the slider's model. The front end keeps at most one such message in flight per model and
  holds back (coalesces) later values until the kernel reports ``idle`` for it
  (``WidgetModel._pending_msgs`` / ``_msg_buffer`` in @jupyter-widgets/base); so does ``move``.
- A move's latency runs from sending its message to the kernel's message carrying the new
  picture, whichever form it takes: an ``Output`` widget's ``display_data`` with a PNG, or a
  ``comm_msg`` update of an ``Image`` model's ``value`` buffer.
- ``memory()`` and ``cpu_seconds()`` read /proc for the kernel process (Linux).
"""

import asyncio
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

ROOT = Path(__file__).resolve().parent.parent
# widget models a learner moves to redraw a picture, and the models that hold a picture
VALUE_MODELS = {
    "IntSliderModel",
    "FloatSliderModel",
    "FloatLogSliderModel",
    "SelectionSliderModel",
    "DropdownModel",
    "CheckboxModel",
    "ToggleButtonsModel",
}
PICTURE_MODELS = {"OutputModel", "ImageModel"}
CLK_TCK = os.sysconf("SC_CLK_TCK")


def notebook_path(chapter, language="en"):
    """The chapter's notebook (``chapter`` 0..6), in ``notebooks/`` or ``notebooks/zh/``."""
    folder = ROOT / "notebooks" / ("zh" if language == "zh" else "")
    found = sorted(folder.glob(f"{int(chapter):02d}_*.ipynb"))
    if not found:
        raise SystemExit(f"no notebook for chapter {chapter} in {folder}")
    return found[0]


def code_cells(path):
    """The notebook's code cells to run, as nbval runs them: all but NBVAL_SKIP / skip-execution."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    out = []
    for cell in cells:
        source = "".join(cell["source"])
        tags = cell.get("metadata", {}).get("tags", [])
        skip = "skip-execution" in tags or any(line.strip() == "# NBVAL_SKIP" for line in source.splitlines())
        if cell["cell_type"] == "code" and not skip:
            out.append((source, "raises-exception" in tags))
    return out


def read_status(pid):
    """VmHWM (peak RSS) and VmRSS from /proc/<pid>/status, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0]) / 1024
    return values


def read_rollup(pid):
    """RSS, PSS, private (USS = Private_Clean + Private_Dirty) and anonymous memory, in MB.

    Anonymous pages are the kernel's own (its Python objects and arrays); the rest of the RSS
    is file-backed (libraries, a memory-mapped MNIST cache) and is held once by the server
    however many kernels map it. A file page mapped by this kernel alone counts as private
    until another kernel maps it too.
    """
    kb = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        kb[key] = int(rest.split()[0])
    return {
        "rss": kb["Rss"] / 1024,
        "pss": kb["Pss"] / 1024,
        "uss": (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024,
        "anon": kb["Anonymous"] / 1024,
    }


def cpu_seconds(pid):
    """User + system CPU seconds the process has used (/proc/<pid>/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


@dataclass
class Slider:
    """A value widget (its model id and state) and the picture model of its panel."""

    model_id: str
    state: dict
    picture: str

    def positions(self):
        """The values a learner drags it through: its range in steps (at most 12 positions)."""
        s, name = self.state, self.state["_model_name"]
        if name in ("IntSliderModel", "FloatSliderModel", "FloatLogSliderModel"):
            lo, hi, step = s["min"], s["max"], s.get("step") or 1
            count = int(round((hi - lo) / step)) + 1
            stride = max(1, count // 12)
            values = [lo + k * step for k in range(0, count, stride)]
            return [int(v) if name == "IntSliderModel" else round(v, 10) for v in values]
        if name in ("SelectionSliderModel", "DropdownModel", "ToggleButtonsModel"):
            return list(range(len(s.get("_options_labels", [])))) or [s.get("index", 0)]
        return [True, False]

    @property
    def key(self):
        """The state key a move sets: ``index`` for selection widgets, ``value`` otherwise."""
        name = self.state["_model_name"]
        return "index" if name in ("SelectionSliderModel", "DropdownModel", "ToggleButtonsModel") else "value"


@dataclass
class Move:
    slider: str
    sent: float  # perf_counter when the message left
    made: float  # perf_counter when the learner moved (earlier when the front end held it back)
    picture: float | None = None  # when the picture arrived
    idle: float | None = None  # when the kernel reported idle for it


@dataclass
class Learner:
    """One kernel, one learner. ``await start()``, ``await run_notebook(path)``, ``await stop()``."""

    name: str = "learner"
    env: dict = field(default_factory=dict)
    models: dict = field(default_factory=dict)  # comm id -> state, every widget model opened
    errors: list = field(default_factory=list)  # unexpected errors while running the notebook
    moves: list = field(default_factory=list)

    async def start(self, cwd=ROOT / "notebooks"):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", **self.env}
        # IPC sockets in a private folder: no TCP ports, and ipykernel then has no warning to print
        self._sockets = tempfile.TemporaryDirectory(prefix="bplib-kernel-")
        self.km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=f"{self._sockets.name}/k")
        await self.km.start_kernel(env=env, cwd=str(cwd))
        self.pid = self.km.provisioner.process.pid
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=60)
        self._waiting = {}  # parent msg id -> callback(msg)
        self._pending = {}  # slider model id -> Move in flight
        self._held = {}  # slider model id -> (value, made) held back by the throttle
        self._reader = asyncio.create_task(self._read_iopub())

    async def stop(self):
        """Shut the kernel down (killed if it does not stop within 5 s)."""
        if getattr(self, "_reader", None):
            self._reader.cancel()
        if getattr(self, "kc", None):
            self.kc.stop_channels()
        if getattr(self, "km", None) and self.km.has_kernel:
            try:
                await asyncio.wait_for(self.km.shutdown_kernel(now=False), 5)
            except (asyncio.TimeoutError, RuntimeError):
                await self.km.shutdown_kernel(now=True)
        if getattr(self, "_sockets", None):
            self._sockets.cleanup()

    async def _read_iopub(self):
        while True:
            msg = await self.kc.get_iopub_msg()
            received = time.perf_counter()
            kind, content = msg["msg_type"], msg["content"]
            if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                self.models[content["comm_id"]] = content["data"]["state"]
            parent = msg["parent_header"].get("msg_id")
            callback = self._waiting.get(parent)
            if callback is not None:
                callback(msg, received)

    async def execute(self, code, timeout=600):
        """Run code; return the error name if it raised (None otherwise)."""
        done, error = asyncio.get_running_loop().create_future(), []

        def on_msg(msg, _received):
            if msg["msg_type"] == "error":
                error.append(msg["content"]["ename"] + ": " + msg["content"]["evalue"][:200])
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                if not done.done():
                    done.set_result(None)

        msg_id = self.kc.execute(code, store_history=False, allow_stdin=False)
        self._waiting[msg_id] = on_msg
        try:
            await asyncio.wait_for(done, timeout)
        finally:
            del self._waiting[msg_id]
        return error[0] if error else None

    async def run_notebook(self, path, after_cell=None):
        """Execute the notebook's code cells in order; note errors that were not expected.
        ``after_cell(source)``, if given, is called after each cell."""
        for source, may_raise in code_cells(path):
            error = await self.execute(source)
            if error and not may_raise:
                self.errors.append(error)
            if after_cell is not None:
                after_cell(source)

    def sliders(self):
        """Value widgets that sit in a box together with a picture (candidates for moving)."""
        parent = {}
        for model_id, state in self.models.items():
            for child in state.get("children", []):
                parent[child.removeprefix("IPY_MODEL_")] = model_id
        found = []
        for model_id, state in self.models.items():
            if state["_model_name"] not in VALUE_MODELS:
                continue
            box = parent.get(model_id)
            while box is not None:
                pictures = [
                    c.removeprefix("IPY_MODEL_")
                    for c in self.models[box].get("children", [])
                    if self.models.get(c.removeprefix("IPY_MODEL_"), {}).get("_model_name") in PICTURE_MODELS
                ]
                if pictures:
                    found.append(Slider(model_id, state, pictures[-1]))
                    break
                box = parent.get(box)
        return found

    def move(self, slider, value, made=None):
        """A learner sets ``slider`` to ``value``; sent now, or held back while one is in flight."""
        made = time.perf_counter() if made is None else made
        if slider.model_id in self._pending:
            self._held[slider.model_id] = (slider, value, made)
            return None
        return self._send(slider, value, made)

    def _send(self, slider, value, made):
        data = {"method": "update", "state": {slider.key: value}, "buffer_paths": []}
        msg = self.kc.session.msg("comm_msg", {"comm_id": slider.model_id, "data": data})
        move = Move(slider.model_id, time.perf_counter(), made)
        self._pending[slider.model_id] = move
        self.moves.append(move)

        def on_msg(reply, received):
            kind, content = reply["msg_type"], reply["content"]
            if move.picture is None and _is_picture(kind, content, self.models):
                move.picture = received
            elif kind == "status" and content["execution_state"] == "idle":
                move.idle = received
                del self._waiting[msg["header"]["msg_id"]]
                del self._pending[slider.model_id]
                held = self._held.pop(slider.model_id, None)
                if held is not None:
                    self._send(*held)

        self._waiting[msg["header"]["msg_id"]] = on_msg
        self.kc.shell_channel.send(msg)
        return move

    async def settle(self, timeout=30):
        """Wait until no move is in flight or held back."""
        end = time.perf_counter() + timeout
        while (self._pending or self._held) and time.perf_counter() < end:
            await asyncio.sleep(0.02)

    async def probe(self, sliders):
        """The sliders whose move really redraws a picture (one move each, to its next position)."""
        live = []
        for slider in sliders:
            positions = slider.positions()
            current = slider.state.get(slider.key)
            after = [p for p in positions if p != current] or positions
            move = self.move(slider, after[0])
            await self.settle()
            if move is not None and move.picture is not None:
                live.append(slider)
        self.moves.clear()
        return live

    def memory(self):
        """Peak RSS (VmHWM) and the current RSS, PSS, private and anonymous memory, in MB."""
        return {"peak_rss": read_status(self.pid)["VmHWM"], **read_rollup(self.pid)}

    def cpu_seconds(self):
        return cpu_seconds(self.pid)


def _is_picture(kind, content, models):
    """A message that carries a new picture: PNG display data, or an Image model's new value."""
    if kind in ("display_data", "execute_result"):
        return "image/png" in content.get("data", {})
    if kind == "comm_msg":
        data = content.get("data", {})
        is_image = models.get(content.get("comm_id"), {}).get("_model_name") == "ImageModel"
        return is_image and data.get("method") == "update" and ["value"] in data.get("buffer_paths", [])
    return False


class MemorySampler:
    """Samples a kernel's memory (``read_rollup``) every ``period`` s in the background; keeps the
    sample with the largest RSS and the largest anonymous memory."""

    def __init__(self, pid, period=0.25):
        self.pid, self.period, self.peak = pid, period, {}

    async def run(self):
        while True:
            try:
                now = read_rollup(self.pid)
            except (FileNotFoundError, ProcessLookupError):
                return
            for key, value in now.items():
                self.peak[key] = max(self.peak.get(key, 0.0), value)
            await asyncio.sleep(self.period)
