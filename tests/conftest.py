"""Shared fixtures: the genuine MNIST folder (CH4_MNIST_DIR) and the repository paths."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from harness import CHROMIUM, environment

from autograder.device import CPU_ONLY_ENV

os.environ.update(CPU_ONLY_ENV)     # every kernel the tests start (nbval too) stays on the CPU
# One grading key for the whole session (as one key for a whole term): every grading run of
# the tests draws the same hidden inputs, so references computed once are reused
# (CH4_REFERENCE_CACHE). The key is random and made here; nothing in the repository holds one.
os.environ.setdefault("CH4_GRADING_KEY_FILE",
                      os.path.join(tempfile.mkdtemp(prefix="ch4-test-key-"), "grading-key"))

REPO = Path(__file__).resolve().parent.parent
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist"


def genuine_mnist_dir() -> Path | None:
    """The folder with the four IDX files, from CH4_MNIST_DIR or ../shared next to the repo."""
    env = os.environ.get("CH4_MNIST_DIR")
    for candidate in ([Path(env)] if env else []) + [SHARED_MNIST]:
        if (candidate / "train-images-idx3-ubyte.gz").exists():
            return candidate.resolve()
    return None


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    found = genuine_mnist_dir()
    if found is None:
        if os.environ.get("CH4_REQUIRE_DATA"):
            pytest.fail("CH4_REQUIRE_DATA is set but the MNIST IDX files are missing")
        pytest.skip("genuine MNIST IDX files not available (set CH4_MNIST_DIR)")
    os.environ["CH4_MNIST_DIR"] = str(found)  # notebook kernels inherit it
    return found

# What a solution notebook computes under grading depends on these (besides its source, its
# spec and the grading key, which the reference's own inputs digest holds): a reference is only
# shared between grading runs made under the same values.
REFERENCE_SETTINGS = ("CH4_MNIST_DIR", "CH4_QUICK", "CH4_FULL_RUN", "CH4_SEED", "CH4_DEVICE")


@pytest.fixture(scope="session")
def shared_references(tmp_path_factory) -> Callable[..., AbstractContextManager[Path]]:
    """``with shared_references(label):`` sets CH4_REFERENCE_CACHE to this session's folder for
    the present REFERENCE_SETTINGS and ``label`` (name any other grading setting that changes
    a reference), so every module grading a solution notebook under the same settings
    computes its reference once per session. A reference whose run failed is not kept."""
    root = tmp_path_factory.mktemp("references")

    @contextmanager
    def shared(label: str = "") -> Iterator[Path]:
        values = [f"{name}={os.environ.get(name, '')}" for name in REFERENCE_SETTINGS]
        digest = hashlib.sha256("\n".join([*values, label]).encode()).hexdigest()[:16]
        folder = root / digest
        folder.mkdir(exist_ok=True)
        try:
            with environment(CH4_REFERENCE_CACHE=str(folder)):
                yield folder
        finally:
            _forget_failed_references(folder)

    return shared


def _forget_failed_references(folder: Path) -> None:
    """Remove the cached references whose solution run failed (a time limit, a kernel that
    died): a failure under one module's limits must not reach another module."""
    for file in folder.glob("*.json"):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if data.get("fatal") or data.get("errors") or not data.get("records"):
            file.unlink(missing_ok=True)


# Notebooks under tests/fixtures are inputs for grading tests (some are malicious on purpose);
# nbval must never execute them.
collect_ignore_glob = ["fixtures/*", "fixtures/**/*"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's chromium, headless (no sandbox as root)."""
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": args}
