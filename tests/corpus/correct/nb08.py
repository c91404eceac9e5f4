"""Correct answers to the questionnaire (notebook 08) written in other styles than the
reference; each must get full marks from both ``ch4 check`` and ``ch4 grade``. Same tuple shape
as tests/mutants: (answer cell id, grade id, what style, source).

Multiple-choice and ordering answers here use the notebook's default id (``STUDENT_ID = ""``),
written in other accepted forms (capitals, lists, separators) or, for q25, other valid places for
clearing the gradients. ``student_id_answers`` gives the answer cells of a student who set their
own ``STUDENT_ID``: every choice item answered with the letters that id shows (a submission made
of them must also get full marks, from ``ch4 check`` and ``ch4 grade`` alike).
"""

import ast
from pathlib import Path

SOLUTION = Path(__file__).resolve().parents[3] / "solutions" / "08_questionnaire.ipynb"


def reference_letters(solution: Path = SOLUTION) -> dict[str, str]:
    """The solution's letters under the default id, for every multiple-choice and ordering item
    (read from its answer cells: the solution is the key)."""
    from autograder import notebook as nbk
    from autograder.checks.questionnaire import choice_items

    cells = {nbk.grade_id(c): c.source for c in nbk.read(solution).cells if nbk.grade_id(c)}
    letters = {}
    for item in choice_items():
        tree = ast.parse(cells[f"{item}_answer"])
        values = [node.value for node in tree.body if isinstance(node, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == f"{item}_answer"
                          for t in node.targets)]
        letters[item] = ast.literal_eval(values[-1])
    return letters


def reference_options(item: str) -> list[str]:
    """The options the solution picks for a choice item, in its order."""
    from autograder.checks.choice import labelled
    from autograder.checks.questionnaire import options_of

    shown = dict(labelled(item, options_of(item), ""))
    return [shown[letter] for letter in reference_letters()[item]]


def student_id_answers(student_id: str) -> dict[str, str]:
    """Answer cell sources (by cell id) for a student with this id: the id cell and every
    choice item, the reference's options turned into the letters this id shows."""
    from autograder.checks.questionnaire import letter_of

    cells = {"student_id": f"STUDENT_ID = {student_id!r}"}
    for item in reference_letters():
        letters = "".join(letter_of(item, student_id, t) for t in reference_options(item))
        cells[f"{item}_answer"] = f"{item}_answer = None\n{item}_answer = {letters!r}"
    return cells


CORRECT = [
    # q01: values rather than functions
    ("q01_answer", "q01", "channels last, built from lists", '''
q01_answer = None
gray = torch.tensor([[255] * 4] * 2, dtype=torch.uint8)
colour = torch.tensor([[[255, 0, 0]] * 4] * 2, dtype=torch.uint8)
q01_answer = (gray, colour)
'''),
    ("q01_answer", "q01", "int64 tensors, colour filled by channel index", '''
q01_answer = None
gray = torch.ones(2, 4, dtype=torch.long) * 255
colour = torch.zeros(3, 2, 4, dtype=torch.long)
colour[0, :, :] = 255
q01_answer = [gray, colour]
'''),
    ("q02_answer", "q02", "Path.parts and a Counter", '''
from collections import Counter
from pathlib import Path


def q02_answer(paths):
    parts = [Path(p).parts for p in paths]
    return Counter(part[-2] for part in parts if part[-3] == "valid")
'''),
    ("q02_answer", "q02", "os.path on the strings", '''
import os


def q02_answer(paths):
    out = {}
    for p in paths:
        folder = os.path.dirname(str(p))
        if os.path.basename(os.path.dirname(folder)) == "valid":
            label = os.path.basename(folder)
            out[label] = out.get(label, 0) + 1
    return out
'''),
    ("q02_answer", "q02", "split on slashes, sorted keys", '''
def q02_answer(paths):
    pieces = [str(p).split("/") for p in paths]
    labels = [bits[-2] for bits in pieces if bits[-3] == "valid"]
    return {label: labels.count(label) for label in sorted(set(labels))}
'''),
    ("q03_answer", "q03", "loop over the images", '''
def q03_answer(threes, sevens, x):
    mean3, mean7 = threes.mean(dim=0), sevens.mean(dim=0)
    out = []
    for image in x:
        out.append(bool((image - mean3).abs().mean() < (image - mean7).abs().mean()))
    return torch.tensor(out)
'''),
    ("q03_answer", "q03", "F.l1_loss per image, float64 inside", '''
import torch.nn.functional as F


def q03_answer(threes, sevens, x):
    x = x.double()
    m3 = threes.double().sum(0) / len(threes)
    m7 = sevens.double().sum(0) / len(sevens)
    d3 = torch.stack([F.l1_loss(im, m3) for im in x])
    d7 = torch.stack([F.l1_loss(im, m7) for im in x])
    return d3 < d7
'''),
    ("q04_answer", "q04", "!= 0 test, n * 2", '''
def q04_answer(numbers):
    return [n * 2 for n in numbers if n % 2 != 0]
'''),
    ("q04_answer", "q04", "bitwise test, n + n", '''
def q04_answer(numbers):
    return [n + n for n in numbers if n & 1]
'''),
    ("q04_answer", "q04", "a lambda, with a test loop under it", '''
q04_answer = lambda numbers: [n * 2 for n in numbers if n % 2]
for example in ([1, 2, 3], []):
    print(q04_answer(example))
'''),
    ("q05_answer", "q05", "cat of unsqueezed images", '''
def q05_answer(images):
    return torch.cat([im.unsqueeze(0) for im in images], dim=0)
'''),
    ("q05_answer", "q05", "preallocated and filled", '''
def q05_answer(images):
    out = torch.empty(len(images), *images[0].shape, dtype=images[0].dtype)
    for i, im in enumerate(images):
        out[i] = im
    return out
'''),
    ("q06_answer", "q06", "counting the axes of the shape", '''
def q06_answer(t):
    return sum(1 for _ in t.shape)
'''),
    ("q06_answer", "q06", "a lambda on a tuple of the shape", '''
q06_answer = lambda t: len(tuple(t.shape))
'''),
    ("q06_answer", "q06", "len of size()", '''
def q06_answer(t):
    return len(t.size())
'''),
    ("q07_answer", "q07", "torch.nn.functional losses", '''
import torch.nn.functional as F


def q07_answer(a, b):
    return F.l1_loss(a, b), F.mse_loss(a, b).sqrt()
'''),
    ("q07_answer", "q07", "float64 and Python floats", '''
import math


def q07_answer(a, b):
    d = (a.double() - b.double()).flatten().tolist()
    l1 = sum(abs(v) for v in d) / len(d)
    rmse = math.sqrt(sum(v * v for v in d) / len(d))
    return l1, rmse
'''),
    ("q08_answer", "q08", "pow and mean over axis 1", '''
def q08_answer(x):
    return x.pow(2).mean(1)
'''),
    ("q08_answer", "q08", "sum of products divided by the width", '''
def q08_answer(x):
    return (x * x).sum(dim=-1) / x.shape[1]
'''),
    ("q08_answer", "q08", "einsum", '''
def q08_answer(x):
    return torch.einsum("ij,ij->i", x, x) / x.size(1)
'''),
    ("q09_answer", "q09", "reshape and negative indices", '''
q09_answer = None
doubled = (torch.arange(9) + 1).reshape(3, 3) * 2
q09_answer = (doubled, doubled[-2:, -2:])
'''),
    ("q09_answer", "q09", "float tensor from a nested list", '''
q09_answer = None
grid = torch.tensor([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]])
q09_answer = (grid * 2, (grid * 2)[1:3, 1:3])
'''),
    ("q10_answer", "q10", "lists and torch.Size", '''
q10_answer = None
q10_answer = [torch.Size([3, 28, 28]), [5, 4], None, (6,), [4, 5, 3], torch.Size([2, 3])]
'''),
    ("q10_answer", "q10", "computed with broadcast_shapes", '''
q10_answer = None
q10_answer = []
for _a, _b in [((3, 28, 28), (28, 28)), ((5, 1), (4,)), ((2, 3), (2,)), ((6,), ()),
               ((4, 1, 3), (5, 1)), ((2, 3), (2, 1))]:
    try:
        q10_answer.append(tuple(torch.broadcast_shapes(_a, _b)))
    except RuntimeError:
        q10_answer.append(None)
'''),
    ("q11_answer", "q11", "count correct / number of items", '''
def q11_answer(predict, train, valid):
    xs, ys = valid
    preds = predict(xs)
    return sum(int(p == t) for p, t in zip(preds.tolist(), ys.tolist())) / len(ys)
'''),
    ("q11_answer", "q11", "numpy mean, returns a numpy float", '''
import numpy as np


def q11_answer(predict, train, valid):
    return np.mean(predict(valid[0]).numpy() == valid[1].numpy())
'''),
    ("q12_answer", "q12", "capital letter", 'q12_answer = None\nq12_answer = "A"'),
    ("q13_answer", "q13", "letter in a list", 'q13_answer = None\nq13_answer = ["a"]'),
    ("q14_answer", "q14", "letters separated by commas", 'q14_answer = None\n'
                                                        'q14_answer = "b, e, a, g, c, f, d"'),
    ("q15_answer", "q15", "normal_ on an empty tensor", '''
def q15_answer(size, std=1.0):
    w = torch.empty(size)
    w.normal_(0.0, std)
    return w.requires_grad_()
'''),
    ("q15_answer", "q15", "nn.Parameter", '''
from torch import nn


def q15_answer(size, std=1.0):
    return nn.Parameter(torch.randn(size) * std)
'''),
    ("q15_answer", "q15", "requires_grad=True on a scaled copy", '''
def q15_answer(size, std=1.0):
    return torch.tensor((torch.randn(size) * std).tolist(), requires_grad=True)
'''),
    ("q16_answer", "q16", "letter in parentheses", 'q16_answer = None\nq16_answer = "(d)"'),
    ("q17_answer", "q17", "a learning rate just past the edge", 'q17_answer = None\n'
                                                               'q17_answer = 0.4'),
    ("q17_answer", "q17", "a huge learning rate as an int", 'q17_answer = None\n'
                                                            'q17_answer = 10'),
    ("q18_answer", "q18", "central difference", '''
def q18_answer(f, x):
    h = 1e-5
    return (f(x + h) - f(x - h)) / (2 * h)
'''),
    ("q18_answer", "q18", "torch.autograd.grad in float64", '''
def q18_answer(f, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(f(t), t)
    return float(g)
'''),
    ("q19_answer", "q19", "autograd.grad in float64", '''
def q19_g(x):
    return torch.log(torch.sigmoid(torch.sin(x) * x ** 2))


q19_answer = None
_x = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
q19_answer = torch.autograd.grad(q19_g(_x), _x)[0].item()
'''),
    ("q19_answer", "q19", "central difference on tensors", '''
def q19_g(x):
    return torch.log(torch.sigmoid(torch.sin(x) * x ** 2))


q19_answer = None
_h = 1e-4
q19_answer = ((q19_g(torch.tensor(0.7 + _h, dtype=torch.float64))
               - q19_g(torch.tensor(0.7 - _h, dtype=torch.float64))) / (2 * _h)).item()
'''),
    ("q20_answer", "q20", "the gradient autograd gives: none", '''
q20_preds = torch.tensor([0.9, 0.4, 0.2, 0.7, 0.6], requires_grad=True)
q20_targets = torch.tensor([1, 0, 1, 1, 0])
q20_answer = None
_acc = ((q20_preds > 0.5) == q20_targets.bool()).float().mean()
q20_answer = (_acc, _acc.grad_fn)  # None: comparisons cut the graph
'''),
    ("q20_answer", "q20", "a zero gradient written out", '''
q20_preds = torch.tensor([0.9, 0.4, 0.2, 0.7, 0.6], requires_grad=True)
q20_targets = torch.tensor([1, 0, 1, 1, 0])
q20_answer = None
_acc = sum(int((p > 0.5) == bool(t)) for p, t in zip(q20_preds.tolist(), q20_targets.tolist()))
q20_answer = [_acc / 5, torch.zeros(5)]
'''),
    ("q21_answer", "q21", "numpy over -10..10 on a Figure", '''
import numpy as np

q21_answer = None
_xs = np.linspace(-10, 10, 400)
_fig = plt.figure()
plt.plot(_xs, 1 / (1 + np.exp(-_xs)))
q21_answer = _fig
'''),
    ("q21_answer", "q21", "coarse grid, with a reference line at 0.5", '''
import math

q21_answer = None
_fig, _ax = plt.subplots()
_xs = [i / 2 for i in range(-10, 11)]
_ax.plot(_xs, [1 / (1 + math.exp(-v)) for v in _xs])
_ax.axhline(0.5, color="gray")
q21_answer = _ax
'''),
    ("q22_answer", "q22", "capital letter with spaces", 'q22_answer = None\nq22_answer = " C "'),
    ("q23_answer", "q23", ".data update, gradient set to None", '''
def q23_answer(params, lr):
    params.data -= lr * params.grad
    params.grad = None
'''),
    ("q23_answer", "q23", "sub_ under no_grad, then zero_", '''
def q23_answer(params, lr):
    with torch.no_grad():
        params.sub_(params.grad, alpha=lr)
        params.grad.zero_()
'''),
    ("q24_answer", "q24", "explicit RandomSampler", '''
from torch.utils.data import DataLoader, RandomSampler

q24_dataset = [(torch.tensor(float(i)), torch.tensor(i % 2)) for i in range(10)]
q24_answer = None
q24_answer = DataLoader(q24_dataset, batch_size=4, sampler=RandomSampler(q24_dataset))
'''),
    ("q24_answer", "q24", "fastai's DataLoader", '''
from fastai.data.load import DataLoader as FastaiLoader

q24_dataset = [(torch.tensor(float(i)), torch.tensor(i % 2)) for i in range(10)]
q24_answer = None
q24_answer = FastaiLoader(q24_dataset, bs=4, shuffle=True)
'''),
    ("q25_answer", "q25", "gradients cleared first", 'q25_answer = None\nq25_answer = "abecfd"'),
    ("q25_answer", "q25", "gradients cleared before the loss", 'q25_answer = None\n'
                                                               'q25_answer = list("beacfd")'),
    ("q26_answer", "q26", "index comprehension", '''
def q26_answer(xs, ys):
    return [(xs[i], ys[i]) for i in range(len(xs))]
'''),
    ("q26_answer", "q26", "loop with append", '''
def q26_answer(xs, ys):
    pairs = []
    for x, y in zip(xs, ys):
        pairs.append((x, y))
    return pairs
'''),
    ("q27_answer", "q27", "view(-1, rows * columns)", '''
def q27_answer(x):
    return x.view(-1, x.shape[1] * x.shape[2])
'''),
    ("q27_answer", "q27", "view(len(x), -1)", '''
def q27_answer(x):
    return x.view(len(x), -1)
'''),
    ("q27_answer", "q27", "view with sizes from size()", '''
def q27_answer(x):
    count, rows, columns = x.size()
    return x.view(count, rows * columns)
'''),
    ("q28_answer", "q28", "slope and intercept computed", '''
q28_answer = None
_w = (0.5 - 1.5) / (2 - 0)
q28_answer = (_w, 1.5 - _w * 0)
'''),
    ("q28_answer", "q28", "tensors", '''
q28_answer = None
q28_answer = [torch.tensor(-0.5), torch.tensor([1.5])]
'''),
    ("q29_answer", "q29", "torch.matmul", '''
def q29_answer(xb, w, b):
    return torch.matmul(xb, w) + b
'''),
    ("q29_answer", "q29", "mm then add", '''
def q29_answer(xb, w, b):
    return xb.mm(w).add(b)
'''),
    ("q30_answer", "q30", "cloned gradients", '''
def q30_answer(loss_fn, params):
    loss = loss_fn(params)
    loss.backward()
    return [p.grad.clone() for p in params]
'''),
    ("q30_answer", "q30", "map over the parameters", '''
def q30_answer(loss_fn, params):
    loss_fn(params).backward()
    return list(map(lambda p: p.grad, params))
'''),
    ("q31_answer", "q31", "grad set to None instead of zeroed", '''
q31_answer = None
_x = torch.tensor(3.0, requires_grad=True)
for _ in range(2):
    (_x ** 2).backward()
_first = float(_x.grad)
_x.grad = None
(_x ** 2).backward()
q31_answer = [_first, float(_x.grad)]
'''),
    ("q31_answer", "q31", "tensors kept", '''
q31_answer = None
_x = torch.tensor(3.0, requires_grad=True)
(_x ** 2).backward()
(_x ** 2).backward()
_a = _x.grad.clone()
_x.grad.zero_()
(_x ** 2).backward()
q31_answer = (_a, _x.grad.clone())
'''),
    ("q32_answer", "q32", "loss and optimiser positional, metrics as a list", '''
def q32_answer(Learner, dls, model, opt_func, loss_func, metric):
    return Learner(dls, model, loss_func, opt_func, metrics=[metric])
'''),
    ("q32_answer", "q32", "keyword arguments in a dict", '''
def q32_answer(Learner, dls, model, opt_func, loss_func, metric):
    options = dict(loss_func=loss_func, opt_func=opt_func, metrics=(metric,))
    return Learner(dls=dls, model=model, **options)
'''),
    ("q33_answer", "q33", "while loop", '''
def q33_answer(train_epoch, validate, epochs):
    results, epoch = [], 0
    while epoch < epochs:
        train_epoch()
        results += [validate()]
        epoch += 1
    return results
'''),
    ("q33_answer", "q33", "comprehension", '''
def q33_answer(train_epoch, validate, epochs):
    return [(train_epoch(), validate())[1] for _ in range(epochs)]
'''),
    ("q34_answer", "q34", "numpy maximum on a Figure", '''
import numpy as np

q34_answer = None
_xs = np.linspace(-3, 3, 601)
_fig, _ax = plt.subplots()
_ax.plot(_xs, np.maximum(_xs, 0))
q34_answer = _fig
'''),
    ("q34_answer", "q34", "three points with F.relu", '''
import torch.nn.functional as F

q34_answer = None
_xs = torch.tensor([-2.0, 0.0, 2.0])
_fig, _ax = plt.subplots()
_ax.plot(_xs, F.relu(_xs))
q34_answer = _ax
'''),
    ("q35_answer", "q35", "mm, float64 inside", '''
def q35_answer(w1, b1, w2, b2):
    w = w1.double().mm(w2.double())
    b = b1.double() @ w2.double() + b2.double()
    return w.float(), b.float()
'''),
    ("q35_answer", "q35", "bias as a (1, n) row", '''
def q35_answer(w1, b1, w2, b2):
    return torch.matmul(w1, w2), (b1.unsqueeze(0) @ w2 + b2)
'''),
    ("q36_answer", "q36", "named layers", '''
from collections import OrderedDict

from torch import nn

q36_answer = None
q36_answer = nn.Sequential(OrderedDict(
    [("hidden", nn.Linear(4, 3)), ("act", nn.ReLU()), ("out", nn.Linear(3, 1))]))


def q36_forward(model, x):
    hidden = torch.nn.functional.relu(model.hidden(x))
    return model.out(hidden)
'''),
    ("q36_answer", "q36", "add_module, in-place ReLU", '''
from torch import nn

q36_answer = None
q36_answer = nn.Sequential()
q36_answer.add_module("0", nn.Linear(4, 3))
q36_answer.add_module("1", nn.ReLU(inplace=True))
q36_answer.add_module("2", nn.Linear(3, 1))


def q36_forward(model, x):
    first, _, last = list(model)
    return last(torch.relu(first(x)))
'''),
    ("q37_answer", "q37", "letter in a tuple", 'q37_answer = None\nq37_answer = ("b",)'),
]
