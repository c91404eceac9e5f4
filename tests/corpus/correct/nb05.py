"""Correct answers for notebook 05 written in other styles than the reference; each must get
full marks from both ``ch4 check`` and ``ch4 grade``. Same tuple shape as tests/mutants:
(answer cell id, grade id, what style, source)."""

CORRECT = [
    ("ex_make_loaders_answer", "ex_make_loaders", "PyTorch's DataLoader", '''
import torch.utils.data


def make_loaders(dset, valid_dset, bs=256):
    return (torch.utils.data.DataLoader(dset, batch_size=bs, shuffle=True),
            torch.utils.data.DataLoader(valid_dset, batch_size=bs, shuffle=False))
'''),
    ("ex_make_loaders_answer", "ex_make_loaders", "from_dsets keeping the last batch",
     '''
from fastai.data.core import DataLoaders


def make_loaders(dset, valid_dset, bs=256):
    loaders = DataLoaders.from_dsets(dset, valid_dset, bs=bs, drop_last=False)
    return loaders.train, loaders.valid
'''),
    ("ex_make_loaders_answer", "ex_make_loaders", "callable class, bs keyword, valid built first",
     '''
class _Loaders:
    def __call__(self, dset, valid_dset, bs=256):
        valid_dl = DataLoader(valid_dset, bs=bs)
        dl = DataLoader(dset, bs=bs, shuffle=True)
        return dl, valid_dl


make_loaders = _Loaders()
'''),
    ("ex_calc_grad_answer", "ex_calc_grad", "torch.autograd.backward", '''
def calc_grad(xb, yb, model):
    torch.autograd.backward(mnist_loss(model(xb), yb))
'''),
    ("ex_calc_grad_answer", "ex_calc_grad", "the loss written out in float64", '''
def calc_grad(xb, yb, model):
    p = model(xb).double().sigmoid()
    loss = torch.where(yb == 1, 1 - p, p).mean()
    loss.backward()
    return loss
'''),
    ("ex_calc_grad_answer", "ex_calc_grad", "lambda with an explicit starting gradient", '''
calc_grad = lambda xb, yb, model: mnist_loss(model(xb), yb).backward(torch.tensor(1.0))
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "p.data updates and grad set to None", '''
def train_epoch(model, lr, params):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        for p in params:
            p.data -= p.grad.data * lr
            p.grad = None
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "torch.optim.SGD built inside", '''
def train_epoch(model, lr, params):
    opt = torch.optim.SGD(list(params), lr=lr)
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        opt.step()
        opt.zero_grad()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "sub_ under a no_grad decorator, zeroing first", '''
@torch.no_grad()
def _sgd_step(params, lr):
    for p in params:
        p.sub_(lr * p.grad)


def train_epoch(model, lr, params):
    batches = iter(dl)
    for xb, yb in batches:
        for p in params:
            if p.grad is not None:
                p.grad.zero_()
        calc_grad(xb, yb, model)
        _sgd_step(params, lr)
    for p in params:
        p.grad.zero_()
'''),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "sign of the score, no sigmoid", '''
def batch_accuracy(xb, yb):
    return ((xb > 0).long() == yb).float().mean()
'''),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "NumPy in float64, back to a tensor", '''
def batch_accuracy(xb, yb):
    probs = 1 / (1 + np.exp(-xb.detach().numpy().astype(np.float64)))
    return torch.tensor(np.mean((probs > 0.5) == yb.numpy().astype(bool)))
'''),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "rounded probabilities and a Python loop", '''
def batch_accuracy(xb, yb):
    preds = xb.sigmoid().round()
    right = 0
    for p, t in zip(preds.view(-1).tolist(), yb.view(-1).tolist()):
        right += int(p == t)
    return torch.tensor(right / len(yb))
'''),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "running sum and count", '''
def validate_epoch(model):
    total, count = 0.0, 0
    for xb, yb in valid_dl:
        total += batch_accuracy(model(xb), yb).item()
        count += 1
    return round(total / count, 4)
'''),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "NumPy mean in float64", '''
def validate_epoch(model):
    accs = np.array([float(batch_accuracy(model(xb), yb)) for xb, yb in valid_dl])
    return round(float(accs.mean()), 4)
'''),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "sum of tensors under no_grad", '''
@torch.no_grad()
def validate_epoch(model):
    accs = [batch_accuracy(model(xb), yb) for xb, yb in valid_dl]
    return round((sum(accs) / len(accs)).item(), 4)
'''),
]

# added for issue 12 (broader styles)
CORRECT += [
    ("ex_make_loaders_answer", "ex_make_loaders", "functools.partial with fastai's bs keyword",
     '''
import functools

def make_loaders(dset, valid_dset, bs=256):
    loader = functools.partial(DataLoader, bs=bs)
    return loader(dset, shuffle=True), loader(valid_dset, shuffle=False)
'''),
    ("ex_make_loaders_answer", "ex_make_loaders", "comprehension over (data, shuffle) pairs", '''
def make_loaders(dset, valid_dset, bs=256):
    plan = ((dset, True), (valid_dset, False))
    return tuple(DataLoader(data, batch_size=bs, shuffle=flag) for data, flag in plan)
'''),
    ("ex_calc_grad_answer", "ex_calc_grad", "returns the loss after backward", '''
def calc_grad(xb, yb, model):
    loss = mnist_loss(model(xb), yb)
    loss.backward()
    return loss
'''),
    ("ex_calc_grad_answer", "ex_calc_grad", "callable class with keyword arguments", '''
class _GradCalculator:
    def __call__(self, xb, yb, model):
        preds = model(xb)
        mnist_loss(predictions=preds, targets=yb).backward(retain_graph=False)

calc_grad = _GradCalculator()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "iter/next loop and sub_ under no_grad", '''
def train_epoch(model, lr, params):
    batches = iter(dl)
    while True:
        try:
            xb, yb = next(batches)
        except StopIteration:
            break
        calc_grad(xb, yb, model)
        with torch.no_grad():
            for p in params:
                p.sub_(lr * p.grad)
                p.grad.zero_()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "enumerate batches, .data arithmetic", '''
def train_epoch(model, lr, params):
    for _step, (xb, yb) in enumerate(dl):
        calc_grad(xb, yb, model)
        for p in params:
            p.data -= lr * p.grad.data
            p.grad.data.zero_()
'''),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "bool targets, count over numel", '''
def batch_accuracy(xb, yb):
    return ((torch.sigmoid(xb) > 0.5) == yb.bool()).sum() / yb.numel()
'''),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "torch.where, float64 mean", '''
def batch_accuracy(xb, yb):
    called = torch.where(xb.sigmoid() > 0.5, 1.0, 0.0)
    return (called == yb).double().mean()
'''),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "statistics.mean of Python floats", '''
import statistics

def validate_epoch(model):
    accs = [float(batch_accuracy(model(xb), yb)) for xb, yb in valid_dl]
    return round(statistics.mean(accs), 4)
'''),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "no_grad, tensor of batch accuracies",
     '''
def validate_epoch(model):
    with torch.no_grad():
        accs = torch.tensor([batch_accuracy(model(xb), yb).item() for xb, yb in valid_dl])
    return round(accs.mean().item(), 4)
'''),
]

CORRECT += [
    ("ex_train_epoch_answer", "ex_train_epoch", "the loader captured as a default argument", '''
def train_epoch(model, lr, params, batches=dl):
    for xb, yb in batches:
        calc_grad(xb, yb, model)
        for p in params:
            p.data -= p.grad * lr
            p.grad.zero_()
'''),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "functools.partial over the loader", '''
from functools import partial


def _mean_accuracy(model, loader):
    accs = [batch_accuracy(model(xb), yb) for xb, yb in loader]
    return round(torch.stack(accs).mean().item(), 4)


validate_epoch = partial(_mean_accuracy, loader=valid_dl)
'''),
]
