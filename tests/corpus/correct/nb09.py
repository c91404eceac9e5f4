"""Correct answers for notebook 09 written in other styles than the reference; each must get
full marks from both ``ch4 check`` and ``ch4 grade``. Same tuple shape as tests/mutants:
(answer cell id, grade id, what style, source)."""

_COMPARE_LINEAR_HEAD = '''
torch.manual_seed(0)
start_linear = nn.Linear(28 * 28, 1)
'''
_COMPARE_NET_HEAD = '''
torch.manual_seed(1)
start_net = nn.Sequential(nn.Linear(28 * 28, 30), nn.ReLU(), nn.Linear(30, 1))
'''

CORRECT = [
    ("ex_learner_answer", "ex_learner", "helper methods, sums kept as tensors", '''
class Learner:
    def __init__(self, model, train_dl, valid_dl, opt, loss_func, metric, cbs=()):
        self.model = model
        self.train_dl = train_dl
        self.valid_dl = valid_dl
        self.opt = opt
        self.loss_func = loss_func
        self.metric = metric
        self.cbs = [cb for cb in cbs]
        self.record = []

    def callback(self, event):
        for cb in self.cbs:
            method = getattr(cb, event, None)
            if method is not None:
                method(self)

    def one_batch(self, xb, yb):
        self.xb, self.yb = xb, yb
        self.callback("before_batch")
        loss = self.loss_func(self.model(self.xb), self.yb)
        loss.backward()
        self.opt.step()
        self.opt.zero_grad()
        self.loss = loss.item()
        self.callback("after_batch")
        return torch.tensor(self.loss) * xb.shape[0], xb.shape[0]

    def train_epoch(self):
        self.model.train()
        total, n = torch.tensor(0.0, dtype=torch.float64), 0
        for xb, yb in self.train_dl:
            s, k = self.one_batch(xb, yb)
            total += s.double()
            n += k
        return float(total / n)

    @torch.no_grad()
    def validate(self):
        self.model.eval()
        losses, metrics, sizes = [], [], []
        for xb, yb in self.valid_dl:
            preds = self.model(xb)
            losses.append(float(self.loss_func(preds, yb)))
            metrics.append(float(self.metric(preds, yb)))
            sizes.append(xb.shape[0])
        w = torch.tensor(sizes, dtype=torch.float64)
        return (float((torch.tensor(losses, dtype=torch.float64) * w).sum() / w.sum()),
                float((torch.tensor(metrics, dtype=torch.float64) * w).sum() / w.sum()))

    def fit(self, epochs):
        self.callback("before_fit")
        for self.epoch in range(epochs):
            self.callback("before_epoch")
            train_loss = self.train_epoch()
            valid_loss, metric = self.validate()
            self.record.append((train_loss, valid_loss, metric))
            self.callback("after_epoch")
        self.callback("after_fit")
'''),
    ("ex_learner_answer", "ex_learner", "numpy weighted averages, zero_grad first, "
     "inference_mode", '''
class Learner:
    def __init__(self, model, train_dl, valid_dl, opt, loss_func, metric, cbs=()):
        self.model, self.train_dl, self.valid_dl = model, train_dl, valid_dl
        self.opt, self.loss_func, self.metric = opt, loss_func, metric
        self.cbs, self.record = list(cbs), []

    def callback(self, event):
        [getattr(cb, event)(self) for cb in self.cbs]

    def fit(self, epochs):
        self.callback("before_fit")
        for epoch in range(epochs):
            self.epoch = epoch
            self.callback("before_epoch")
            self.model.train()
            seen = []
            for batch in self.train_dl:
                self.xb, self.yb = batch
                self.callback("before_batch")
                self.opt.zero_grad()
                out = self.model(self.xb)
                loss = self.loss_func(out, self.yb)
                loss.backward()
                self.opt.step()
                self.opt.zero_grad()
                self.loss = float(loss.detach())
                seen.append((self.loss, len(self.xb)))
                self.callback("after_batch")
            self.model.eval()
            checked = []
            with torch.inference_mode():
                for xb, yb in self.valid_dl:
                    out = self.model(xb)
                    checked.append((self.loss_func(out, yb).item(),
                                    self.metric(out, yb).item(), len(xb)))
            seen, checked = np.array(seen, dtype=np.float64), np.array(checked, dtype=np.float64)
            self.record.append((float(np.average(seen[:, 0], weights=seen[:, 1])),
                                float(np.average(checked[:, 0], weights=checked[:, 2])),
                                float(np.average(checked[:, 1], weights=checked[:, 2]))))
            self.callback("after_epoch")
        self.callback("after_fit")
'''),
    ("ex_learner_answer", "ex_learner", "validation with per-item sums (reduction off "
     "avoided: loss times size), events through a dispatch list", '''
class Learner:
    EVENTS = ("before_fit", "before_epoch", "before_batch", "after_batch", "after_epoch",
              "after_fit")

    def __init__(self, model, train_dl, valid_dl, opt, loss_func, metric, cbs=()):
        for name, value in dict(model=model, train_dl=train_dl, valid_dl=valid_dl, opt=opt,
                                loss_func=loss_func, metric=metric).items():
            setattr(self, name, value)
        self.cbs = list(cbs)
        self.record = list()

    def callback(self, event):
        assert event in self.EVENTS
        for cb in self.cbs:
            getattr(cb, event)(self)

    def _run_valid(self):
        totals = {"loss": 0.0, "metric": 0.0, "n": 0}
        self.model.eval()
        with torch.no_grad():
            for xb, yb in self.valid_dl:
                p = self.model(xb)
                n = len(yb)
                totals["loss"] += self.loss_func(p, yb).item() * n
                totals["metric"] += torch.as_tensor(self.metric(p, yb)).item() * n
                totals["n"] += n
        return totals["loss"] / totals["n"], totals["metric"] / totals["n"]

    def fit(self, epochs):
        self.callback("before_fit")
        epoch = 0
        while epoch < epochs:
            self.epoch = epoch
            self.callback("before_epoch")
            self.model.train()
            tl, tn = 0.0, 0
            for xb, yb in iter(self.train_dl):
                self.xb, self.yb = xb, yb
                self.callback("before_batch")
                loss = self.loss_func(self.model(xb), yb)
                loss.backward()
                self.opt.step()
                self.opt.zero_grad()
                self.loss = loss.item()
                tl, tn = tl + self.loss * len(yb), tn + len(yb)
                self.callback("after_batch")
            self.record.append((tl / tn, *self._run_valid()))
            self.callback("after_epoch")
            epoch += 1
        self.callback("after_fit")
'''),
    ("ex_progress_printer_answer", "ex_progress_printer", "percent formatting", '''
class ProgressPrinter(Callback):
    def after_epoch(self, learn):
        print("epoch %d: train_loss %.4f valid_loss %.4f metric %.4f"
              % ((learn.epoch,) + tuple(learn.record[-1])))
'''),
    ("ex_progress_printer_answer", "ex_progress_printer", "str.format with names", '''
class ProgressPrinter(Callback):
    TEMPLATE = "epoch {e}: train_loss {t:.4f} valid_loss {v:.4f} metric {m:.4f}"

    def after_epoch(self, learn):
        t, v, m = learn.record[len(learn.record) - 1]
        print(self.TEMPLATE.format(e=learn.epoch, t=t, v=v, m=m))
'''),
    ("ex_progress_printer_answer", "ex_progress_printer", "joined parts, every event "
     "written out", '''
class ProgressPrinter(Callback):
    def before_fit(self, learn):
        pass

    def after_batch(self, learn):
        pass

    def after_epoch(self, learn):
        names = ("train_loss", "valid_loss", "metric")
        parts = [f"{name} {format(value, '.4f')}" for name, value in zip(names, learn.record[-1])]
        print(f"epoch {learn.epoch}: " + " ".join(parts))
'''),
    ("ex_compare_linear_answer", "ex_compare_linear", "fastai's accuracy from validate(), "
     "ours measured on the validation tensors", _COMPARE_LINEAR_HEAD + '''
with timed("own_learner_linear"):
    model = copy.deepcopy(start_linear)
    opt = torch.optim.SGD(model.parameters(), lr=LINEAR["lr"])
    learn_linear = Learner(model, train_dl, valid_dl, opt, mnist_loss, batch_accuracy,
                           cbs=[ProgressPrinter()])
    learn_linear.fit(LINEAR["epochs"])

fastai_linear = FastaiLearner(dls, copy.deepcopy(start_linear), opt_func=fastai_SGD,
                              loss_func=mnist_loss, metrics=batch_accuracy)
with fastai_linear.no_logging():
    fastai_linear.fit(LINEAR["epochs"], LINEAR["lr"])
with torch.no_grad():
    acc_ours_linear = batch_accuracy(learn_linear.model(valid_x), valid_y).item()
acc_fastai_linear = float(fastai_linear.validate()[1])
print(f"ours {acc_ours_linear:.4f}   fastai {acc_fastai_linear:.4f}")
'''),
    ("ex_compare_linear_answer", "ex_compare_linear", "load_state_dict copies, fastai lr given "
     "to the Learner, metric object's value", _COMPARE_LINEAR_HEAD + '''
with timed("own_learner_linear"):
    ours = nn.Linear(28 * 28, 1)
    ours.load_state_dict(start_linear.state_dict())
    sgd = torch.optim.SGD(ours.parameters(), LINEAR["lr"])
    learn_linear = Learner(ours, train_dl, valid_dl, sgd, mnist_loss, batch_accuracy,
                           [ProgressPrinter()])
    learn_linear.fit(LINEAR["epochs"])

theirs = nn.Linear(28 * 28, 1)
theirs.load_state_dict(start_linear.state_dict())
fastai_linear = FastaiLearner(dls, theirs, lr=LINEAR["lr"], opt_func=fastai_SGD,
                              loss_func=mnist_loss, metrics=[batch_accuracy])
with fastai_linear.no_logging():
    fastai_linear.fit(LINEAR["epochs"])
acc_ours_linear = float(learn_linear.record[-1][-1])
acc_fastai_linear = float(fastai_linear.recorder.metrics[0].value)
print(f"ours {acc_ours_linear:.4f}   fastai {acc_fastai_linear:.4f}")
'''),
    ("ex_compare_linear_answer", "ex_compare_linear", "a helper that builds both learners, "
     "numbers read from the record tables", _COMPARE_LINEAR_HEAD + '''
def both_learners(start, epochs, lr):
    mine = copy.deepcopy(start)
    ours = Learner(mine, train_dl, valid_dl, torch.optim.SGD(mine.parameters(), lr=lr),
                   mnist_loss, batch_accuracy, cbs=(ProgressPrinter(),))
    theirs = FastaiLearner(dls, copy.deepcopy(start), opt_func=fastai_SGD,
                           loss_func=mnist_loss, metrics=batch_accuracy)
    return ours, theirs


learn_linear, fastai_linear = both_learners(start_linear, **LINEAR)
with timed("own_learner_linear"):
    learn_linear.fit(LINEAR["epochs"])
with fastai_linear.no_logging():
    fastai_linear.fit(LINEAR["epochs"], lr=LINEAR["lr"])
acc_ours_linear = [row[2] for row in learn_linear.record][-1]
acc_fastai_linear = fastai_linear.recorder.values[-1][-1]
print(f"ours {acc_ours_linear:.4f}   fastai {acc_fastai_linear:.4f}")
'''),
    ("ex_compare_simple_net_answer", "ex_compare_simple_net", "fastai's accuracy from "
     "validate(), ours measured on the validation tensors", _COMPARE_NET_HEAD + '''
with timed("own_learner_simple_net"):
    model = copy.deepcopy(start_net)
    learn_net = Learner(model, train_dl, valid_dl,
                        torch.optim.SGD(model.parameters(), lr=SIMPLE_NET["lr"]),
                        mnist_loss, batch_accuracy, cbs=[ProgressPrinter()])
    learn_net.fit(SIMPLE_NET["epochs"])

fastai_net = FastaiLearner(dls, copy.deepcopy(start_net), opt_func=fastai_SGD,
                           loss_func=mnist_loss, metrics=batch_accuracy)
with fastai_net.no_logging():
    fastai_net.fit(SIMPLE_NET["epochs"], SIMPLE_NET["lr"])
with torch.no_grad():
    acc_ours_net = float(batch_accuracy(learn_net.model(valid_x), valid_y))
acc_fastai_net = fastai_net.validate()[1]
print(f"ours {acc_ours_net:.4f}   fastai {acc_fastai_net:.4f}")
'''),
    ("ex_compare_simple_net_answer", "ex_compare_simple_net", "state_dict copies into a "
     "freshly built simple_net, fastai lr on the Learner", _COMPARE_NET_HEAD + '''
def fresh_net():
    net = nn.Sequential(nn.Linear(28 * 28, 30), nn.ReLU(), nn.Linear(30, 1))
    net.load_state_dict(start_net.state_dict())
    return net


with timed("own_learner_simple_net"):
    mine = fresh_net()
    learn_net = Learner(mine, train_dl, valid_dl, torch.optim.SGD(mine.parameters(), 0.1),
                        mnist_loss, batch_accuracy, cbs=[ProgressPrinter()])
    learn_net.fit(40)

fastai_net = FastaiLearner(dls, fresh_net(), lr=SIMPLE_NET["lr"], opt_func=fastai_SGD,
                           loss_func=mnist_loss, metrics=[batch_accuracy])
with fastai_net.no_logging():
    fastai_net.fit(SIMPLE_NET["epochs"])
acc_ours_net, acc_fastai_net = learn_net.record[-1][2], float(fastai_net.recorder.metrics[0].value)
print(f"ours {acc_ours_net:.4f}   fastai {acc_fastai_net:.4f}")
'''),
    ("ex_compare_simple_net_answer", "ex_compare_simple_net", "both learners trained in one "
     "loop over a dict", _COMPARE_NET_HEAD + '''
copies = {name: copy.deepcopy(start_net) for name in ("ours", "fastai")}
with timed("own_learner_simple_net"):
    learn_net = Learner(copies["ours"], train_dl, valid_dl,
                        torch.optim.SGD(copies["ours"].parameters(), lr=SIMPLE_NET["lr"]),
                        mnist_loss, batch_accuracy, cbs=[ProgressPrinter()])
    learn_net.fit(SIMPLE_NET["epochs"])
fastai_net = FastaiLearner(dls, copies["fastai"], opt_func=fastai_SGD, loss_func=mnist_loss,
                           metrics=batch_accuracy)
with fastai_net.no_logging():
    fastai_net.fit(SIMPLE_NET["epochs"], SIMPLE_NET["lr"])
accs = {"ours": learn_net.record[-1][2], "fastai": float(fastai_net.recorder.values[-1][2])}
acc_ours_net, acc_fastai_net = accs["ours"], accs["fastai"]
print(f"ours {acc_ours_net:.4f}   fastai {acc_fastai_net:.4f}")
'''),
]
