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
]
