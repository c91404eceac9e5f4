"""Correct answers for notebook 04 written in other styles than the reference; each must get
full marks from both ``ch4 check`` and ``ch4 grade``. Same tuple shape as tests/mutants:
(answer cell id, grade id, what style, source)."""

CORRECT = [
    ("ex_make_xy_answer", "ex_make_xy", "flatten(1), float labels from ones and zeros", '''
def make_xy(threes, sevens):
    x = torch.cat([threes.reshape(len(threes), -1), sevens.flatten(1)])
    y = torch.cat([torch.ones(len(threes)), torch.zeros(len(sevens))]).unsqueeze(1)
    return x, y
'''),
    ("ex_make_xy_answer", "ex_make_xy", "numpy concatenate then torch", '''
def make_xy(threes, sevens):
    pixels = np.concatenate([threes.numpy(), sevens.numpy()]).reshape(-1, 784)
    labels = np.array([1] * len(threes) + [0] * len(sevens))[:, None]
    return torch.from_numpy(pixels), torch.from_numpy(labels)
'''),
    ("ex_make_xy_answer", "ex_make_xy", "loop over images, nested label lists", '''
def make_xy(threes, sevens):
    rows, labels = [], []
    for images, label in ((threes, 1), (sevens, 0)):
        for image in images:
            rows.append(image.flatten())
            labels.append([label])
    return torch.stack(rows), torch.tensor(labels)
'''),
    ("ex_make_xy_answer", "ex_make_xy", "vstack and long columns", '''
def make_xy(threes, sevens):
    x = torch.vstack([threes, sevens]).view(-1, 28 * 28)
    y = torch.cat([torch.ones(len(threes), 1, dtype=torch.long),
                   torch.zeros(len(sevens), 1, dtype=torch.long)])
    return (x, y)
'''),
    ("ex_make_dataset_answer", "ex_make_dataset", "list comprehension over indices", '''
def make_dataset(x, y):
    return [(x[i], y[i]) for i in range(len(x))]
'''),
    ("ex_make_dataset_answer", "ex_make_dataset", "loop with append", '''
def make_dataset(x, y):
    pairs = []
    for xi, yi in zip(x, y):
        pairs.append((xi, yi))
    return pairs
'''),
    ("ex_make_dataset_answer", "ex_make_dataset", "unbind and tuple()", '''
def make_dataset(x, y):
    return [tuple(pair) for pair in zip(x.unbind(0), y.unbind(0))]
'''),
    ("ex_init_params_answer", "ex_init_params", "torch.normal with a size tuple", '''
def init_params(size, std=1.0):
    shape = (size,) if isinstance(size, int) else tuple(size)
    return torch.normal(0.0, std, size=shape).requires_grad_()
'''),
    ("ex_init_params_answer", "ex_init_params", "nn.init.normal_ on an empty tensor", '''
def init_params(size, std=1.0):
    return torch.nn.init.normal_(torch.empty(size), mean=0.0, std=std).requires_grad_()
'''),
    ("ex_init_params_answer", "ex_init_params", "nn.Parameter", '''
def init_params(size, std=1.0):
    return torch.nn.Parameter(torch.randn(size) * std)
'''),
    ("ex_init_params_answer", "ex_init_params", "float64, scaled in place", '''
def init_params(size, std=1.0):
    return torch.randn(size, dtype=torch.float64).mul_(std).requires_grad_()
'''),
    ("ex_linear1_answer", "ex_linear1", "torch.matmul", '''
def linear1(xb, weights, bias):
    return torch.matmul(xb, weights) + bias
'''),
    ("ex_linear1_answer", "ex_linear1", "torch.addmm", '''
def linear1(xb, weights, bias):
    return torch.addmm(bias, xb, weights)
'''),
    ("ex_linear1_answer", "ex_linear1", "F.linear with the transposed weights", '''
import torch.nn.functional as F

def linear1(xb, weights, bias):
    return F.linear(xb, weights.T, bias)
'''),
    ("ex_linear1_answer", "ex_linear1", "products summed per row, keepdim", '''
def linear1(xb, weights, bias):
    return (xb * weights.T).sum(dim=1, keepdim=True) + bias
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds", "sigmoid above one half", '''
def accuracy_from_preds(preds, targets):
    return ((torch.sigmoid(preds) > 0.5) == targets.bool()).float().mean()
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds", "numpy mean", '''
def accuracy_from_preds(preds, targets):
    return np.mean((preds.numpy() > 0) == (targets.numpy() == 1))
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds", "torch.where, count over len", '''
def accuracy_from_preds(preds, targets):
    guesses = torch.where(preds > 0, 1, 0)
    return guesses.eq(targets).sum().item() / len(targets)
'''),
    ("ex_grad_wrt_preds_answer", "ex_grad_wrt_preds", "torch.autograd.grad", '''
def grad_wrt_preds(fn, preds, targets):
    copy = preds.detach().clone().requires_grad_()
    out = fn(copy, targets)
    if not out.requires_grad:
        return None
    return torch.autograd.grad(out, copy)[0]
'''),
    ("ex_grad_wrt_preds_answer", "ex_grad_wrt_preds", "float64 copy, try/except", '''
def grad_wrt_preds(fn, preds, targets):
    copy = preds.detach().double().requires_grad_()
    try:
        fn(copy, targets).backward()
    except RuntimeError:
        return None
    return copy.grad.float()
'''),
    ("ex_grad_wrt_preds_answer", "ex_grad_wrt_preds", "callable class", '''
class GradWrtPreds:
    def __call__(self, fn, preds, targets):
        leaf = torch.tensor(preds.detach().numpy(), requires_grad=True)
        out = fn(leaf, targets)
        if out.grad_fn is None:
            return None
        out.backward()
        return leaf.grad

grad_wrt_preds = GradWrtPreds()
'''),
    ("ex_mnist_loss_v1_answer", "ex_mnist_loss_v1", "absolute difference to the target", '''
def mnist_loss_v1(predictions, targets):
    return (targets - predictions).abs().mean()
'''),
    ("ex_mnist_loss_v1_answer", "ex_mnist_loss_v1", "arithmetic blend of the two cases", '''
def mnist_loss_v1(predictions, targets):
    return (targets * (1 - predictions) + (1 - targets) * predictions).mean()
'''),
    ("ex_mnist_loss_v1_answer", "ex_mnist_loss_v1", "bool mask, sum over numel", '''
def mnist_loss_v1(predictions, targets):
    per_item = torch.where(targets.bool(), 1 - predictions, predictions)
    return per_item.sum() / predictions.numel()
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "torch.sigmoid", '''
def sigmoid(x):
    return torch.sigmoid(x)
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "tanh identity", '''
def sigmoid(x):
    return 0.5 * (1 + torch.tanh(x / 2))
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "stable two-branch form", '''
def sigmoid(x):
    e = torch.exp(-x.abs())
    return torch.where(x >= 0, 1 / (1 + e), e / (1 + e))
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "method chain and special.expit", '''
import torch.special

def sigmoid(x):
    return torch.special.expit(x) if x.dtype == torch.float64 else x.neg().exp().add(1).reciprocal()
'''),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "torch.sigmoid inside", '''
def mnist_loss(predictions, targets):
    p = torch.sigmoid(predictions)
    return torch.where(targets == 1, 1 - p, p).mean()
'''),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "arithmetic blend", '''
def mnist_loss(predictions, targets):
    s = sigmoid(predictions)
    return (targets * (1 - s) + (1 - targets) * s).mean()
'''),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "reuses mnist_loss_v1", '''
def mnist_loss(predictions, targets):
    return mnist_loss_v1(sigmoid(predictions), targets)
'''),
]

# added for issue 12 (broader styles)
CORRECT += [
    ("ex_make_xy_answer", "ex_make_xy", "reshape each stack, float label columns", '''
def make_xy(threes, sevens):
    x = torch.cat([threes.reshape(len(threes), -1), sevens.reshape(len(sevens), -1)])
    y = torch.cat([torch.ones(len(threes), 1), torch.zeros(len(sevens), 1)])
    return x, y
'''),
    ("ex_make_xy_answer", "ex_make_xy", "labels from an arange comparison", '''
def make_xy(threes, sevens):
    x = torch.cat((threes, sevens), dim=0).flatten(start_dim=1)
    y = (torch.arange(len(x)) < threes.shape[0]).long()[:, None]
    return (x, y)
'''),
    ("ex_make_dataset_answer", "ex_make_dataset", "generator of pairs, strict zip", '''
def make_dataset(x, y):
    return list((xi, yi) for xi, yi in zip(x, y, strict=True))
'''),
    ("ex_make_dataset_answer", "ex_make_dataset", "enumerate", '''
def make_dataset(x, y):
    return [(row, y[i]) for i, row in enumerate(x)]
'''),
    ("ex_init_params_answer", "ex_init_params", "randn_like of zeros", '''
def init_params(size, std=1.0):
    return (torch.randn_like(torch.zeros(size)) * std).requires_grad_()
'''),
    ("ex_init_params_answer", "ex_init_params", "tracked draw scaled, then detached into a leaf",
     '''
def init_params(size, std=1.0):
    scaled = torch.randn(size, requires_grad=True) * std
    return scaled.detach().requires_grad_(True)
'''),
    ("ex_linear1_answer", "ex_linear1", "einsum", '''
def linear1(xb, weights, bias):
    return torch.einsum("ni,ij->nj", xb, weights) + bias
'''),
    ("ex_linear1_answer", "ex_linear1", "torch.mm and add", '''
def linear1(xb, weights, bias):
    return torch.mm(xb, weights).add(bias)
'''),
    ("ex_linear1_answer", "ex_linear1", "transposed product transposed back", '''
def linear1(xb, weights, bias):
    return (weights.T @ xb.T).T + bias
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds", "bool targets", '''
def accuracy_from_preds(preds, targets):
    return ((preds > 0) == targets.bool()).float().mean()
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds", "sign clamped, float64 mean", '''
def accuracy_from_preds(preds, targets):
    called_3 = torch.sign(preds).clamp(min=0)
    return (called_3 == targets).double().mean()
'''),
    ("ex_accuracy_from_preds_answer", "ex_accuracy_from_preds", "python loop over pairs", '''
def accuracy_from_preds(preds, targets):
    pairs = list(zip(preds.flatten().tolist(), targets.flatten().tolist()))
    hits = sum(1 for p, t in pairs if (p > 0) == (t == 1))
    return hits / len(pairs)
'''),
    ("ex_grad_wrt_preds_answer", "ex_grad_wrt_preds", "grad_fn test and autograd.backward", '''
def grad_wrt_preds(fn, preds, targets):
    copy = preds.detach().clone()
    copy.requires_grad_(True)
    out = fn(copy, targets)
    if out.grad_fn is None:
        return None
    torch.autograd.backward(out)
    return copy.grad
'''),
    ("ex_grad_wrt_preds_answer", "ex_grad_wrt_preds", "enable_grad block, cloned result", '''
def grad_wrt_preds(fn, preds, targets):
    with torch.enable_grad():
        fresh = preds.clone().detach().requires_grad_()
        result = fn(fresh, targets)
        if not result.requires_grad:
            return None
        result.backward()
    return fresh.grad.clone()
'''),
    ("ex_mnist_loss_v1_answer", "ex_mnist_loss_v1", "bool condition and torch.mean", '''
def mnist_loss_v1(predictions, targets):
    return torch.mean(torch.where(targets.bool(), 1 - predictions, predictions))
'''),
    ("ex_mnist_loss_v1_answer", "ex_mnist_loss_v1", "float64 inside", '''
def mnist_loss_v1(predictions, targets):
    p = predictions.double()
    return torch.where(targets == 1, 1 - p, p).mean().to(predictions.dtype)
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "nn.Sigmoid module", '''
sigmoid = torch.nn.Sigmoid()
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "logaddexp form", '''
def sigmoid(x):
    return torch.exp(-torch.logaddexp(torch.zeros_like(x), -x))
'''),
    ("ex_sigmoid_answer", "ex_sigmoid", "one minus the mirrored form", '''
def sigmoid(x):
    return 1 - 1 / (1 + torch.exp(x))
'''),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "sigmoid(-x) for the 3s", '''
def mnist_loss(predictions, targets):
    return torch.where(targets == 1, sigmoid(-predictions), sigmoid(predictions)).mean()
'''),
    ("ex_mnist_loss_answer", "ex_mnist_loss", "float64 inside", '''
def mnist_loss(predictions, targets):
    s = torch.sigmoid(predictions.double())
    return torch.where(targets == 1, 1 - s, s).mean().float()
'''),
]
CORRECT += [
    ("ex_init_params_answer", "ex_init_params", "requires_grad set as an attribute", '''
def init_params(size, std=1.0):
    weights = torch.randn(size) * std
    weights.requires_grad = True
    return weights
'''),
]
