"""Chapter fidelity: every stage of the reference solutions against the book's figures.

    python -m benchmarks.chapter [--seeds 42 43 44] [--full]

Runs each solutions notebook once per seed (``CH4_SEED``) with ``CH4_FIGURES_OUT`` set, so
the notebooks report each stage's accuracy and wall time (``autograder.figures``), then prints
per stage the book's figure, the bound the course promises, our mean and spread, and seconds.
Needs genuine MNIST (``CH4_MNIST_DIR``); ``--full`` trains the full-MNIST notebook on all
60,000 images (``CH4_FULL_RUN=1``) instead of its CI budget.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path

from autograder import notebook as nbk
from autograder.execute import run
from benchmarks.table import render, save

REPO = Path(__file__).resolve().parent.parent

# stage: (book's figure or None, lower bound promised by the course)
STAGES: dict[str, tuple[float | None, float | None]] = {
    "pixel_similarity": (0.9511, 0.9511),
    "linear_by_hand_1_epoch": (0.6883, None),
    "linear_by_hand_20_epochs": (0.9696, 0.96),
    "basic_optim": (0.9785, 0.97),
    "fastai_sgd": (0.9785, 0.97),
    "learner_linear": (0.9676, 0.96),
    "simple_net_by_hand": (0.9828, 0.98),
    "simple_net_sequential": (0.9828, 0.98),
    "resnet18": (0.9971, 0.99),
    "own_learner_linear": (None, 0.96),
    "own_learner_simple_net": (None, 0.98),
    "full_pixel_l1": (None, 0.66),
    "full_pixel_rmse": (None, 0.82),
    "full_linear": (None, 0.91),
    "full_two_layer": (None, 0.97),
    "full_resnet18": (None, 0.99),
}


def run_notebook(path: Path, seed: int, full: bool) -> list[dict]:
    """Execute one solutions notebook with a seed; return the figures it recorded."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = Path(tmp) / "figures.jsonl"
        env = dict(os.environ, CH4_SEED=str(seed), CH4_FIGURES_OUT=str(figures),
                   PYTHONWARNINGS="ignore")
        if full:
            env["CH4_FULL_RUN"] = "1"
        result = run(nbk.read(path), cwd=path.parent, cell_timeout=3600, total_timeout=7200,
                     env=env)
        failed = [c.index for c in result.cells if c.error]
        if failed or result.fatal:
            print(f"  warning: {path.name} seed {seed}: cells {failed} failed {result.fatal or ''}")
        if not figures.exists():
            return []
        return [json.loads(line) for line in figures.read_text().splitlines() if line]


def _verdict(worst: float, bound: float | None) -> str:
    if bound is None:
        return "-"
    return "yes" if worst >= bound - 1e-9 else f"NO (short by {bound - worst:.4f})"


def summarise(rows: list[dict]) -> list[dict]:
    table = []
    for stage in sorted({r["stage"] for r in rows}, key=lambda s: list(STAGES).index(s)
                        if s in STAGES else 99):
        accs = [r["accuracy"] for r in rows if r["stage"] == stage]
        secs = [r["seconds"] for r in rows if r["stage"] == stage and r["seconds"] is not None]
        book, bound = STAGES.get(stage, (None, None))
        mean = statistics.mean(accs)
        table.append({
            "stage": stage, "book": f"{book:.4f}" if book else "-",
            "bound": f">= {bound:.4f}" if bound else "-",
            "ours (mean)": f"{mean:.4f}", "spread (min-max)": f"{min(accs):.4f}-{max(accs):.4f}",
            "seeds": len(accs), "cpu s (mean)": f"{statistics.mean(secs):.1f}" if secs else "-",
            "within bound": _verdict(min(accs), bound),
        })
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    parser.add_argument("--full", action="store_true", help="full-MNIST notebook on all data")
    parser.add_argument("--notebooks", nargs="*", help="only these solutions notebooks (names)")
    parser.add_argument("--out", type=Path, help="JSON file (default benchmarks/results/)")
    args = parser.parse_args()
    paths = nbk_paths = sorted((REPO / "solutions").glob("*.ipynb"))
    if args.notebooks:
        paths = [p for p in nbk_paths if any(n in p.name for n in args.notebooks)]
    rows: list[dict] = []
    for seed in args.seeds:
        for path in paths:
            print(f"running {path.name} (seed {seed}) ...", flush=True)
            rows += run_notebook(path, seed, args.full)
    table = summarise(rows)
    columns = ["stage", "book", "bound", "ours (mean)", "spread (min-max)", "seeds",
               "cpu s (mean)", "within bound"]
    print(render(table, columns))
    where = save("chapter", {"seeds": args.seeds, "full": args.full, "table": table,
                             "raw": rows}, args.out)
    print(f"\nwritten to {where}")


if __name__ == "__main__":
    main()
