"""Correct answers for notebook 02 written in other styles than the reference; each must get
full marks from both ``ch4 check`` and ``ch4 grade``. Same tuple shape as tests/mutants:
(answer cell id, grade id, what style, source)."""

CORRECT = [
    ("ex_tensor_basics_answer", "ex_tensor_basics", "select, computed offsets, float64 halves", '''
def column(t, j):
    return t.select(1, j)


def bottom_right(t, n):
    rows, cols = t.shape
    return t[rows - n:, cols - n:]


def add_to_each_row(t, v):
    return torch.add(t, v.unsqueeze(0))


def halve(t):
    return t.to(torch.float64) / 2
'''),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "numpy copy, narrow, expand, true_divide", '''
def column(t, j):
    return torch.from_numpy(t.numpy()[:, j].copy())


def bottom_right(t, n):
    return t.narrow(0, t.shape[0] - n, n).narrow(1, t.shape[1] - n, n)


def add_to_each_row(t, v):
    return t + v.expand_as(t)


def halve(t):
    return torch.true_divide(t, 2)
'''),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "loops over rows, in place on a copy", '''
def column(t, j):
    return torch.stack([row[j] for row in t])


def bottom_right(t, n):
    return torch.stack([row[-n:] for row in t[-n:]])


def add_to_each_row(t, v):
    return torch.stack([row + v for row in t])


def halve(t):
    return t.clone().float().div_(2)
'''),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "lambdas with transposes", '''
column = lambda t, j: t.T[j]
bottom_right = lambda t, n: t[-n:].T[-n:].T
add_to_each_row = lambda t, v: t.add(v)
halve = lambda t: t * 0.5
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "F.l1_loss(reduction='none')", '''
import torch.nn.functional as F

def mnist_distance(a, b):
    a, b = torch.broadcast_tensors(a, b)
    return F.l1_loss(a, b, reduction="none").mean((-2, -1))
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "float64 inside", '''
def mnist_distance(a, b):
    return (a.double() - b.double()).abs().mean(dim=(-2, -1)).float()
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "sum divided by the pixel count", '''
def mnist_distance(a, b):
    diff = (a - b).abs()
    return diff.sum((-1, -2)) / (diff.shape[-1] * diff.shape[-2])
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "flatten the image axes, then mean", '''
def mnist_distance(a, b):
    return torch.abs(a - b).flatten(-2).mean(-1)
'''),
    ("ex_is_3_answer", "ex_is_3", "comparison written the other way round", '''
def is_3(x):
    return mnist_distance(x, mean7) > mnist_distance(x, mean3)
'''),
    ("ex_is_3_answer", "ex_is_3", "ideal digits recomputed from the training stacks", '''
def is_3(x):
    ideal_3, ideal_7 = stacked_threes.mean(0), stacked_sevens.mean(0)
    return mnist_distance(x, ideal_3) < mnist_distance(x, ideal_7)
'''),
    ("ex_is_3_answer", "ex_is_3", "argmin over stacked distances", '''
def is_3(x):
    distances = torch.stack([mnist_distance(x, mean3), mnist_distance(x, mean7)])
    return distances.argmin(dim=0) == 0
'''),
    ("ex_is_3_answer", "ex_is_3", "inline distances with torch.lt", '''
def is_3(x):
    to_3 = (x - mean3).abs().mean((-1, -2))
    to_7 = (x - mean7).abs().mean((-1, -2))
    return torch.lt(to_3, to_7)
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "python loops over images", '''
def validation_accuracy(classify, threes, sevens):
    right_3 = sum(bool(classify(img)) for img in threes) / len(threes)
    right_7 = sum(not bool(classify(img)) for img in sevens) / len(sevens)
    return right_3, right_7, (right_3 + right_7) / 2
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "numpy means", '''
def validation_accuracy(classify, threes, sevens):
    acc_3 = np.mean(classify(threes).numpy())
    acc_7 = np.mean(~classify(sevens).numpy())
    return acc_3, acc_7, np.mean([acc_3, acc_7])
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "logical not and .item()", '''
def validation_accuracy(classify, threes, sevens):
    acc_3 = classify(threes).float().mean().item()
    acc_7 = (~classify(sevens)).float().mean().item()
    return (acc_3, acc_7, (acc_3 + acc_7) / 2)
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "count_nonzero over len", '''
def validation_accuracy(classify, threes, sevens):
    shares = []
    for images, wanted in ((threes, True), (sevens, False)):
        shares.append(torch.count_nonzero(classify(images) == wanted) / len(images))
    return shares[0], shares[1], torch.stack(shares).mean()
'''),
]

# added for issue 12 (broader styles)
CORRECT += [
    ("ex_tensor_basics_answer", "ex_tensor_basics", "ellipsis, chained slices, float64 halves",
     '''
def column(t, j):
    return t[..., j]


def bottom_right(t, n):
    return t[-n:][:, -n:]


def add_to_each_row(t, v):
    return torch.add(t, v.unsqueeze(0))


def halve(t):
    return t.to(torch.float64) * 0.5
'''),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "unbind, double flip, expand_as, torch.div",
     '''
def column(t, j):
    return t.unbind(dim=1)[j]


def bottom_right(t, n):
    return t.flip(0, 1)[:n, :n].flip(0, 1)


def add_to_each_row(t, v):
    return t + v.expand_as(t)


def halve(t):
    return torch.div(t, 2)
'''),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "numpy round trips", '''
def column(t, j):
    return torch.from_numpy(t.numpy()[:, j].copy())


def bottom_right(t, n):
    rows, cols = t.shape
    return torch.from_numpy(t.numpy()[rows - n:rows, cols - n:cols].copy())


def add_to_each_row(t, v):
    return torch.from_numpy(t.numpy() + v.numpy()[np.newaxis, :])


def halve(t):
    return torch.from_numpy(t.numpy() / 2)
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "positive axes computed from ndim", '''
def mnist_distance(a, b):
    diff = (a - b).abs()
    return diff.mean(dim=(diff.ndim - 2, diff.ndim - 1))
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "two successive means", '''
def mnist_distance(a, b):
    return (a - b).abs().mean(-1).mean(-1)
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "torch.where for the absolute value", '''
def mnist_distance(a, b):
    d = a - b
    return torch.where(d < 0, -d, d).mean(dim=(-2, -1))
'''),
    ("ex_is_3_answer", "ex_is_3", "torch.gt with the arguments swapped", '''
def is_3(x):
    return torch.gt(mnist_distance(x, mean7), mnist_distance(x, mean3))
'''),
    ("ex_is_3_answer", "ex_is_3", "sign of the difference", '''
def is_3(x):
    return (mnist_distance(x, mean7) - mnist_distance(x, mean3)) > 0
'''),
    ("ex_is_3_answer", "ex_is_3", "callable class reading the ideals when called", '''
class _Closer:
    def __call__(self, x):
        to_3, to_7 = mnist_distance(x, mean3), mnist_distance(x, mean7)
        return to_3 < to_7

is_3 = _Closer()
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "sums over lengths, python floats",
     '''
def validation_accuracy(classify, threes, sevens):
    share_3 = classify(threes).sum().item() / len(threes)
    share_7 = (~classify(sevens)).sum().item() / len(sevens)
    return share_3, share_7, (share_3 + share_7) / 2
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "one batch, split by length", '''
def validation_accuracy(classify, threes, sevens):
    preds = classify(torch.cat([threes, sevens]))
    n = len(threes)
    acc3 = preds[:n].float().mean()
    acc7 = torch.logical_not(preds[n:]).float().mean()
    return (acc3, acc7, torch.stack([acc3, acc7]).mean())
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "float64 and a list", '''
def validation_accuracy(classify, threes, sevens):
    acc3 = classify(threes).double().mean()
    acc7 = (classify(sevens) == False).double().mean()  # noqa: E712
    return [acc3, acc7, (acc3 + acc7) / 2]
'''),
]

CORRECT += [
    ("ex_is_3_answer", "ex_is_3", "ideals captured as default arguments", '''
def is_3(x, ideal_3=mean3, ideal_7=mean7):
    return mnist_distance(x, ideal_3) < mnist_distance(x, ideal_7)
'''),
    ("ex_is_3_answer", "ex_is_3", "a closure built by a factory from the ideals", '''
def nearer_first(first, second):
    def classify(x):
        return mnist_distance(x, first) < mnist_distance(x, second)
    return classify


is_3 = nearer_first(mean3, mean7)
'''),
    ("ex_is_3_answer", "ex_is_3", "callable object holding the ideals", '''
class IdealClassifier:
    def __init__(self, ideal_3, ideal_7):
        self.ideal_3, self.ideal_7 = ideal_3, ideal_7

    def __call__(self, x):
        return mnist_distance(x, self.ideal_3) < mnist_distance(x, self.ideal_7)


is_3 = IdealClassifier(mean3, mean7)
'''),
]
