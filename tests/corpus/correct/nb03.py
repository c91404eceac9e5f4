"""Correct answers for notebook 03 written in other styles than the reference; each must get
full marks from both ``ch4 check`` and ``ch4 grade``. Same tuple shape as tests/mutants:
(answer cell id, grade id, what style, source)."""

CORRECT = [
    ("ex_gradient_answer", "ex_gradient", "torch.autograd.grad", '''
def gradient(f, x):
    x = x.detach().clone().requires_grad_()
    (slope,) = torch.autograd.grad(f(x), x)
    return slope
'''),
    ("ex_gradient_answer", "ex_gradient", "torch.func.grad", '''
from torch.func import grad

def gradient(f, x):
    return grad(f)(x.detach())
'''),
    ("ex_gradient_answer", "ex_gradient", "float64 copy inside a callable class", '''
class Gradient:
    def __call__(self, f, x):
        copy = x.detach().to(torch.float64).requires_grad_()
        f(copy).backward()
        return copy.grad.to(x.dtype)

gradient = Gradient()
'''),
    ("ex_gradient_answer", "ex_gradient", "autograd.functional.jacobian", '''
def gradient(f, x):
    return torch.autograd.functional.jacobian(f, x.detach().clone())
'''),
    ("ex_quadratic_answer", "ex_quadratic", "Horner's form with indexing", '''
def quadratic(t, params):
    return (params[0] * t + params[1]) * t + params[2]
'''),
    ("ex_quadratic_answer", "ex_quadratic", "powers stacked, matrix product", '''
def quadratic(t, params):
    powers = torch.stack([t ** 2, t, torch.ones_like(t)], dim=-1)
    return powers @ params
'''),
    ("ex_quadratic_answer", "ex_quadratic", "float64 inside, lambda", '''
quadratic = lambda t, params: (params.double()[0] * t.double() ** 2
                               + params.double()[1] * t.double() + params.double()[2]).float()
'''),
    ("ex_mse_answer", "ex_mse", "F.mse_loss", '''
import torch.nn.functional as F

def mse(preds, targets):
    return F.mse_loss(preds, targets)
'''),
    ("ex_mse_answer", "ex_mse", "torch.square and torch.mean", '''
def mse(preds, targets):
    return torch.mean(torch.square(preds - targets))
'''),
    ("ex_mse_answer", "ex_mse", "sum over numel, float64 inside", '''
def mse(preds, targets):
    diff = preds.double() - targets.double()
    return (diff * diff).sum().div(preds.numel()).float()
'''),
    ("ex_apply_step_answer", "ex_apply_step", "torch.optim.SGD", '''
def apply_step(params, t, y, lr=1e-5):
    opt = torch.optim.SGD([params], lr=lr)
    loss = mse(quadratic(t, params), y)
    loss.backward()
    opt.step()
    opt.zero_grad()
    return loss.detach()
'''),
    ("ex_apply_step_answer", "ex_apply_step", ".data update and grad.zero_()", '''
def apply_step(params, t, y, lr=1e-5):
    loss = mse(quadratic(t, params), y)
    loss.backward()
    params.data -= lr * params.grad.data
    params.grad.zero_()
    return float(loss)
'''),
    ("ex_apply_step_answer", "ex_apply_step", "sub_ under no_grad, inline squared error", '''
def apply_step(params, t, y, lr=1e-5):
    loss = ((quadratic(t, params) - y) ** 2).mean()
    (slope,) = torch.autograd.grad(loss, params)
    with torch.no_grad():
        params.sub_(slope, alpha=lr)
    return loss.detach()
'''),
]

# added for issue 12 (broader styles)
CORRECT += [
    ("ex_gradient_answer", "ex_gradient", "clone then detach, requires_grad attribute", '''
def gradient(f, x):
    point = x.clone().detach()
    point.requires_grad = True
    out = f(point)
    out.backward()
    return point.grad
'''),
    ("ex_gradient_answer", "ex_gradient", "functools.partial over a general helper", '''
import functools

def _derivative(f, x, keep_graph):
    copy = x.detach().clone().requires_grad_(True)
    f(copy).backward(retain_graph=keep_graph)
    return copy.grad.detach()

gradient = functools.partial(_derivative, keep_graph=False)
'''),
    ("ex_gradient_answer", "ex_gradient", "new tensor from the values, early return", '''
def gradient(f, x):
    copy = torch.tensor(x.tolist(), dtype=x.dtype, requires_grad=True)
    value = f(copy)
    if not value.requires_grad:
        return torch.zeros_like(copy)
    value.backward()
    return copy.grad
'''),
    ("ex_quadratic_answer", "ex_quadratic", "addcmul with indexed coefficients", '''
def quadratic(t, params):
    return torch.addcmul(params[1] * t + params[2], params[0] * t, t)
'''),
    ("ex_quadratic_answer", "ex_quadratic", "generator over powers", '''
def quadratic(t, params):
    return sum(p * t ** (2 - k) for k, p in enumerate(params))
'''),
    ("ex_quadratic_answer", "ex_quadratic", "einsum against stacked powers", '''
def quadratic(t, params):
    powers = torch.stack([t ** 2, t, torch.ones_like(t)])
    return torch.einsum("k,k...->...", params, powers)
'''),
    ("ex_mse_answer", "ex_mse", "nn.MSELoss instance", '''
mse = torch.nn.MSELoss()
'''),
    ("ex_mse_answer", "ex_mse", "dot product of the flattened differences", '''
def mse(preds, targets):
    d = (preds - targets).flatten()
    return d.dot(d) / d.numel()
'''),
    ("ex_mse_answer", "ex_mse", "torch.sub and pow with keywords", '''
def mse(preds, targets):
    return torch.sub(preds, targets).pow(exponent=2).mean()
'''),
    ("ex_apply_step_answer", "ex_apply_step", "torch.autograd.grad, no .grad at all", '''
def apply_step(params, t, y, lr=1e-5):
    loss = mse(quadratic(t, params), y)
    (grad,) = torch.autograd.grad(loss, params)
    with torch.no_grad():
        params -= lr * grad
    return loss.item()
'''),
    ("ex_apply_step_answer", "ex_apply_step", "F.mse_loss, sub_ with alpha, zero_, 0-d tensor",
     '''
import torch.nn.functional as F

def apply_step(params, t, y, lr=1e-5):
    loss = F.mse_loss(quadratic(t, params), y)
    loss.backward()
    with torch.no_grad():
        params.sub_(params.grad, alpha=lr)
        params.grad.zero_()
    return loss.detach()
'''),
    ("ex_apply_step_answer", "ex_apply_step", "torch.no_grad as a decorator on a helper", '''
@torch.no_grad()
def _update(params, lr):
    params.add_(-lr * params.grad)
    params.grad = None


def apply_step(params, t, y, lr=1e-5):
    loss = mse(quadratic(t, params), y)
    loss.backward()
    _update(params, lr)
    return float(loss)
'''),
]
CORRECT += [
    ("ex_apply_step_answer", "ex_apply_step", "returns the loss tensor itself (still tracked)",
     '''
def apply_step(params, t, y, lr=1e-5):
    loss = mse(quadratic(t, params), y)
    loss.backward()
    with torch.no_grad():
        params -= lr * params.grad
        params.grad = None
    return loss
'''),
]
