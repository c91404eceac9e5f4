"""Public checks for notebook 09 (further research: a Learner of your own).

They drive the student's ``Learner`` on a small problem and test properties that any correct
training loop has (the record's shape, values recomputed from the trained model, the order of
the callback events, the optimizer's calls). The hidden tests in the grade cells compare with a
reference on other models, data and optimizers.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import types

import torch
from torch import nn

from autograder.checks._common import expect, expect_callable, expect_number, fail

EVENTS = ("before_fit", "before_epoch", "before_batch", "after_batch", "after_epoch", "after_fit")
LINE = re.compile(r"^epoch (\d+): train_loss (\S+) valid_loss (\S+) metric (\S+)$")
MAX_GAP = 0.01  # |our accuracy - fastai's accuracy| allowed for the same settings


class EventLog:
    """A callback that writes down every event it receives (and the epoch at that moment)."""

    def __init__(self, log: list, name: str = "log"):
        self.log = log
        self.name = name

    def _note(self, event: str, learn) -> None:
        epoch = None if event.endswith("_fit") else getattr(learn, "epoch", None)
        self.log.append((self.name, event, epoch))

    def before_fit(self, learn):
        self._note("before_fit", learn)

    def before_epoch(self, learn):
        self._note("before_epoch", learn)

    def before_batch(self, learn):
        self._note("before_batch", learn)

    def after_batch(self, learn):
        self._note("after_batch", learn)

    def after_epoch(self, learn):
        self._note("after_epoch", learn)

    def after_fit(self, learn):
        self._note("after_fit", learn)


class CountingOptimizer:
    """Wraps a torch optimizer and counts how often ``step`` and ``zero_grad`` are called."""

    def __init__(self, opt):
        self.opt = opt
        self.steps = 0
        self.zero_grads = 0

    def step(self):
        self.steps += 1
        self.opt.step()

    def zero_grad(self):
        self.zero_grads += 1
        self.opt.zero_grad()


def expected_events(epochs: int, batches: int, name: str = "log") -> list:
    """The event sequence of ``fit(epochs)`` with ``batches`` training batches per epoch."""
    events = [(name, "before_fit", None)]
    for epoch in range(epochs):
        events.append((name, "before_epoch", epoch))
        for _ in range(batches):
            events += [(name, "before_batch", epoch), (name, "after_batch", epoch)]
        events.append((name, "after_epoch", epoch))
    return events + [(name, "after_fit", None)]


def _mae(preds, targets):
    return (preds - targets).abs().mean()


def _toy_problem(seed: int = 0):
    """A straight line y = 3x - 1 with noise: 4 training batches of 8, validation 8 + 8 + 4."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.rand(52, 1, generator=gen) * 2 - 1
    y = 3 * x - 1 + 0.05 * torch.randn(52, 1, generator=gen)
    train = [(x[i:i + 8], y[i:i + 8]) for i in range(0, 32, 8)]
    valid = [(x[32:40], y[32:40]), (x[40:48], y[40:48]), (x[48:52], y[48:52])]
    return train, valid


def _check_record(record, epochs: int) -> None:
    expect(isinstance(record, list), f"learn.record should be a list, got {type(record).__name__}")
    expect(len(record) == epochs,
           f"after fit({epochs}) learn.record should hold {epochs} entries (one per epoch), "
           f"got {len(record)}")
    for entry in record:
        expect(isinstance(entry, tuple) and len(entry) == 3,
               "each entry of learn.record should be a tuple (train_loss, valid_loss, metric)")
        for value, what in zip(entry, ("train_loss", "valid_loss", "metric"), strict=True):
            expect(type(value) is float,
                   f"{what} in learn.record should be a Python float (use .item()), "
                   f"got {type(value).__name__}")
            expect(math.isfinite(value), f"{what} in learn.record is not a finite number")


def check_learner(Learner) -> None:  # noqa: N803 - the class under test
    """Train a one-input linear regression for 3 epochs and inspect what happened."""
    expect_callable(Learner, "Learner")
    torch.manual_seed(0)
    train, valid = _toy_problem()
    model = nn.Linear(1, 1)
    opt = CountingOptimizer(torch.optim.SGD(model.parameters(), lr=0.1))
    log: list = []
    learn = Learner(model, train, valid, opt, nn.functional.mse_loss, _mae, cbs=[EventLog(log)])
    for name in ("model", "train_dl", "valid_dl", "opt", "loss_func", "metric", "cbs", "record"):
        expect(hasattr(learn, name), f"the Learner should keep an attribute named {name!r}")
    expect(learn.record == [], "a new Learner should start with an empty record")
    learn.fit(3)
    _check_record(learn.record, 3)

    expect(opt.steps == 12, f"fit(3) with 4 training batches should call opt.step() 12 times, "
                            f"got {opt.steps}")
    expect(opt.zero_grads >= opt.steps,
           "opt.zero_grad() should be called once per batch, or gradients pile up from one "
           f"batch to the next (it was called {opt.zero_grads} times for {opt.steps} steps)")

    first, last = learn.record[0], learn.record[-1]
    expect(last[0] < first[0] and last[1] < first[1],
           "the training and validation losses should fall on this easy problem: check the "
           "order backward -> step -> zero_grad")
    with torch.no_grad():
        x = torch.cat([xb for xb, _ in valid])
        y = torch.cat([yb for _, yb in valid])
        preds = model(x)
        valid_loss = nn.functional.mse_loss(preds, y).item()
        metric = _mae(preds, y).item()
    expect(abs(last[1] - valid_loss) < 1e-4 * max(1.0, valid_loss),
           "the last valid_loss should be the loss of the trained model on the whole "
           "validation set (average the batches weighted by their sizes, after the epoch's "
           "training)")
    expect(abs(last[2] - metric) < 1e-4 * max(1.0, metric),
           "the last metric should be the metric of the trained model on the whole validation "
           "set (weighted by batch size)")

    want = expected_events(3, 4)
    expect(log[:1] == want[:1], "before_fit should be the first event, called once")
    expect(len(log) == len(want),
           f"fit(3) with 4 training batches should send {len(want)} events, got {len(log)} "
           "(before_batch/after_batch fire for training batches only)")
    for got, expected in zip(log, want, strict=True):
        if got != expected:
            fail(f"callback events are out of order: expected {expected[1]} (epoch "
                 f"{expected[2]}), got {got[1]} (epoch {got[2]}); set learn.epoch before "
                 "before_epoch")

    learn.fit(1)
    expect(len(learn.record) == 4, "a second call fit(1) should add one entry to the record")


def check_progress_printer(ProgressPrinter) -> None:  # noqa: N803 - the class under test
    """Send the events of a 2-epoch fit to the printer; it should print two matching lines."""
    expect_callable(ProgressPrinter, "ProgressPrinter")
    printer = ProgressPrinter()
    learn = types.SimpleNamespace(record=[], epoch=0, loss=0.0)
    rows = [(0.5, 0.25, 0.75), (0.125, 0.0625, 0.875)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        printer.before_fit(learn)
        for epoch, row in enumerate(rows):
            learn.epoch = epoch
            printer.before_epoch(learn)
            for _ in range(3):
                printer.before_batch(learn)
                learn.loss = 0.3
                printer.after_batch(learn)
            learn.record.append(row)
            printer.after_epoch(learn)
        printer.after_fit(learn)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    expect(len(lines) == 2, f"a 2-epoch fit should print exactly 2 lines (one after each epoch), "
                            f"got {len(lines)}")
    for epoch, (line, row) in enumerate(zip(lines, rows, strict=True)):
        match = LINE.match(line.strip())
        if match is None:
            fail(f"the line {line!r} does not have the form "
                 "'epoch 0: train_loss 0.5000 valid_loss 0.2500 metric 0.7500'")
        expect(int(match.group(1)) == epoch, f"epochs are numbered from 0: got {line!r}")
        for text, value in zip(match.groups()[1:], row, strict=True):
            expect(text == f"{value:.4f}",
                   f"the numbers should be this epoch's record, with 4 decimals: got {line!r}")


def check_comparison(learn, fastai_learn, acc_ours, acc_fastai, epochs: int,
                     min_accuracy: float) -> None:
    """Our Learner and fastai's trained on the same settings should agree."""
    ours = expect_number(acc_ours, "our accuracy")
    theirs = expect_number(acc_fastai, "fastai's accuracy")
    expect(hasattr(learn, "record") and len(learn.record) == epochs,
           f"our Learner should have a record of {epochs} epochs")
    expect(hasattr(fastai_learn, "recorder") and len(fastai_learn.recorder.values) == epochs,
           f"fastai's Learner should have trained for {epochs} epochs")
    expect(learn.model is not fastai_learn.model,
           "the two Learners should train separate copies of the same starting model "
           "(copy.deepcopy), not one shared model")
    expect(ours >= min_accuracy,
           f"our Learner should reach at least {min_accuracy} validation accuracy, got "
           f"{ours:.4f}")
    expect(theirs >= min_accuracy,
           f"fastai's Learner should reach at least {min_accuracy} validation accuracy, got "
           f"{theirs:.4f}")
    expect(abs(ours - theirs) <= MAX_GAP,
           f"the two accuracies should agree within {MAX_GAP} for the same settings: "
           f"{ours:.4f} vs {theirs:.4f}")
