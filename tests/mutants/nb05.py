"""Plausible wrong answers for notebook 05; each must make its grade cell fail."""

_EPOCH = '''
def train_epoch(model, lr, params):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
{update}
'''


def _epoch(update: str) -> str:
    return _EPOCH.format(update=update)


MUTANTS = [
    ("ex_make_loaders_answer", "ex_make_loaders", "shuffles the validation set", '''
def make_loaders(dset, valid_dset, bs=256):
    return (DataLoader(dset, batch_size=bs, shuffle=True),
            DataLoader(valid_dset, batch_size=bs, shuffle=True))
'''),
    ("ex_make_loaders_answer", "ex_make_loaders", "never shuffles the training set", '''
def make_loaders(dset, valid_dset, bs=256):
    return DataLoader(dset, batch_size=bs), DataLoader(valid_dset, batch_size=bs)
'''),
    ("ex_make_loaders_answer", "ex_make_loaders", "batch size fixed at 256", '''
def make_loaders(dset, valid_dset, bs=256):
    return (DataLoader(dset, batch_size=256, shuffle=True),
            DataLoader(valid_dset, batch_size=256))
'''),
    ("ex_make_loaders_answer", "ex_make_loaders", "the two sets swapped", '''
def make_loaders(dset, valid_dset, bs=256):
    return (DataLoader(valid_dset, batch_size=bs, shuffle=True),
            DataLoader(dset, batch_size=bs))
'''),
    ("ex_make_loaders_answer", "ex_make_loaders", "batch size only for the training set", '''
def make_loaders(dset, valid_dset, bs=256):
    return DataLoader(dset, batch_size=bs, shuffle=True), DataLoader(valid_dset)
'''),
    ("ex_calc_grad_answer", "ex_calc_grad", "no backward", '''
def calc_grad(xb, yb, model):
    return mnist_loss(model(xb), yb)
'''),
    ("ex_calc_grad_answer", "ex_calc_grad", "sigmoid applied twice", '''
def calc_grad(xb, yb, model):
    mnist_loss(model(xb).sigmoid(), yb).backward()
'''),
    ("ex_calc_grad_answer", "ex_calc_grad", "targets and predictions swapped", '''
def calc_grad(xb, yb, model):
    mnist_loss(yb.float(), model(xb)).backward()
'''),
    ("ex_calc_grad_answer", "ex_calc_grad", "squared error instead of mnist_loss", '''
def calc_grad(xb, yb, model):
    ((model(xb) - yb) ** 2).mean().backward()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "never zeroes the gradients", _epoch('''
        with torch.no_grad():
            for p in params:
                p -= p.grad * lr
''')),
    ("ex_train_epoch_answer", "ex_train_epoch", "steps with + instead of -", _epoch('''
        with torch.no_grad():
            for p in params:
                p += p.grad * lr
                p.grad.zero_()
''')),
    ("ex_train_epoch_answer", "ex_train_epoch", "ignores the learning rate", _epoch('''
        for p in params:
            p.data -= p.grad
            p.grad.zero_()
''')),
    ("ex_train_epoch_answer", "ex_train_epoch", "zeroes the gradients before stepping", _epoch('''
        for p in params:
            p.grad.zero_()
            p.data -= p.grad * lr
''')),
    ("ex_train_epoch_answer", "ex_train_epoch", "rebinds p instead of updating in place",
     _epoch('''
        for p in params:
            p = p - p.grad * lr
            p.grad = None
''')),
    ("ex_train_epoch_answer", "ex_train_epoch", "steps once, after the last batch", '''
def train_epoch(model, lr, params):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
    for p in params:
        p.data -= p.grad * lr
        p.grad.zero_()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "only updates the weights", _epoch('''
        params[0].data -= params[0].grad * lr
        for p in params:
            p.grad.zero_()
''')),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "raw scores compared with 0.5", '''
def batch_accuracy(xb, yb):
    return ((xb > 0.5) == yb).float().mean()
'''),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "sigmoid compared with 0", '''
def batch_accuracy(xb, yb):
    return ((xb.sigmoid() > 0) == yb).float().mean()
'''),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "counts instead of a share", '''
def batch_accuracy(xb, yb):
    return ((xb.sigmoid() > 0.5) == yb).float().sum()
'''),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "labels the wrong way round", '''
def batch_accuracy(xb, yb):
    return ((xb.sigmoid() < 0.5) == yb).float().mean()
'''),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "validates on the training loader", '''
def validate_epoch(model):
    accs = [batch_accuracy(model(xb), yb) for xb, yb in dl]
    return round(torch.stack(accs).mean().item(), 4)
'''),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "not rounded", '''
def validate_epoch(model):
    accs = [batch_accuracy(model(xb), yb) for xb, yb in valid_dl]
    return torch.stack(accs).mean().item()
'''),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "returns a tensor", '''
def validate_epoch(model):
    accs = [batch_accuracy(model(xb), yb) for xb, yb in valid_dl]
    return torch.stack(accs).mean()
'''),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "only the last batch", '''
def validate_epoch(model):
    for xb, yb in valid_dl:
        acc = batch_accuracy(model(xb), yb)
    return round(acc.item(), 4)
'''),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "rounded to 2 places", '''
def validate_epoch(model):
    accs = [batch_accuracy(model(xb), yb) for xb, yb in valid_dl]
    return round(torch.stack(accs).mean().item(), 2)
'''),
    # -- added with the item specs: wrong answers the probes must also catch
    ("ex_make_loaders_answer", "ex_make_loaders", "shuffle flags swapped", """
def make_loaders(dset, valid_dset, bs=256):
    return (DataLoader(dset, batch_size=bs),
            DataLoader(valid_dset, batch_size=bs, shuffle=True))
"""),
    ("ex_make_loaders_answer", "ex_make_loaders", "shuffled once up front, same order every epoch",
     """
def make_loaders(dset, valid_dset, bs=256):
    order = torch.randperm(len(dset)).tolist()
    return (DataLoader([dset[i] for i in order], batch_size=bs),
            DataLoader(valid_dset, batch_size=bs))
"""),
    ("ex_make_loaders_answer", "ex_make_loaders", "default batch size 64", """
def make_loaders(dset, valid_dset, bs=64):
    return (DataLoader(dset, batch_size=bs, shuffle=True),
            DataLoader(valid_dset, batch_size=bs))
"""),
    ("ex_make_loaders_answer", "ex_make_loaders", "from_dsets drops the last training batch", """
from fastai.data.core import DataLoaders


def make_loaders(dset, valid_dset, bs=256):
    loaders = DataLoaders.from_dsets(dset, valid_dset, bs=bs)
    return loaders.train, loaders.valid
"""),
    ("ex_calc_grad_answer", "ex_calc_grad", "uses linear1 instead of the model given", """
def calc_grad(xb, yb, model):
    mnist_loss(linear1(xb), yb).backward()
"""),
    ("ex_calc_grad_answer", "ex_calc_grad", "uses the notebook's xb and yb", """
def calc_grad(x, y, model):
    mnist_loss(model(xb), yb).backward()
"""),
    ("ex_calc_grad_answer", "ex_calc_grad", "detaches the predictions", """
def calc_grad(xb, yb, model):
    preds = model(xb).detach().requires_grad_()
    mnist_loss(preds, yb).backward()
"""),
    ("ex_train_epoch_answer", "ex_train_epoch", "also trains on the validation batches", """
def train_epoch(model, lr, params):
    for xb, yb in list(dl) + list(valid_dl):
        calc_grad(xb, yb, model)
        with torch.no_grad():
            for p in params:
                p -= p.grad * lr
                p.grad.zero_()
"""),
    ("ex_train_epoch_answer", "ex_train_epoch", "step divided by the batch size", """
def train_epoch(model, lr, params):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        with torch.no_grad():
            for p in params:
                p -= p.grad * lr / len(xb)
                p.grad.zero_()
"""),
    ("ex_train_epoch_answer", "ex_train_epoch", "updates the notebook's weights and bias", """
def train_epoch(model, lr, params):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        with torch.no_grad():
            for p in (weights, bias):
                if p.grad is not None:
                    p -= p.grad * lr
                    p.grad.zero_()
"""),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "a score of exactly 0 counted as a 3", """
def batch_accuracy(xb, yb):
    return ((xb.sigmoid() >= 0.5) == yb).float().mean()
"""),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "squeezed targets broadcast to a square", """
def batch_accuracy(xb, yb):
    return ((xb.sigmoid() > 0.5) == yb.squeeze()).float().mean()
"""),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "sigmoid in place (changes the scores)", """
def batch_accuracy(xb, yb):
    return ((xb.sigmoid_() > 0.5) == yb).float().mean()
"""),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "weights each batch by its size", """
def validate_epoch(model):
    right = sum(batch_accuracy(model(xb), yb) * len(xb) for xb, yb in valid_dl)
    count = sum(len(xb) for xb, yb in valid_dl)
    return round((right / count).item(), 4)
"""),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "round() of a tensor (stays a tensor)", """
def validate_epoch(model):
    accs = [batch_accuracy(model(xb), yb) for xb, yb in valid_dl]
    return round(torch.stack(accs).mean(), 4)
"""),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "uses linear1 instead of the model given", """
def validate_epoch(model):
    accs = [batch_accuracy(linear1(xb), yb) for xb, yb in valid_dl]
    return round(torch.stack(accs).mean().item(), 4)
"""),
]

# added for issue 12
MUTANTS += [
    ("ex_make_loaders_answer", "ex_make_loaders", "validation batch size doubled", '''
def make_loaders(dset, valid_dset, bs=256):
    return DataLoader(dset, bs=bs, shuffle=True), DataLoader(valid_dset, bs=bs * 2)
'''),
    ("ex_calc_grad_answer", "ex_calc_grad", "backward one image at a time (gradients summed)", '''
def calc_grad(xb, yb, model):
    for x, y in zip(xb, yb):
        mnist_loss(model(x[None]), y[None]).backward()
'''),
    ("ex_train_epoch_answer", "ex_train_epoch", "returns inside the loop (one batch only)", '''
def train_epoch(model, lr, params):
    for xb, yb in dl:
        calc_grad(xb, yb, model)
        with torch.no_grad():
            for p in params:
                p -= p.grad * lr
                p.grad.zero_()
        return
'''),
    ("ex_batch_accuracy_answer", "ex_batch_accuracy", "rounds the raw scores", '''
def batch_accuracy(xb, yb):
    return (torch.round(xb) == yb).float().mean()
'''),
    ("ex_validate_epoch_answer", "ex_validate_epoch", "sum of batch accuracies over the item count",
     '''
def validate_epoch(model):
    total = sum(batch_accuracy(model(xb), yb) for xb, yb in valid_dl)
    return round(float(total) / len(valid_dl.dataset), 4)
'''),
]
