"""Plausible wrong answers for notebook 06; each must make its grade cell fail."""

_OPTIM = '''
class BasicOptim:
    def __init__(self, params, lr):
        {init}

    def step(self, *args, **kwargs):
        for p in self.params:
            {step}

    def zero_grad(self, *args, **kwargs):
        for p in self.params:
            {zero}
'''


def _optim(init: str = "self.params, self.lr = list(params), lr",
           step: str = "p.data -= p.grad.data * self.lr",
           zero: str = "p.grad = None") -> str:
    return _OPTIM.format(init=init, step=step, zero=zero)


_LEARNER = '''
def make_learner(dls):
    return Learner(dls, {model}, opt_func={opt}, loss_func={loss}, metrics={metrics})
'''


def _learner(model: str = "nn.Linear(28 * 28, 1)", opt: str = "SGD", loss: str = "mnist_loss",
             metrics: str = "batch_accuracy") -> str:
    return _LEARNER.format(model=model, opt=opt, loss=loss, metrics=metrics)


MUTANTS = [
    ("ex_basic_optim_answer", "ex_basic_optim", "keeps the generator (steps only once)",
     _optim(init="self.params, self.lr = params, lr")),
    ("ex_basic_optim_answer", "ex_basic_optim", "steps with + instead of -",
     _optim(step="p.data += p.grad.data * self.lr")),
    ("ex_basic_optim_answer", "ex_basic_optim", "ignores the learning rate",
     _optim(step="p.data -= p.grad.data")),
    ("ex_basic_optim_answer", "ex_basic_optim", "learning rate fixed at 0.1",
     _optim(step="p.data -= p.grad.data * 0.1")),
    ("ex_basic_optim_answer", "ex_basic_optim", "zero_grad does nothing",
     _optim(zero="pass")),
    ("ex_basic_optim_answer", "ex_basic_optim", "zero_grad rebinds a local name",
     _optim(zero="g = p.grad; g = None")),
    ("ex_basic_optim_answer", "ex_basic_optim", "step rebinds p (parameters never change)",
     _optim(step="p = p - p.grad * self.lr")),
    ("ex_train_epoch_answer", "ex_train_epoch", "never zeroes the gradients", '''
def train_epoch(model):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        opt.step()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "zeroes between backward and step", '''
def train_epoch(model):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        opt.zero_grad()
        opt.step()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "steps once, after the loop", '''
def train_epoch(model):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
    opt.step()
    opt.zero_grad()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "loops over the validation loader", '''
def train_epoch(model):
    for xb, yb in valid_dl:
        calc_grad(xb, yb, model)
        opt.step()
        opt.zero_grad()
'''),
    ("ex_train_model_answer", "ex_train_model", "one epoch too few", '''
def train_model(model, epochs):
    accs = []
    for epoch in range(epochs - 1):
        train_epoch(model)
        accs.append(validate_epoch(model))
    return accs
'''),
    ("ex_train_model_answer", "ex_train_model", "validates only at the end", '''
def train_model(model, epochs):
    for epoch in range(epochs):
        train_epoch(model)
    return [validate_epoch(model)]
'''),
    ("ex_train_model_answer", "ex_train_model", "prints but returns nothing", '''
def train_model(model, epochs):
    for epoch in range(epochs):
        train_epoch(model)
        print(validate_epoch(model), end=" ")
'''),
    ("ex_train_model_answer", "ex_train_model", "validates before training", '''
def train_model(model, epochs):
    accs = []
    for epoch in range(epochs):
        accs.append(validate_epoch(model))
        train_epoch(model)
    return accs
'''),
    ("ex_make_learner_answer", "ex_make_learner", "fastai's accuracy as the metric",
     _learner(metrics="__import__('fastai.metrics').metrics.accuracy")),
    ("ex_make_learner_answer", "ex_make_learner", "loss and metric swapped",
     _learner(loss="batch_accuracy", metrics="mnist_loss")),
    ("ex_make_learner_answer", "ex_make_learner", "Adam instead of SGD",
     _learner(opt="__import__('fastai.optimizer').optimizer.Adam")),
    ("ex_make_learner_answer", "ex_make_learner", "two outputs",
     _learner(model="nn.Linear(28 * 28, 2)")),
    ("ex_make_learner_answer", "ex_make_learner", "squared error as the loss",
     _learner(loss="nn.MSELoss()")),
    ("ex_make_learner_answer", "ex_make_learner", "one shared model for every Learner", '''
_shared_model = nn.Linear(28 * 28, 1)


def make_learner(dls):
    return Learner(dls, _shared_model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)
'''),
    # -- added with the item specs: wrong answers the probes must also catch
    ("ex_basic_optim_answer", "ex_basic_optim", "zero_grad zeroes the parameters themselves",
     _optim(zero="p.data.zero_()")),
    ("ex_basic_optim_answer", "ex_basic_optim", "step also clears the gradients",
     _optim(step="p.data -= p.grad.data * self.lr; p.grad = None")),
    ("ex_basic_optim_answer", "ex_basic_optim", "step divides by the learning rate",
     _optim(step="p.data -= p.grad.data / self.lr")),
    ("ex_basic_optim_answer", "ex_basic_optim", "one parameter list shared by every optimiser", """
class BasicOptim:
    params = []

    def __init__(self, params, lr):
        self.params.extend(params)
        self.lr = lr

    def step(self, *args, **kwargs):
        for p in self.params:
            p.data -= p.grad.data * self.lr

    def zero_grad(self, *args, **kwargs):
        for p in self.params:
            p.grad = None
"""),
    ("ex_basic_optim_answer", "ex_basic_optim", "learning rate stored on the class",
     _optim(init="self.params = list(params); BasicOptim.lr = lr")),
    ("ex_train_epoch_answer", "ex_train_epoch", "zero_grad once, before the loop", """
def train_epoch(model):
    opt.zero_grad()
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        opt.step()
"""),
    ("ex_train_epoch_answer", "ex_train_epoch", "also trains on the validation batches", """
def train_epoch(model):
    for loader in (dl, valid_dl):
        for xb, yb in loader:
            calc_grad(xb, yb, model)
            opt.step()
            opt.zero_grad()
"""),
    ("ex_train_epoch_answer", "ex_train_epoch", "steps twice per batch", """
def train_epoch(model):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        opt.step()
        opt.step()
        opt.zero_grad()
"""),
    ("ex_train_model_answer", "ex_train_model", "a default list argument that keeps growing", """
def train_model(model, epochs, accs=[]):
    for epoch in range(epochs):
        train_epoch(model)
        accs.append(validate_epoch(model))
    return accs
"""),
    ("ex_train_model_answer", "ex_train_model", "returns only the last accuracy", """
def train_model(model, epochs):
    acc = None
    for epoch in range(epochs):
        train_epoch(model)
        acc = validate_epoch(model)
    return [acc]
"""),
    ("ex_train_model_answer", "ex_train_model", "trains the notebook's linear_model", """
def train_model(model, epochs):
    accs = []
    for epoch in range(epochs):
        train_epoch(linear_model)
        accs.append(validate_epoch(model))
    return accs
"""),
    ("ex_make_learner_answer", "ex_make_learner", "uses the notebook's loaders, not dls", """
def make_learner(dls):
    return Learner(DataLoaders(dl, valid_dl), nn.Linear(28 * 28, 1), opt_func=SGD,
                   loss_func=mnist_loss, metrics=batch_accuracy)
"""),
    ("ex_make_learner_answer", "ex_make_learner", "fastai's BCEWithLogitsLossFlat as the loss",
     _learner(loss="__import__('fastai.losses').losses.BCEWithLogitsLossFlat()")),
    ("ex_make_learner_answer", "ex_make_learner", "SGD with momentum",
     _learner(opt="__import__('functools').partial(SGD, mom=0.9)")),
    ("ex_make_learner_answer", "ex_make_learner", "training and validation loaders swapped", """
def make_learner(dls):
    return Learner(DataLoaders(dls.valid, dls.train), nn.Linear(28 * 28, 1), opt_func=SGD,
                   loss_func=mnist_loss, metrics=batch_accuracy)
"""),
]

# added for issue 12
MUTANTS += [
    ("ex_basic_optim_answer", "ex_basic_optim", "step uses the notebook's global lr", '''
class BasicOptim:
    def __init__(self, params, lr):
        self.params = list(params)
        self.lr = lr

    def step(self, *args, **kwargs):
        for p in self.params:
            p.data -= p.grad.data * lr

    def zero_grad(self, *args, **kwargs):
        for p in self.params:
            p.grad = None
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "steps before computing the gradients", '''
def train_epoch(model):
    for xb, yb in dl:
        opt.step()
        calc_grad(xb, yb, model)
        opt.zero_grad()
'''),
    ("ex_train_model_answer", "ex_train_model", "one epoch too many", '''
def train_model(model, epochs):
    accs = []
    for epoch in range(epochs + 1):
        train_epoch(model)
        acc = validate_epoch(model)
        print(acc, end=" ")
        accs.append(acc)
    return accs
'''),
    ("ex_make_learner_answer", "ex_make_learner", "linear layer without a bias", '''
def make_learner(dls):
    return Learner(dls, nn.Linear(28 * 28, 1, bias=False), opt_func=SGD,
                   loss_func=mnist_loss, metrics=batch_accuracy)
'''),
]
