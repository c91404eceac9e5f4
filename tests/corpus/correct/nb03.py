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
