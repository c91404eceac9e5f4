"""Plausible wrong answers to the questionnaire (notebook 08), one or more per item.

Each entry is ``(item id, misconception, source of a wrong qNN_answer cell)``; the item's grade
cell must fail after the wrong answer cell runs. Multiple-choice and ordering answers name the
option texts and turn them into this student's letters with ``letter_of``.
"""

from __future__ import annotations


def _choose(item: str, *texts: str) -> str:
    picks = ", ".join(repr(t) for t in texts)
    return ("from autograder.checks.questionnaire import letter_of as _lo\n"
            f"{item}_answer = ''.join(_lo({item!r}, STUDENT_ID, _t) for _t in [{picks}])")


_Q14 = ["initialise the weights", "predict with the current weights",
        "measure the loss of those predictions",
        "compute the gradient of the loss for every weight",
        "step: change each weight a little against its gradient",
        "go back and repeat the cycle", "stop when the model is good enough or time is up"]
_Q25 = ["take the next mini-batch xb, yb from the DataLoader", "preds = model(xb)",
        "loss = loss_func(preds, yb)", "loss.backward()",
        "p -= p.grad * lr for every parameter p (without tracking gradients)",
        "set every parameter's gradient back to zero"]

# a correct q36_forward, so that a q36 mutant fails on its model alone
_Q36_FORWARD = ("\n\nimport torch.nn.functional as F\n\n\ndef q36_forward(model, x):\n"
                "    return model[2](F.relu(model[0](x)))\n")


def _swap(steps: list[str], i: int, j: int) -> list[str]:
    steps = list(steps)
    steps[i], steps[j] = steps[j], steps[i]
    return steps


WRONG_ANSWERS: list[tuple[str, str, str]] = [
    ("q01", "white stored as 0",
     "q01_answer = (torch.zeros(2, 4, dtype=torch.uint8), "
     "torch.zeros(3, 2, 4, dtype=torch.uint8))"),
    ("q01", "pixels scaled to 0-1 instead of 0-255",
     "_c = torch.zeros(3, 2, 4)\n_c[0] = 1.0\nq01_answer = (torch.ones(2, 4), _c)"),
    ("q01", "colour image without a channel axis",
     "q01_answer = (torch.full((2, 4), 255), torch.full((2, 4), 255))"),
    ("q02", "label read from the file name",
     "from collections import Counter\nfrom pathlib import Path\n"
     "def q02_answer(paths):\n"
     "    return Counter(Path(p).stem[0] for p in paths if Path(p).parent.parent.name == 'valid')"),
    ("q02", "split taken from anywhere in the path",
     "from collections import Counter\nfrom pathlib import Path\n"
     "def q02_answer(paths):\n"
     "    return Counter(Path(p).parent.name for p in paths if 'valid' in Path(p).parts)"),
    ("q02", "training images counted too (no held-out set)",
     "from collections import Counter\nfrom pathlib import Path\n"
     "def q02_answer(paths):\n    return Counter(Path(p).parent.name for p in paths)"),
    ("q03", "compares with the first example of each class instead of the mean",
     "def q03_answer(threes, sevens, x):\n"
     "    d3 = (x - threes[0]).abs().mean((-1, -2))\n"
     "    d7 = (x - sevens[0]).abs().mean((-1, -2))\n"
     "    return d3 < d7"),
    ("q03", "distance averaged over the whole batch",
     "def q03_answer(threes, sevens, x):\n"
     "    return (x - threes.mean(0)).abs().mean() < (x - sevens.mean(0)).abs().mean()"),
    ("q04", "even numbers instead of odd",
     "def q04_answer(numbers):\n    return [2 * n for n in numbers if n % 2 == 0]"),
    ("q04", "doubles everything",
     "def q04_answer(numbers):\n    return [2 * n for n in numbers]"),
    ("q04", "generator instead of a list",
     "def q04_answer(numbers):\n    return (2 * n for n in numbers if n % 2)"),
    ("q04", "a for loop instead of a list comprehension",
     "def q04_answer(numbers):\n    out = []\n    for n in numbers:\n        if n % 2:\n"
     "            out.append(2 * n)\n    return out"),
    ("q04", "list() of a generator expression instead of a list comprehension",
     "def q04_answer(numbers):\n    return list(2 * n for n in numbers if n % 2)"),
    ("q05", "cat glues images into one tall matrix",
     "def q05_answer(images):\n    return torch.cat(images)"),
    ("q05", "an extra axis: rank 4",
     "def q05_answer(images):\n    return torch.stack(images).unsqueeze(1)"),
    ("q06", "rank confused with the first axis length",
     "def q06_answer(t):\n    return len(t)"),
    ("q06", "rank confused with the number of elements",
     "def q06_answer(t):\n    return t.numel()"),
    ("q06", "rank read ready-made from ndim, not computed from the shape",
     "def q06_answer(t):\n    return t.ndim"),
    ("q06", "rank read ready-made from dim(), not computed from the shape",
     "q06_answer = lambda t: t.dim()"),
    ("q07", "L1 without the mean (sum)",
     "def q07_answer(a, b):\n"
     "    return (a - b).abs().sum(), ((a - b) ** 2).mean().sqrt()"),
    ("q07", "RMSE without the square root",
     "def q07_answer(a, b):\n    return (a - b).abs().mean(), ((a - b) ** 2).mean()"),
    ("q07", "no absolute value in L1",
     "def q07_answer(a, b):\n    return (a - b).mean(), ((a - b) ** 2).mean().sqrt()"),
    ("q08", "Python loop over rows",
     "def q08_answer(x):\n"
     "    out = []\n    for row in x:\n        out.append((row ** 2).mean())\n"
     "    return torch.stack(out)"),
    ("q08", "comprehension is still a Python loop",
     "def q08_answer(x):\n"
     "    return torch.tensor([sum(v * v for v in row.tolist()) / len(row) for row in x])"),
    ("q08", "mean over the wrong axis",
     "def q08_answer(x):\n    return (x ** 2).mean(dim=0)"),
    ("q09", "last four values of the flattened tensor",
     "_d = torch.arange(1, 10).view(3, 3) * 2\nq09_answer = (_d, _d.view(-1)[-4:])"),
    ("q09", "not doubled",
     "_d = torch.arange(1, 10).view(3, 3)\nq09_answer = (_d, _d[1:, 1:])"),
    ("q09", "slice starts at 2",
     "_d = torch.arange(1, 10).view(3, 3) * 2\nq09_answer = (_d, _d[2:, 2:])"),
    ("q10", "shapes lined up from the left",
     "q10_answer = [(3, 28, 28), (5, 4), (2, 3), (6,), (4, 5, 3), (2, 3)]"),
    ("q10", "result takes the smaller operand's shape",
     "q10_answer = [(28, 28), (4,), None, (), (5, 1), (2, 1)]"),
    ("q11", "accuracy measured on the training set",
     "def q11_answer(predict, train, valid):\n"
     "    x, y = train\n    return (predict(x) == y).float().mean().item()"),
    ("q11", "training and validation sets mixed",
     "def q11_answer(predict, train, valid):\n"
     "    x = torch.cat([train[0], valid[0]]); y = torch.cat([train[1], valid[1]])\n"
     "    return (predict(x) == y).float().mean().item()"),
    ("q12", "SGD as random search",
     _choose("q12", "Try many random sets of weights, keep the one with the best accuracy, then "
                    "search around it more finely")),
    ("q12", "SGD as a closed-form solution",
     _choose("q12", "Solve for the best weights in one go with a closed-form formula, as "
                    "least-squares regression does")),
    ("q13", "mini-batches prevent overfitting",
     _choose("q13", "With mini-batches the model sees each image fewer times per epoch, and that "
                    "is what stops it from overfitting")),
    ("q14", "step before computing the gradient", _choose("q14", *_swap(_Q14, 3, 4))),
    ("q14", "loss before predicting", _choose("q14", *_swap(_Q14, 1, 2))),
    ("q15", "all-zero initialisation",
     "def q15_answer(size, std=1.0):\n    return torch.zeros(size).requires_grad_()"),
    ("q15", "forgets to track gradients",
     "def q15_answer(size, std=1.0):\n    return torch.randn(size) * std"),
    ("q15", "scaling after requires_grad gives a non-leaf tensor",
     "def q15_answer(size, std=1.0):\n    return torch.randn(size, requires_grad=True) * std"),
    ("q15", "std ignored",
     "def q15_answer(size, std=1.0):\n    return torch.randn(size).requires_grad_()"),
    ("q15", "uniform [0, 1) instead of centred",
     "def q15_answer(size, std=1.0):\n    return (torch.rand(size) * std).requires_grad_()"),
    ("q16", "loss confused with a metric",
     _choose("q16", "The percentage of validation items the model gets wrong, which SGD lowers a "
                    "little at each of its steps")),
    ("q17", "a learning rate that still converges", "q17_answer = 0.3"),
    ("q17", "on the edge: bounces forever", "q17_answer = 1 / 3"),
    ("q17", "negative learning rate", "q17_answer = -1.0"),
    ("q18", "value of f instead of its slope",
     "def q18_answer(f, x):\n    return float(f(x))"),
    ("q18", "rise without dividing by the run",
     "def q18_answer(f, x):\n    return float(f(x + 1e-3) - f(x))"),
    ("q18", "rise over run with a big step",
     "def q18_answer(f, x):\n    return float(f(x + 1) - f(x))"),
    ("q19", "the value of g instead of its slope",
     "q19_answer = q19_g(torch.tensor(0.7)).item()"),
    ("q19", "chain rule forgotten (inner slope only)",
     "import math\nq19_answer = math.cos(0.7) * 0.49 + 2 * 0.7 * math.sin(0.7)"),
    ("q20", "gradient of a smooth loss taken for accuracy's",
     "_l = torch.where(q20_targets == 1, 1 - q20_preds, q20_preds).mean()\n"
     "_l.backward()\nq20_answer = (0.6, q20_preds.grad.clone())"),
    ("q20", "accuracy counted, not averaged", "q20_answer = (3, None)"),
    ("q21", "tanh instead of sigmoid",
     "import matplotlib.pyplot as plt\n_x = torch.linspace(-5, 5, 101)\n"
     "_f, q21_answer = plt.subplots()\nq21_answer.plot(_x.numpy(), torch.tanh(_x).numpy())"),
    ("q21", "minus sign lost: decreasing curve",
     "import matplotlib.pyplot as plt\n_x = torch.linspace(-5, 5, 101)\n"
     "_f, q21_answer = plt.subplots()\n"
     "q21_answer.plot(_x.numpy(), (1 / (1 + torch.exp(_x))).numpy())"),
    ("q21", "only the positive half plotted",
     "import matplotlib.pyplot as plt\n_x = torch.linspace(0, 5, 101)\n"
     "_f, q21_answer = plt.subplots()\nq21_answer.plot(_x.numpy(), torch.sigmoid(_x).numpy())"),
    ("q22", "loss and metric reversed",
     _choose("q22", "The metric is what SGD minimises, and the loss is what is reported to people "
                    "at the end of each epoch")),
    ("q22", "loss and metric are the same",
     _choose("q22", "They are two names for the same number, computed once per batch and then "
                    "averaged over each epoch")),
    ("q23", "step goes uphill (adds the gradient)",
     "def q23_answer(params, lr):\n    with torch.no_grad():\n        params += params.grad * lr\n"
     "    params.grad.zero_()"),
    ("q23", "gradient not zeroed",
     "def q23_answer(params, lr):\n    with torch.no_grad():\n        params -= params.grad * lr"),
    ("q23", "rebinds the name instead of updating in place",
     "def q23_answer(params, lr):\n    params = params - params.grad * lr\n    return params"),
    ("q23", "in-place update while tracking gradients",
     "def q23_answer(params, lr):\n    params -= params.grad * lr\n    params.grad.zero_()"),
    ("q24", "no shuffling",
     "from torch.utils.data import DataLoader\n"
     "q24_answer = DataLoader(q24_dataset, batch_size=4)"),
    ("q24", "a fixed list of batches shuffled once",
     "from torch.utils.data import DataLoader\n"
     "q24_answer = list(DataLoader(q24_dataset, batch_size=4, shuffle=True))"),
    ("q24", "last partial batch dropped",
     "from torch.utils.data import DataLoader\n"
     "q24_answer = DataLoader(q24_dataset, batch_size=4, shuffle=True, drop_last=True)"),
    ("q25", "zeroing between backward and the step",
     _choose("q25", *_swap(_Q25, 4, 5))),
    ("q25", "step before backward", _choose("q25", *_swap(_Q25, 3, 4))),
    ("q26", "zip object, not a list", "def q26_answer(xs, ys):\n    return zip(xs, ys)"),
    ("q26", "pairs reversed", "def q26_answer(xs, ys):\n    return list(zip(ys, xs))"),
    ("q26", "lists instead of tuples",
     "def q26_answer(xs, ys):\n    return [[x, y] for x, y in zip(xs, ys)]"),
    ("q27", "flattens the batch away", "def q27_answer(x):\n    return x.view(-1)"),
    ("q27", "hard-coded 28*28", "def q27_answer(x):\n    return x.view(-1, 28 * 28)"),
    ("q27", "copies instead of viewing",
     "def q27_answer(x):\n    return torch.stack([im.flatten() for im in x])"),
    ("q27", "reshape instead of view",
     "def q27_answer(x):\n    return x.reshape(x.shape[0], -1)"),
    ("q27", "flatten from the second axis instead of view",
     "def q27_answer(x):\n    return x.flatten(1)"),
    ("q28", "no bias: line through the origin", "q28_answer = (0.25, 0.0)"),
    ("q28", "slope sign wrong", "q28_answer = (0.5, 1.5)"),
    ("q29", "element-wise product instead of matrix product",
     "def q29_answer(xb, w, b):\n    return xb * w.T + b"),
    ("q29", "bias forgotten", "def q29_answer(xb, w, b):\n    return xb @ w"),
    ("q30", "forgot backward: reads .grad too early",
     "def q30_answer(loss_fn, params):\n    loss_fn(params)\n    return [p.grad for p in params]"),
    ("q30", "backward once per parameter doubles the gradients",
     "def q30_answer(loss_fn, params):\n"
     "    for p in params:\n        loss_fn(params).backward()\n"
     "    return [p.grad for p in params]"),
    ("q31", "gradients replaced, not accumulated", "q31_answer = (6.0, 6.0)"),
    ("q31", "zeroing believed to leave the old sum", "q31_answer = (12.0, 18.0)"),
    ("q32", "epochs given to the Learner",
     "def q32_answer(Learner, dls, model, opt_func, loss_func, metric):\n"
     "    return Learner(dls, model, opt_func=opt_func, loss_func=loss_func, metrics=metric,\n"
     "                   epochs=10)"),
    ("q32", "loss function forgotten",
     "def q32_answer(Learner, dls, model, opt_func, loss_func, metric):\n"
     "    return Learner(dls, model, opt_func=opt_func, metrics=metric)"),
    ("q32", "arguments in the wrong positional order",
     "def q32_answer(Learner, dls, model, opt_func, loss_func, metric):\n"
     "    return Learner(dls, model, opt_func, loss_func, metrics=metric)"),
    ("q32", "the metric used as the loss",
     "def q32_answer(Learner, dls, model, opt_func, loss_func, metric):\n"
     "    return Learner(dls, model, opt_func=opt_func, loss_func=metric, metrics=loss_func)"),
    ("q32", "optimiser left to the default",
     "def q32_answer(Learner, dls, model, opt_func, loss_func, metric):\n"
     "    return Learner(dls, model, loss_func=loss_func, metrics=metric)"),
    ("q33", "validates only once, after training",
     "def q33_answer(train_epoch, validate, epochs):\n"
     "    for _ in range(epochs):\n        train_epoch()\n    return [validate()]"),
    ("q33", "validates before training each epoch",
     "def q33_answer(train_epoch, validate, epochs):\n    out = []\n"
     "    for _ in range(epochs):\n        out.append(validate())\n        train_epoch()\n"
     "    return out"),
    ("q34", "min(x, 0) instead of max",
     "import matplotlib.pyplot as plt\n_x = torch.linspace(-2, 2, 81)\n"
     "_f, q34_answer = plt.subplots()\nq34_answer.plot(_x.numpy(), _x.clamp(max=0).numpy())"),
    ("q34", "absolute value",
     "import matplotlib.pyplot as plt\n_x = torch.linspace(-2, 2, 81)\n"
     "_f, q34_answer = plt.subplots()\nq34_answer.plot(_x.numpy(), _x.abs().numpy())"),
    ("q34", "plotted over 0..2 only",
     "import matplotlib.pyplot as plt\n_x = torch.linspace(0, 2, 41)\n"
     "_f, q34_answer = plt.subplots()\nq34_answer.plot(_x.numpy(), _x.numpy())"),
    ("q35", "first layer's bias forgotten",
     "def q35_answer(w1, b1, w2, b2):\n    return w1 @ w2, b2"),
    ("q35", "second layer's bias forgotten",
     "def q35_answer(w1, b1, w2, b2):\n    return w1 @ w2, b1 @ w2"),
    ("q36", "no nonlinearity between the layers",
     "from torch import nn\nq36_answer = nn.Sequential(nn.Linear(4, 3), nn.Linear(3, 1))"
     + _Q36_FORWARD),
    ("q36", "F.relu (a function) where a module is needed",
     "from torch import nn\nimport torch.nn.functional as F\n"
     "q36_answer = nn.Sequential(nn.Linear(4, 3), F.relu, nn.Linear(3, 1))" + _Q36_FORWARD),
    ("q36", "sigmoid instead of ReLU",
     "from torch import nn\n"
     "q36_answer = nn.Sequential(nn.Linear(4, 3), nn.Sigmoid(), nn.Linear(3, 1))"
     + _Q36_FORWARD),
    ("q36", "forward without the nonlinearity (two linear layers make one linear map)",
     "from torch import nn\n"
     "q36_answer = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1))\n"
     "def q36_forward(model, x):\n    return model[2](model[0](x))"),
    ("q37", "depth as a cure for overfitting",
     _choose("q37", "Extra layers keep a model from overfitting, since each layer averages out "
                    "part of the noise in the data")),
    ("q37", "the theorem misremembered",
     _choose("q37", "The universal approximation theorem needs two or more nonlinearities and "
                    "does not hold with one")),
]

# Added with the item specs (autograder/items/nb08.py): one more plausible wrong answer per item.
WRONG_ANSWERS += [
    ("q01", "red put in the last channel of a channels-first image",
     "_c = torch.zeros(3, 2, 4, dtype=torch.uint8)\n_c[2] = 255\n"
     "q01_answer = (torch.full((2, 4), 255, dtype=torch.uint8), _c)"),
    ("q02", "the training images counted instead of the held-out ones",
     "from collections import Counter\nfrom pathlib import Path\n"
     "def q02_answer(paths):\n"
     "    return Counter(Path(p).parent.name for p in paths\n"
     "                   if Path(p).parent.parent.name == 'train')"),
    ("q03", "mean of all the pixels instead of the mean image",
     "def q03_answer(threes, sevens, x):\n"
     "    d3 = (x - threes.mean()).abs().mean((-1, -2))\n"
     "    d7 = (x - sevens.mean()).abs().mean((-1, -2))\n"
     "    return d3 < d7"),
    ("q04", "odd numbers selected but not doubled",
     "def q04_answer(numbers):\n    return [n for n in numbers if n % 2 == 1]"),
    ("q05", "stacked along the last axis",
     "def q05_answer(images):\n    return torch.stack(images, dim=-1)"),
    ("q06", "the shape returned instead of the rank",
     "def q06_answer(t):\n    return t.shape"),
    ("q07", "L1 and RMSE returned the wrong way round",
     "def q07_answer(a, b):\n"
     "    return ((a - b) ** 2).mean().sqrt(), (a - b).abs().mean()"),
    ("q08", "sum of squares instead of their mean",
     "def q08_answer(x):\n    return (x ** 2).sum(dim=1)"),
    ("q09", "top-left block instead of bottom-right",
     "_d = torch.arange(1, 10).view(3, 3) * 2\nq09_answer = (_d, _d[:2, :2])"),
    ("q10", "a scalar believed not to broadcast",
     "q10_answer = [(3, 28, 28), (5, 4), None, None, (4, 5, 3), (2, 3)]"),
    ("q11", "number of correct predictions instead of the fraction",
     "def q11_answer(predict, train, valid):\n"
     "    x, y = valid\n    return (predict(x) == y).sum().item()"),
    ("q12", "SGD as one jump using accuracy's gradient",
     _choose("q12", "Compute the gradient of the accuracy once over all the data and jump to "
                    "where it is zero")),
    ("q13", "mini-batches believed necessary for differentiation",
     _choose("q13", "The loss of a single item is not differentiable, so several items are "
                    "averaged before a gradient exists")),
    ("q14", "weights initialised after the first prediction", _choose("q14", *_swap(_Q14, 0, 1))),
    ("q15", "generator reseeded on every call: the same weights each time",
     "def q15_answer(size, std=1.0):\n    torch.manual_seed(0)\n"
     "    return (torch.randn(size) * std).requires_grad_()"),
    ("q16", "loss taken for the step size",
     _choose("q16", "The learning rate multiplied by the gradient, that is, the size of the step "
                    "SGD takes at each update")),
    ("q17", "a learning rate that reaches the minimum in one step", "q17_answer = 1 / 6"),
    ("q18", "one-sided difference with a large step",
     "def q18_answer(f, x):\n    return float((f(x + 0.1) - f(x)) / 0.1)"),
    ("q19", "the log left out: slope of the sigmoid part",
     "_x = torch.tensor(0.7, requires_grad=True)\n"
     "torch.sigmoid(torch.sin(_x) * _x ** 2).backward()\nq19_answer = _x.grad.item()"),
    ("q20", "error rate instead of accuracy", "q20_answer = (0.4, None)"),
    ("q21", "sigmoid with a doubled slope",
     "import matplotlib.pyplot as plt\n_x = torch.linspace(-5, 5, 101)\n"
     "_f, q21_answer = plt.subplots()\n"
     "q21_answer.plot(_x.numpy(), (1 / (1 + torch.exp(-2 * _x))).numpy())"),
    ("q22", "loss and metric told apart by the data set",
     _choose("q22", "The loss is computed on the validation set and the metric on the training "
                    "set, so that the two never mix")),
    ("q23", "gradient zeroed before the step",
     "def q23_answer(params, lr):\n    params.grad.zero_()\n    with torch.no_grad():\n"
     "        params -= params.grad * lr"),
    ("q24", "one random order fixed once and reused every pass",
     "from torch.utils.data import DataLoader\n"
     "q24_answer = DataLoader(q24_dataset, batch_size=4, sampler=torch.randperm(10).tolist())"),
    ("q25", "backward before the loss is computed", _choose("q25", *_swap(_Q25, 2, 3))),
    ("q26", "a dict instead of a list of pairs",
     "def q26_answer(xs, ys):\n    return dict(zip(xs, ys))"),
    ("q27", "rows and columns mixed up in view",
     "def q27_answer(x):\n    return x.view(-1, x.shape[0])"),
    ("q28", "w and b given in the wrong order", "q28_answer = (1.5, -0.5)"),
    ("q29", "weights multiplied from the left",
     "def q29_answer(xb, w, b):\n    return w.T @ xb.T + b"),
    ("q30", "autograd.grad: gradients returned but never stored by backward",
     "def q30_answer(loss_fn, params):\n"
     "    return list(torch.autograd.grad(loss_fn(params), params))"),
    ("q31", "zeroed gradient read before the last backward", "q31_answer = (12.0, 0.0)"),
    ("q32", "model and DataLoaders swapped",
     "def q32_answer(Learner, dls, model, opt_func, loss_func, metric):\n"
     "    return Learner(model, dls, opt_func=opt_func, loss_func=loss_func, metrics=metric)"),
    ("q33", "returns only the last validation result",
     "def q33_answer(train_epoch, validate, epochs):\n    result = None\n"
     "    for _ in range(epochs):\n        train_epoch()\n        result = validate()\n"
     "    return result"),
    ("q34", "leaky ReLU",
     "import matplotlib.pyplot as plt\n_x = torch.linspace(-2, 2, 81)\n"
     "_f, q34_answer = plt.subplots()\n"
     "q34_answer.plot(_x.numpy(), torch.where(_x > 0, _x, 0.1 * _x).numpy())"),
    ("q35", "the two biases simply added",
     "def q35_answer(w1, b1, w2, b2):\n    return w1 @ w2, b1 + b2"),
    ("q36", "a ReLU after the output layer too",
     "from torch import nn\n"
     "q36_answer = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1), nn.ReLU())"
     + _Q36_FORWARD),
    ("q37", "one nonlinearity believed to give only straight lines",
     _choose("q37", "A network with a single nonlinearity can represent straight lines but not "
                    "curves, so curves need more of them")),
]

# A wrong answer replaces its whole answer cell, so the code the cell gives (the function of q19,
# the predictions of q20, the data set of q24) goes in front of the answers that use it.
_GIVEN = {
    "q19": "def q19_g(x):\n    return torch.log(torch.sigmoid(torch.sin(x) * x ** 2))\n\n\n",
    "q20": "q20_preds = torch.tensor([0.9, 0.4, 0.2, 0.7, 0.6], requires_grad=True)\n"
           "q20_targets = torch.tensor([1, 0, 1, 1, 0])\n",
    "q24": "q24_dataset = [(torch.tensor(float(i)), torch.tensor(i % 2)) for i in range(10)]\n",
}
WRONG_ANSWERS = [(item, why, _GIVEN.get(item, "") + source)
                 for item, why, source in WRONG_ANSWERS]
