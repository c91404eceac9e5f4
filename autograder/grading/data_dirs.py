"""Which data folders a graded kernel may read: MNIST_SAMPLE (and full MNIST for the
notebooks that need it), built offline when missing and made readable to the sandbox's uid.

Used by the command line, the demo and the worker side alike, so it lives apart from them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def needs_full_mnist(solutions: Path, notebooks: tuple[str, ...] = ()) -> bool:
    """True when a notebook to grade reads full MNIST (calls ``full_path()``)."""
    for path in Path(solutions).glob("*.ipynb"):
        if notebooks and path.stem not in notebooks:
            continue
        try:
            if "full_path(" in path.read_text(encoding="utf-8"):
                return True
        except OSError:
            continue
    return False


def default_data_dirs(full: bool = False) -> list[Path]:
    """The folder holding MNIST_SAMPLE (and full MNIST when ``full``), built if missing."""
    from autograder import data

    folders = []
    for want_full in (False, True) if full else (False,):
        try:
            dataset = data.build(full=want_full, offline=True,
                                 log=lambda m: print(m, file=sys.stderr))
        except data.DataError as exc:
            print(f"warning: no MNIST data for the kernels ({exc})", file=sys.stderr)
            continue
        share_readable(dataset.path.parent)
        if dataset.path.parent not in folders:
            folders.append(dataset.path.parent)
    return folders


def share_readable(folder: Path) -> None:
    """Let the sandbox's unprivileged uid read the data (atomic builds leave folders 0700)."""
    for path in [folder, *folder.iterdir()]:
        try:
            if path.is_dir() and path.stat().st_uid == os.geteuid():
                os.chmod(path, path.stat().st_mode | 0o055)
        except OSError:
            pass
