"""From a key press on a slider to the new picture on the screen: JupyterLab and Chromium, chapters 0-5.

For each chapter (both editions with ``--language both``), the script opens the notebook in
JupyterLab as a learner does, runs all cells, and then, on several sliders, presses arrow keys at a
person's pace. For each press it measures, in the browser, the time from the key press to the new
picture being painted (the picture's ``img`` decoded and the next animation frame drawn), and, in
the kernel, the time the kernel spent on that move (from its busy to its idle status, read from the
kernel's own messages by a second client on the same kernel). It prints the median and maximum of
both and their difference: the cost of the way to the screen. Then it drags a slider across its
range for one second, as a mouse does (each slider it pressed), and reports the most pictures
painted during one drag and the longest time from a release to the last position's picture.

    .venv/bin/python bench/browser_sliders.py                   # chapters 0-5, English
    .venv/bin/python bench/browser_sliders.py --language both --presses 8

Needs Debian's Chromium and PyPI's playwright (requirements-test.txt), as the browser test does; the
JupyterLab set-up is the browser test's own (tests/test_browser.py), loaded from its file.
"""

import argparse
import importlib.util
import statistics
import tempfile
import threading
import time
from pathlib import Path

from jupyter_client import BlockingKernelClient

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = [
    "00_start_here",  # one slider whose kernel work is 2-4 ms: the way to the screen alone
    "01_computational_graph",
    "02_chain_rule",
    "03_node_backprop",
    "04_activation_layers",
    "05_affine_softmax",
]


def _load(name, path):
    """A module of the test suite, loaded from its file (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Timestamps, in the page's clock: every key press, and every time a slider picture is painted.
WATCH_JS = """() => {
    if (window.__bench) return;
    const bench = window.__bench = {presses: [], paints: [], releases: []};
    document.addEventListener('keydown', e => bench.presses.push(e.timeStamp), true);
    document.addEventListener('pointerup', e => bench.releases.push(e.timeStamp), true);
    new MutationObserver(changes => {
        for (const change of changes) {
            const img = change.target;
            if (!img.classList || !img.classList.contains('widget-image')) continue;
            const painted = () => requestAnimationFrame(() => bench.paints.push(performance.now()));
            img.decode().catch(() => null).then(painted);
        }
    }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['src']});
}"""


class KernelWatch:
    """A second client on the notebook's kernel that records how long the kernel was busy with each
    widget message (comm_msg), from its own status messages."""

    def __init__(self, connection_file):
        self.client = BlockingKernelClient()
        self.client.load_connection_file(connection_file)
        self.client.start_channels(shell=False, stdin=False, control=False, hb=False)
        self.busy, self.durations, self.stop = {}, [], False
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def _listen(self):
        while not self.stop:
            try:
                msg = self.client.iopub_channel.get_msg(timeout=0.2)
            except Exception:
                continue
            parent = msg.get("parent_header", {})
            if msg["msg_type"] != "status" or parent.get("msg_type") != "comm_msg":
                continue
            state, when = msg["content"]["execution_state"], msg["header"]["date"]
            if state == "busy":
                self.busy[parent["msg_id"]] = when
            elif state == "idle" and parent["msg_id"] in self.busy:
                started = self.busy.pop(parent["msg_id"])
                self.durations.append((when - started).total_seconds() * 1000)

    def close(self):
        self.stop = True
        self.thread.join()
        self.client.stop_channels()


def _kernel_file(bt, lab, runtime):
    """The connection file of the one open notebook's kernel."""
    sessions = bt._api(lab, "/api/sessions")
    return str(runtime / f"kernel-{sessions[0]['kernel']['id']}.json")


def press(page, handle, presses, pause):
    """Press an arrow key ``presses`` times on a slider, each time waiting for its picture to be
    painted; return the milliseconds from each press to its picture."""
    times = []
    for k in range(presses):
        value, low, top = (
            float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax")
        )
        back = value >= top or ((k // 4) % 2 and value > low)  # four steps one way, four back
        painted = page.evaluate("() => window.__bench.paints.length")
        handle.press("ArrowLeft" if back else "ArrowRight")
        if float(handle.get_attribute("aria-valuenow")) == value:
            continue  # a slider with nowhere to go: no new picture
        page.wait_for_function("(n) => window.__bench.paints.length > n", arg=painted, polling="raf")
        pressed, shown = page.evaluate("() => [window.__bench.presses.at(-1), window.__bench.paints.at(-1)]")
        times.append(shown - pressed)
        time.sleep(pause)
    return times


def drag(page, handle, seconds=1.0, steps=60):
    """Drag the slider's handle from one end of its track to the other over ``seconds``; return
    (pictures painted during the drag, ms from the release to the last picture)."""
    handle.scroll_into_view_if_needed()  # pressing the other sliders may have scrolled it away
    track = handle.locator("xpath=ancestor::div[contains(@class, 'noUi-target')][1]").bounding_box()
    start = handle.bounding_box()
    y = start["y"] + start["height"] / 2
    page.mouse.move(start["x"] + start["width"] / 2, y)
    page.mouse.down()
    before = page.evaluate("() => window.__bench.paints.length")
    for k in range(1, steps + 1):
        page.mouse.move(track["x"] + track["width"] * k / steps, y)
        time.sleep(seconds / steps)
    during = page.evaluate("() => window.__bench.paints.length") - before
    page.mouse.up()
    settled = None  # wait until no picture has been painted for 500 ms
    while settled is None or time.monotonic() - settled[1] < 0.5:
        count = page.evaluate("() => window.__bench.paints.length")
        if settled is None or count != settled[0]:
            settled = (count, time.monotonic())
        time.sleep(0.05)
    released, last = page.evaluate("() => [window.__bench.releases.at(-1), window.__bench.paints.at(-1)]")
    return during, max(0.0, last - released)


def run(args):
    bt = _load("browser_test", "tests/test_browser.py")  # its JupyterLab server and page helpers
    chromium_args = _load("test_conftest", "tests/conftest.py").CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    server, lab = bt.start_lab(tmp)
    url, token = lab.url, lab.token
    results = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=bt.CHROMIUM, args=chromium_args)
            page, _ = bt._new_page(browser)
            page.goto(f"{url}/lab?reset&token={token}")
            page.locator(".jp-DirListing-content").wait_for()
            languages = ("en", "zh") if args.language == "both" else (args.language,)
            for lang in languages:
                for chapter in CHAPTERS:
                    if args.only not in chapter:
                        continue
                    path = Path(f"{chapter}.ipynb") if lang == "en" else Path("zh") / f"{chapter}.ipynb"
                    bt._open_notebook(page, lab, path)
                    bt._run_all(page)
                    watch = KernelWatch(_kernel_file(bt, lab, tmp / "runtime"))
                    try:
                        page.evaluate(WATCH_JS)
                        handles = page.locator(f"{bt.PANEL} .widget-slider .noUi-handle")
                        e2e = []
                        for i in range(min(handles.count(), args.sliders)):
                            handle = handles.nth(i)
                            handle.scroll_into_view_if_needed()
                            handle.focus()
                            e2e += press(page, handle, args.presses, args.pause)
                        time.sleep(0.3)
                        kernel = list(watch.durations)
                        # every slider pressed above is dragged too: a slider of a few positions
                        # (a step counter) shows only those; the row reports the busiest drag and
                        # the longest wait after a release
                        drags = [
                            drag(page, handles.nth(i)) for i in range(min(handles.count(), args.sliders))
                        ]
                        during, after = max(d for d, _ in drags), max(a for _, a in drags)
                    finally:
                        watch.close()
                    results.append((lang, chapter, e2e, kernel, during, after))
                    report_row(*results[-1])
                    bt._close_notebook(page, lab, path.name)
            browser.close()
    finally:
        bt._stop_server(server)
    summary(results)


def report_row(lang, chapter, e2e, kernel, during, after):
    if not hasattr(report_row, "done"):
        head = (
            f"{'':3}{'chapter':<24}{'presses':>8}{'press->paint median':>21}{'max':>7}{'kernel median':>15}"
        )
        print(head + f"{'max':>7}{'beyond kernel':>15}{'drag: pictures':>16}{'release->last':>15}")
        report_row.done = True
    k = statistics.median(kernel) if kernel else float("nan")
    print(
        f"{lang:<3}{chapter:<24}{len(e2e):>8}{statistics.median(e2e):>18.1f} ms{max(e2e):>7.1f}"
        f"{k:>12.1f} ms{max(kernel, default=float('nan')):>7.1f}{statistics.median(e2e) - k:>12.1f} ms"
        f"{during:>12} in 1 s{after:>12.0f} ms",
        flush=True,
    )


def summary(results):
    e2e = [t for r in results for t in r[2]]
    kernel = [t for r in results for t in r[3]]
    beyond = statistics.median(e2e) - statistics.median(kernel)
    print(f"\nall: {len(e2e)} presses; press -> painted median {statistics.median(e2e):.1f} ms,", end=" ")
    print(f"max {max(e2e):.1f} ms; kernel median {statistics.median(kernel):.1f} ms;", end=" ")
    print(f"beyond the kernel {beyond:.1f} ms (goal <= 25 ms)")
    print(
        f"drags: {min(r[4] for r in results)}-{max(r[4] for r in results)} pictures painted in 1 s; "
        f"release -> last picture max {max(r[5] for r in results):.0f} ms (goal <= 100 ms)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="en", choices=("en", "zh", "both"))
    parser.add_argument("--presses", type=int, default=6, help="key presses per slider (default 6)")
    parser.add_argument("--sliders", type=int, default=3, help="sliders per chapter (default 3)")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between presses (default 0.2)")
    parser.add_argument("--only", default="", help="only chapters whose name contains this")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
