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
    ("ex_make_xy_answer", "ex_make_xy", "scales x by its max", '''
def make_xy(threes, sevens):
    x = torch.cat([threes, sevens]).view(-1, 28 * 28)
    x = x / x.max()
    y = torch.tensor([1] * len(threes) + [0] * len(sevens)).unsqueeze(1)
    return x, y
'''),
    ("ex_make_xy_answer", "ex_make_xy", "labels counted from the notebook's stacks", '''
def make_xy(threes, sevens):
    x = torch.cat([threes, sevens]).view(-1, 28 * 28)
    y = torch.tensor([1] * len(stacked_threes) + [0] * len(stacked_sevens)).unsqueeze(1)
    return x, y
'''),
    ("ex_make_xy_answer", "ex_make_xy", "labels as a row (unsqueeze(0))", '''
def make_xy(threes, sevens):
    x = torch.cat([threes, sevens]).view(-1, 28 * 28)
    y = torch.tensor([1] * len(threes) + [0] * len(sevens)).unsqueeze(0)
    return x, y
'''),
    ("ex_make_dataset_answer", "ex_make_dataset", "a list of lists", '''
def make_dataset(x, y):
    return [[xi, yi] for xi, yi in zip(x, y)]
'''),
    ("ex_make_dataset_answer", "ex_make_dataset", "uses the notebook's train_x and train_y", '''
def make_dataset(x, y):
    return list(zip(train_x, train_y))
'''),
    ("ex_make_dataset_answer", "ex_make_dataset", "stops one row early", '''
def make_dataset(x, y):
    return [(x[i], y[i]) for i in range(len(x) - 1)]
'''),
    ("ex_init_params_answer", "ex_init_params", "sets a seed inside", '''
def init_params(size, std=1.0):
    torch.manual_seed(42)
    return (torch.randn(size) * std).requires_grad_()
'''),
    ("ex_init_params_answer", "ex_init_params", "a freshly seeded generator inside", '''
def init_params(size, std=1.0):
    g = torch.Generator().manual_seed(0)
    return (torch.randn(size, generator=g) * std).requires_grad_()
'''),
    ("ex_init_params_answer", "ex_init_params", "multiplies by the variance (std squared)", '''
def init_params(size, std=1.0):
    return (torch.randn(size) * std ** 2).requires_grad_()
'''),
    ("ex_linear1_answer", "ex_linear1", "transposed product (a row of scores)", '''
def linear1(xb, weights, bias):
    return weights.T @ xb.T + bias
'''),
    ("ex_linear1_answer", "ex_linear1", "bias added to the pixels", '''
def linear1(xb, weights, bias):
    return (xb + bias) @ weights
'''),
    ("ex_linear1_answer", "ex_linear1", "uses .data (training cannot follow)", '''
def linear1(xb, weights, bias):
    return xb @ weights.data + bias.data
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds",
     "a score of exactly 0 counts as a 3", '''
def accuracy_from_preds(preds, targets):
    return ((preds >= 0.0).float() == targets).float().mean()
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds", "sigmoid compared with 0", '''
def accuracy_from_preds(preds, targets):
    return ((torch.sigmoid(preds) > 0.0).float() == targets).float().mean()
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds",
     "squeezed scores broadcast against a column", '''
def accuracy_from_preds(preds, targets):
    return ((preds.squeeze() > 0.0).float() == targets).float().mean()
'''),
    ("ex_grad_wrt_preds_answer", "ex_grad_wrt_preds", "copies preds without detaching", '''
def grad_wrt_preds(fn, preds, targets):
    preds = preds.clone().requires_grad_()
    out = fn(preds, targets)
    if not out.requires_grad:
        return None
    out.backward()
    return preds.grad
'''),
    ("ex_grad_wrt_preds_answer", "ex_grad_wrt_preds", "tests the copy, not the result", '''
def grad_wrt_preds(fn, preds, targets):
    preds = preds.detach().clone()
    if not preds.requires_grad:
        return None
    fn(preds, targets).backward()
    return preds.grad
'''),
    ("ex_mnist_loss_v1_answer", "ex_mnist_loss_v1", "sum instead of mean", '''
def mnist_loss_v1(predictions, targets):
    return torch.where(targets == 1, 1 - predictions, predictions).sum()
'''),
    ("ex_mnist_loss_v1_answer", "ex_mnist_loss_v1", "squared error", '''
def mnist_loss_v1(predictions, targets):
    return ((targets - predictions) ** 2).mean()
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "exp(x) / (1 + exp(x)) (NaN for large scores)", '''
def sigmoid(x):
    return torch.exp(x) / (1 + torch.exp(x))
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "math.exp element by element (overflows)", '''
import math

def sigmoid(x):
    return torch.tensor([1 / (1 + math.exp(-v)) for v in x.reshape(-1).tolist()]).view(x.shape)
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "computed in place on its input", '''
def sigmoid(x):
    return x.neg_().exp_().add_(1).reciprocal_()
'''),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "unstable sigmoid written inline",
     _loss(squash="torch.exp(predictions) / (1 + torch.exp(predictions))")),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "squeezed scores broadcast against a column",
     _loss(squash="sigmoid(predictions).squeeze()")),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "binary cross-entropy instead", '''
def mnist_loss(predictions, targets):
    return torch.nn.functional.binary_cross_entropy_with_logits(predictions, targets.float())
'''),
]

# added for issue 12
MUTANTS += [
    ("ex_make_xy_answer", "ex_make_xy", "as many 0 labels as there are 3s", '''
def make_xy(threes, sevens):
    x = torch.cat([threes, sevens]).view(-1, 28 * 28)
    y = torch.tensor([1] * len(threes) + [0] * len(threes)).unsqueeze(1)
    return x, y
'''),
    ("ex_make_dataset_answer", "ex_make_dataset", "starts at index 1", '''
def make_dataset(x, y):
    return [(x[i], y[i]) for i in range(1, len(x))]
'''),
    ("ex_init_params_answer", "ex_init_params", "std added instead of multiplied", '''
def init_params(size, std=1.0):
    return (torch.randn(size) + std).requires_grad_()
'''),
    ("ex_linear1_answer", "ex_linear1", "sigmoid applied inside the model", '''
def linear1(xb, weights, bias):
    return torch.sigmoid(xb @ weights + bias)
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds",
     "targets squeezed, scores not (broadcasts to n x n)", '''
def accuracy_from_preds(preds, targets):
    return ((preds > 0).float() == targets.squeeze()).float().mean()
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds", "no threshold (scores == targets)",
     '''
def accuracy_from_preds(preds, targets):
    return (preds == targets).float().mean()
'''),
    ("ex_grad_wrt_preds_answer", "ex_grad_wrt_preds", "zeros instead of None", '''
def grad_wrt_preds(fn, preds, targets):
    preds = preds.detach().clone().requires_grad_()
    out = fn(preds, targets)
    if not out.requires_grad:
        return torch.zeros_like(preds)
    out.backward()
    return preds.grad
'''),
    ("ex_mnist_loss_v1_answer", "ex_mnist_loss_v1", "predictions - 1 for the 3s (sign slip)", '''
def mnist_loss_v1(predictions, targets):
    return torch.where(targets == 1, predictions - 1, predictions).mean()
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "scores clamped to [-10, 10] first", '''
def sigmoid(x):
    return 1 / (1 + torch.exp(-x.clamp(-10, 10)))
'''),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "sigmoid applied after the where", '''
def mnist_loss(predictions, targets):
    return sigmoid(torch.where(targets == 1, 1 - predictions, predictions)).mean()
'''),
]

# the properties the probes used to read in the kernel, now measured by the grader from the raw
# draws: answers that have the right mean and spread but are not normal draws
MUTANTS += [
    ("ex_init_params_answer", "ex_init_params",
     "uniform draws centred on 0 with the right standard deviation", '''
def init_params(size, std=1.0):
    return ((torch.rand(size) * 2 - 1) * std * 3 ** 0.5).requires_grad_()
'''),
    ("ex_init_params_answer", "ex_init_params", "a constant tensor that requires grad", '''
def init_params(size, std=1.0):
    return torch.full(torch.Size([size]) if isinstance(size, int) else torch.Size(size),
                      float(std)).requires_grad_()
'''),
    ("ex_init_params_answer", "ex_init_params", "+-std at random (right mean and spread)", '''
def init_params(size, std=1.0):
    return ((torch.randint(0, 2, torch.Size([size]) if isinstance(size, int) else size) * 2 - 1)
            * float(std)).requires_grad_()
'''),
]
