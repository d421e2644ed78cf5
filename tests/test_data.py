"""bplib.data: downloads from a real local HTTP "mirror", checksums, the offline message, loading.

The real MNIST files come from ``$BPLIB_SHARED_MNIST`` (default ``<repo>/../shared/data/mnist``);
tests that need them are skipped, saying so, when they are absent. Only the small label
files are downloaded in most tests; one test downloads all four files end to end.
"""

import contextlib
import gzip
import hashlib
import io
import json
import logging
import mmap
import os
import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from bplib import data
from bplib.data import MNIST_FILES, MnistUnavailableError, fetch_mnist, load_mnist, mnist_dir, read_idx

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BPLIB_SHARED_MNIST") or ROOT.parent / "shared" / "data" / "mnist")
SHARED_FASHION = Path(
    os.environ.get("BPLIB_SHARED_FASHION_MNIST") or ROOT.parent / "shared" / "data" / "fashion-mnist"
)
LABELS = "train-labels-idx1-ubyte.gz"
SMALL = ["train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]

needs_mnist = pytest.mark.skipif(
    not all((SHARED / name).is_file() for name in MNIST_FILES),
    reason=f"the four MNIST .gz files are not in {SHARED} (set BPLIB_SHARED_MNIST to their folder)",
)

# A tiny mirror: serves <root>/<folder>/<file>; /truncate/<file> sends the good file's full
# Content-Length but only half the bytes; /cut/<file> sends half with no length, then closes.
SERVER = r"""
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

root = Path(sys.argv[1])

class Handler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        kind, _, name = self.path.strip("/").partition("/")
        if kind not in ("truncate", "cut"):
            return super().do_GET()
        body = (root / "good" / name).read_bytes()
        self.send_response(200)
        if kind == "truncate":
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.close_connection = True

server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
print(server.server_address[1], flush=True)
server.serve_forever()
"""


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    """Base URLs of a local HTTP server: good, corrupt, truncate, cut, empty (404), dead (no server)."""
    if not (SHARED / LABELS).is_file():
        pytest.skip(f"MNIST files not found in {SHARED} (set BPLIB_SHARED_MNIST)")
    root = tmp_path_factory.mktemp("mirror")
    (root / "good").mkdir()
    (root / "corrupt").mkdir()
    (root / "empty").mkdir()
    for name in MNIST_FILES:
        if (SHARED / name).is_file():
            (root / "good" / name).symlink_to(SHARED / name)
    for name in SMALL:
        raw = bytearray((SHARED / name).read_bytes())
        raw[len(raw) // 2] ^= 0xFF  # same size, one byte wrong
        (root / "corrupt" / name).write_bytes(bytes(raw))
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        port = int(proc.stdout.readline())
        with socket.socket() as s:  # a port where nothing listens: bind, then close without listening
            s.bind(("127.0.0.1", 0))
            dead = s.getsockname()[1]
        base = f"http://127.0.0.1:{port}/"
        urls = {k: base + k + "/" for k in ("good", "corrupt", "truncate", "cut", "empty")}
        urls["dead"] = f"http://127.0.0.1:{dead}/"
        yield urls
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


@pytest.fixture(scope="module", autouse=True)
def user_cache(tmp_path_factory):
    """The user's cache folder (where a cache of the read-only shared files goes) in a temporary
    folder for these tests, instead of ~/.cache/bplib."""
    folder = tmp_path_factory.mktemp("user-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(data, "_user_cache", lambda spec: folder / spec.folder)
        yield folder


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def assert_intact(folder, names):
    for name in names:
        assert sha256(folder / name) == MNIST_FILES[name][0], name


# ---------------------------------------------------------------- downloads


@pytest.fixture(scope="module")
def downloaded(mirror, tmp_path_factory):
    """All four files downloaded from the local mirror into an empty cache: (cache, stdout, log records)."""
    import pooch

    cache = tmp_path_factory.mktemp("cache") / "mnist"  # does not exist yet
    records = []
    recorder = logging.Handler(logging.DEBUG)
    recorder.emit = records.append
    pooch.get_logger().addHandler(recorder)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            paths = fetch_mnist(cache, mirrors=[mirror["good"]])
    finally:
        pooch.get_logger().removeHandler(recorder)
    assert paths == {name: cache / name for name in MNIST_FILES}
    return cache, out.getvalue(), records


@needs_mnist
def test_download_all_four_into_an_empty_cache(downloaded):
    cache, out, records = downloaded
    assert sorted(os.listdir(cache)) == sorted(MNIST_FILES)
    assert_intact(cache, MNIST_FILES)
    assert records == []  # pooch's log lines (stderr, which nbval compares) are kept quiet
    lines = out.splitlines()
    assert len(lines) == 4 and all(line.startswith("Downloading MNIST file") for line in lines)
    assert str(cache) in lines[0]


def test_a_corrupt_download_is_refused_and_nothing_is_left(mirror, tmp_path):
    with pytest.raises(MnistUnavailableError) as info:
        fetch_mnist(tmp_path, mirrors=[mirror["corrupt"]], files=[LABELS])
    message = str(info.value)
    assert "SHA-256 did not match" in message and mirror["corrupt"] + LABELS in message
    assert os.listdir(tmp_path) == []  # no file under the real name, no temporary file either


@pytest.mark.parametrize("kind", ["truncate", "cut"])
def test_a_truncated_download_is_refused_and_nothing_is_left(mirror, tmp_path, kind):
    with pytest.raises(MnistUnavailableError) as info:
        fetch_mnist(tmp_path, mirrors=[mirror[kind]], files=[LABELS])
    reason = "connection closed before" if kind == "truncate" else "SHA-256 did not match"
    assert reason in str(info.value)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("first", ["dead", "empty", "corrupt", "truncate"])
def test_a_failing_first_mirror_falls_through_to_the_next(mirror, tmp_path, first, capsys):
    fetch_mnist(tmp_path, mirrors=[mirror[first], mirror["good"]], files=SMALL)
    assert sorted(os.listdir(tmp_path)) == sorted(SMALL)
    assert_intact(tmp_path, SMALL)
    assert len(capsys.readouterr().out.splitlines()) == 2  # one line per file, not per mirror


def test_offline_with_an_empty_cache_names_the_files_and_the_folder(mirror, tmp_path, capsys):
    cache = tmp_path / "mnist"
    with pytest.raises(MnistUnavailableError) as info:
        fetch_mnist(cache, mirrors=[mirror["dead"], mirror["empty"]])
    message = str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert f"in the folder {cache}" in message and "BPLIB_MNIST_DIR" in message
    for name, (digest, size) in MNIST_FILES.items():
        assert f"{name}  ({size:,} bytes, sha256 {digest})" in message
    assert "could not connect" in message and "HTTP 404" in message
    # the dead mirror is tried once, then skipped for the other three files
    assert message.count("skipped (could not connect earlier)") == 3
    assert os.listdir(cache) == []
    capsys.readouterr()
    with pytest.raises(MnistUnavailableError):
        fetch_mnist(cache, mirrors=[mirror["dead"]])
    # one "Downloading" line for the first try, none once every mirror is known to be unreachable
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_a_damaged_file_in_the_cache_is_fetched_again(mirror, tmp_path, capsys):
    damaged = (SHARED / LABELS).read_bytes()[:1000]  # a truncated copy
    (tmp_path / LABELS).write_bytes(damaged)
    fetch_mnist(tmp_path, mirrors=[mirror["good"]], files=[LABELS])
    assert_intact(tmp_path, [LABELS])
    assert f"Downloading MNIST file {LABELS}" in capsys.readouterr().out


def test_a_damaged_file_that_cannot_be_replaced_is_reported_as_damaged(mirror, tmp_path):
    (tmp_path / LABELS).write_bytes(b"not mnist")
    with pytest.raises(MnistUnavailableError, match=r"train-labels-idx1-ubyte\.gz \(damaged"):
        fetch_mnist(tmp_path, mirrors=[mirror["empty"]], files=[LABELS])


def test_a_folder_that_cannot_be_created_gives_a_clear_error(mirror, tmp_path):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(MnistUnavailableError, match="cannot write to the folder"):
        fetch_mnist(tmp_path / "a-file" / "mnist", mirrors=[mirror["good"]], files=[LABELS])


def test_mirrors_come_from_the_env_var_or_the_module_constant(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("BPLIB_MNIST_MIRRORS", f"{mirror['dead']} {mirror['good']}")
    fetch_mnist(tmp_path / "a", files=[LABELS])
    assert_intact(tmp_path / "a", [LABELS])
    monkeypatch.delenv("BPLIB_MNIST_MIRRORS")
    monkeypatch.setattr(data, "MNIST_MIRRORS", (mirror["good"].rstrip("/"),))  # no trailing slash
    fetch_mnist(tmp_path / "b", files=[LABELS])
    assert_intact(tmp_path / "b", [LABELS])


def test_paddlepaddles_mirror_is_tried_last_and_reached_through_the_list(
    mirror, tmp_path, monkeypatch, capsys
):
    china = "https://dataset.bj.bcebos.com/mnist/"  # paddle.dataset.mnist's, reachable from mainland China
    assert data.MNIST_MIRRORS[-1] == china and data.MNIST_MIRRORS.count(china) == 1
    # The real list seen from a network where only the last mirror answers: each entry is
    # replaced, in order, by a local one; all but the last fail (no server, or HTTP 404).
    failing = [mirror["dead"], mirror["empty"]]
    stand_ins = [failing[i % 2] for i in range(len(data.MNIST_MIRRORS) - 1)] + [mirror["good"]]
    monkeypatch.delenv("BPLIB_MNIST_MIRRORS", raising=False)
    monkeypatch.setattr(data, "MNIST_MIRRORS", tuple(stand_ins))
    fetch_mnist(tmp_path, files=SMALL)
    assert sorted(os.listdir(tmp_path)) == sorted(SMALL)
    assert_intact(tmp_path, SMALL)  # checked by the same SHA-256 as every other mirror
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_the_folder_comes_from_the_argument_the_env_var_or_the_repository(tmp_path, monkeypatch):
    monkeypatch.delenv("BPLIB_MNIST_DIR", raising=False)
    assert mnist_dir() == ROOT / "data" / "mnist"  # editable install: data/ beside bplib/
    monkeypatch.setenv("BPLIB_MNIST_DIR", str(tmp_path))
    assert mnist_dir() == tmp_path.resolve()
    assert mnist_dir(tmp_path / "x") == (tmp_path / "x").resolve()


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="unknown dataset 'kmnist'"):
        load_mnist(dataset="kmnist")
    with pytest.raises(ValueError, match="not MNIST files"):
        fetch_mnist(files=["train-images.gz"])


def test_importing_bplib_does_not_load_the_download_machinery():
    code = "import sys, bplib.data; print(sorted({'pooch', 'requests'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------- the IDX format


def write_gz(path, raw):
    path.write_bytes(gzip.compress(raw))
    return path


def test_read_idx_reads_a_small_file(tmp_path):
    header = bytes([0, 0, 8, 2]) + (2).to_bytes(4, "big") + (3).to_bytes(4, "big")
    a = read_idx(write_gz(tmp_path / "ok.gz", header + bytes(range(6))))
    assert a.dtype == np.uint8 and a.tolist() == [[0, 1, 2], [3, 4, 5]]


@pytest.mark.parametrize(
    "raw, match",
    [
        (bytes([1, 0, 8, 1]) + (3).to_bytes(4, "big") + b"abc", "two zero bytes"),
        (bytes([0, 0, 0x0D, 1]) + (3).to_bytes(4, "big") + b"abc", "data type 0x0d"),
        (bytes([0, 0, 8, 3]) + (3).to_bytes(4, "big"), "cut short"),
        (bytes([0, 0, 8, 1]) + (4).to_bytes(4, "big") + b"abc", r"shape \(4,\) \(4 bytes\) but holds 3"),
    ],
)
def test_read_idx_names_a_malformed_header(tmp_path, raw, match):
    with pytest.raises(ValueError, match=match):
        read_idx(write_gz(tmp_path / "bad.gz", raw))


def test_read_idx_names_a_file_that_is_not_complete_gzip(tmp_path):
    (tmp_path / "plain.gz").write_bytes(b"\0\0\x08\x01\0\0\0\x01x")
    with pytest.raises(ValueError, match="not a complete gzip file"):
        read_idx(tmp_path / "plain.gz")
    whole = gzip.compress(bytes([0, 0, 8, 1]) + (1000).to_bytes(4, "big") + bytes(1000))
    (tmp_path / "cut.gz").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ValueError, match="cut.gz: not a complete gzip file"):
        read_idx(tmp_path / "cut.gz")


# ---------------------------------------------------------------- loading


@pytest.fixture(scope="module")
def default_load(downloaded):
    """The default load, from the freshly downloaded cache; a dead mirror shows nothing is fetched."""
    with contextlib.redirect_stdout(io.StringIO()) as out:
        loaded = load_mnist(data_dir=downloaded[0], mirrors=["http://127.0.0.1:9/"])
    assert out.getvalue() == ""
    return loaded


@pytest.fixture(scope="module")
def raw_load():
    return load_mnist(normalize=False, flatten=False, one_hot_label=True, data_dir=SHARED)


@needs_mnist
def test_default_load_is_normalised_flat_with_integer_labels(default_load):
    (x, t), (xt, tt) = default_load
    assert x.shape == (60000, 784) and xt.shape == (10000, 784)
    assert x.dtype == xt.dtype == np.float32
    assert x.min() == 0.0 and x.max() == 1.0 and xt.min() == 0.0 and xt.max() == 1.0
    assert t.shape == (60000,) and tt.shape == (10000,) and t.dtype == tt.dtype == np.int64
    assert t[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert tt[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(t).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(tt).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@needs_mnist
def test_raw_load_is_uint8_images_with_one_hot_labels(default_load, raw_load):
    (x, t), (xt, tt) = default_load
    (xr, tr), (xtr, ttr) = raw_load
    assert xr.shape == (60000, 1, 28, 28) and xtr.shape == (10000, 1, 28, 28)
    assert xr.dtype == xtr.dtype == np.uint8 and xr.max() == 255 and xr.min() == 0
    assert tr.shape == (60000, 10) and ttr.shape == (10000, 10) and tr.dtype == ttr.dtype == np.float64
    assert np.all(tr.sum(axis=1) == 1) and np.array_equal(tr.argmax(axis=1), t)
    assert np.array_equal(ttr.argmax(axis=1), tt)
    # the same pixels, scaled as the book does (astype(float32) then /= 255); test split only, for speed
    assert np.array_equal(xt, xtr.reshape(10000, 784).astype(np.float32) / np.float32(255))
    assert xr[0, 0, 5, 12:16].tolist() == [3, 18, 18, 18]  # first image, row 5: where the 5 begins


def idx_gz(path, array):
    """``array`` (uint8) written as a gzipped IDX file, the format of the MNIST files."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return write_gz(path, header + array.tobytes())


@dataclass
class Fake:
    folder: Path  # the four .gz files
    user_cache: Path  # stands in for ~/.cache/bplib/mnist
    splits: dict  # split -> (images (n, 28, 28) uint8, labels (n,)), as written

    @property
    def cache(self):
        return data.cache_path(self.folder)

    def normalised(self, split):
        return self.splits[split][0].reshape(-1, 784) / np.float32(255)


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """Small made-up MNIST files (6 training and 4 test images) standing in for the real ones:
    fetch_mnist returns them, and the user's cache folder is under tmp_path."""
    rng = np.random.default_rng(0)
    made = Fake(tmp_path / "gz", tmp_path / "user-cache" / "mnist", {})
    made.folder.mkdir()
    files, splits = {}, {}
    for split, (images_file, labels_file, _) in data._SPLITS.items():
        n = 6 if split == "train" else 4
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        images[0, 0, :2] = [0, 255]
        labels = (np.arange(n, dtype=np.uint8) + 3) % 10
        files[images_file] = idx_gz(made.folder / images_file, images)
        files[labels_file] = idx_gz(made.folder / labels_file, labels)
        made.splits[split], splits[split] = (images, labels), (images_file, labels_file, n)
    monkeypatch.setattr(data, "_SPLITS", splits)
    monkeypatch.setattr(data, "fetch_mnist", lambda *args, **kwargs: dict(files))
    monkeypatch.setattr(data, "_user_cache", lambda spec: made.user_cache)
    return made


def no_cache_can_be_written(monkeypatch):
    monkeypatch.setattr(data, "_may_write", lambda folder: False)


@contextlib.contextmanager
def read_only(folder):
    """chmod a-w, which bplib honours even when run as root (who could still write there)."""
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("route", ["cache", "memory"])
def test_every_combination_of_options(fake, monkeypatch, route):
    """normalize x flatten x one_hot_label, on small made-up files, from the cache and in memory."""
    if route == "memory":
        no_cache_can_be_written(monkeypatch)
    for normalize in (True, False):
        for flatten in (True, False):
            for one_hot in (True, False):
                loaded = load_mnist(normalize, flatten, one_hot)
                for split, (x, t) in zip(("train", "test"), loaded, strict=True):
                    images, labels = fake.splits[split]
                    n = len(labels)
                    assert x.shape == ((n, 784) if flatten else (n, 1, 28, 28))
                    if normalize:
                        assert x.dtype == np.float32 and x.min() == 0.0 and x.max() == 1.0
                        assert np.array_equal(
                            x.reshape(n, 28, 28), images.astype(np.float32) / np.float32(255)
                        )
                    else:
                        assert x.dtype == np.uint8 and np.array_equal(x.reshape(n, 28, 28), images)
                    assert x.flags.writeable and x.flags.c_contiguous
                    if one_hot:
                        assert t.dtype == np.float64 and t.shape == (n, 10)  # the book's dtype
                        assert np.array_equal(t, np.eye(10)[labels])
                    else:
                        assert t.dtype == np.int64 and t.tolist() == labels.tolist()
    assert fake.cache.is_file() == (route == "cache")


@pytest.mark.parametrize("route", ["cache", "memory"])
def test_a_write_into_a_returned_array_reaches_nothing_else(fake, monkeypatch, route):
    if route == "memory":
        no_cache_can_be_written(monkeypatch)
    (x, t), _ = load_mnist()
    before = fake.cache.read_bytes() if route == "cache" else None
    x[0] = 0.5  # the learner's own copy of these pages
    x *= 2
    t[:] = 9
    (x2, t2), _ = load_mnist()  # another call: untouched
    assert np.array_equal(x2, fake.normalised("train")) and t2.tolist() == fake.splits["train"][1].tolist()
    assert x[0, 0] == 1.0 and not np.shares_memory(x, x2) and not np.shares_memory(t, t2)
    if route == "cache":
        assert fake.cache.read_bytes() == before  # the file never changes


def test_the_cache_is_made_once_next_to_the_files_and_then_reused(fake, monkeypatch):
    load_mnist()
    made = fake.cache.stat()
    assert fake.cache.name.startswith("mnist-v1-") and oct(made.st_mode & 0o777) == "0o644"
    assert not fake.user_cache.exists()  # the files' folder could be written
    monkeypatch.setattr(data, "_build_cache", lambda *args: pytest.fail("the cache was built again"))
    for normalize in (True, False):
        load_mnist(normalize)
    again = fake.cache.stat()
    assert (again.st_ino, again.st_mtime_ns) == (made.st_ino, made.st_mtime_ns)
    assert [p.name for p in fake.folder.iterdir() if p.suffix == ".tmp"] == []


def test_a_read_only_folder_with_a_cache_is_used_in_place(fake, monkeypatch):
    load_mnist()  # a teacher made the cache; the folder is then made read-only
    listing = sorted(os.listdir(fake.folder))
    with read_only(fake.folder):
        monkeypatch.setattr(data, "_build_cache", lambda *args: pytest.fail("built a cache"))
        (x, _), _ = load_mnist()
        assert sorted(os.listdir(fake.folder)) == listing and not fake.user_cache.exists()
        assert np.array_equal(x, fake.normalised("train"))


def test_a_read_only_folder_without_a_cache_uses_the_user_cache_folder_or_memory(fake):
    listing = sorted(os.listdir(fake.folder))
    with read_only(fake.folder):
        (x, _), _ = load_mnist()
        assert sorted(os.listdir(fake.folder)) == listing  # nothing written beside the .gz files
        assert [p.name for p in fake.user_cache.glob("*.cache")] == [fake.cache.name]
        shutil.rmtree(fake.user_cache)
        with read_only(fake.user_cache.parent):  # no user cache either: in memory, as before the cache
            (x2, _), _ = load_mnist()
        assert not fake.user_cache.exists()
    assert np.array_equal(x, fake.normalised("train")) and np.array_equal(x2, x)


def damage(path, how):
    raw = bytearray(path.read_bytes())
    header = json.loads(raw[len(data._MAGIC) : 4096])
    if how == "flipped byte":
        raw[header["arrays"]["test_float32"]["offset"] + 5] ^= 0x01
    elif how == "cut short":
        raw = raw[: len(raw) - 4096]
    elif how == "not a cache":
        raw[:20] = b"something else here!"
    elif how == "stale format":
        header["format"] = data.CACHE_FORMAT - 1
    elif how == "other files":
        header["sources"]["train-images-idx3-ubyte.gz"] = "0" * 64
    if how in ("stale format", "other files"):
        raw[len(data._MAGIC) : 4096] = json.dumps(header).encode().ljust(4096 - len(data._MAGIC))
    path.write_bytes(bytes(raw))


DAMAGES = ["flipped byte", "cut short", "not a cache", "stale format", "other files"]


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_or_stale_cache_is_rebuilt(fake, how):
    (x, _), (xt, _) = load_mnist(normalize=False)  # the CRC of the float32 arrays not yet checked
    good = fake.cache.read_bytes()
    damage(fake.cache, how)
    data._VERIFIED.clear()  # as in a new process
    (x, _), (xt, _) = load_mnist()
    assert fake.cache.read_bytes() == good
    assert np.array_equal(x, fake.normalised("train")) and np.array_equal(xt, fake.normalised("test"))


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_cache_where_none_can_be_written_is_ignored(fake, monkeypatch, how):
    load_mnist()
    damage(fake.cache, how)
    damaged = fake.cache.read_bytes()
    data._VERIFIED.clear()
    no_cache_can_be_written(monkeypatch)  # a read-only folder, and no user cache folder either
    (x, _), (xt, _) = load_mnist()
    assert fake.cache.read_bytes() == damaged
    assert np.array_equal(x, fake.normalised("train")) and np.array_equal(xt, fake.normalised("test"))


def test_older_caches_and_abandoned_temporary_files_are_removed_when_a_cache_is_made(fake):
    names = [
        "mnist-v0-0123456789abcdef.cache",  # an older format
        "fashion-mnist-v1-0123456789abcdef.cache",  # another dataset's: kept
        ".mnist-v1-0123456789abcdef.cache.x1.tmp",  # an hour old: a build that was killed
        ".mnist-v1-0123456789abcdef.cache.x2.tmp",  # recent: maybe another kernel's build, kept
    ]
    for name in names:
        (fake.folder / name).write_bytes(b"x")
    os.utime(fake.folder / names[2], (0, 0))
    load_mnist()
    assert [(fake.folder / name).exists() for name in names] == [False, True, False, True]


def test_kernels_starting_together_build_the_cache_once(fake, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    builds, build = [], data._build_cache
    monkeypatch.setattr(data, "_build_cache", lambda *args: builds.append(args) or build(*args))
    with ThreadPoolExecutor(4) as pool:
        loads = list(pool.map(lambda _: load_mnist(), range(4)))
    assert len(builds) == 1
    assert all(np.array_equal(x, fake.normalised("train")) for (x, _), _ in loads)


def test_prepare_makes_the_cache_once_and_refuses_a_read_only_folder(fake, capsys):
    with read_only(fake.folder):
        with pytest.raises(OSError, match="cannot write the cache into .*: the folder is read-only"):
            data.prepare()
    assert data.prepare() == fake.cache and fake.cache.is_file()
    assert "made the cache" in capsys.readouterr().out
    assert data.prepare() == fake.cache
    out = capsys.readouterr().out
    assert "is there and intact" in out and f"BPLIB_MNIST_DIR={fake.folder}" in out


@pytest.mark.parametrize("value", ["False", None, 2, np.array([1, 0])])
def test_load_mnists_switches_take_true_or_false(value):
    with pytest.raises(ValueError, match=r"load_mnist: normalize must be True or False, got"):
        load_mnist(normalize=value)


def test_fashion_mnist_files_match_their_table(tmp_path):
    if not (SHARED_FASHION / LABELS).is_file():
        pytest.skip(f"Fashion-MNIST files not found in {SHARED_FASHION} (set BPLIB_SHARED_FASHION_MNIST)")
    paths = fetch_mnist(SHARED_FASHION, dataset="fashion-mnist", mirrors=["http://127.0.0.1:9/"])
    labels = read_idx(paths["t10k-labels-idx1-ubyte.gz"])
    assert np.bincount(labels).tolist() == [1000] * 10
    assert len(data.FASHION_MNIST_CLASSES) == 10


def test_fashion_mnist_loads_through_its_own_cache(user_cache):
    if not (SHARED_FASHION / LABELS).is_file():
        pytest.skip(f"Fashion-MNIST files not found in {SHARED_FASHION} (set BPLIB_SHARED_FASHION_MNIST)")
    dead = ["http://127.0.0.1:9/"]
    (x, t), (xt, tt) = load_mnist(dataset="fashion-mnist", data_dir=SHARED_FASHION, mirrors=dead)
    path = data.cache_path(user_cache / "fashion-mnist", "fashion-mnist")  # SHARED_FASHION is read-only
    assert path.name.startswith("fashion-mnist-v1-") and path.is_file()
    assert path.name != data.cache_path(user_cache, "mnist").name
    assert x.shape == (60000, 784) and x.dtype == np.float32 and xt.shape == (10000, 784)
    assert np.bincount(t).tolist() == [6000] * 10 and np.bincount(tt).tolist() == [1000] * 10
    assert x.min() == 0.0 and x.max() == 1.0


def test_a_read_only_shared_folder_is_used_in_place(tmp_path):
    if not (SHARED / LABELS).is_file():
        pytest.skip(f"MNIST files not found in {SHARED}")
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(SHARED / LABELS, folder / LABELS)
    folder.chmod(0o555)
    try:
        assert fetch_mnist(folder, mirrors=["http://127.0.0.1:9/"], files=[LABELS]) == {
            LABELS: folder / LABELS
        }
    finally:
        folder.chmod(0o755)


# ---------------------------------------------------------------- the cache of the real files


def mapped(array):
    """The memory map under a NumPy view (None for an array that owns its memory)."""
    while isinstance(array, np.ndarray):
        array = array.base
    array = array.obj if isinstance(array, memoryview) else array
    return array if isinstance(array, mmap.mmap) else None


@needs_mnist
def test_the_cache_holds_the_same_arrays_as_the_gz_files(default_load, raw_load, user_cache):
    spec = data._spec("mnist")
    assert mapped(default_load[0][0]) is not None and mapped(raw_load[0][0]) is not None
    assert (user_cache / "mnist" / data.cache_path(SHARED).name).is_file()  # SHARED is read-only
    for kind, loaded in (("float32", default_load), ("uint8", raw_load)):
        parsed = data._arrays_in_memory(spec, fetch_mnist(SHARED), kind)
        for split, (x, t) in zip(("train", "test"), loaded, strict=True):
            x_gz, t_gz = parsed[split]
            assert x.dtype == x_gz.dtype and np.array_equal(x.reshape(x_gz.shape), x_gz)
            assert np.array_equal(t if t.ndim == 1 else t.argmax(axis=1), t_gz)


def smaps_of(path):
    """Rss and Anonymous (kB) of this process's mappings of ``path``, from /proc/self/smaps."""
    totals, current = {"Rss": 0, "Anonymous": 0}, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if "-" in line.split(" ", 1)[0]:  # a mapping's first line: address range ... pathname
            current = line.endswith(str(path))
        elif current and line.split(":")[0] in totals:
            totals[line.split(":")[0]] += int(line.split()[1])
    return totals


@needs_mnist
@pytest.mark.skipif(not Path("/proc/self/smaps").is_file(), reason="Linux's /proc/self/smaps")
def test_the_images_are_pages_of_the_file_shared_with_other_kernels_until_written(downloaded):
    (x, _), _ = load_mnist(data_dir=downloaded[0], mirrors=["http://127.0.0.1:9/"])
    path = data.cache_path(downloaded[0])
    assert float(x.sum()) > 0  # touch every page of the training images
    pages = smaps_of(path)
    assert pages["Rss"] >= x.nbytes // 1024 and pages["Anonymous"] == 0  # file pages, none private
    x[0] = 0.0  # one image, 3136 bytes: copy-on-write of the one or two pages it lies on
    assert 4 <= smaps_of(path)["Anonymous"] <= 8


# ---------------------------------------------------------------- in Chinese


def test_the_offline_error_is_in_chinese(mirror, tmp_path, chinese):
    with pytest.raises(MnistUnavailableError) as info:
        fetch_mnist(tmp_path, mirrors=[mirror["dead"], mirror["empty"]], files=[LABELS])
    message = str(info.value)
    assert message.startswith("无法取得 MNIST 数据：") and "（MNIST is not available）" in message
    assert "连接不上" in message and "HTTP 404" in message
    assert f"离线使用时，请把下面这些文件（文件名保持原样）放进文件夹 {tmp_path}" in message
    assert f"{LABELS}（28,881 字节，sha256 {MNIST_FILES[LABELS][0]}）" in message
    assert "或者把环境变量 BPLIB_MNIST_DIR 设为存放这四个文件的文件夹。" in message
    assert not re.search(r"\b(missing|tried|offline|folder)\b", message)


def test_the_download_line_and_a_damaged_file_are_in_chinese(mirror, tmp_path, chinese, capsys):
    fetch_mnist(tmp_path, mirrors=[mirror["good"]], files=[LABELS])
    assert capsys.readouterr().out == f"正在下载 MNIST 文件 {LABELS}（29 kB），保存到 {tmp_path}\n"
    (tmp_path / "cut.gz").write_bytes(b"\0\0\x08\x01\0\0\0\x01x")
    with pytest.raises(ValueError, match=r"cut\.gz：不是完整的 gzip 文件（"):
        read_idx(tmp_path / "cut.gz")
    with pytest.raises(MnistUnavailableError, match=rf"{LABELS}（已损坏（SHA-256 不符）），尝试过："):
        (tmp_path / LABELS).write_bytes(b"not mnist")
        fetch_mnist(tmp_path, mirrors=[mirror["empty"]], files=[LABELS])


def test_bad_arguments_and_an_unwritable_folder_are_named_in_chinese(mirror, tmp_path, chinese):
    with pytest.raises(ValueError, match=r"没有数据集 'kmnist'，请从 \['fashion-mnist', 'mnist'\] 中选一个"):
        load_mnist(dataset="kmnist")
    with pytest.raises(ValueError, match="load_mnist：normalize 必须是 True 或 False，传入的却是 'yes'"):
        load_mnist(normalize="yes")
    with pytest.raises(ValueError, match="mirrors：请至少给出一个镜像地址"):
        fetch_mnist(tmp_path, mirrors=[], files=[LABELS])
    (tmp_path / "a-file").write_text("")
    with pytest.raises(MnistUnavailableError, match="无法写入文件夹：NotADirectoryError"):
        fetch_mnist(tmp_path / "a-file" / "mnist", mirrors=[mirror["good"]], files=[LABELS])
