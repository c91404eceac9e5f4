"""Shared fixtures: the genuine MNIST folder (CH4_MNIST_DIR) and the repository paths."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from harness import CHROMIUM

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

# Notebooks under tests/fixtures are inputs for grading tests (some are malicious on purpose);
# nbval must never execute them.
collect_ignore_glob = ["fixtures/*", "fixtures/**/*"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's chromium, headless (no sandbox as root)."""
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": args}
