"""What a learner sees: every notebook run in JupyterLab in a real browser, a chapter per edition in Voilà.

Both editions, the English one in notebooks/ and the Chinese one in notebooks/zh/ (same file names),
go through the same steps. For each notebook: open it from the file browser (its folder first),
Edit → Clear Outputs of All Cells, Run → Run All Cells, wait until every cell is done, fail on any
error or stderr output (except in cells tagged ``raises-exception``), then in every cell with
sliders press an arrow key three times on the first slider (and click the first button, if the
cell has one) and check that its picture changed. In Voilà, one chapter of each edition (chapter 1
in English, chapter 7 in Chinese): open it
from the app's home page, wait for it to run, check that no code and no error shows, move its
first slider. Screenshots go to $BROWSER_SHOTS (or a temporary folder), named after the edition
and the notebook; the run prints the folder.

Run alone with ``pytest -m browser``. Needs Debian's Chromium and PyPI's playwright, no
downloaded browser; every request that leaves 127.0.0.1 is blocked.
"""

import contextlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The course's editions: the folder each one's notebooks are in (`make lab` and `make app` serve
# notebooks/, so both are there). The zh/ notebooks have the English ones' file names.
EDITIONS = {"en": ROOT / "notebooks", "zh": ROOT / "notebooks" / "zh"}
NOTEBOOKS = [(edition, nb) for edition, folder in EDITIONS.items() for nb in sorted(folder.glob("*.ipynb"))]
CHROMIUM = shutil.which("chromium")
HAS_PLAYWRIGHT = importlib.util.find_spec("playwright") is not None
MISSING = [
    name for name, ok in [("chromium", CHROMIUM is not None), ("playwright", HAS_PLAYWRIGHT)] if not ok
]
HOW = (
    "enable it with `apt-get install -y chromium` and `.venv/bin/python -m pip install -r "
    "requirements-test.txt` (`make test` does the latter; never `playwright install`: the test "
    "drives the system's Chromium)"
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(bool(MISSING), reason=f"browser test needs {' and '.join(MISSING)}: {HOW}"),
]

LOCAL = ("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:")
VIEWPORT = {"width": 1280, "height": 900}
MAX_SHOT_HEIGHT = 15000  # px; Chromium cannot capture much taller pages

# Timeouts are ceilings for waiting on a condition, never sleeps.
STEP_MS = 60_000  # one UI step: a page load, a menu, a dialog, one redraw
RUN_ALL_MS = 180_000  # one notebook's Run All Cells (training is the slowest chapter)
SERVER_S = 90  # a server's start-up
VOILA_STALL_MS = 60_000  # Voilà still on the same cell: it has stopped (see VOILA_DONE_JS)

LAB_SETTINGS = {
    # Without it JupyterLab 4 asks "Select Kernel" and Run All Cells does nothing.
    # windowingMode "none": every cell is in the page at once. The default renders cells
    # lazily, and a count taken too early saw 52 of 05's 57 cells (1 run in ~10).
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True, "windowingMode": "none"},
    # Never write the course's notebooks back to disk.
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
}

STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'  # errors and warnings
PANEL = "#jp-main-dock-panel .jp-NotebookPanel"  # the test keeps one notebook open at a time

# The picture a slider drives: the nearest enclosing element (inside its cell) that holds a widget
# Image (the slider kit's picture) or Output (the training panel's); its images (or, without images,
# its text) are what must change.
PICTURE = ".widget-image, .widget-output"
SNAPSHOT_JS = f"""(h) => {{
    const stop = h.closest('.jp-Cell') || document.body;
    let box = h.parentElement;
    while (box !== stop && !box.querySelector('{PICTURE}')) box = box.parentElement;
    const imgs = [...box.querySelectorAll('img')].map(i => i.getAttribute('src'));
    return imgs.length ? 'img:' + imgs.join('|') : 'text:' + box.textContent;
}}"""

# Redrawn = differs from `before` and has not changed for `quiet` ms while the kernel is idle.
REDRAWN_JS = f"""([h, before, quiet]) => {{
    const now = ({SNAPSHOT_JS})(h);
    if (now === before) return false;
    if (window.__browserTestLast !== now) {{
        window.__browserTestLast = now;
        window.__browserTestSince = performance.now();
        return false;
    }}
    const status = document.querySelector('{PANEL} .jp-Notebook-ExecutionIndicator')?.dataset.status;
    return (status ?? 'idle') === 'idle' && performance.now() - window.__browserTestSince > quiet;
}}"""

# Run All is done: kernel idle, no [*] left, and every code cell numbered or an error stopped the run.
DONE_JS = f"""() => {{
    const nb = document.querySelector('{PANEL}');
    if (!nb || nb.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status !== 'idle') return false;
    const prompts = [...nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent);
    if (prompts.some(p => p.includes('*'))) return false;
    return prompts.every(p => /\\[\\d+\\]/.test(p)) || nb.querySelector('{STDERR}') !== null;
}}"""

CELLS_JS = f"""() => [...document.querySelectorAll('{PANEL} .jp-Cell')].map(c => ({{
    code: c.classList.contains('jp-CodeCell'),
    prompt: c.querySelector('.jp-InputPrompt')?.textContent.trim() ?? '',
    errors: [...c.querySelectorAll('{STDERR}')].map(e => e.textContent.slice(0, 600)),
    text: [...c.querySelectorAll('.jp-OutputArea-output')].map(e => e.textContent).join('\\n'),
    sliders: c.querySelectorAll('.widget-slider .noUi-handle').length,
}}))"""

# The notebook's kernel has started and is idle. (The toolbar says "idle" before there is a kernel.)
KERNEL_READY_JS = f"""() => {{
    const status = document.querySelector('{PANEL} .jp-Notebook-ExecutionIndicator')?.dataset.status;
    const items = [...document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem')];
    return status === 'idle' && items.some(e => /^(?!No Kernel).+ \\| Idle$/.test(e.textContent.trim()));
}}"""

# How far (px) the last cell reaches below the visible part of the scrolled `s`, after the layout
# has settled (two animation frames after a resize).
MISSING_JS = """async (s) => {
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const e = document.querySelector(s);
    const cells = e ? e.querySelectorAll('.jp-Cell') : [];
    if (!cells.length) return 0;
    e.scrollTop = 0;
    const bottom = cells[cells.length - 1].getBoundingClientRect().bottom;
    return Math.ceil(bottom - e.getBoundingClientRect().bottom) + 16;
}"""

# Voilà: "shown" once the cells are shown; the loading text ("Executing 36 of 49") once it has not
# changed for `stall` ms.
VOILA_DONE_JS = """(stall) => {
    const cells = document.getElementById('rendered_cells');
    if (cells && cells.style.display !== 'none') return 'shown';
    const text = document.getElementById('loading_text')?.textContent ?? '';
    if (window.__browserTestLoading !== text) {
        window.__browserTestLoading = text;
        window.__browserTestLoadingSince = performance.now();
        return false;
    }
    return performance.now() - window.__browserTestLoadingSince > stall ? text : false;
}"""

# For a timeout message: the kernel's status and every code cell's prompt, e.g. "idle 1 2 3 * _ _".
PROMPTS_JS = f"""() => {{
    const nb = document.querySelector('{PANEL}');
    if (!nb) return 'no notebook open';
    const status = nb.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
    const prompts = [...nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
        .map(e => e.textContent.replace(/[\\[\\]:\\s]/g, '') || '_');
    return `kernel ${{status}}; prompts ${{prompts.join(' ')}}`;
}}"""

# The file browser (JupyterLab's, and Voilà's home page) shows the folder `dir` ('' for notebooks/
# itself): each item's tooltip names its folder ("Path: zh"), with no "Path:" line at the top.
LISTING_JS = """(dir) => {
    const items = [...document.querySelectorAll('.jp-DirListing-content .jp-DirListing-item')];
    return items.length > 0 && items.every(i => (/\\nPath: ([^\\n]*)/.exec(i.title)?.[1] ?? '') === dir);
}"""


# --- servers ---------------------------------------------------------------------------------


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(cmd, tmp, name, ready_url):
    """Start a server in its own process group, log to tmp/<name>.log, return once it answers."""
    env = os.environ | {
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
    }
    log = tmp / f"{name}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + SERVER_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with code {proc.returncode}; its log: {log}")
        try:
            urllib.request.urlopen(ready_url, timeout=2).close()
            return proc
        except OSError:
            time.sleep(0.3)
    _stop_server(proc)
    raise RuntimeError(f"{name} did not answer within {SERVER_S} s; its log: {log}")


def _stop_server(proc):
    """Stop the server and whatever it started in its process group, by its PID."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)


def _api(server, path, method="GET"):
    request = urllib.request.Request(
        f"{server.url}{path}", method=method, headers={"Authorization": f"token {server.token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        body = reply.read()
    return json.loads(body) if body else None


def _root_flag():
    return ["--allow-root"] if os.geteuid() == 0 else []


def start_lab(tmp):
    """JupyterLab on notebooks/, as `make lab` serves it, with its own settings and runtime folders
    under ``tmp``; returns its process and (url, token, log). Also used by bench/browser_sliders.py."""
    (tmp / "app-settings").mkdir()
    (tmp / "app-settings" / "overrides.json").write_text(json.dumps(LAB_SETTINGS, indent=1))
    port, token = _free_port(), secrets.token_hex(16)
    url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable, "-m", "jupyterlab", "notebooks", "--no-browser", "--ip=127.0.0.1",
        f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly", f"--LabApp.app_settings_dir={tmp / 'app-settings'}",
        f"--LabApp.user_settings_dir={tmp / 'user-settings'}",
        f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
        f"--FileCheckpoints.checkpoint_dir={tmp / 'checkpoints'}",  # not notebooks/.ipynb_checkpoints
        *_root_flag(),
    ]  # fmt: skip
    proc = _start_server(cmd, tmp, "jupyterlab", f"{url}/api/status?token={token}")
    return proc, SimpleNamespace(url=url, token=token, log=tmp / "jupyterlab.log")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    proc, server = start_lab(tmp_path_factory.mktemp("lab"))
    yield server
    _stop_server(proc)


# --- browser (the `browser` fixture, Chromium itself, is in conftest.py) -----------------------


def _new_page(browser):
    """A page in a fresh context that may only talk to 127.0.0.1; returns it and the blocked URLs."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(STEP_MS)
    blocked = []

    def only_local(route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    return page, blocked


@pytest.fixture(scope="module")
def lab_page(lab, browser):
    page, blocked = _new_page(browser)
    page.goto(f"{lab.url}/lab?reset&token={lab.token}")
    page.locator(".jp-DirListing-content").wait_for()
    yield SimpleNamespace(page=page, blocked=blocked)
    page.context.close()


def _menu(page, menu, item):
    """Click a main-menu entry as a person does: the menu, then the item."""
    page.get_by_role("menuitem", name=menu, exact=True).click()
    page.get_by_role("menuitem", name=item, exact=isinstance(item, str) or None).click()


def _full_shot(page, path, scroller):
    """Screenshot all cells: grow the viewport until the last cell in `scroller` is in view."""
    try:
        for _ in range(6):  # cells rendered only once in view can change the height: measure again
            missing = page.evaluate(MISSING_JS, scroller)
            height = min(page.viewport_size["height"] + missing, MAX_SHOT_HEIGHT)
            if missing <= 0 or height == page.viewport_size["height"]:
                break
            page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
        page.screenshot(path=path)
    finally:
        page.set_viewport_size(VIEWPORT)


class _Clock:
    """Append how long each step took to steps.log in the screenshot folder: where the time goes."""

    def __init__(self, folder, name):
        self.log, self.name, self.last = folder / "steps.log", name, time.monotonic()

    def __call__(self, step):
        now = time.monotonic()
        with open(self.log, "a", encoding="utf-8") as out:
            out.write(f"{now - self.last:6.1f} s  {self.name}: {step}\n")
        self.last = now


def _failure_shot(page, path):
    try:
        page.screenshot(path=path, timeout=15_000)
        return path
    except Exception as e:  # the page may be gone or still loading; the report must still come through
        return f"(no screenshot: {e})"


def _use_widgets(page, area, what, shot_before, shot_after):
    """As a learner: press an arrow key three times on the first slider in `area`, then its first
    button if it has one (a panel that draws on a click, such as Train). Return the picture before
    and after; fail if it did not change."""
    from playwright.sync_api import expect

    handle = area.locator(".widget-slider .noUi-handle").first
    buttons = area.locator("button.widget-button")
    button = buttons.first if buttons.count() else None
    area.screenshot(path=shot_before)
    before = handle.evaluate(SNAPSHOT_JS)
    value, top = handle.get_attribute("aria-valuenow"), handle.get_attribute("aria-valuemax")
    key = "ArrowLeft" if float(value) >= float(top) else "ArrowRight"
    handle.focus()
    for _ in range(3):
        handle.press(key)
    expect(handle).not_to_have_attribute("aria-valuenow", value)  # the keyboard moved the slider
    done = f"moved a slider from {value} to {handle.get_attribute('aria-valuenow')}"
    if button is not None:
        done += f", pressed {button.inner_text().strip()!r}"
        button.click()
    page.evaluate("() => { window.__browserTestLast = null; }")
    try:
        page.wait_for_function(
            REDRAWN_JS,
            arg=[handle.element_handle(), before, 800],
            polling=100,
            timeout=RUN_ALL_MS if button is not None else STEP_MS,  # a button may train a network
        )
    except Exception as e:
        raise AssertionError(f"{what}: {done}; the picture did not change") from e
    area.screenshot(path=shot_after)
    return before, handle.evaluate(SNAPSHOT_JS)


def _listed(page, path, open_folder):
    """The file browser's item for notebooks/<path>, reached as a learner does from the folder the
    browser shows: each folder on the way opened with `open_folder` ("dblclick" in JupyterLab,
    "click" on Voilà's home page)."""
    item = lambda name: page.locator(".jp-DirListing-item").get_by_text(name, exact=True)  # noqa: E731
    folder = ""
    for part in path.parent.parts:
        page.wait_for_function(LISTING_JS, arg=folder, polling=100)
        getattr(item(part), open_folder)()
        folder = f"{folder}/{part}" if folder else part
    page.wait_for_function(LISTING_JS, arg=folder, polling=100)  # not the same names one folder up
    return item(path.name)


# --- JupyterLab: every notebook ------------------------------------------------------------------


def _open_notebook(page, lab, path):
    """Open notebooks/<path>: the file browser's top folder (its home icon), then the folders, then
    a double click on the notebook; return once its kernel is idle."""
    page.locator(".jp-BreadCrumbs-home").click()  # the previous notebook may have been in zh/
    page.locator('[data-command="filebrowser:refresh"]').click()  # notebooks added after start-up
    _listed(page, path, "dblclick").dblclick()
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text=path.name).wait_for()
    page.locator(f"{PANEL} .jp-Cell").first.wait_for()
    try:
        page.wait_for_function(KERNEL_READY_JS, polling=100)  # Run All before this runs nothing
    except Exception as e:
        dialogs = page.locator(".jp-Dialog").all_inner_texts()
        raise AssertionError(f"the notebook's kernel did not start; dialogs open: {dialogs}") from e
    opened = [session["path"] for session in _api(lab, "/api/sessions")]
    assert opened == [path.as_posix()], f"JupyterLab opened {opened}, not {path.as_posix()}"


def _run_all(page):
    _menu(page, "Edit", "Clear Outputs of All Cells")  # so stored outputs cannot pass for new ones
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('{PANEL} .jp-CodeCell .jp-InputPrompt')]
                  .every(e => !/\\d|\\*/.test(e.textContent))"""
    )
    _menu(page, "Run", "Run All Cells")
    try:
        page.wait_for_function(DONE_JS, timeout=RUN_ALL_MS, polling=250)
    except Exception as e:
        state = page.evaluate(PROMPTS_JS)
        raise AssertionError(f"Run All Cells did not finish in {RUN_ALL_MS // 1000} s: {state}") from e


def _problems(shown, cells):
    """What a learner would see go wrong, one line per cell."""
    if len(shown) != len(cells):
        return [f"the page shows {len(shown)} cells, the file has {len(cells)}"]
    problems, not_run = [], []
    for i, (dom, cell) in enumerate(zip(shown, cells, strict=True)):
        first_line = "".join(cell["source"]).strip().split("\n")[0][:60]
        where = f"cell {i} ({first_line!r})"
        if dom["errors"] and "raises-exception" not in cell.get("metadata", {}).get("tags", []):
            problems.append(f"{where} shows error/stderr output:\n{dom['errors'][0]}")
        if dom["code"] and not re.fullmatch(r"\[\d+\]:", dom["prompt"]):
            not_run.append(i)
        if "Error displaying widget" in dom["text"] or re.search(r"\b[HV]Box\(children=", dom["text"]):
            problems.append(f"{where} shows a widget as text instead of sliders: {dom['text'][:200]!r}")
    if not_run:
        problems.append(f"{len(not_run)} code cells did not run, the first is cell {not_run[0]}")
    return problems


def _close_notebook(page, lab, name):
    """File → Close and Shut Down Notebook; fall back to the REST API and a fresh page."""
    try:
        page.keyboard.press("Escape")  # any menu left open by a failure
        _menu(page, "File", re.compile(r"^Close and Shut Down Notebook"))
        page.locator(".jp-Dialog .jp-mod-accept").click()
        page.locator(PANEL).wait_for(state="detached")
    except Exception:
        page.goto(f"{lab.url}/lab?reset&token={lab.token}")
        page.locator(".jp-DirListing-content").wait_for()
    deadline = time.monotonic() + STEP_MS / 1000
    while (sessions := _api(lab, "/api/sessions")) and time.monotonic() < deadline:
        time.sleep(0.2)
    for session in sessions:  # the menu did not shut the kernel down in time
        _api(lab, f"/api/sessions/{session['id']}", method="DELETE")
    return not sessions


def test_both_editions_have_every_notebook():
    """The Chinese edition has each English notebook, under the same file name, and no other."""
    names = {edition: [path.name for e, path in NOTEBOOKS if e == edition] for edition in EDITIONS}
    assert names["en"] and names["zh"] == names["en"]


@pytest.mark.parametrize(("edition", "notebook"), NOTEBOOKS, ids=lambda p: getattr(p, "stem", p))
def test_notebook_runs_and_its_sliders_redraw(lab, lab_page, browser_shots, edition, notebook):
    page, name, path = lab_page.page, notebook.name, notebook.relative_to(ROOT / "notebooks")
    lab_page.blocked.clear()  # report what this notebook asked for
    shot = lambda label: browser_shots / f"{edition}-{notebook.stem}-{label}.png"  # noqa: E731
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    wants_sliders = any("sliders(" in "".join(c["source"]) for c in cells if c["cell_type"] == "code")
    closed, clock = False, _Clock(browser_shots, f"{edition}-{notebook.stem}")
    try:
        _open_notebook(page, lab, path)
        clock("open")
        _run_all(page)
        clock("run all")
        shown = page.evaluate(CELLS_JS)
        _full_shot(page, shot("1-after-run-all"), f"{PANEL} .jp-WindowedPanel-outer")
        clock("full screenshot")
        problems = _problems(shown, cells)
        assert not problems, "\n".join(problems)

        slider_cells = [i for i, dom in enumerate(shown) if dom["sliders"]]
        assert slider_cells or not wants_sliders, "the notebook calls sliders(...) but no slider is shown"
        for n, i in enumerate(slider_cells, 1):
            cell = page.locator(f"{PANEL} .jp-Cell").nth(i)
            before, after = _use_widgets(
                page, cell, f"cell {i}", shot(f"slider{n}-before"), shot(f"slider{n}-after")
            )
            assert before != after
            clock(f"slider in cell {i}")
            if n == 1:  # the learner's view of the first slider, for the README
                cell.evaluate("c => c.scrollIntoView({block: 'center'})")
                page.screenshot(path=shot("slider1-view"))
        _full_shot(page, shot("2-after-sliders"), f"{PANEL} .jp-WindowedPanel-outer")
        clock("full screenshot")
        assert not lab_page.blocked, f"JupyterLab asked the internet for {lab_page.blocked}"
        closed = _close_notebook(page, lab, name)
        clock("close and shut down")
        assert closed, f"closing {name} did not shut its kernel down"
    except Exception as e:
        shot_path = _failure_shot(page, shot("FAILED"))
        if not closed:
            with contextlib.suppress(Exception):  # leave a clean JupyterLab for the next notebook
                _close_notebook(page, lab, name)
        raise AssertionError(f"{path}: {e}\nscreenshot: {shot_path}\nserver log: {lab.log}") from e


# --- Voilà: one chapter as an app -------------------------------------------------------------


# As an app: the first chapter in English, the last (autograd) in Chinese
VOILA_CHAPTERS = {"en": "01_computational_graph.ipynb", "zh": "07_autograd.ipynb"}


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    """Voilà on notebooks/, as `make app` serves it (both editions: zh/ is a folder on its home page)."""
    if importlib.util.find_spec("voila") is None:
        pytest.skip("voila is not installed: `.venv/bin/pip install voila` (it serves `make app`)")
    tmp_path = tmp_path_factory.mktemp("voila")
    port, token = _free_port(), secrets.token_hex(16)
    url = f"http://127.0.0.1:{port}"
    cmd = [
        sys.executable, "-m", "voila", "notebooks", "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}",
        "--Voila.port_retries=0", f"--token={token}", f"--Voila.connection_dir_root={tmp_path}",
    ]  # fmt: skip
    proc = _start_server(cmd, tmp_path, "voila", f"{url}/?token={token}")
    yield SimpleNamespace(url=url, token=token, log=tmp_path / "voila.log")
    _stop_server(proc)


@pytest.mark.parametrize("edition", EDITIONS)
def test_voila_app_hides_code_and_redraws_a_slider(voila, browser, browser_shots, edition):
    notebook = EDITIONS[edition] / VOILA_CHAPTERS[edition]
    path = notebook.relative_to(ROOT / "notebooks")
    shot = lambda label: browser_shots / f"voila-{edition}-{notebook.stem}-{label}.png"  # noqa: E731
    page, blocked = _new_page(browser)
    try:
        page.goto(f"{voila.url}/?token={voila.token}")  # the app's home page lists the notebooks
        item = _listed(page, path, "click")  # a click on a folder shows it in the same tab
        with page.context.expect_page() as opened:
            item.click()
        page.close()
        page = opened.value  # a click on a notebook opens it in a new tab
        assert page.url.split("?")[0].endswith(f"/render/{path.as_posix()}"), f"Voilà opened {page.url}"
        # Voilà runs the whole notebook ("Executing 3 of 40"), then shows the cells and the widgets.
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        state = page.wait_for_function(VOILA_DONE_JS, arg=VOILA_STALL_MS, timeout=RUN_ALL_MS, polling=250)
        state = state.json_value()
        if state != "shown":  # "Executing 36 of 49": 36 cells are done, cells[36] runs
            done = int(m.group(1)) if (m := re.search(r"(\d+) of", state)) else 0
            source = "".join(cells[done]["source"]) if done < len(cells) else "?"
            raise AssertionError(
                f"Voilà stayed at {state!r} for {VOILA_STALL_MS // 1000} s, running cell {done}:\n"
                f"{source[:300]}\nIf that cell makes sliders, this is nbclient's lost reply "
                "(jupyter/nbclient#312): Voilà's executor can miss a cell's reply when an Output "
                "widget is written while the cell runs"
            )
        handle = page.locator(".widget-slider .noUi-handle").first
        handle.wait_for()
        page.locator(".widget-image").first.wait_for()
        _full_shot(page, shot("1-rendered"), "#rendered_cells")

        may_raise = {
            f"cell-id={c.get('id')}" for c in cells if "raises-exception" in c["metadata"].get("tags", [])
        }
        errors = page.evaluate(
            f"""() => [...document.querySelectorAll('{STDERR}')]
                    .map(e => [e.closest('.jp-Cell')?.id, e.textContent.slice(0, 600)])"""
        )
        errors = [text for cell_id, text in errors if cell_id not in may_raise]
        assert not errors, f"Voilà shows error/stderr output:\n{errors[0]}"
        assert page.locator(".jp-CodeCell").count(), "Voilà shows no code cells' outputs"
        assert page.locator(".jp-CodeCell .jp-InputArea").count() == 0, "Voilà shows code"

        area = handle.locator("xpath=ancestor::div[contains(@class, 'jp-Cell')][1]")
        before, after = _use_widgets(
            page, area, "Voilà's first slider", shot("slider-before"), shot("slider-after")
        )
        assert before != after
        _full_shot(page, shot("2-after-slider"), "#rendered_cells")
    except Exception as e:
        shot_path = _failure_shot(page, shot("FAILED"))
        raise AssertionError(f"Voilà, {path}: {e}\nscreenshot: {shot_path}\nserver log: {voila.log}") from e
    finally:
        page.context.close()
    # Known and harmless: Voilà's pages ask a CDN for Font Awesome icons; nothing else may leave.
    others = [u for u in blocked if not re.search(r"font-?awesome", u)]
    assert not others, f"Voilà asked the internet for {others}"
