"""Plausible wrong answers for notebook 10; each must make its grade cell fail."""

MUTANTS = [
    ("ex_nearest_mean_answer", "ex_nearest_mean", "argmax instead of argmin", '''
def nearest_mean(images, means, distance="l1"):
    diff = images.unsqueeze(1) - means
    if distance == "l1":
        return diff.abs().mean(dim=(-1, -2)).argmax(dim=1)
    return diff.pow(2).mean(dim=(-1, -2)).sqrt().argmax(dim=1)
'''),
    ("ex_nearest_mean_answer", "ex_nearest_mean", "averages over the last axis only", '''
def nearest_mean(images, means, distance="l1"):
    diff = images.unsqueeze(1) - means
    if distance == "l1":
        return diff.abs().mean(dim=-1).argmin(dim=1)
    return diff.pow(2).mean(dim=-1).sqrt().argmin(dim=1)
'''),
    ("ex_nearest_mean_answer", "ex_nearest_mean", "l1 and rmse swapped", '''
def nearest_mean(images, means, distance="l1"):
    diff = images.unsqueeze(1) - means
    if distance == "rmse":
        return diff.abs().mean(dim=(-1, -2)).argmin(dim=1)
    return diff.pow(2).mean(dim=(-1, -2)).sqrt().argmin(dim=1)
'''),
    ("ex_nearest_mean_answer", "ex_nearest_mean", "ignores the distance argument (always l1)", '''
def nearest_mean(images, means, distance="l1"):
    return (images.unsqueeze(1) - means).abs().mean(dim=(-1, -2)).argmin(dim=1)
'''),
    ("ex_softmax_answer", "ex_softmax", "softmax over dim 0", '''
def softmax(logits):
    e = (logits - logits.max()).exp()
    return e / e.sum(dim=0, keepdim=True)
'''),
    ("ex_softmax_answer", "ex_softmax", "no max subtraction (overflows)", '''
def softmax(logits):
    e = logits.exp()
    return e / e.sum(dim=-1, keepdim=True)
'''),
    ("ex_softmax_answer", "ex_softmax", "forgets the exp", '''
def softmax(logits):
    return logits / logits.sum(dim=-1, keepdim=True)
'''),
    ("ex_softmax_answer", "ex_softmax", "subtracts the global max, sums over dim 1", '''
def softmax(logits):
    e = (logits - logits.max()).exp()
    return e / e.sum(dim=1, keepdim=True)
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "forgets the log", '''
def cross_entropy_by_hand(logits, targets):
    probs = torch.softmax(logits, dim=1)
    return -probs[torch.arange(len(targets)), targets].mean()
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "sums instead of averaging", '''
def cross_entropy_by_hand(logits, targets):
    logp = torch.log_softmax(logits, dim=1)
    return -logp[torch.arange(len(targets)), targets].sum()
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "softmax over dim 0", '''
def cross_entropy_by_hand(logits, targets):
    logp = torch.log_softmax(logits, dim=0)
    return -logp[torch.arange(len(targets)), targets].mean()
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "picks whole columns (logp[:, targets])", '''
def cross_entropy_by_hand(logits, targets):
    logp = torch.log_softmax(logits, dim=1)
    return -logp[:, targets].mean()
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "returns a Python float (no gradient)", '''
def cross_entropy_by_hand(logits, targets):
    logp = torch.log_softmax(logits, dim=1)
    return -logp[torch.arange(len(targets)), targets].mean().item()
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "calls F.cross_entropy", '''
def cross_entropy_by_hand(logits, targets):
    return F.cross_entropy(logits, targets)
'''),
    ("ex_linear_answer", "ex_linear", "untrained model", '''
linear_model = nn.Linear(28 * 28, 10)
linear_acc = accuracy_on_test(linear_model)
'''),
    ("ex_linear_answer", "ex_linear", "reports the training-set accuracy", '''
torch.manual_seed(1)
with timed("full_linear"):
    epochs, lr = BUDGET["linear"]
    linear_model = fit(nn.Linear(28 * 28, 10), F.cross_entropy, epochs, lr)
with torch.no_grad():
    linear_acc = (linear_model(x_train).argmax(1) == y_train).float().mean().item()
'''),
    ("ex_linear_answer", "ex_linear", "a hidden layer sneaked into the linear model", '''
linear_model = nn.Sequential(nn.Linear(784, 10), nn.ReLU(), nn.Linear(10, 10))
linear_acc = accuracy_on_test(linear_model)
'''),
    ("ex_two_layer_answer", "ex_two_layer", "no ReLU between the layers", '''
torch.manual_seed(2)
two_layer = nn.Sequential(nn.Linear(28 * 28, 128), nn.Linear(128, 10))
fit(two_layer, F.cross_entropy, *BUDGET["two_layer"])
two_layer_acc = accuracy_on_test(two_layer)
'''),
    ("ex_two_layer_answer", "ex_two_layer", "reports the linear model's accuracy", '''
torch.manual_seed(2)
with timed("full_two_layer"):
    epochs, lr = BUDGET["two_layer"]
    two_layer = nn.Sequential(nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, 10))
    fit(two_layer, F.cross_entropy, epochs, lr)
two_layer_acc = linear_acc
'''),
    ("ex_resnet18_answer", "ex_resnet18", "untrained resnet18", '''
learn = vision_learner(res_dls, resnet18, pretrained=False, n_in=1, n_out=10,
                       loss_func=F.cross_entropy, metrics=accuracy)
resnet_preds = predict(learn.model, test_images.unsqueeze(1))
resnet_acc = (resnet_preds == test_labels).float().mean().item()
'''),
    ("ex_resnet18_answer", "ex_resnet18", "predictions for the 1,000 monitoring images only", '''
torch.manual_seed(3)
with timed("full_resnet18"):
    learn = vision_learner(res_dls, resnet18, pretrained=False, n_in=1, n_out=10,
                           loss_func=F.cross_entropy, metrics=accuracy)
    epochs, lr = BUDGET["resnet18"]
    with learn.no_bar():
        learn.fit_one_cycle(epochs, lr)
resnet_preds = predict(learn.model, test_images[monitor_idx].unsqueeze(1))
resnet_acc = (resnet_preds == test_labels[monitor_idx]).float().mean().item()
'''),
    ("ex_confusion_matrix_answer", "ex_confusion_matrix", "rows and columns swapped", '''
def confusion_matrix(preds, targets, n_classes):
    pairs = preds.long() * n_classes + targets.long()
    return torch.bincount(pairs, minlength=n_classes ** 2).view(n_classes, n_classes)
'''),
    ("ex_confusion_matrix_answer", "ex_confusion_matrix", "size taken from the largest label", '''
def confusion_matrix(preds, targets, n_classes):
    n = int(max(preds.max(), targets.max())) + 1
    pairs = targets.long() * n + preds.long()
    return torch.bincount(pairs, minlength=n * n).view(n, n)
'''),
    ("ex_confusion_matrix_answer", "ex_confusion_matrix", "rows normalised to fractions", '''
def confusion_matrix(preds, targets, n_classes):
    pairs = targets.long() * n_classes + preds.long()
    cm = torch.bincount(pairs, minlength=n_classes ** 2).view(n_classes, n_classes).float()
    return cm / cm.sum(dim=1, keepdim=True).clamp(min=1)
'''),
    # ---- added with the item specs (issue 12)
    ("ex_nearest_mean_answer", "ex_nearest_mean", "argmin over the images axis", '''
def nearest_mean(images, means, distance="l1"):
    diff = images.unsqueeze(1) - means
    if distance == "l1":
        return diff.abs().mean(dim=(-1, -2)).argmin(dim=0)
    return diff.pow(2).mean(dim=(-1, -2)).sqrt().argmin(dim=0)
'''),
    ("ex_nearest_mean_answer", "ex_nearest_mean", "averages over the class and row axes", '''
def nearest_mean(images, means, distance="l1"):
    diff = images.unsqueeze(1) - means
    if distance == "l1":
        return diff.abs().mean(dim=(1, 2)).argmin(dim=1)
    return diff.pow(2).mean(dim=(1, 2)).sqrt().argmin(dim=1)
'''),
    ("ex_nearest_mean_answer", "ex_nearest_mean", "l1 as the absolute value of the mean "
     "difference", '''
def nearest_mean(images, means, distance="l1"):
    diff = images.unsqueeze(1) - means
    if distance == "l1":
        return diff.mean(dim=(-1, -2)).abs().argmin(dim=1)
    return diff.pow(2).mean(dim=(-1, -2)).sqrt().argmin(dim=1)
'''),
    ("ex_nearest_mean_answer", "ex_nearest_mean", "reshapes the caller's images in place", '''
def nearest_mean(images, means, distance="l1"):
    diff = images.unsqueeze_(1) - means
    if distance == "l1":
        return diff.abs().mean(dim=(-1, -2)).argmin(dim=1)
    return diff.pow(2).mean(dim=(-1, -2)).sqrt().argmin(dim=1)
'''),
    ("ex_softmax_answer", "ex_softmax", "calls torch.softmax", '''
def softmax(logits):
    return torch.softmax(logits, dim=-1)
'''),
    ("ex_softmax_answer", "ex_softmax", "subtracts the maximum in place (changes the caller's "
     "logits)", '''
def softmax(logits):
    logits -= logits.max(dim=-1, keepdim=True).values
    e = logits.exp()
    return e / e.sum(dim=-1, keepdim=True)
'''),
    ("ex_softmax_answer", "ex_softmax", "subtracts the row minimum (overflows for a wide "
     "spread)", '''
def softmax(logits):
    e = (logits - logits.min(dim=-1, keepdim=True).values).exp()
    return e / e.sum(dim=-1, keepdim=True)
'''),
    ("ex_softmax_answer", "ex_softmax", "subtracts the global maximum (underflows for rows far "
     "below it)", '''
def softmax(logits):
    e = (logits - logits.max()).exp()
    return e / e.sum(dim=-1, keepdim=True)
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "log of the softmax (infinite for large "
     "logits)", '''
def cross_entropy_by_hand(logits, targets):
    shifted = logits - logits.max(dim=1, keepdim=True).values
    probs = shifted.exp() / shifted.exp().sum(dim=1, keepdim=True)
    return -probs.log()[torch.arange(len(targets)), targets].mean()
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "log-sum-exp without the maximum "
     "(overflows)", '''
def cross_entropy_by_hand(logits, targets):
    logp = logits - logits.exp().sum(dim=1, keepdim=True).log()
    return -logp[torch.arange(len(targets)), targets].mean()
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "averages over every entry of the one-hot "
     "product (divides by the classes too)", '''
def cross_entropy_by_hand(logits, targets):
    logp = torch.log_softmax(logits, dim=1)
    return -(logp * F.one_hot(targets, logits.shape[1])).mean()
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "row and column indices swapped", '''
def cross_entropy_by_hand(logits, targets):
    logp = torch.log_softmax(logits, dim=1)
    return -logp[targets, torch.arange(len(targets))].mean()
'''),
    ("ex_cross_entropy_answer", "ex_cross_entropy", "uses nn.CrossEntropyLoss", '''
def cross_entropy_by_hand(logits, targets):
    return nn.CrossEntropyLoss()(logits, targets)
'''),
    ("ex_linear_answer", "ex_linear", "a sigmoid after the linear layer", '''
torch.manual_seed(1)
with timed("full_linear"):
    epochs, lr = BUDGET["linear"]
    linear_model = fit(nn.Sequential(nn.Linear(28 * 28, 10), nn.Sigmoid()), F.cross_entropy,
                       epochs, lr)
linear_acc = accuracy_on_test(linear_model)
print(f"linear model: test accuracy {linear_acc:.4f}")
'''),
    ("ex_linear_answer", "ex_linear", "linear_acc as a percentage", '''
torch.manual_seed(1)
with timed("full_linear"):
    epochs, lr = BUDGET["linear"]
    linear_model = fit(nn.Linear(28 * 28, 10), F.cross_entropy, epochs, lr)
linear_acc = 100 * accuracy_on_test(linear_model)
print(f"linear model: test accuracy {linear_acc:.4f}")
'''),
    ("ex_linear_answer", "ex_linear", "accuracy on the 1,000 monitoring images only", '''
torch.manual_seed(1)
with timed("full_linear"):
    epochs, lr = BUDGET["linear"]
    linear_model = fit(nn.Linear(28 * 28, 10), F.cross_entropy, epochs, lr)
with torch.no_grad():
    linear_acc = (linear_model(x_test[:1000]).argmax(1) == test_labels[:1000]).float().mean().item()
print(f"linear model: test accuracy {linear_acc:.4f}")
'''),
    ("ex_two_layer_answer", "ex_two_layer", "reports the training-set accuracy", '''
torch.manual_seed(2)
with timed("full_two_layer"):
    epochs, lr = BUDGET["two_layer"]
    two_layer = nn.Sequential(nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, 10))
    fit(two_layer, F.cross_entropy, epochs, lr)
with torch.no_grad():
    two_layer_acc = (two_layer(x_train).argmax(1) == y_train).float().mean().item()
print(f"two-layer net: test accuracy {two_layer_acc:.4f}")
'''),
    ("ex_two_layer_answer", "ex_two_layer", "a hidden layer of 10 units", '''
torch.manual_seed(2)
with timed("full_two_layer"):
    epochs, lr = BUDGET["two_layer"]
    two_layer = nn.Sequential(nn.Linear(28 * 28, 10), nn.ReLU(), nn.Linear(10, 10))
    fit(two_layer, F.cross_entropy, epochs, lr)
two_layer_acc = accuracy_on_test(two_layer)
print(f"two-layer net: test accuracy {two_layer_acc:.4f}")
'''),
    ("ex_resnet18_answer", "ex_resnet18", "resnet_acc read from fastai's record (the 1,000 "
     "monitoring images)", '''
torch.manual_seed(3)
with timed("full_resnet18"):
    learn = vision_learner(res_dls, resnet18, pretrained=False, n_in=1, n_out=10,
                           loss_func=F.cross_entropy, metrics=accuracy)
    epochs, lr = BUDGET["resnet18"]
    with learn.no_bar():
        learn.fit_one_cycle(epochs, lr)
resnet_preds = predict(learn.model, test_images.unsqueeze(1))
resnet_acc = float(learn.recorder.values[-1][2])
print(f"resnet18: test accuracy {resnet_acc:.4f}")
'''),
    ("ex_resnet18_answer", "ex_resnet18", "body frozen before training (only the head trains)",
     '''
torch.manual_seed(3)
with timed("full_resnet18"):
    learn = vision_learner(res_dls, resnet18, pretrained=False, n_in=1, n_out=10,
                           loss_func=F.cross_entropy, metrics=accuracy)
    learn.freeze()
    epochs, lr = BUDGET["resnet18"]
    with learn.no_bar():
        learn.fit_one_cycle(epochs, lr)
resnet_preds = predict(learn.model, test_images.unsqueeze(1))
resnet_acc = (resnet_preds == test_labels).float().mean().item()
print(f"resnet18: test accuracy {resnet_acc:.4f}")
'''),
    ("ex_confusion_matrix_answer", "ex_confusion_matrix", "float counts from a one-hot "
     "product", '''
def confusion_matrix(preds, targets, n_classes):
    return F.one_hot(targets, n_classes).T.float() @ F.one_hot(preds, n_classes).float()
'''),
    ("ex_confusion_matrix_answer", "ex_confusion_matrix", "one_hot without num_classes (size "
     "from the labels seen)", '''
def confusion_matrix(preds, targets, n_classes):
    return F.one_hot(targets).T @ F.one_hot(preds)
'''),
]

# a look-alike that a structure summary read in the kernel (20 convolutions, 1 input channel,
# 10 outputs, all trainable, the budget's epochs) let through: it trains as well as resnet18,
# but one convolution is dilated, so under seeded weights it computes something else
MUTANTS += [
    ("ex_resnet18_answer", "ex_resnet18",
     "architecture look-alike: resnet18 with one convolution dilated (same shapes)", '''
torch.manual_seed(3)
with timed("full_resnet18"):
    learn = vision_learner(res_dls, resnet18, pretrained=False, n_in=1, n_out=10,
                           loss_func=F.cross_entropy, metrics=accuracy)
    learn.model[0][4][0].conv2 = nn.Conv2d(64, 64, 3, padding=2, dilation=2, bias=False)
    learn.model.to(device)
    epochs, lr = BUDGET["resnet18"]
    with learn.no_bar():
        learn.fit_one_cycle(epochs, lr)
resnet_preds = predict(learn.model, test_images.unsqueeze(1))
resnet_acc = (resnet_preds == test_labels).float().mean().item()
learn.model.cpu()
'''),
]
