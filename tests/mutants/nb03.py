"""Plausible wrong answers for notebook 03; each must make its grade cell fail."""

_STEP = '''
def apply_step(params, t, y, lr=1e-5):
    loss = mse(quadratic({t}, params), {y})
    loss.backward()
{update}
    return loss.item()
'''
_GOOD_UPDATE = '''    with torch.no_grad():
        params -= lr * params.grad
    params.grad = None'''


def _step(update: str = _GOOD_UPDATE, t: str = "t", y: str = "y") -> str:
    return _STEP.format(update=update, t=t, y=y)


MUTANTS = [
    ("ex_gradient_answer", "ex_gradient", "hard-codes the slope of x**2", '''
def gradient(f, x):
    return 2 * x
'''),
    ("ex_gradient_answer", "ex_gradient", "reuses the caller's tensor (gradients accumulate)", '''
def gradient(f, x):
    x.requires_grad_()
    f(x).backward()
    return x.grad
'''),
    ("ex_gradient_answer", "ex_gradient", "finite difference with a large step", '''
def gradient(f, x):
    return (f(x + 1.0) - f(x)) * torch.ones_like(x)
'''),
    ("ex_gradient_answer", "ex_gradient", "returns the value, not the gradient", '''
def gradient(f, x):
    x = x.detach().clone().requires_grad_()
    y = f(x)
    y.backward()
    return y.detach() * torch.ones_like(x)
'''),
    ("ex_quadratic_answer", "ex_quadratic", "a*t*2 instead of a*t**2", '''
def quadratic(t, params):
    a, b, c = params
    return a * t * 2 + b * t + c
'''),
    ("ex_quadratic_answer", "ex_quadratic", "forgets the constant", '''
def quadratic(t, params):
    a, b, c = params
    return a * t ** 2 + b * t
'''),
    ("ex_quadratic_answer", "ex_quadratic", "parameters in reverse order", '''
def quadratic(t, params):
    c, b, a = params
    return a * t ** 2 + b * t + c
'''),
    ("ex_mse_answer", "ex_mse", "no square", '''
def mse(preds, targets):
    return (preds - targets).mean()
'''),
    ("ex_mse_answer", "ex_mse", "root mean squared error", '''
def mse(preds, targets):
    return ((preds - targets) ** 2).mean().sqrt()
'''),
    ("ex_mse_answer", "ex_mse", "sum instead of mean", '''
def mse(preds, targets):
    return ((preds - targets) ** 2).sum()
'''),
    ("ex_mse_answer", "ex_mse", "mean absolute error", '''
def mse(preds, targets):
    return (preds - targets).abs().mean()
'''),
    ("ex_apply_step_answer", "ex_apply_step", "does not clear the gradient",
     _step('''    with torch.no_grad():
        params -= lr * params.grad''')),
    ("ex_apply_step_answer", "ex_apply_step", "steps uphill (wrong sign)",
     _step('''    with torch.no_grad():
        params += lr * params.grad
    params.grad = None''')),
    ("ex_apply_step_answer", "ex_apply_step", "forgets torch.no_grad (and .data)",
     _step('''    params -= lr * params.grad
    params.grad = None''')),
    ("ex_apply_step_answer", "ex_apply_step", "rebinds a local name instead of updating in place",
     _step('''    with torch.no_grad():
        params = params - lr * params.grad
    params.grad = None''')),
    ("ex_apply_step_answer", "ex_apply_step", "forgets the learning rate",
     _step('''    with torch.no_grad():
        params -= params.grad
    params.grad = None''')),
    ("ex_apply_step_answer", "ex_apply_step", "uses the notebook's time and speed",
     _step(t="time", y="speed")),
    ("ex_apply_step_answer", "ex_apply_step", "returns the loss after the step", '''
def apply_step(params, t, y, lr=1e-5):
    loss = mse(quadratic(t, params), y)
    loss.backward()
    with torch.no_grad():
        params -= lr * params.grad
    params.grad = None
    return mse(quadratic(t, params), y).item()
'''),
    ("ex_gradient_answer", "ex_gradient", "copies x without detaching it", '''
def gradient(f, x):
    x = x.clone().requires_grad_()
    f(x).backward()
    return x.grad
'''),
    ("ex_gradient_answer", "ex_gradient", "sums the gradient into one number", '''
def gradient(f, x):
    x = x.detach().clone().requires_grad_()
    f(x).backward()
    return x.grad.sum()
'''),
    ("ex_quadratic_answer", "ex_quadratic", "unpacks Python floats (autograd cannot follow)", '''
def quadratic(t, params):
    a, b, c = params.tolist()
    return a * t ** 2 + b * t + c
'''),
    ("ex_quadratic_answer", "ex_quadratic", "multiplies the constant by t", '''
def quadratic(t, params):
    a, b, c = params
    return a * t ** 2 + b * t + c * t
'''),
    ("ex_mse_answer", "ex_mse", "square of the mean difference", '''
def mse(preds, targets):
    return (preds - targets).mean() ** 2
'''),
    ("ex_mse_answer", "ex_mse", "divides by len() (the rows only)", '''
def mse(preds, targets):
    return ((preds - targets) ** 2).sum() / len(preds)
'''),
    ("ex_mse_answer", "ex_mse", "returns a Python float (no gradient)", '''
def mse(preds, targets):
    return ((preds - targets) ** 2).mean().item()
'''),
    ("ex_apply_step_answer", "ex_apply_step", "clears the gradient before using it",
     _step('''    params.grad = torch.zeros_like(params)
    with torch.no_grad():
        params -= lr * params.grad''')),
    ("ex_apply_step_answer", "ex_apply_step", "zeroes a gradient that does not exist yet", '''
def apply_step(params, t, y, lr=1e-5):
    params.grad.zero_()
    loss = mse(quadratic(t, params), y)
    loss.backward()
    with torch.no_grad():
        params -= lr * params.grad
    return loss.item()
'''),
]

# added for issue 12
MUTANTS += [
    ("ex_gradient_answer", "ex_gradient", "zeroes the gradient before returning it", '''
def gradient(f, x):
    x = x.detach().clone().requires_grad_()
    f(x).backward()
    g = x.grad
    x.grad.zero_()
    return g
'''),
    ("ex_gradient_answer", "ex_gradient", "everything under torch.no_grad", '''
def gradient(f, x):
    with torch.no_grad():
        x = x.detach().clone().requires_grad_()
        f(x).backward()
    return x.grad
'''),
    ("ex_quadratic_answer", "ex_quadratic", "squares the coefficient too: (a*t)**2", '''
def quadratic(t, params):
    a, b, c = params
    return (a * t) ** 2 + b * t + c
'''),
    ("ex_mse_answer", "ex_mse", "divides by n - 1", '''
def mse(preds, targets):
    return ((preds - targets) ** 2).sum() / (preds.numel() - 1)
'''),
    ("ex_mse_answer", "ex_mse", "half the mean squared error", '''
def mse(preds, targets):
    return 0.5 * ((preds - targets) ** 2).mean()
'''),
    ("ex_apply_step_answer", "ex_apply_step", "ignores lr and uses the default step size", '''
def apply_step(params, t, y, lr=1e-5):
    loss = mse(quadratic(t, params), y)
    loss.backward()
    with torch.no_grad():
        params -= 1e-5 * params.grad
    params.grad = None
    return loss.item()
'''),
    ("ex_apply_step_answer", "ex_apply_step", "t and y swapped in the prediction", '''
def apply_step(params, t, y, lr=1e-5):
    loss = mse(quadratic(y, params), t)
    loss.backward()
    with torch.no_grad():
        params -= lr * params.grad
    params.grad = None
    return loss.item()
'''),
]
