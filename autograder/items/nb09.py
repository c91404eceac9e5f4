"""Items of notebook 09 (a Learner of your own, compared with fastai's).

The ``Learner`` is judged by what one ``fit`` (and a second ``fit`` on the same learner) does
to a model with given starting weights on fixed lists of batches: the parameters it leaves
behind, its record, and what callbacks that only take notes saw at every event (the epoch, the
batch size, the loss, the record). Training batches of unequal sizes show whether the epoch
averages are weighted by batch size; validation batches would move the parameters if they
were trained on; a model that notes its mode at every call shows training and validation
running in the right modes. Everything is deterministic (no shuffling, fixed weights), so the
values are compared with the reference's.

The printer is driven with a stand-in learner through two fits, its output captured event by
event. The two comparison exercises train on MNIST_SAMPLE with random shuffling, so they are
judged by bounds and by consistency: the reported accuracies are those of the trained models
on the validation set, both reach the chapter's level and agree within 0.01, the models are
separate copies and the starting model was left untouched.
"""

from __future__ import annotations

import numpy as np
import torch

from autograder.items.spec import Item, NotebookSpec, Probe, between, close, equal

# ------------------------------------------------------------------ exercise 1: the Learner

_FIT = '''
import torch as _ch4_torch
import torch.nn.functional as _ch4_F


class _Ch4Notes:
    """A callback that writes down what it can see at every event."""

    def __init__(self, log, name):
        self.log, self.name = log, name

    def _note(self, event, learn, seen):
        epoch = None if event.endswith("_fit") else getattr(learn, "epoch", None)
        self.log.append([self.name, event, epoch, seen])

    def before_fit(self, learn):
        self._note("before_fit", learn, len(learn.record))

    def before_epoch(self, learn):
        self._note("before_epoch", learn, len(learn.record))

    def before_batch(self, learn):
        self._note("before_batch", learn, [len(learn.xb), len(learn.yb)])

    def after_batch(self, learn):
        self._note("after_batch", learn, float(learn.loss))

    def after_epoch(self, learn):
        self._note("after_epoch", learn, [float(v) for v in learn.record[-1]])

    def after_fit(self, learn):
        self._note("after_fit", learn, len(learn.record))


class _Ch4Watched(_ch4_torch.nn.Module):
    """The model under training; notes (train mode, gradients on, batch size) at every call."""

    def __init__(self, body):
        super().__init__()
        self.body = body
        self.seen = []

    def forward(self, x):
        self.seen.append((bool(self.training), bool(_ch4_torch.is_grad_enabled()), len(x)))
        return self.body(x)


def _ch4_model(params, flatten):
    layers = [_ch4_torch.nn.Flatten()] if flatten else []
    shapes = [p.shape for p in params if p.dim() == 2]
    for i, (n_out, n_in) in enumerate(shapes):
        if i:
            layers.append(_ch4_torch.nn.Tanh())
        layers.append(_ch4_torch.nn.Linear(n_in, n_out))
    body = _ch4_torch.nn.Sequential(*layers)
    with _ch4_torch.no_grad():
        for p, v in zip(body.parameters(), params):
            p.copy_(v)
    return _Ch4Watched(body)


def _ch4_opt(kind, params, lr):
    if kind == "adam":
        return _ch4_torch.optim.Adam(params, lr=lr)
    if kind == "momentum":
        return _ch4_torch.optim.SGD(params, lr=lr, momentum=0.9)
    return _ch4_torch.optim.SGD(params, lr=lr)


def _ch4_loader(batches, kind):
    if kind == "list":
        return [(x, y) for x, y in batches]
    xs = _ch4_torch.cat([x for x, _ in batches])
    ys = _ch4_torch.cat([y for _, y in batches])
    return _ch4_torch.utils.data.DataLoader(
        _ch4_torch.utils.data.TensorDataset(xs, ys), batch_size=len(batches[0][0]),
        shuffle=False)


def _ch4_mae(preds, targets):
    return (preds - targets).abs().mean()


def _ch4_accuracy(preds, targets):
    return (preds.argmax(dim=1) == targets).float().mean()


_ch4_tasks = {"regression": (_ch4_F.mse_loss, _ch4_mae),
              "classes": (_ch4_F.cross_entropy, _ch4_accuracy)}


def _ch4_fit(params, train, valid, task, opt_kind, lr, loaders, n_cbs, fits, flatten=False):
    model = _ch4_model(params, flatten)
    loss_func, metric = _ch4_tasks[task]
    log = []
    cbs = [_Ch4Notes(log, name) for name in "ab"[:n_cbs]]
    learn = Learner(model, _ch4_loader(train, loaders), _ch4_loader(valid, loaders),
                    _ch4_opt(opt_kind, model.parameters(), lr), loss_func, metric, cbs=cbs)
    names = ("model", "train_dl", "valid_dl", "opt", "loss_func", "metric", "cbs", "record")
    out = {"attributes kept": [n for n in names if hasattr(learn, n)],
           "record of a new Learner": [list(row) for row in learn.record]}
    for k, epochs in enumerate(fits):
        del log[:]
        learn.fit(epochs)
        when = f"fit number {k + 1} (fit({epochs}))"
        out[f"record after {when}"] = [[float(v) for v in row] for row in learn.record]
        out[f"parameters after {when}"] = [p.detach().clone() for p in model.parameters()]
        out[f"what the callbacks saw during {when}"] = list(log)
    out["modes of the model's calls (train mode, gradients on, batch size)"] = sorted(
        set(model.seen))
    return out
'''

_FIT_HINT = ("train on every batch of train_dl and only those; zero the gradients after each "
             "step; the record gets one (train_loss, valid_loss, metric) per epoch, each averaged "
             "over the epoch weighted by batch size; validation in eval mode under no_grad; "
             "self.epoch counts 0, 1, ... within each call of fit, and the record keeps growing "
             "across calls; callbacks are called in list order at the events shown")


def _t(array, dtype=np.float32) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(array, dtype=dtype))


def _fit_probe(label: str, params: list, train: list, valid: list, task: str, opt: str,
               lr: float, loaders: str, n_cbs: int, fits: tuple[int, ...],
               flatten: bool = False) -> Probe:
    inputs = {"_ch4_params": params, "_ch4_train": train, "_ch4_valid": valid}
    code = (f"_ch4_fit(_ch4_params, _ch4_train, _ch4_valid, {task!r}, {opt!r}, {lr!r}, "
            f"{loaders!r}, {n_cbs}, {list(fits)!r}, {flatten!r})")
    return Probe(label, code, inputs, close(atol=1e-5, rtol=1e-4), setup=_FIT, hint=_FIT_HINT)


def _regression_batches(rng: np.random.Generator, sizes: tuple[int, ...], shape: tuple,
                        w: np.ndarray) -> list:
    out = []
    for n in sizes:
        x = rng.uniform(-1, 1, size=(n, *shape))
        y = x.reshape(n, -1) @ w + 0.5 + 0.05 * rng.standard_normal((n, 1))
        out.append((_t(x), _t(y)))
    return out


def _public_learner() -> Probe:
    rng = np.random.default_rng(909)
    w = np.array([[3.0]])
    train = _regression_batches(rng, (8, 8, 8, 3), (1,), w)
    valid = _regression_batches(rng, (8, 8, 4), (1,), w)
    params = [torch.tensor([[0.5]]), torch.tensor([-0.25])]
    return _fit_probe("a linear regression (1 input) with SGD at lr 0.1: training batches of "
                      "8, 8, 8, 3, validation batches of 8, 8, 4; fit(3), then fit(1)",
                      params, train, valid, "regression", "sgd", 0.1, "list", 1, (3, 1))


def _learner_hidden(rng: np.random.Generator) -> list[Probe]:
    # 1. A small tanh net on (2, 3) inputs, plain SGD, uneven batches, fit twice.
    w = rng.standard_normal((6, 1))
    sizes = tuple(int(n) for n in rng.integers(3, 9, size=4)) + (1,)
    train = _regression_batches(rng, sizes, (2, 3), w)
    valid = _regression_batches(rng, (7, 5, 2), (2, 3), w)
    params = [_t(rng.standard_normal((4, 6)) * 0.4), _t(rng.standard_normal(4) * 0.1),
              _t(rng.standard_normal((1, 4)) * 0.4), _t(rng.standard_normal(1) * 0.1)]
    lr = round(float(rng.uniform(0.03, 0.08)), 3)
    first = int(rng.integers(2, 4))
    probes = [_fit_probe(f"a tanh net on inputs of shape (2, 3) with SGD at lr {lr}: "
                         f"training batches of {', '.join(map(str, sizes))}, validation 7, 5, "
                         f"2; fit({first}), then fit(2)", params, train, valid, "regression",
                         "sgd", lr, "list", 1, (first, 2), flatten=True)]
    # 2. Three classes, cross-entropy, Adam, torch DataLoaders, two callbacks.
    centres = rng.standard_normal((3, 5)) * 2
    labels = rng.integers(0, 3, size=70)
    x = centres[labels] + rng.standard_normal((70, 5))

    def batches(lo: int, hi: int, bs: int) -> list:
        return [(_t(x[i:min(i + bs, hi)]), _t(labels[i:min(i + bs, hi)], np.int64))
                for i in range(lo, hi, bs)]

    params = [_t(rng.standard_normal((3, 5)) * 0.3), _t(np.zeros(3))]
    probes.append(_fit_probe("3 classes with cross-entropy and Adam on torch DataLoaders "
                             "(training 10, 10, 10, 10, 10 and 4, validation 7, 7, 2), two "
                             "callbacks; fit(4)", params, batches(0, 54, 10),
                             batches(54, 70, 7), "classes", "adam", 0.05, "torch", 2, (4,)))
    # 3. SGD with momentum: an optimizer with state of its own, fit(1) three times.
    train = _regression_batches(rng, (5, 5, 2), (3,), rng.standard_normal((3, 1)))
    valid = _regression_batches(rng, (6, 1), (3,), rng.standard_normal((3, 1)))
    params = [_t(rng.standard_normal((1, 3)) * 0.3), _t(np.zeros(1))]
    probes.append(_fit_probe("a linear regression with SGD and momentum (training 5, 5, 2, "
                             "validation 6, 1); fit(1) three times", params, train, valid,
                             "regression", "momentum", 0.05, "list", 1, (1, 1, 1)))
    return probes


# ------------------------------------------------------------------ exercise 2: ProgressPrinter

_PRINTER = '''
import contextlib as _ch4_contextlib
import io as _ch4_io
import types as _ch4_types


def _ch4_printed(rows, fits, losses):
    learn = _ch4_types.SimpleNamespace(record=[], epoch=0, loss=0.0, model=None)
    printer = ProgressPrinter()
    out = []
    rows = iter(rows)

    def send(event):
        buffer = _ch4_io.StringIO()
        with _ch4_contextlib.redirect_stdout(buffer):
            getattr(printer, event)(learn)
        out.append([event, [line.strip() for line in buffer.getvalue().splitlines()
                            if line.strip()]])

    for epochs in fits:
        send("before_fit")
        for epoch in range(epochs):
            learn.epoch = epoch
            send("before_epoch")
            for loss in losses:
                learn.loss = loss
                send("before_batch")
                send("after_batch")
            learn.record.append(tuple(next(rows)))
            send("after_epoch")
        send("after_fit")
    return out
'''
_PRINTER_HINT = ("one line after each epoch and nothing at other events: the epoch number of "
                 "this fit (from 0) and the last row of the record, 4 decimals each, in the "
                 "format shown")


def _printer_probe(label: str, rows: list, fits: tuple[int, ...], losses: list) -> Probe:
    return Probe(label, f"_ch4_printed(_ch4_rows, {list(fits)!r}, _ch4_losses)",
                 {"_ch4_rows": rows, "_ch4_losses": losses}, equal(), setup=_PRINTER,
                 hint=_PRINTER_HINT)


def _printer_hidden(rng: np.random.Generator) -> list[Probe]:
    first, second = int(rng.integers(2, 5)), int(rng.integers(1, 3))
    rows = [[float(rng.uniform(0, 2)), float(rng.uniform(0, 2)), float(rng.uniform(0, 1))]
            for _ in range(first + second)]
    rows[0] = [12.345678, 0.99995, 0.000049]          # large, rounding up, rounding down
    losses = [float(v) for v in rng.uniform(0, 3, size=3)]
    return [_printer_probe(f"ProgressPrinter through fit({first}) then fit({second}) of the "
                           "same learner", rows, (first, second), losses),
            _printer_probe("ProgressPrinter through fit(0) then fit(1)",
                           [[0.5, 0.25, 0.125]], (0, 1), [1.0])]


# ------------------------------------------------------------------ exercises 3 and 4

_ACCURACY = '''
import torch as _ch4_torch


def _ch4_valid_accuracy(model):
    """The accuracy of the model on the whole validation set (the notebook's valid_x, valid_y)."""
    with _ch4_torch.no_grad():
        preds = model(valid_x)
    return float(((preds.sigmoid() > 0.5).float() == valid_y).float().mean())


def _ch4_structure(ours, theirs):
    shared = any(p is q for p in ours.model.parameters() for q in theirs.model.parameters())
    return {"ours is a Learner of your own class": isinstance(ours, Learner),
            "epochs trained by ours and by fastai's": [len(ours.record), theirs.n_epoch],
            "parameter shapes of both models": [[list(p.shape) for p in m.parameters()]
                                                for m in (ours.model, theirs.model)],
            "a ProgressPrinter among our callbacks": any(isinstance(cb, ProgressPrinter)
                                                         for cb in ours.cbs),
            "the two models share parameters": shared}


def _ch4_gap(ours, theirs, x):
    with _ch4_torch.no_grad():
        return float((ours.model(x) - theirs.model(x)).abs().max())
'''


def _compare_item(grade_id: str, title: str, ours: str, theirs: str, acc_ours: str,
                  acc_theirs: str, start: str, minimum: float) -> Item:
    names = (ours, theirs, acc_ours, acc_theirs)
    public = (
        Probe(f"{acc_ours} (our final validation accuracy)", acc_ours, {}, between(minimum, 1.0),
              hint=f"our Learner should reach at least {minimum} on the validation set"),
        Probe(f"{acc_theirs} (fastai's final validation accuracy)", acc_theirs, {},
              between(minimum, 1.0),
              hint=f"fastai's Learner should reach at least {minimum} on the validation set"),
        Probe(f"{acc_ours} - {acc_theirs}", f"{acc_ours} - {acc_theirs}", {},
              between(-0.01, 0.01),
              hint="the same settings should give accuracies within 0.01 of each other"),
        Probe(f"{acc_ours} minus the accuracy of {ours}.model on the validation set",
              f"{acc_ours} - _ch4_valid_accuracy({ours}.model)", {}, between(-1e-4, 1e-4),
              setup=_ACCURACY,
              hint="report the final validation accuracy of the trained model (the last "
                   "entry of the record), not a training-set or first-epoch figure"),
        Probe(f"{acc_theirs} minus the accuracy of {theirs}.model on the validation set",
              f"{acc_theirs} - _ch4_valid_accuracy({theirs}.model)", {}, between(-1e-4, 1e-4),
              setup=_ACCURACY,
              hint="report fastai's final validation accuracy (the metric column of the last "
                   "row of recorder.values), not its loss"),
        Probe(f"{ours} and {theirs}: their classes, epochs, models and callbacks",
              f"_ch4_structure({ours}, {theirs})", {}, equal(), setup=_ACCURACY,
              hint="ours is your Learner with a ProgressPrinter, both trained for the given "
                   "epochs on separate copies (copy.deepcopy) of the starting model"),
        Probe(f"{start} after both trainings", f"[p.detach() for p in {start}.parameters()]",
              {}, close(atol=1e-7, rtol=0.0),
              hint="train copies of the starting model, leave the starting model itself as "
                   "it was"),
    )

    def hidden(rng: np.random.Generator) -> list[Probe]:
        x = _t(rng.random((6, 784)))
        return [Probe(f"the largest difference between the outputs of {ours}.model and "
                      f"{theirs}.model on 6 grader-chosen images",
                      f"_ch4_gap({ours}, {theirs}, _ch4_x)", {"_ch4_x": x},
                      between(1e-6, np.inf), setup=_ACCURACY,
                      hint="two learners, each training its own copy of the starting model")]

    return Item(grade_id, names, public=public, hidden=hidden, title=title,
                needs=("ex_learner", "ex_progress_printer"))


SPEC = NotebookSpec("09_your_own_learner", (
    Item("ex_learner", ("Learner",), title="Exercise 1 (Learner)",
         public=(_public_learner(),), hidden=_learner_hidden),
    Item("ex_progress_printer", ("ProgressPrinter",), title="Exercise 2 (ProgressPrinter)",
         public=(_printer_probe("ProgressPrinter through fit(2) then fit(1) of the same learner",
                                [[0.5, 0.25, 0.75], [0.125, 0.0625, 0.875],
                                 [0.0123456, 0.98765, 0.5]], (2, 1), [0.3, 0.2]),),
         hidden=_printer_hidden),
    _compare_item("ex_compare_linear", "Exercise 3 (the linear model both ways)",
                  "learn_linear", "fastai_linear", "acc_ours_linear", "acc_fastai_linear",
                  "start_linear", 0.96),
    _compare_item("ex_compare_simple_net", "Exercise 4 (simple_net both ways)", "learn_net",
                  "fastai_net", "acc_ours_net", "acc_fastai_net", "start_net", 0.98),
))


# graded hints (`ch4 hint`): each level more specific, never the code to write
SPEC = SPEC.with_hints({
    'ex_learner': (
        'Start from fit: one loop over epochs, inside it a training pass and a validation pass.',
        'Training: for each batch, loss, backward, step, clear; validation in eval mode without '
        'gradients.',
        'Average losses and metric over an epoch weighted by batch size; call the callbacks in '
        'order at each event.',
    ),
    'ex_progress_printer': (
        'A callback that acts only at the end of an epoch.',
        'Print the epoch number and the last row of the record in the format shown.',
    ),
    'ex_compare_linear': (
        'Train two copies of the same starting model, one with each Learner.',
        'Report the final validation accuracy of each, not the loss or a first-epoch figure.',
    ),
    'ex_compare_simple_net': (
        'Train two copies of the same starting model, one with each Learner.',
        'Report the final validation accuracy of each, not the loss or a first-epoch figure.',
    ),
})
