"""Correct answers for notebook 06 written in other styles than the reference; each must get
full marks from both ``ch4 check`` and ``ch4 grade``. Same tuple shape as tests/mutants:
(answer cell id, grade id, what style, source)."""

CORRECT = [
    ("ex_basic_optim_answer", "ex_basic_optim", "a subclass of torch.optim.SGD", '''
class BasicOptim(torch.optim.SGD):
    def __init__(self, params, lr):
        super().__init__(params, lr=lr)
'''),
    ("ex_basic_optim_answer", "ex_basic_optim", "closures in a SimpleNamespace, zeroing in place",
     '''
import types


def BasicOptim(params, lr):
    params = list(params)

    def step(*args, **kwargs):
        with torch.no_grad():
            for p in params:
                p.sub_(p.grad * lr)

    def zero_grad(*args, **kwargs):
        for p in params:
            if p.grad is not None:
                p.grad.zero_()

    return types.SimpleNamespace(params=params, lr=lr, step=step, zero_grad=zero_grad)
'''),
    ("ex_basic_optim_answer", "ex_basic_optim", "fastai's SGD behind a function", '''
def BasicOptim(params, lr):
    return SGD(list(params), lr=lr)
'''),
    ("ex_basic_optim_answer", "ex_basic_optim", "a tuple of parameters, the step in float64", '''
class BasicOptim:
    def __init__(self, params, lr):
        self.params = tuple(params)
        self.lr = float(lr)

    def step(self, *args, **kwargs):
        for p in self.params:
            new = p.data.double() - p.grad.data.double() * self.lr
            p.data.copy_(new.to(p.dtype))

    def zero_grad(self, *args, **kwargs):
        for p in self.params:
            if p.grad is not None:
                p.grad.detach_()
                p.grad.zero_()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "zero_grad first, then gradients and step", '''
def train_epoch(model):
    for xb, yb in dl:
        opt.zero_grad()
        calc_grad(xb, yb, model)
        opt.step()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "the loss written out, with an explicit iterator",
     '''
def train_epoch(model):
    batches = iter(dl)
    while True:
        try:
            xb, yb = next(batches)
        except StopIteration:
            break
        loss = mnist_loss(model(xb), yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "a lambda over a list comprehension", '''
train_epoch = lambda model: [(calc_grad(xb, yb, model), opt.step(), opt.zero_grad())
                             for xb, yb in dl] and None
'''),
    ("ex_train_model_answer", "ex_train_model", "a helper per epoch and a comprehension", '''
def _one_epoch(model):
    train_epoch(model)
    acc = validate_epoch(model)
    print(acc, end=" ")
    return acc


def train_model(model, epochs):
    return [_one_epoch(model) for _ in range(epochs)]
'''),
    ("ex_train_model_answer", "ex_train_model", "a while loop that measures twice per epoch", '''
def train_model(model, epochs):
    accs, done = [], 0
    while done < epochs:
        train_epoch(model)
        print(validate_epoch(model), end=" ")
        accs.append(validate_epoch(model))
        done += 1
    return accs
'''),
    ("ex_train_model_answer", "ex_train_model", "map over the epochs, returning a tuple", '''
def train_model(model, epochs):
    return tuple(map(lambda _e: (train_epoch(model), validate_epoch(model))[1], range(epochs)))
'''),
    ("ex_make_learner_answer", "ex_make_learner", "Sequential model, list metric, loss lambda", '''
def make_learner(dls):
    model = nn.Sequential(nn.Linear(28 * 28, 1))
    return Learner(dls=dls, model=model, opt_func=SGD, loss_func=lambda p, t: mnist_loss(p, t),
                   metrics=[batch_accuracy])
'''),
    ("ex_make_learner_answer", "ex_make_learner", "fastai's accuracy_multi and partial(SGD)", '''
from functools import partial

from fastai.metrics import accuracy_multi


def make_learner(dls):
    return Learner(dls, nn.Linear(784, 1), opt_func=partial(SGD, mom=0.0),
                   loss_func=mnist_loss, metrics=accuracy_multi)
'''),
    ("ex_make_learner_answer", "ex_make_learner", "torch.optim.SGD through fastai's OptimWrapper",
     '''
from functools import partial

from fastai.metrics import AvgMetric
from fastai.optimizer import OptimWrapper


def make_learner(dls):
    layer = nn.Linear(28 * 28, 1, bias=True)
    return Learner(dls, layer, loss_func=mnist_loss, metrics=AvgMetric(batch_accuracy),
                   opt_func=partial(OptimWrapper, opt=torch.optim.SGD))
'''),
]

# added for issue 12 (broader styles)
CORRECT += [
    ("ex_basic_optim_answer", "ex_basic_optim", "unpacked list, sub_ on .data, zeroing in place",
     '''
class BasicOptim:
    def __init__(self, params, lr):
        self.params = [*params]
        self.lr = lr

    def step(self):
        for p in self.params:
            p.data.sub_(self.lr * p.grad.data)

    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()
'''),
    ("ex_basic_optim_answer", "ex_basic_optim", "add_ with alpha under no_grad, keyword lr", '''
class BasicOptim:
    def __init__(self, params, lr=0.1):
        self.params, self.lr = list(params), lr

    @torch.no_grad()
    def step(self, *args, **kwargs):
        for p in self.params:
            p.add_(p.grad, alpha=-self.lr)

    def zero_grad(self, *args, **kwargs):
        for p in self.params:
            p.grad = None
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "star-unpacked batches", '''
def train_epoch(model):
    for batch in dl:
        calc_grad(*batch, model)
        opt.step()
        opt.zero_grad()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "helper per batch, iterator index", '''
def _one_batch(model, batch):
    xb, yb = batch
    calc_grad(xb, yb, model)
    opt.step()
    opt.zero_grad()


def train_epoch(model):
    batches = iter(dl)
    for _ in range(len(dl)):
        _one_batch(model, next(batches))
'''),
    ("ex_train_model_answer", "ex_train_model", "a generator of accuracies", '''
def _accuracies(model, epochs):
    for _ in range(epochs):
        train_epoch(model)
        yield validate_epoch(model)


def train_model(model, epochs):
    accs = []
    for acc in _accuracies(model, epochs):
        print(acc, end=" ")
        accs.append(acc)
    return accs
'''),
    ("ex_train_model_answer", "ex_train_model", "list += and an f-string", '''
def train_model(model, epochs):
    history = []
    epoch = 0
    while epoch < epochs:
        train_epoch(model)
        history += [validate_epoch(model)]
        print(f"{history[-1]}", end=" ")
        epoch += 1
    return history
'''),
    ("ex_make_learner_answer", "ex_make_learner", "keyword arguments, Flatten then Linear", '''
def make_learner(dls):
    model = nn.Sequential(nn.Flatten(), nn.Linear(in_features=784, out_features=1))
    return Learner(dls=dls, model=model, loss_func=mnist_loss, opt_func=SGD,
                   metrics=[batch_accuracy])
'''),
    ("ex_make_learner_answer", "ex_make_learner", "opt_func lambda, metrics tuple", '''
def make_learner(dls):
    make_opt = lambda params, lr: SGD(params, lr)  # noqa: E731
    return Learner(dls, nn.Linear(28 * 28, 1, bias=True), opt_func=make_opt,
                   loss_func=mnist_loss, metrics=(batch_accuracy,))
'''),
]
