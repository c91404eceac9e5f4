"""Read and verify the original MNIST IDX files (gzip-compressed or plain)."""

from __future__ import annotations

import gzip
import hashlib
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

IMAGE_MAGIC = 2051
LABEL_MAGIC = 2049

# The four files as every MNIST mirror serves them, with their published MD5 sums.
KNOWN_FILES = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
EXPECTED_COUNTS = {"train": 60_000, "t10k": 10_000}


class IdxError(ValueError):
    """An IDX file is missing, truncated, corrupt or not what its name says."""


@dataclass(frozen=True)
class MnistSplit:
    """Images (N, 28, 28) uint8 and labels (N,) uint8 of one MNIST file pair."""

    images: np.ndarray
    labels: np.ndarray
    md5_verified: bool


def _find(folder: Path, stem: str) -> Path:
    for name in (f"{stem}.gz", stem):
        if (folder / name).is_file():
            return folder / name
    raise IdxError(f"{folder}: missing {stem}.gz (the folder must hold the four MNIST IDX files)")


def _read_bytes(path: Path) -> tuple[bytes, str]:
    raw = path.read_bytes()
    md5 = hashlib.md5(raw).hexdigest()
    if path.suffix == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise IdxError(f"{path}: corrupt or truncated gzip data ({exc})") from exc
    return raw, md5


def read_idx(path: Path, magic: int) -> tuple[np.ndarray, str]:
    """Return the array stored in one IDX file and the MD5 of the file on disk."""
    raw, md5 = _read_bytes(path)
    header = 16 if magic == IMAGE_MAGIC else 8
    if len(raw) < header:
        raise IdxError(f"{path}: truncated header ({len(raw)} bytes)")
    found = struct.unpack(">I", raw[:4])[0]
    if found != magic:
        kind = "image" if magic == IMAGE_MAGIC else "label"
        raise IdxError(f"{path}: bad magic number {found}, expected {magic} for an {kind} file")
    if magic == IMAGE_MAGIC:
        count, rows, cols = struct.unpack(">III", raw[4:16])
        shape: tuple[int, ...] = (count, rows, cols)
    else:
        count = struct.unpack(">I", raw[4:8])[0]
        shape = (count,)
    expected = header + int(np.prod(shape))
    if len(raw) != expected:
        raise IdxError(
            f"{path}: truncated or padded data ({len(raw)} bytes, header says {expected})"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape), md5


def load_split(folder: Path, split: str) -> MnistSplit:
    """Load 'train' or 't10k' images and labels from a folder of IDX files, verified."""
    if not folder.is_dir():
        raise IdxError(f"{folder}: no such folder (expected the four MNIST IDX files there)")
    img_path = _find(folder, f"{split}-images-idx3-ubyte")
    lbl_path = _find(folder, f"{split}-labels-idx1-ubyte")
    images, img_md5 = read_idx(img_path, IMAGE_MAGIC)
    labels, lbl_md5 = read_idx(lbl_path, LABEL_MAGIC)
    if images.shape[1:] != (28, 28):
        raise IdxError(f"{img_path}: images are {images.shape[1:]}, expected 28x28")
    if len(images) != len(labels):
        raise IdxError(f"{folder}: {len(images)} images but {len(labels)} labels in {split}")
    if len(images) != EXPECTED_COUNTS[split]:
        raise IdxError(
            f"{img_path}: {len(images)} images, MNIST {split} has {EXPECTED_COUNTS[split]}"
        )
    if labels.max() > 9:
        raise IdxError(f"{lbl_path}: label {labels.max()} out of range 0-9")
    verified = (
        KNOWN_FILES.get(img_path.name) == img_md5 and KNOWN_FILES.get(lbl_path.name) == lbl_md5
    )
    return MnistSplit(images=images, labels=labels, md5_verified=verified)
