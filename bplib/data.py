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

No ``.npz`` cache of the parsed arrays: measured on 2 cores, a whole ``load_mnist()`` takes
0.3-0.5 s (unzipping and parsing 0.27-0.44 s, the four checksums 0.01 s); an ``.npz`` would
read in 0.03-0.07 s, saving about 0.25 s per load, not worth a second cache to keep in step.
"""

import gzip
import hashlib
import logging
import os
import tempfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "FASHION_MNIST_CLASSES",
    "FASHION_MNIST_MIRRORS",
    "MNIST_FILES",
    "MNIST_MIRRORS",
    "MnistUnavailableError",
    "fetch_mnist",
    "load_mnist",
    "mnist_dir",
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
        raise ValueError(f"unknown dataset {dataset!r}; choose one of {sorted(_DATASETS)}") from None


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
    import platformdirs  # a dependency of pooch; imported here so that `import bplib` stays light

    return Path(platformdirs.user_cache_dir("bplib")) / spec.folder


def _mirrors(mirrors, spec):
    if mirrors is None:
        env = os.environ.get(spec.env_mirrors, "")
        mirrors = env.replace(",", " ").split() or globals()[spec.mirrors_attr]
    if isinstance(mirrors, str):
        mirrors = [mirrors]
    mirrors = [m if m.endswith("/") else m + "/" for m in mirrors]
    if not mirrors:
        raise ValueError("mirrors: give at least one base URL")
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
        return "timed out"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "connection closed before the whole file arrived"
    if isinstance(exc, requests.ConnectionError):
        return "could not connect (or the connection stalled)"
    if isinstance(exc, ValueError):
        return "the downloaded file's SHA-256 did not match (damaged or truncated); it was deleted"
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
            failures.append(f"{url}: skipped (could not connect earlier)")
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
        raise ValueError(f"files: {unknown} are not {spec.title} files; they are {list(spec.files)}")
    # Checked here rather than left to pooch.retrieve: it takes one URL, and we try several
    # mirrors and print a line only when something is really downloaded.
    todo = [n for n in names if not _sha256_ok(folder / n, spec.files[n][0])]
    if todo:
        mirrors = _mirrors(mirrors, spec)
        failures, dead = {}, set()
        problem = _cannot_write(folder)
        if problem:
            failures = {n: [f"cannot write to the folder: {problem}"] for n in todo}
        else:
            for name in todo:
                sha256, size = spec.files[name]
                if len(dead) < len(mirrors):  # no "Downloading" line once every mirror is unreachable
                    amount = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
                    print(f"Downloading {spec.title} file {name} ({amount}) into {folder}", flush=True)
                tried = _download(name, sha256, folder, mirrors, timeout, dead)
                if tried:
                    failures[name] = tried
        if failures:
            raise MnistUnavailableError(_unavailable_message(spec, folder, failures))
    return {n: folder / n for n in names}


def _unavailable_message(spec, folder, failures):
    lines = [
        f"{spec.title} is not available: these files are missing or damaged and could not be downloaded."
    ]
    for name, tried in failures.items():
        state = "damaged (wrong SHA-256)" if (folder / name).exists() else "missing"
        lines.append(f"  {name} ({state}); tried:")
        lines += [f"      {t}" for t in tried]
    lines.append(f"To work offline, put these files, named exactly so, in the folder {folder}")
    for name in failures:
        sha256, size = spec.files[name]
        lines.append(f"  {name}  ({size:,} bytes, sha256 {sha256})")
    lines.append(f"or set the environment variable {spec.env_dir} to a folder that holds all four files.")
    return "\n".join(lines)


def read_idx(path):
    """Read one gzipped IDX file of unsigned bytes into a uint8 array of the header's shape.

    IDX: two zero bytes, the type code 0x08 (unsigned byte), the number of dimensions d,
    then d big-endian uint32 sizes, then the data. MNIST images: (N, 28, 28); labels: (N,).
    Raises ValueError naming the file when it is not gzip or the header does not fit the data.
    """
    path = Path(path)
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError; EOFError: cut short
        raise ValueError(f"{path}: not a complete gzip file ({exc})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{path}: not an IDX file (it must start with two zero bytes)")
    if raw[2] != 0x08:
        raise ValueError(f"{path}: IDX data type 0x{raw[2]:02x} is not supported (only 0x08, unsigned byte)")
    ndim = raw[3]
    start = 4 + 4 * ndim
    if ndim == 0 or len(raw) < start:
        raise ValueError(f"{path}: IDX header is cut short or has 0 dimensions")
    shape = tuple(int(s) for s in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    if len(raw) - start != int(np.prod(shape)):
        raise ValueError(
            f"{path}: header says shape {shape} ({int(np.prod(shape))} bytes) but holds {len(raw) - start}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=start).reshape(shape)


def _read_split(files, split, title):
    img_name, lab_name, n = _SPLITS[split]
    images, labels = read_idx(files[img_name]), read_idx(files[lab_name])
    if images.shape != (n, 28, 28) or labels.shape != (n,):
        raise ValueError(
            f"{title} {split}: expected images (n, 28, 28) and labels (n,) with n = {n}, "
            f"got {images.shape} and {labels.shape}"
        )
    if labels.max() > 9:
        raise ValueError(f"{title} {split}: label {labels.max()} is outside 0..9")
    return images, labels


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
    Files are fetched and checked by ``fetch_mnist``; every call returns new arrays.
    """
    spec = _spec(dataset)
    files = fetch_mnist(data_dir, dataset=dataset, mirrors=mirrors)
    out = []
    for split in ("train", "test"):
        images, labels = _read_split(files, split, spec.title)
        n = len(labels)
        x = images.reshape(n, 784) if flatten else images.reshape(n, 1, 28, 28)
        # one float32 pass, same values as the book's astype(float32) then /= 255.0;
        # copy() because the parsed array is a read-only view of the unzipped bytes
        x = np.divide(x, np.float32(255), dtype=np.float32) if normalize else x.copy()
        if one_hot_label:
            t = np.zeros((n, 10))  # float64, as in the book
            t[np.arange(n), labels] = 1.0
        else:
            t = labels.astype(np.int64)
        out.append((x, t))
    return tuple(out)
