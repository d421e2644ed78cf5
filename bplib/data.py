"""MNIST (and Fashion-MNIST): fetch the four original files once, check them, load them as arrays.

Where the files live (first that applies):

1. the ``data_dir`` argument;
2. the environment variable ``BPLIB_MNIST_DIR`` (``BPLIB_FASHION_MNIST_DIR`` for Fashion-MNIST);
3. ``data/mnist/`` (``data/fashion-mnist/``) in the repository, i.e. next to the ``bplib``
   package folder, which is where an editable install (``pip install -e .``) leaves it;
4. if there is no repository there (a non-editable install) or it cannot be written,
   the user's cache folder (``~/.cache/bplib/mnist`` on Linux).

A file that is missing, or whose SHA-256 does not match, is downloaded from the mirrors in
turn (``MNIST_MIRRORS``: the S3 mirror the book uses, a Google Cloud mirror, then PaddlePaddle's
mirror, which is reachable from mainland China; the ``mirrors`` argument or
``BPLIB_MNIST_MIRRORS`` override them). Every mirror's file is checked by the same SHA-256.
Nothing touches the network at import time, and nothing is downloaded when the files are there.

The arrays come from a cache, so that thirty learners on one server hold MNIST once: one
file (``mnist-v1-<hash>.cache``, 275 MB) with the images as uint8 and as normalised float32,
and the labels as int64, made once from the verified ``.gz`` files. ``load_mnist`` maps it
copy-on-write (``mmap.ACCESS_COPY``): every kernel that maps the same file shares its pages,
each call gets its own arrays, and a learner who writes into ``x_train`` changes a private
copy of the pages written, never the file nor another call's arrays. The cache lives next to
the ``.gz`` files when that folder can be written, else in the user's cache folder; a folder
made read-only (``chmod a-w``) is never written, even by root. A teacher makes the cache once
in a shared folder with ``prepare(folder)`` (then every learner sets ``BPLIB_MNIST_DIR`` to it).
The file's name and header tie it to the four files' SHA-256 and to ``CACHE_FORMAT``; it is
written to a temporary file and renamed, and each array's CRC-32 is checked the first time a
process maps it. A stale or damaged cache is rebuilt where it can be written, else ignored;
with no usable cache anywhere, the arrays are built in memory (0.3-0.5 s, as before the cache).
"""

import gzip
import hashlib
import json
import logging
import mmap
import os
import tempfile
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .words import say

__all__ = [
    "CACHE_FORMAT",
    "FASHION_MNIST_CLASSES",
    "FASHION_MNIST_MIRRORS",
    "MNIST_FILES",
    "MNIST_MIRRORS",
    "MnistUnavailableError",
    "cache_path",
    "fetch_mnist",
    "load_mnist",
    "mnist_dir",
    "prepare",
    "read_idx",
]

# Base URLs, tried in order; a file's URL is base + file name, and whichever mirror serves
# it, the file must have the SHA-256 in MNIST_FILES. The S3 mirror is the one the book's
# code now uses (yann.lecun.com no longer serves the files).
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    # PaddlePaddle's dataset mirror, the one paddle.dataset.mnist downloads from: the four
    # original gzip files, reachable from mainland China.
    "https://dataset.bj.bcebos.com/mnist/",
)
FASHION_MNIST_MIRRORS = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
)

# file name -> (sha256, size in bytes): the tables in shared/data/mnist/ and fashion-mnist/ README.md
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": (
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        9_912_422,
    ),
    "train-labels-idx1-ubyte.gz": (
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        28_881,
    ),
    "t10k-images-idx3-ubyte.gz": (
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        1_648_877,
    ),
    "t10k-labels-idx1-ubyte.gz": (
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        4_542,
    ),
}
FASHION_MNIST_FILES = {
    "train-images-idx3-ubyte.gz": (
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        26_421_880,
    ),
    "train-labels-idx1-ubyte.gz": (
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        29_515,
    ),
    "t10k-images-idx3-ubyte.gz": (
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        4_422_102,
    ),
    "t10k-labels-idx1-ubyte.gz": (
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        5_148,
    ),
}
FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip

TIMEOUT = 15  # seconds to connect, and between two packets of a download


@dataclass(frozen=True)
class _Dataset:
    title: str
    folder: str  # under data/ in the repository, and under the user cache
    files: dict
    mirrors_attr: str  # name of the module constant, read at call time so tests can patch it
    env_dir: str
    env_mirrors: str


_DATASETS = {
    "mnist": _Dataset(
        "MNIST", "mnist", MNIST_FILES, "MNIST_MIRRORS", "BPLIB_MNIST_DIR", "BPLIB_MNIST_MIRRORS"
    ),
    "fashion-mnist": _Dataset(
        "Fashion-MNIST",
        "fashion-mnist",
        FASHION_MNIST_FILES,
        "FASHION_MNIST_MIRRORS",
        "BPLIB_FASHION_MNIST_DIR",
        "BPLIB_FASHION_MNIST_MIRRORS",
    ),
}

# (images file, labels file, number of examples) for each split
_SPLITS = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 60000),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 10000),
}


class MnistUnavailableError(RuntimeError):
    """The data files are missing or damaged and could not be downloaded."""


def _spec(dataset):
    try:
        return _DATASETS[dataset]
    except KeyError:
        raise ValueError(
            say(
                "unknown dataset {name}; choose one of {choices}",
                name=repr(dataset),
                choices=sorted(_DATASETS),
            )
        ) from None


def _writable(path):
    """Whether ``path`` (or, if it does not exist yet, its nearest existing parent) is writable."""
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    return os.access(path, os.W_OK)


def _cannot_write(folder):
    """Why files cannot be written into ``folder`` (created if need be), or '' when they can."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return f"{type(exc).__name__}: {exc.strerror or exc}"
    return ""


def _user_cache(spec):
    import platformdirs  # a dependency of pooch; imported here so that `import bplib` stays light

    return Path(platformdirs.user_cache_dir("bplib")) / spec.folder


def mnist_dir(data_dir=None, dataset="mnist"):
    """The folder that holds (or will hold) the dataset's four ``.gz`` files, as an absolute Path.

    ``data_dir``, else ``$BPLIB_MNIST_DIR``, else ``<repo>/data/mnist`` (the repository is the
    parent of the ``bplib`` package folder: an editable install), else the user cache folder.
    """
    spec = _spec(dataset)
    if data_dir is None:
        data_dir = os.environ.get(spec.env_dir) or None
    if data_dir is not None:
        return Path(data_dir).expanduser().resolve()
    repo = Path(__file__).resolve().parent.parent
    if (repo / "pyproject.toml").is_file():
        folder = repo / "data" / spec.folder
        if folder.is_dir() or _writable(folder):
            return folder
    return _user_cache(spec)


def _mirrors(mirrors, spec):
    if mirrors is None:
        env = os.environ.get(spec.env_mirrors, "")
        mirrors = env.replace(",", " ").split() or globals()[spec.mirrors_attr]
    if isinstance(mirrors, str):
        mirrors = [mirrors]
    mirrors = [m if m.endswith("/") else m + "/" for m in mirrors]
    if not mirrors:
        raise ValueError(say("mirrors: give at least one base URL"))
    return mirrors


def _sha256_ok(path, sha256):
    """True when the file exists and its SHA-256 is ``sha256``."""
    if not path.is_file():
        return False
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest() == sha256


@contextmanager
def _quiet_pooch():
    """Keep pooch's log lines (it logs to stderr, which a notebook check would compare) quiet."""
    import pooch

    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield pooch
    finally:
        logger.setLevel(level)


def _reason(exc):
    """A one-line reason for a failed download (requests' own messages run to several lines)."""
    import requests

    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code} {exc.response.reason}"
    if isinstance(exc, requests.Timeout):
        return say("timed out")
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return say("connection closed before the whole file arrived")
    if isinstance(exc, requests.ConnectionError):
        return say("could not connect (or the connection stalled)")
    if isinstance(exc, ValueError):
        return say("the downloaded file's SHA-256 did not match (damaged or truncated); it was deleted")
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"


def _download(name, sha256, folder, mirrors, timeout, dead):
    """Fetch ``name`` from the first mirror that serves it intact; return the failures otherwise.

    pooch downloads into a temporary file in ``folder``, checks its hash and only then
    moves it onto ``folder/name`` (``pooch.core.stream_download``: ``temporary_file`` +
    ``hash_matches(strict=True)`` + ``shutil.move`` within one folder, i.e. an atomic
    rename); a failed or interrupted download never leaves a file under the real name.
    ``dead`` collects mirrors that refused the connection, so they are not retried.
    """
    import requests

    failures = []
    for base in mirrors:
        url = base + name
        if base in dead:
            failures.append(say("{url}: skipped (could not connect earlier)", url=url))
            continue
        with _quiet_pooch() as pooch:
            downloader = pooch.HTTPDownloader(timeout=timeout, chunk_size=1 << 16)
            try:
                pooch.retrieve(
                    url, known_hash=f"sha256:{sha256}", fname=name, path=folder, downloader=downloader
                )
                return []
            except (ValueError, requests.RequestException) as exc:
                failures.append(f"{url}: {_reason(exc)}")
                if isinstance(exc, requests.ConnectionError):  # refused, unknown host, stalled
                    dead.add(base)
    return failures


def fetch_mnist(data_dir=None, *, dataset="mnist", mirrors=None, timeout=TIMEOUT, files=None):
    """Make sure the dataset's files are in the cache folder, intact; return ``{name: Path}``.

    Files already there are checked against their SHA-256 (about 0.01 s for MNIST). A missing
    or damaged one is downloaded, printing one line. ``files`` limits the work to some of the
    four names. Raises ``MnistUnavailableError`` naming the files and the folder when a file
    can be neither found nor downloaded.
    """
    spec = _spec(dataset)
    folder = mnist_dir(data_dir, dataset)
    names = list(spec.files) if files is None else list(files)
    unknown = [n for n in names if n not in spec.files]
    if unknown:
        raise ValueError(
            say(
                "files: {unknown} are not {title} files; they are {names}",
                unknown=unknown,
                title=spec.title,
                names=list(spec.files),
            )
        )
    # Checked here rather than left to pooch.retrieve: it takes one URL, and we try several
    # mirrors and print a line only when something is really downloaded.
    todo = [n for n in names if not _sha256_ok(folder / n, spec.files[n][0])]
    if todo:
        mirrors = _mirrors(mirrors, spec)
        failures, dead = {}, set()
        problem = _cannot_write(folder)
        if problem:
            failures = {n: [say("cannot write to the folder: {problem}", problem=problem)] for n in todo}
        else:
            for name in todo:
                sha256, size = spec.files[name]
                if len(dead) < len(mirrors):  # no "Downloading" line once every mirror is unreachable
                    amount = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
                    print(
                        say(
                            "Downloading {title} file {name} ({amount}) into {folder}",
                            title=spec.title,
                            name=name,
                            amount=amount,
                            folder=folder,
                        ),
                        flush=True,
                    )
                tried = _download(name, sha256, folder, mirrors, timeout, dead)
                if tried:
                    failures[name] = tried
        if failures:
            raise MnistUnavailableError(_unavailable_message(spec, folder, failures))
    return {n: folder / n for n in names}


def _unavailable_message(spec, folder, failures):
    lines = [
        say(
            "{title} is not available: these files are missing or damaged and could not be downloaded.",
            title=spec.title,
        )
    ]
    for name, tried in failures.items():
        state = say("damaged (wrong SHA-256)") if (folder / name).exists() else say("missing")
        lines.append(say("  {name} ({state}); tried:", name=name, state=state))
        lines += [f"      {t}" for t in tried]
    lines.append(
        say("To work offline, put these files, named exactly so, in the folder {folder}", folder=folder)
    )
    for name in failures:
        sha256, size = spec.files[name]
        lines.append(
            say("  {name}  ({size} bytes, sha256 {sha256})", name=name, size=f"{size:,}", sha256=sha256)
        )
    lines.append(
        say(
            "or set the environment variable {variable} to a folder that holds all four files.",
            variable=spec.env_dir,
        )
    )
    return "\n".join(lines)


def read_idx(path):
    """Read one gzipped IDX file of unsigned bytes into a new uint8 array of the header's shape.

    IDX: two zero bytes, the type code 0x08 (unsigned byte), the number of dimensions d,
    then d big-endian uint32 sizes, then the data. MNIST images: (N, 28, 28); labels: (N,).
    The data are unzipped straight into the array, 1 MB at a time: no second copy of the file
    is ever in memory (a Python process keeps memory it once used for small pieces).
    Raises ValueError naming the file when it is not gzip or the header does not fit the data.
    """
    path = Path(path)
    try:
        with gzip.open(path, "rb") as f:
            head = f.read(4)
            if len(head) < 4 or head[0] != 0 or head[1] != 0:
                raise ValueError(
                    say("{path}: not an IDX file (it must start with two zero bytes)", path=path)
                )
            if head[2] != 0x08:
                raise ValueError(
                    say(
                        "{path}: IDX data type {code} is not supported (only 0x08, unsigned byte)",
                        path=path,
                        code=f"0x{head[2]:02x}",
                    )
                )
            sizes = f.read(4 * head[3])
            if head[3] == 0 or len(sizes) < 4 * head[3]:
                raise ValueError(say("{path}: IDX header is cut short or has 0 dimensions", path=path))
            shape = tuple(int(s) for s in np.frombuffer(sizes, dtype=">u4"))
            expected = int(np.prod(shape))
            array = np.empty(expected if expected <= _MAX_IDX_BYTES else 0, dtype=np.uint8)
            view, got = memoryview(array), 0
            while got < len(view) and (step := f.readinto(view[got : got + (1 << 20)])):
                got += step
            got += sum(len(block) for block in iter(lambda: f.read(1 << 20), b""))  # any bytes beyond
    except FileNotFoundError:
        raise
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError; EOFError: cut short
        raise ValueError(say("{path}: not a complete gzip file ({why})", path=path, why=exc)) from None
    if got != expected or array.size != expected:
        raise ValueError(
            say(
                "{path}: header says shape {shape} ({expected} bytes) but holds {actual}",
                path=path,
                shape=shape,
                expected=expected,
                actual=got,
            )
        )
    return array.reshape(shape)


_MAX_IDX_BYTES = 1 << 31  # no IDX file of this course comes near; a larger header is a damaged one


def _read_split(files, split, title):
    img_name, lab_name, n = _SPLITS[split]
    images, labels = read_idx(files[img_name]), read_idx(files[lab_name])
    if images.shape != (n, 28, 28) or labels.shape != (n,):
        raise ValueError(
            say(
                "{images_file} and {labels_file}: expected images (n, 28, 28) and labels (n,) with "
                "n = {n}, got {images} and {labels}",
                images_file=img_name,
                labels_file=lab_name,
                n=n,
                images=images.shape,
                labels=labels.shape,
            )
        )
    if labels.max() > 9:
        raise ValueError(say("{file}: label {label} is outside 0..9", file=lab_name, label=labels.max()))
    return images, labels


# --- the cache: the arrays, made once, memory-mapped by every kernel ---

CACHE_FORMAT = 1  # raise it when the layout or the arrays change: older caches are then rebuilt
_MAGIC = b"bplib dataset cache\n"
_PAGE = 4096  # the header's size, and the alignment of each array in the file
_VERIFIED = set()  # (device, inode, size, mtime, array) whose CRC-32 this process has checked


def cache_path(folder, dataset="mnist"):
    """The cache file's path in ``folder``. Its name holds ``CACHE_FORMAT`` and a hash of the four
    files' SHA-256, so a cache of other files or of another layout is never taken for this one."""
    spec = _spec(dataset)
    sources = json.dumps([CACHE_FORMAT, sorted(sha256 for sha256, _ in spec.files.values())])
    digest = hashlib.sha256(sources.encode()).hexdigest()[:16]
    return Path(folder) / f"{spec.folder}-v{CACHE_FORMAT}-{digest}.cache"


def _layout(spec):
    """The cache's arrays: name -> (dtype, shape, offset), page-aligned after the header; file size."""
    arrays, offset = {}, _PAGE
    for split, (_, _, n) in _SPLITS.items():
        for kind, dtype, shape in [
            ("uint8", "|u1", (n, 784)),
            ("float32", "<f4", (n, 784)),
            ("t", "<i8", (n,)),
        ]:
            arrays[f"{split}_{kind}"] = (dtype, shape, offset)
            offset += -(-np.dtype(dtype).itemsize * int(np.prod(shape)) // _PAGE) * _PAGE
    return arrays, offset


def _header(spec, crcs):
    arrays, size = _layout(spec)
    return {
        "format": CACHE_FORMAT,
        "dataset": spec.title,
        "sources": {name: sha256 for name, (sha256, _) in spec.files.items()},
        "size": size,
        "arrays": {
            k: {"dtype": d, "shape": list(s), "offset": o, "crc32": crcs[k]}
            for k, (d, s, o) in arrays.items()
        },
    }


def _open_cache(path, spec, kind):
    """The cache at ``path`` mapped copy-on-write, as ``{split: (x (n, 784), t (n,))}`` with x of
    ``kind`` ("uint8" or "float32"); None when it is absent, stale or damaged."""
    try:
        with open(path, "rb") as f:
            head = f.read(_PAGE)
            info = os.fstat(f.fileno())
            if not head.startswith(_MAGIC):
                return None
            header = json.loads(head[len(_MAGIC) :])
            crcs = {k: a.get("crc32") for k, a in header["arrays"].items()}
            if header != _header(spec, crcs) or info.st_size != header["size"]:
                return None
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, unreadable, or a header that is not ours
    out = {}
    for split in _SPLITS:
        views = []
        for key in (f"{split}_{kind}", f"{split}_t"):
            entry = header["arrays"][key]
            view = np.frombuffer(
                mapped, entry["dtype"], int(np.prod(entry["shape"])), entry["offset"]
            ).reshape(entry["shape"])
            stamp = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, key)
            if stamp not in _VERIFIED:
                if zlib.crc32(view) != entry["crc32"]:
                    return None
                _VERIFIED.add(stamp)
            views.append(view)
        out[split] = tuple(views)
    return out


def _may_write(folder):
    """Whether to write a cache into ``folder`` (created if need be): its permission bits, or those
    of its nearest existing parent, let someone write there (root can write anywhere, but a
    folder made read-only is left alone), and it can really be written."""
    existing = Path(folder)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    return bool(existing.stat().st_mode & 0o222) and not _cannot_write(folder)


@contextmanager
def _build_lock(path):
    """One builder at a time per cache file (learners starting together wait for the first)."""
    try:
        import fcntl
    except ImportError:  # Windows: each builder writes its own temporary file; the last rename wins
        yield
        return
    with open(path.with_name(f".{path.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _write_cache(f, spec, files):
    """The header and the arrays of the verified ``files``, written into the open file ``f``."""
    arrays, size = _layout(spec)
    crcs = {}
    for split in _SPLITS:
        images, labels = _read_split(files, split, spec.title)
        images = images.reshape(len(images), 784)
        parts = {"uint8": [images], "float32": _normalised(images), "t": [labels]}
        for kind, chunks in parts.items():
            key = f"{split}_{kind}"
            dtype, _, offset = arrays[key]
            f.seek(offset)
            crc = 0
            for chunk in chunks:
                chunk = np.ascontiguousarray(chunk, dtype=dtype)  # the file's byte order and width
                f.write(chunk.data)
                crc = zlib.crc32(chunk, crc)
            crcs[key] = crc
    f.truncate(size)
    f.seek(0)
    f.write(_MAGIC + json.dumps(_header(spec, crcs)).encode().ljust(_PAGE - len(_MAGIC)))


def _normalised(images, rows=2000):
    """``images / 255`` as float32, ``rows`` at a time in one reused buffer: the whole float32
    array is never in memory, nor a heap of freed pieces that the process would keep."""
    buffer = np.empty((rows, images.shape[1]), dtype=np.float32)
    for i in range(0, len(images), rows):
        part = images[i : i + rows]
        yield np.divide(part, np.float32(255), out=buffer[: len(part)])


def _build_cache(path, spec, files):
    """Write the cache to ``path``: into a temporary file in the same folder, then renamed, so
    that no kernel ever maps half a cache; then tidy the folder."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            _write_cache(f, spec, files)
        os.chmod(temporary, 0o644)  # learners read the file a teacher made
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _tidy(path, spec)


def _tidy(path, spec):
    """Remove the dataset's caches of other formats or files, and temporary files left for an hour
    (a build that was killed). A file that cannot be removed is left."""
    for other in [*path.parent.glob(f"{spec.folder}-v*.cache"), *path.parent.glob(f".{spec.folder}-v*.tmp")]:
        try:
            stale = other.suffix == ".cache" and other != path
            if stale or other.suffix == ".tmp" and time.time() - other.stat().st_mtime > 3600:
                other.unlink()
        except OSError:
            pass


def _cache_folders(spec, files):
    """Where a cache may be: next to the ``.gz`` files, then the user's cache folder."""
    folders = [Path(files[_SPLITS["train"][0]]).parent, _user_cache(spec)]
    return folders if folders[0] != folders[1] else folders[:1]


def _cached_arrays(dataset, files, kind):
    """``_open_cache`` of the first usable cache; else built in the first folder that may be
    written; None when there is neither (no cache can be made: the caller builds in memory)."""
    spec = _spec(dataset)
    folders = _cache_folders(spec, files)
    for folder in folders:
        arrays = _open_cache(cache_path(folder, dataset), spec, kind)
        if arrays is not None:
            return arrays
    for folder in folders:
        if not _may_write(folder):
            continue
        path = cache_path(folder, dataset)
        try:
            with _build_lock(path):
                if _open_cache(path, spec, kind) is None:  # another kernel may have built it meanwhile
                    _build_cache(path, spec, files)
        except OSError:  # a full disk, a folder that changed: try the next place
            continue
        arrays = _open_cache(path, spec, kind)
        if arrays is not None:
            return arrays
    return None


def _arrays_in_memory(spec, files, kind):
    """The arrays as ``_open_cache`` gives them, parsed from the ``.gz`` files into memory."""
    out = {}
    for split in _SPLITS:
        images, labels = _read_split(files, split, spec.title)
        x = images.reshape(len(images), 784)
        # one float32 pass, same values as the book's astype(float32) then /= 255.0
        x = np.divide(x, np.float32(255), dtype=np.float32) if kind == "float32" else x
        out[split] = (x, labels.astype(np.int64))
    return out


def _check_switch(name, value):
    if not (isinstance(value, (bool, np.bool_)) or (isinstance(value, int) and value in (0, 1))):
        raise ValueError(
            say("load_mnist: {name} must be True or False, got {value}", name=name, value=repr(value))
        )


def load_mnist(
    normalize=True, flatten=True, one_hot_label=False, *, dataset="mnist", data_dir=None, mirrors=None
):
    """The book's ``load_mnist``: ``(x_train, t_train), (x_test, t_test)``, 60000 and 10000 examples.

    Images ``x``: ``(N, 784)`` when ``flatten`` else ``(N, 1, 28, 28)``; float32 in [0, 1]
    when ``normalize`` else uint8 in 0..255.
    Labels ``t``: int64 class indices 0..9, shape ``(N,)`` (int64 rather than the files'
    uint8, so that arithmetic such as ``t - y`` cannot wrap around); with ``one_hot_label``,
    float64 one-hot rows ``(N, 10)``, as in the book.
    ``dataset="fashion-mnist"`` loads Fashion-MNIST (same format; ``FASHION_MNIST_CLASSES``).
    Files are fetched and checked by ``fetch_mnist``. Every call returns new arrays: views of
    a copy-on-write mapping of the shared cache (see the module's notes), or arrays in memory.
    """
    for name, value in (("normalize", normalize), ("flatten", flatten), ("one_hot_label", one_hot_label)):
        _check_switch(name, value)
    spec = _spec(dataset)
    files = fetch_mnist(data_dir, dataset=dataset, mirrors=mirrors)
    kind = "float32" if normalize else "uint8"
    arrays = _cached_arrays(dataset, files, kind) or _arrays_in_memory(spec, files, kind)
    out = []
    for split in _SPLITS:
        x, labels = arrays[split]
        n = len(labels)
        x = x if flatten else x.reshape(n, 1, 28, 28)
        if one_hot_label:
            t = np.zeros((n, 10))  # float64, as in the book
            t[np.arange(n), labels] = 1.0
        else:
            t = labels
        out.append((x, t))
    return tuple(out)


def prepare(data_dir=None, dataset="mnist", mirrors=None):
    """For a teacher: put the four files and the cache in ``data_dir`` once, for every learner.

    Fetches the files (``fetch_mnist``) and builds the cache next to them (``cache_path``),
    unless a valid one is there. Then make the folder read-only and set ``BPLIB_MNIST_DIR``
    (``BPLIB_FASHION_MNIST_DIR``) to it in every learner's environment: their kernels map the
    same file, and the server holds its pages once. Prints what it did; returns the cache's path.
    """
    spec = _spec(dataset)
    files = fetch_mnist(data_dir, dataset=dataset, mirrors=mirrors)
    folder = Path(files[_SPLITS["train"][0]]).parent
    path = cache_path(folder, dataset)
    if _open_cache(path, spec, "float32") is None or _open_cache(path, spec, "uint8") is None:
        problem = _cannot_write(folder) or ("" if _may_write(folder) else say("the folder is read-only"))
        if problem:
            raise OSError(
                say("cannot write the cache into {folder}: {problem}", folder=folder, problem=problem)
            )
        with _build_lock(path):
            _build_cache(path, spec, files)
        print(say("made the cache {path} ({size:.0f} MB)", path=path, size=path.stat().st_size / 1e6))
    else:
        print(say("the cache {path} is there and intact", path=path))
    print(
        say(
            "Learners' kernels share it when {variable}={folder} is set for them; "
            "the folder may then be made read-only (chmod -R a-w {folder}).",
            variable=spec.env_dir,
            folder=folder,
        )
    )
    return path
