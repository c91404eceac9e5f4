"""Plausible wrong answers for notebook 04; each must make its grade cell fail."""

_LOSS = '''
def mnist_loss(predictions, targets):
    predictions = {squash}
    return {rule}
'''
_GOOD_RULE = "torch.where(targets == 1, 1 - predictions, predictions).mean()"


def _loss(squash: str = "sigmoid(predictions)", rule: str = _GOOD_RULE) -> str:
    return _LOSS.format(squash=squash, rule=rule)


MUTANTS = [
    ("ex_make_xy_answer", "ex_make_xy", "labels swapped (0 for 3s)", '''
def make_xy(threes, sevens):
    x = torch.cat([threes, sevens]).view(-1, 28 * 28)
    y = torch.tensor([0] * len(threes) + [1] * len(sevens)).unsqueeze(1)
    return x, y
'''),
    ("ex_make_xy_answer", "ex_make_xy", "labels not a column (no unsqueeze)", '''
def make_xy(threes, sevens):
    x = torch.cat([threes, sevens]).view(-1, 28 * 28)
    y = torch.tensor([1] * len(threes) + [0] * len(sevens))
    return x, y
'''),
    ("ex_make_xy_answer", "ex_make_xy", "flattened to rows of 28", '''
def make_xy(threes, sevens):
    x = torch.cat([threes, sevens]).view(-1, 28)
    y = torch.tensor([1] * len(threes) + [0] * len(sevens)).unsqueeze(1)
    return x, y
'''),
    ("ex_make_xy_answer", "ex_make_xy", "7s first but labels for 3s first", '''
def make_xy(threes, sevens):
    x = torch.cat([sevens, threes]).view(-1, 28 * 28)
    y = torch.tensor([1] * len(threes) + [0] * len(sevens)).unsqueeze(1)
    return x, y
'''),
    ("ex_make_xy_answer", "ex_make_xy", "images flattened column by column", '''
def make_xy(threes, sevens):
    x = torch.cat([threes, sevens]).transpose(1, 2).reshape(-1, 28 * 28)
    y = torch.tensor([1] * len(threes) + [0] * len(sevens)).unsqueeze(1)
    return x, y
'''),
    ("ex_make_dataset_answer", "ex_make_dataset", "returns the zip object", '''
def make_dataset(x, y):
    return zip(x, y)
'''),
    ("ex_make_dataset_answer", "ex_make_dataset", "pairs in the wrong order", '''
def make_dataset(x, y):
    return list(zip(y, x))
'''),
    ("ex_make_dataset_answer", "ex_make_dataset", "a tuple of two lists", '''
def make_dataset(x, y):
    return [(list(x), list(y))]
'''),
    ("ex_init_params_answer", "ex_init_params", "not a leaf (requires_grad before scaling)", '''
def init_params(size, std=1.0):
    return torch.randn(size, requires_grad=True) * std
'''),
    ("ex_init_params_answer", "ex_init_params", "no requires_grad", '''
def init_params(size, std=1.0):
    return torch.randn(size) * std
'''),
    ("ex_init_params_answer", "ex_init_params", "ignores std", '''
def init_params(size, std=1.0):
    return torch.randn(size).requires_grad_()
'''),
    ("ex_init_params_answer", "ex_init_params", "uniform instead of normal", '''
def init_params(size, std=1.0):
    return (torch.rand(size) * std).requires_grad_()
'''),
    ("ex_linear1_answer", "ex_linear1", "no bias", '''
def linear1(xb, weights, bias):
    return xb @ weights
'''),
    ("ex_linear1_answer", "ex_linear1", "element-wise product summed to a flat vector", '''
def linear1(xb, weights, bias):
    return (xb * weights.T).sum(1) + bias
'''),
    ("ex_linear1_answer", "ex_linear1", "bias multiplied instead of added", '''
def linear1(xb, weights, bias):
    return (xb @ weights) * bias
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds", "thresholds the wrong way", '''
def accuracy_from_preds(preds, targets):
    return ((preds < 0.0).float() == targets).float().mean()
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds", "threshold 0.5 on raw scores", '''
def accuracy_from_preds(preds, targets):
    return ((preds > 0.5).float() == targets).float().mean()
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds", "counts instead of a share", '''
def accuracy_from_preds(preds, targets):
    return ((preds > 0.0).float() == targets).float().sum()
'''),
    ("ex_grad_wrt_preds_answer", "ex_grad_wrt_preds", "always calls backward", '''
def grad_wrt_preds(fn, preds, targets):
    preds = preds.detach().clone().requires_grad_()
    fn(preds, targets).backward()
    return preds.grad
'''),
    ("ex_grad_wrt_preds_answer", "ex_grad_wrt_preds", "reuses the caller's tensor", '''
def grad_wrt_preds(fn, preds, targets):
    preds.requires_grad_()
    out = fn(preds, targets)
    if not out.requires_grad:
        return None
    out.backward()
    return preds.grad
'''),
    ("ex_grad_wrt_preds_answer", "ex_grad_wrt_preds", "returns the value of fn", '''
def grad_wrt_preds(fn, preds, targets):
    preds = preds.detach().clone().requires_grad_()
    out = fn(preds, targets)
    return None if not out.requires_grad else out.detach() * torch.ones_like(preds)
'''),
    ("ex_mnist_loss_v1_answer", "ex_mnist_loss_v1", "torch.where arms swapped", '''
def mnist_loss_v1(predictions, targets):
    return torch.where(targets == 1, predictions, 1 - predictions).mean()
'''),
    ("ex_mnist_loss_v1_answer", "ex_mnist_loss_v1", "forgets the mean", '''
def mnist_loss_v1(predictions, targets):
    return torch.where(targets == 1, 1 - predictions, predictions)
'''),
    ("ex_mnist_loss_v1_answer", "ex_mnist_loss_v1", "tests for target 0", '''
def mnist_loss_v1(predictions, targets):
    return torch.where(targets == 0, 1 - predictions, predictions).mean()
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "exp of the wrong sign", '''
def sigmoid(x):
    return 1 / (1 + torch.exp(x))
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "minus instead of plus", '''
def sigmoid(x):
    return 1 / (1 - torch.exp(-x))
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "exp(-x) / (1 + exp(-x))", '''
def sigmoid(x):
    return torch.exp(-x) / (1 + torch.exp(-x))
'''),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "no sigmoid", _loss(squash="predictions")),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "sigmoid of the negated scores",
     _loss(squash="sigmoid(-predictions)")),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "forgets the mean",
     _loss(rule="torch.where(targets == 1, 1 - predictions, predictions)")),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "torch.where arms swapped",
     _loss(rule="torch.where(targets == 1, predictions, 1 - predictions).mean()")),
]
