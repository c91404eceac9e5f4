"""Plausible wrong answers for notebook 02; each must make its grade cell fail."""

_BASICS = '''
def column(t, j):
    return {column}


def bottom_right(t, n):
    return {bottom_right}


def add_to_each_row(t, v):
    {add}


def halve(t):
    return {halve}
'''
_GOOD = {"column": "t[:, j]", "bottom_right": "t[-n:, -n:]", "add": "return t + v",
         "halve": "t.float() / 2"}


def _basics(**wrong: str) -> str:
    return _BASICS.format(**{**_GOOD, **wrong})


MUTANTS = [
    ("ex_tensor_basics_answer", "ex_tensor_basics", "column returns a row",
     _basics(column="t[j]")),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "bottom_right slices from n, not the end",
     _basics(bottom_right="t[n:, n:]")),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "bottom_right takes only n - 1 rows",
     _basics(bottom_right="t[-n + 1:, -n + 1:]")),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "add_to_each_row modifies t in place",
     _basics(add="t += v\n    return t")),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "add_to_each_row adds down the columns",
     _basics(add="return t + v[:, None] if len(v) == t.shape[0] else t + v.sum()")),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "halve with integer division",
     _basics(halve="t // 2")),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "halve in place on a float copy of t only",
     _basics(halve="t.float().div_(2) if t.is_floating_point() else t.div_(2)")),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "mean over every axis", '''
def mnist_distance(a, b):
    return (a - b).abs().mean()
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "mean over the first two axes", '''
def mnist_distance(a, b):
    return (a - b).abs().mean((0, 1))
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "no absolute value", '''
def mnist_distance(a, b):
    return (a - b).mean((-1, -2))
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "mean over the last axis only", '''
def mnist_distance(a, b):
    return (a - b).abs().mean(-1)
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "RMSE instead of L1", '''
def mnist_distance(a, b):
    return ((a - b) ** 2).mean((-1, -2)).sqrt()
'''),
    ("ex_is_3_answer", "ex_is_3", "comparison the wrong way", '''
def is_3(x):
    return mnist_distance(x, mean3) > mnist_distance(x, mean7)
'''),
    ("ex_is_3_answer", "ex_is_3", "returns floats", '''
def is_3(x):
    return (mnist_distance(x, mean3) < mnist_distance(x, mean7)).float()
'''),
    ("ex_is_3_answer", "ex_is_3", "compares with the ideal 3 twice", '''
def is_3(x):
    return mnist_distance(x, mean3) < mnist_distance(x, mean3)
'''),
    ("ex_is_3_answer", "ex_is_3", "distance to the pooled mean", '''
def is_3(x):
    return mnist_distance(x, mean3) < mnist_distance(x, (mean3 + mean7) / 2)
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "7s not inverted", '''
def validation_accuracy(classify, threes, sevens):
    a3 = classify(threes).float().mean()
    a7 = classify(sevens).float().mean()
    return a3, a7, (a3 + a7) / 2
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "pooled over all images", '''
def validation_accuracy(classify, threes, sevens):
    a3 = classify(threes).float().mean()
    a7 = (1 - classify(sevens).float()).mean()
    right = torch.cat([classify(threes).float(), 1 - classify(sevens).float()])
    return a3, a7, right.mean()
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "counts instead of shares", '''
def validation_accuracy(classify, threes, sevens):
    a3 = classify(threes).float().sum()
    a7 = (1 - classify(sevens).float()).sum()
    return a3, a7, (a3 + a7) / 2
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "only two numbers", '''
def validation_accuracy(classify, threes, sevens):
    a3 = classify(threes).float().mean()
    a7 = (1 - classify(sevens).float()).mean()
    return a3, a7
'''),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "column keeps a column shape (n, 1)",
     _basics(column="t[:, j:j + 1]")),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "bottom_right slices the rows twice",
     _basics(bottom_right="t[-n:][-n:]")),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "add_to_each_row adds to t's rows in a loop",
     _basics(add="for row in t:\n        row += v\n    return t")),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "halve with floor division on floats",
     _basics(halve="t.float() // 2")),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "keeps the averaged axes (keepdim)", '''
def mnist_distance(a, b):
    return (a - b).abs().mean((-1, -2), keepdim=True)
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "sum instead of mean", '''
def mnist_distance(a, b):
    return (a - b).abs().sum((-1, -2))
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "axes 1 and 2 (fails on single images)", '''
def mnist_distance(a, b):
    return (a - b).abs().mean((1, 2))
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "subtracts in place into a", '''
def mnist_distance(a, b):
    return a.sub_(b).abs_().mean((-1, -2))
'''),
    ("ex_is_3_answer", "ex_is_3", "inline distances averaged over every axis", '''
def is_3(x):
    return (x - mean3).abs().mean() < (x - mean7).abs().mean()
'''),
    ("ex_is_3_answer", "ex_is_3", "returns the difference of the distances", '''
def is_3(x):
    return mnist_distance(x, mean7) - mnist_distance(x, mean3)
'''),
    ("ex_is_3_answer", "ex_is_3", "squared distances instead of mnist_distance", '''
def is_3(x):
    return ((x - mean3) ** 2).mean((-1, -2)).sqrt() < ((x - mean7) ** 2).mean((-1, -2)).sqrt()
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "calls is_3, not classify", '''
def validation_accuracy(classify, threes, sevens):
    a3 = is_3(threes).float().mean()
    a7 = (1 - is_3(sevens).float()).mean()
    return a3, a7, (a3 + a7) / 2
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "uses the notebook's tensors", '''
def validation_accuracy(classify, threes, sevens):
    a3 = classify(valid_3_tens).float().mean()
    a7 = (1 - classify(valid_7_tens).float()).mean()
    return a3, a7, (a3 + a7) / 2
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "7s share as 1 - 3s share", '''
def validation_accuracy(classify, threes, sevens):
    a3 = classify(threes).float().mean()
    a7 = 1 - a3
    return a3, a7, (a3 + a7) / 2
'''),
]

# added for issue 12
MUTANTS += [
    ("ex_tensor_basics_answer", "ex_tensor_basics", "column off by one (j - 1)", '''
def column(t, j):
    return t[:, j - 1]


def bottom_right(t, n):
    return t[-n:, -n:]


def add_to_each_row(t, v):
    return t + v


def halve(t):
    return t.float() / 2
'''),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "halve rounds its result", '''
def column(t, j):
    return t[:, j]


def bottom_right(t, n):
    return t[-n:, -n:]


def add_to_each_row(t, v):
    return t + v


def halve(t):
    return torch.round(t.float() / 2)
'''),
    ("ex_tensor_basics_answer", "ex_tensor_basics", "add_to_each_row casts to integers", '''
def column(t, j):
    return t[:, j]


def bottom_right(t, n):
    return t[-n:, -n:]


def add_to_each_row(t, v):
    return (t + v).long()


def halve(t):
    return t.float() / 2
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "absolute value of the mean difference", '''
def mnist_distance(a, b):
    return (a - b).mean((-1, -2)).abs()
'''),
    ("ex_mnist_distance_answer", "ex_mnist_distance", "sum divided by 784 (28x28 hard-coded)", '''
def mnist_distance(a, b):
    return (a - b).abs().sum((-1, -2)) / 784
'''),
    ("ex_is_3_answer", "ex_is_3", "<= instead of < (ties called a 3) and ideals swapped", '''
def is_3(x):
    return mnist_distance(x, mean7) <= mnist_distance(x, mean3)
'''),
    ("ex_is_3_answer", "ex_is_3", "decides the whole batch by its mean distance", '''
def is_3(x):
    return mnist_distance(x, mean3).mean() < mnist_distance(x, mean7).mean()
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "7s share computed on the 3s",
     '''
def validation_accuracy(classify, threes, sevens):
    acc3 = classify(threes).float().mean()
    acc7 = (1 - classify(threes).float()).mean()
    return acc3, acc7, (acc3 + acc7) / 2
'''),
    ("ex_validation_accuracy_answer", "ex_validation_accuracy", "percentages instead of shares",
     '''
def validation_accuracy(classify, threes, sevens):
    acc3 = classify(threes).float().mean() * 100
    acc7 = (~classify(sevens)).float().mean() * 100
    return acc3, acc7, (acc3 + acc7) / 2
'''),
]
MUTANTS += [
    ("ex_tensor_basics_answer", "ex_tensor_basics",
     "column via [:, [j]].squeeze() (a one-row tensor loses its axis)", '''
def column(t, j):
    return t[:, [j]].squeeze()


def bottom_right(t, n):
    return t[-n:, -n:]


def add_to_each_row(t, v):
    return t + v


def halve(t):
    return t.float() / 2
'''),
]
