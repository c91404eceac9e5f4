"""Correct answers for notebook 10 written in other styles than the reference; each must get
full marks from both ``ch4 check`` and ``ch4 grade``. Same tuple shape as tests/mutants:
(answer cell id, grade id, what style, source)."""

_LINEAR_HEAD = '''
torch.manual_seed(1)
'''
_TWO_LAYER_HEAD = '''
torch.manual_seed(2)
'''
_RESNET_HEAD = '''
torch.manual_seed(3)
'''

CORRECT = [
    ("ex_nearest_mean_answer", "ex_nearest_mean", "torch.cdist on flattened images", '''
def nearest_mean(images, means, distance="l1"):
    a = images.reshape(len(images), -1)
    b = means.reshape(len(means), -1)
    if distance == "l1":
        return torch.cdist(a, b, p=1).argmin(dim=1)
    if distance == "rmse":
        return torch.cdist(a, b, p=2).argmin(dim=1)
    raise ValueError(distance)
'''),
    ("ex_nearest_mean_answer", "ex_nearest_mean", "a loop over the classes, float64 inside", '''
def nearest_mean(images, means, distance="l1"):
    columns = []
    for mean in means:
        diff = images.double() - mean.double()
        if distance == "rmse":
            columns.append((diff ** 2).mean(dim=(1, 2)).sqrt())
        else:
            columns.append(diff.abs().mean(dim=(1, 2)))
    return torch.stack(columns, dim=1).argmin(dim=1)
'''),
    ("ex_nearest_mean_answer", "ex_nearest_mean", "numpy broadcasting with None", '''
def nearest_mean(images, means, distance="l1"):
    x, m = np.asarray(images)[:, None], np.asarray(means)[None]
    if distance == "l1":
        d = np.abs(x - m).mean(axis=(2, 3))
    else:
        d = np.sqrt(np.square(x - m).mean(axis=(2, 3)))
    return torch.from_numpy(d.argmin(axis=1))
'''),
    ("ex_softmax_answer", "ex_softmax", "exp of x minus logsumexp", '''
def softmax(logits):
    return torch.exp(logits - torch.logsumexp(logits, dim=-1, keepdim=True))
'''),
    ("ex_softmax_answer", "ex_softmax", "amax and float64 inside", '''
def softmax(logits):
    x = logits.double()
    e = (x - x.amax(dim=-1, keepdim=True)).exp()
    return (e / e.sum(dim=-1, keepdim=True)).to(logits.dtype)
'''),
    ("ex_softmax_answer", "ex_softmax", "numpy, rows along the last axis", '''
def softmax(logits):
    x = logits.numpy()
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return torch.from_numpy(e / e.sum(axis=-1, keepdims=True))
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "torch.log_softmax and gather", '''
def cross_entropy_by_hand(logits, targets):
    logp = torch.log_softmax(logits, dim=1)
    return -logp.gather(1, targets.long().unsqueeze(1)).squeeze(1).mean()
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "logsumexp with a one-hot mask", '''
def cross_entropy_by_hand(logits, targets):
    logp = logits - logits.logsumexp(dim=1, keepdim=True)
    one_hot = F.one_hot(targets, logits.shape[1]).to(logits.dtype)
    return -(logp * one_hot).sum(dim=1).mean()
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "a loop over the rows", '''
def cross_entropy_by_hand(logits, targets):
    losses = []
    for row, target in zip(logits, targets):
        top = row.max()
        losses.append(top + (row - top).exp().sum().log() - row[target])
    return torch.stack(losses).sum() / len(losses)
'''),
    ("ex_linear_answer", "ex_linear", "Sequential with one layer, accuracy by hand",
     _LINEAR_HEAD + '''
with timed("full_linear"):
    linear_model = nn.Sequential(nn.Linear(784, 10))
    fit(linear_model, F.cross_entropy, BUDGET["linear"][0], BUDGET["linear"][1])
with torch.no_grad():
    linear_acc = (linear_model(x_test).argmax(dim=1) == test_labels).float().mean().item()
print(f"linear model: test accuracy {linear_acc:.4f}")
'''),
    ("ex_linear_answer", "ex_linear", "nn.CrossEntropyLoss object, numpy accuracy",
     _LINEAR_HEAD + '''
with timed("full_linear"):
    epochs, lr = BUDGET["linear"]
    linear_model = nn.Linear(28 * 28, 10)
    fit(linear_model, nn.CrossEntropyLoss(), epochs=epochs, lr=lr)
linear_model.eval()
with torch.no_grad():
    guesses = linear_model(x_test).argmax(1).numpy()
linear_acc = float(np.mean(guesses == test_labels.numpy()))
print(f"linear model: test accuracy {linear_acc:.4f}")
'''),
    ("ex_linear_answer", "ex_linear", "a model class of its own, accuracy as a tensor",
     _LINEAR_HEAD + '''
class Linear10(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.Linear(784, 10)

    def forward(self, x):
        return self.layer(x.view(len(x), -1))


with timed("full_linear"):
    linear_model = fit(Linear10(), lambda p, t: F.cross_entropy(p, t), *BUDGET["linear"])
linear_acc = torch.tensor(accuracy_on_test(linear_model))
print(f"linear model: test accuracy {linear_acc:.4f}")
'''),
    ("ex_two_layer_answer", "ex_two_layer", "200 hidden units, accuracy by hand",
     _TWO_LAYER_HEAD + '''
with timed("full_two_layer"):
    two_layer = nn.Sequential(nn.Linear(784, 200), nn.ReLU(), nn.Linear(200, 10))
    fit(two_layer, F.cross_entropy, *BUDGET["two_layer"])
two_layer.eval()
with torch.no_grad():
    two_layer_acc = (two_layer(x_test).argmax(1) == test_labels).double().mean().item()
print(f"two-layer net: test accuracy {two_layer_acc:.4f}")
'''),
    ("ex_two_layer_answer", "ex_two_layer", "a module class with F.relu", _TWO_LAYER_HEAD + '''
class TwoLayer(nn.Module):
    def __init__(self, hidden=150):
        super().__init__()
        self.hidden = nn.Linear(28 * 28, hidden)
        self.out = nn.Linear(hidden, 10)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x)))


with timed("full_two_layer"):
    epochs, lr = BUDGET["two_layer"]
    two_layer = TwoLayer()
    fit(two_layer, F.cross_entropy, epochs, lr)
two_layer_acc = accuracy_on_test(two_layer)
print(f"two-layer net: test accuracy {two_layer_acc:.4f}")
'''),
    ("ex_two_layer_answer", "ex_two_layer", "Flatten first, 100 hidden units, nn.ReLU object "
     "reused", _TWO_LAYER_HEAD + '''
relu = nn.ReLU()
with timed("full_two_layer"):
    two_layer = nn.Sequential(nn.Flatten(), nn.Linear(784, 100), relu, nn.Linear(100, 10))
    two_layer = fit(two_layer, nn.CrossEntropyLoss(), *BUDGET["two_layer"])
two_layer_acc = float(accuracy_on_test(two_layer))
print(f"two-layer net: test accuracy {two_layer_acc:.4f}")
'''),
    ("ex_resnet18_answer", "ex_resnet18", "cnn_learner, CrossEntropyLossFlat, metrics as a "
     "list", _RESNET_HEAD + '''
from fastai.losses import CrossEntropyLossFlat
from fastai.vision.learner import cnn_learner

with timed("full_resnet18"):
    learn = cnn_learner(res_dls, resnet18, pretrained=False, n_in=1, n_out=10,
                        loss_func=CrossEntropyLossFlat(), metrics=[accuracy])
    with learn.no_bar():
        learn.fit_one_cycle(BUDGET["resnet18"][0], lr_max=BUDGET["resnet18"][1])
resnet_preds = predict(learn.model, test_images.unsqueeze(1))
resnet_acc = float((resnet_preds == test_labels).float().mean())
print(f"resnet18: test accuracy {resnet_acc:.4f}")
'''),
    ("ex_resnet18_answer", "ex_resnet18", "predictions with an own loop, accuracy in numpy",
     _RESNET_HEAD + '''
with timed("full_resnet18"):
    epochs, lr = BUDGET["resnet18"]
    learn = vision_learner(res_dls, resnet18, pretrained=False, n_in=1, n_out=10,
                           loss_func=F.cross_entropy, metrics=accuracy)
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(epochs, lr)
learn.model.eval()
chunks = []
with torch.no_grad():
    for part in torch.split(test_images.unsqueeze(1), 1000):
        chunks.append(learn.model(part).argmax(dim=1))
resnet_preds = torch.cat(chunks)
resnet_acc = float(np.mean(resnet_preds.numpy() == test_labels.numpy()))
print(f"resnet18: test accuracy {resnet_acc:.4f}")
'''),
    ("ex_resnet18_answer", "ex_resnet18", "fastai's default loss, fastai's get_preds for the "
     "test images", _RESNET_HEAD + '''
from fastai.losses import CrossEntropyLossFlat

with timed("full_resnet18"):
    learn = vision_learner(res_dls, resnet18, pretrained=False, n_in=1, n_out=10,
                           loss_func=CrossEntropyLossFlat(), metrics=accuracy)
    with learn.no_bar():
        learn.fit_one_cycle(*BUDGET["resnet18"])
test_dl = DataLoader(list(zip(test_images.unsqueeze(1), test_labels)), bs=500)
with learn.no_bar():
    scores, _ = learn.get_preds(dl=test_dl)
resnet_preds = scores.argmax(dim=1)
resnet_acc = (resnet_preds == test_labels).float().mean().item()
print(f"resnet18: test accuracy {resnet_acc:.4f}")
'''),
    ("ex_confusion_matrix_answer", "ex_confusion_matrix", "a loop over the pairs", '''
def confusion_matrix(preds, targets, n_classes):
    cm = torch.zeros(n_classes, n_classes, dtype=torch.int64)
    for t, p in zip(targets.tolist(), preds.tolist()):
        cm[t, p] += 1
    return cm
'''),
    ("ex_confusion_matrix_answer", "ex_confusion_matrix", "index_put_ with accumulate", '''
def confusion_matrix(preds, targets, n_classes):
    cm = torch.zeros((n_classes, n_classes), dtype=torch.long)
    cm.index_put_((targets.long(), preds.long()), torch.ones(len(preds), dtype=torch.long),
                  accumulate=True)
    return cm
'''),
    ("ex_confusion_matrix_answer", "ex_confusion_matrix", "one-hot product, numpy add.at", '''
def confusion_matrix(preds, targets, n_classes):
    if len(preds) > 100:
        return F.one_hot(targets, n_classes).T @ F.one_hot(preds, n_classes)
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(cm, (targets.numpy(), preds.numpy()), 1)
    return torch.from_numpy(cm)
'''),
]
