"""Plausible wrong answers for notebook 09; each must make its grade cell fail."""

# A correct Learner; the mutants below each change one thing in it.
_LEARNER = '''
class Learner:
    def __init__(self, model, train_dl, valid_dl, opt, loss_func, metric, cbs=()):
        self.model, self.train_dl, self.valid_dl = model, train_dl, valid_dl
        self.opt, self.loss_func, self.metric = opt, loss_func, metric
        self.cbs = list(cbs)
        self.record = []

    def callback(self, event):
        for cb in self.cbs:
            getattr(cb, event)(self)

    def fit(self, epochs):
        self.callback("before_fit")
        for epoch in range(epochs):
            self.epoch = epoch
            self.callback("before_epoch")
            self.model.train()
            losses, sizes = [], []
            for xb, yb in self.train_dl:
                self.xb, self.yb = xb, yb
                self.callback("before_batch")
                loss = self.loss_func(self.model(xb), yb)
                loss.backward()
                self.opt.step()
                self.opt.zero_grad()
                self.loss = loss.item()
                losses.append(self.loss)
                sizes.append(len(xb))
                self.callback("after_batch")
            self.model.eval()
            v_losses, v_metrics, v_sizes = [], [], []
            with torch.no_grad():
                for xb, yb in self.valid_dl:
                    preds = self.model(xb)
                    v_losses.append(self.loss_func(preds, yb).item())
                    v_metrics.append(float(self.metric(preds, yb)))
                    v_sizes.append(len(xb))
            weigh = lambda vals, ns: sum(v * n for v, n in zip(vals, ns)) / sum(ns)
            self.record.append((weigh(losses, sizes), weigh(v_losses, v_sizes),
                                weigh(v_metrics, v_sizes)))
            self.callback("after_epoch")
        self.callback("after_fit")
'''


def _learner(old: str, new: str) -> str:
    assert old in _LEARNER, old
    return _LEARNER.replace(old, new)


_PRINTER = '''
class ProgressPrinter(Callback):
    def after_epoch(self, learn):
        a, b, c = learn.record[-1]
        print(f"epoch {learn.epoch}: train_loss {a:.4f} valid_loss {b:.4f} metric {c:.4f}")
'''

# The reference answer cells of exercises 3 and 4 (the whole cell: a wrong answer replaces it).
_LINEAR = '''
torch.manual_seed(0)
start_linear = nn.Linear(28 * 28, 1)
with timed("own_learner_linear"):
    model = copy.deepcopy(start_linear)
    learn_linear = Learner(model, train_dl, valid_dl,
                           torch.optim.SGD(model.parameters(), lr=LINEAR["lr"]),
                           mnist_loss, batch_accuracy, cbs=[ProgressPrinter()])
    learn_linear.fit(LINEAR["epochs"])

fastai_linear = FastaiLearner(dls, copy.deepcopy(start_linear), opt_func=fastai_SGD,
                              loss_func=mnist_loss, metrics=batch_accuracy)
with fastai_linear.no_logging():
    fastai_linear.fit(LINEAR["epochs"], LINEAR["lr"])
acc_ours_linear = learn_linear.record[-1][2]
acc_fastai_linear = float(fastai_linear.recorder.values[-1][2])
print(f"ours {acc_ours_linear:.4f}   fastai {acc_fastai_linear:.4f}")
'''

_NET = '''
torch.manual_seed(1)
start_net = nn.Sequential(nn.Linear(28 * 28, 30), nn.ReLU(), nn.Linear(30, 1))
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
acc_ours_net = learn_net.record[-1][2]
acc_fastai_net = float(fastai_net.recorder.values[-1][2])
print(f"ours {acc_ours_net:.4f}   fastai {acc_fastai_net:.4f}")
'''


# A Learner that also takes an optimizer step on every validation batch, defined in the
# comparison cell itself (exercise 1's answer stays correct).
_EAGER = '''
class EagerLearner(Learner):
    def fit(self, epochs):
        for _ in range(epochs):
            super().fit(1)
            for xb, yb in self.valid_dl:
                self.loss_func(self.model(xb), yb).backward()
                self.opt.step()
                self.opt.zero_grad()
'''

def _linear(old: str, new: str) -> str:
    assert old in _LINEAR, old
    return _LINEAR.replace(old, new)


def _net(old: str, new: str) -> str:
    assert old in _NET, old
    return _NET.replace(old, new)


MUTANTS = [
    ("ex_learner_answer", "ex_learner", "forgets zero_grad (gradients pile up)",
     _learner("                self.opt.zero_grad()\n", "")),
    ("ex_learner_answer", "ex_learner", "zero_grad on the model, step never called",
     _learner("                self.opt.step()\n                self.opt.zero_grad()\n",
              "                self.model.zero_grad()\n")),
    ("ex_learner_answer", "ex_learner", "metrics on the training set",
     _learner("for xb, yb in self.valid_dl:", "for xb, yb in self.train_dl:")),
    ("ex_learner_answer", "ex_learner", "record appended per batch instead of per epoch",
     _learner('                self.callback("after_batch")\n',
              '                self.callback("after_batch")\n'
              '                self.record.append((self.loss, self.loss, self.loss))\n')),
    ("ex_learner_answer", "ex_learner", "callbacks never called",
     _learner("        for cb in self.cbs:\n            getattr(cb, event)(self)\n",
              "        pass\n")),
    ("ex_learner_answer", "ex_learner", "after_epoch sent before the record is updated",
     _learner('            self.callback("before_epoch")\n',
              '            self.callback("before_epoch")\n'
              '            if epoch: self.callback("after_epoch")\n')),
    ("ex_learner_answer", "ex_learner", "validation averages batches without their sizes",
     _learner("weigh(v_losses, v_sizes),", "sum(v_losses) / len(v_losses),")),
    ("ex_learner_answer", "ex_learner", "validation left in training mode (no model.eval())",
     _learner("            self.model.eval()\n", "")),
    ("ex_learner_answer", "ex_learner", "record reset by every fit",
     _learner('        self.callback("before_fit")\n',
              '        self.record = []\n        self.callback("before_fit")\n')),
    ("ex_learner_answer", "ex_learner", "train loss is the last batch's loss",
     _learner("(weigh(losses, sizes),", "(losses[-1],")),
    ("ex_progress_printer_answer", "ex_progress_printer", "prints after every batch too",
     _PRINTER + '''
    def after_batch(self, learn):
        print(f"epoch {learn.epoch}: loss {learn.loss:.4f}")
'''),
    ("ex_progress_printer_answer", "ex_progress_printer", "epochs numbered from 1",
     _PRINTER.replace("epoch {learn.epoch}", "epoch {learn.epoch + 1}")),
    ("ex_progress_printer_answer", "ex_progress_printer", "always prints the first epoch",
     _PRINTER.replace("learn.record[-1]", "learn.record[0]")),
    ("ex_progress_printer_answer", "ex_progress_printer", "two decimals",
     _PRINTER.replace(".4f", ".2f")),
    ("ex_compare_linear_answer", "ex_compare_linear", "reports the training-set accuracy",
     _linear("acc_ours_linear = learn_linear.record[-1][2]\n",
             "with torch.no_grad():\n    acc_ours_linear = "
             "batch_accuracy(learn_linear.model(train_x), train_y).item()\n")),
    ("ex_compare_linear_answer", "ex_compare_linear", "reports the first epoch's accuracy",
     _linear("acc_ours_linear = learn_linear.record[-1][2]\n"
             "acc_fastai_linear = float(fastai_linear.recorder.values[-1][2])\n",
             "acc_ours_linear = learn_linear.record[0][2]\n"
             "acc_fastai_linear = float(fastai_linear.recorder.values[0][2])\n")),
    ("ex_compare_linear_answer", "ex_compare_linear", "fastai trained the same model object",
     _linear("FastaiLearner(dls, copy.deepcopy(start_linear),", "FastaiLearner(dls, model,")),
    ("ex_compare_simple_net_answer", "ex_compare_simple_net",
     "reports fastai's valid loss instead of its accuracy",
     _net("acc_fastai_net = float(fastai_net.recorder.values[-1][2])",
          "acc_fastai_net = float(fastai_net.recorder.values[-1][1])")),
    ("ex_compare_simple_net_answer", "ex_compare_simple_net", "reports the training-set accuracy",
     _net("acc_ours_net = learn_net.record[-1][2]\n",
          "with torch.no_grad():\n"
          "    acc_ours_net = batch_accuracy(learn_net.model(train_x), train_y).item()\n")),
    # ---- added with the item specs (issue 12)
    ("ex_learner_answer", "ex_learner", "also trains on the validation batches",
     _learner("                    preds = self.model(xb)\n"
              "                    v_losses.append(self.loss_func(preds, yb).item())\n",
              "                    preds = self.model(xb)\n"
              "                    v_losses.append(self.loss_func(preds, yb).item())\n"
              "                    with torch.enable_grad():\n"
              "                        self.loss_func(self.model(xb), yb).backward()\n"
              "                        self.opt.step()\n"
              "                        self.opt.zero_grad()\n")),
    ("ex_learner_answer", "ex_learner", "epoch counter keeps counting across fit calls",
     _learner("        self.record = []\n",
              "        self.record = []\n        self.epoch = 0\n")
     .replace("        for epoch in range(epochs):\n            self.epoch = epoch\n",
              "        for _ in range(epochs):\n")
     .replace('            self.callback("after_epoch")\n',
              '            self.callback("after_epoch")\n            self.epoch += 1\n')),
    ("ex_learner_answer", "ex_learner", "training loss not weighted by batch size",
     _learner("(weigh(losses, sizes),", "(sum(losses) / len(losses),")),
    ("ex_learner_answer", "ex_learner", "loss lists started in __init__ (keep counting across "
     "epochs and fits)",
     _learner("        self.record = []\n",
              "        self.record = []\n        self.losses, self.sizes = [], []\n")
     .replace("            losses, sizes = [], []\n", "            losses, sizes = self.losses, "
              "self.sizes\n")),
    ("ex_learner_answer", "ex_learner", "callbacks called in reverse order",
     _learner("        for cb in self.cbs:\n", "        for cb in reversed(self.cbs):\n")),
    ("ex_learner_answer", "ex_learner", "model.train() only once, before the first epoch",
     _learner('        self.callback("before_fit")\n',
              '        self.callback("before_fit")\n        self.model.train()\n')
     .replace("            self.model.train()\n", "")),
    ("ex_progress_printer_answer", "ex_progress_printer", "reads the row learn.record[epoch] "
     "(wrong once the record holds an earlier fit)",
     _PRINTER.replace("learn.record[-1]", "learn.record[learn.epoch]")),
    ("ex_progress_printer_answer", "ex_progress_printer", "numbers the epoch from the record's "
     "length", _PRINTER.replace("epoch {learn.epoch}", "epoch {len(learn.record) - 1}")),
    ("ex_progress_printer_answer", "ex_progress_printer", "prints the last batch loss as "
     "train_loss", _PRINTER.replace("train_loss {a:.4f}", "train_loss {learn.loss:.4f}")),
    ("ex_compare_linear_answer", "ex_compare_linear", "our Learner trains start_linear itself "
     "(no copy), so fastai starts from the trained model",
     _linear("    model = copy.deepcopy(start_linear)\n", "    model = start_linear\n")),
    ("ex_compare_linear_answer", "ex_compare_linear", "reports our validation loss as accuracy",
     _linear("acc_ours_linear = learn_linear.record[-1][2]",
             "acc_ours_linear = learn_linear.record[-1][1]")),
    ("ex_compare_simple_net_answer", "ex_compare_simple_net", "no ProgressPrinter",
     _net("mnist_loss, batch_accuracy, cbs=[ProgressPrinter()])",
          "mnist_loss, batch_accuracy)")),
    ("ex_compare_simple_net_answer", "ex_compare_simple_net", "our Learner trains start_net "
     "itself (no copy)", _net("    model = copy.deepcopy(start_net)\n",
                              "    model = start_net\n")),
    ("ex_compare_simple_net_answer", "ex_compare_simple_net", "our Learner trains for one epoch",
     _net('    learn_net.fit(SIMPLE_NET["epochs"])', "    learn_net.fit(1)")),
    # ---- the trust rule (raw values judged in the grader)
    ("ex_compare_linear_answer", "ex_compare_linear", "trains with a Learner that also trains "
     "on the validation batches", _EAGER + _linear("learn_linear = Learner(",
                                                   "learn_linear = EagerLearner(")),
    ("ex_compare_simple_net_answer", "ex_compare_simple_net", "trains with a Learner that also "
     "trains on the validation batches", _EAGER + _net("learn_net = Learner(",
                                                       "learn_net = EagerLearner(")),
]
