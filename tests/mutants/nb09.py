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
     '''
with torch.no_grad():
    acc_ours_linear = batch_accuracy(learn_linear.model(train_x), train_y).item()
'''),
    ("ex_compare_linear_answer", "ex_compare_linear", "reports the first epoch's accuracy",
     '''
acc_ours_linear = learn_linear.record[0][2]
acc_fastai_linear = float(fastai_linear.recorder.values[0][2])
'''),
    ("ex_compare_linear_answer", "ex_compare_linear", "fastai trained the same model object",
     '''
fastai_linear.model = learn_linear.model
'''),
    ("ex_compare_simple_net_answer", "ex_compare_simple_net",
     "reports fastai's valid loss instead of its accuracy",
     '''
acc_fastai_net = float(fastai_net.recorder.values[-1][1])
'''),
    ("ex_compare_simple_net_answer", "ex_compare_simple_net", "reports the training-set accuracy",
     '''
with torch.no_grad():
    acc_ours_net = batch_accuracy(learn_net.model(train_x), train_y).item()
'''),
]
