"""Plausible wrong answers for notebook 07; each must make its grade cell fail."""

MUTANTS = [
    ("ex_combine_linear_answer", "ex_combine_linear", "adds the two biases", '''
def combine_linear(w1, b1, w2, b2):
    return w1 @ w2, b1 + b2
'''),
    ("ex_combine_linear_answer", "ex_combine_linear", "drops the second bias", '''
def combine_linear(w1, b1, w2, b2):
    return w1 @ w2, b1 @ w2
'''),
    ("ex_combine_linear_answer", "ex_combine_linear", "element-wise products: one output only", '''
def combine_linear(w1, b1, w2, b2):
    return (w1 * w2.T).sum(1, keepdim=True), (b1 * w2.T).sum(1) + b2
'''),
    ("ex_relu_answer", "ex_relu", "the largest element of the whole tensor", '''
def relu(x):
    return x.max()
'''),
    ("ex_relu_answer", "ex_relu", "clamps from above", '''
def relu(x):
    return x.clamp_max(0.0)
'''),
    ("ex_relu_answer", "ex_relu", "absolute value", '''
def relu(x):
    return x.abs()
'''),
    ("ex_relu_answer", "ex_relu", "a step function", '''
def relu(x):
    return (x > 0).float()
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net", "std 1 everywhere", '''
def init_simple_net(n_hidden=30):
    return [init_params((28 * 28, n_hidden)), init_params(n_hidden),
            init_params((n_hidden, 1)), init_params(1)]
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net", "hidden size fixed at 30", '''
def init_simple_net(n_hidden=30):
    std1, std2 = 1 / 784 ** 0.5, 1 / 30 ** 0.5
    return [init_params((28 * 28, 30), std1), init_params(30, std1),
            init_params((30, 1), std2), init_params(1, std2)]
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net", "second layer scaled by 1/sqrt(784)", '''
def init_simple_net(n_hidden=30):
    std = 1 / 784 ** 0.5
    return [init_params((28 * 28, n_hidden), std), init_params(n_hidden, std),
            init_params((n_hidden, 1), std), init_params(1, std)]
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net",
     "not leaves (requires grad before scaling)", '''
def init_simple_net(n_hidden=30):
    std1, std2 = 1 / 784 ** 0.5, 1 / n_hidden ** 0.5
    return [torch.randn(784, n_hidden, requires_grad=True) * std1,
            torch.randn(n_hidden, requires_grad=True) * std1,
            torch.randn(n_hidden, 1, requires_grad=True) * std2,
            torch.randn(1, requires_grad=True) * std2]
'''),
    ("ex_simple_net_answer", "ex_simple_net", "no nonlinearity", '''
def simple_net(xb, params):
    w1, b1, w2, b2 = params
    return (xb @ w1 + b1) @ w2 + b2
'''),
    ("ex_simple_net_answer", "ex_simple_net", "ReLU after the second layer", '''
def simple_net(xb, params):
    w1, b1, w2, b2 = params
    return relu((xb @ w1 + b1) @ w2 + b2)
'''),
    ("ex_simple_net_answer", "ex_simple_net", "ReLU before adding the first bias", '''
def simple_net(xb, params):
    w1, b1, w2, b2 = params
    return (relu(xb @ w1) + b1) @ w2 + b2
'''),
    ("ex_simple_net_answer", "ex_simple_net", "sigmoid instead of ReLU", '''
def simple_net(xb, params):
    w1, b1, w2, b2 = params
    return torch.sigmoid(xb @ w1 + b1) @ w2 + b2
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "nn.ReLU without parentheses", '''
def make_simple_net(n_hidden=30):
    return nn.Sequential(nn.Linear(28 * 28, n_hidden), nn.ReLU, nn.Linear(n_hidden, 1))
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "no ReLU", '''
def make_simple_net(n_hidden=30):
    return nn.Sequential(nn.Linear(28 * 28, n_hidden), nn.Linear(n_hidden, 1))
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "hidden size fixed at 20", '''
def make_simple_net(n_hidden=30):
    return nn.Sequential(nn.Linear(28 * 28, 20), nn.ReLU(), nn.Linear(20, 1))
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "layers without bias", '''
def make_simple_net(n_hidden=30):
    return nn.Sequential(nn.Linear(28 * 28, n_hidden, bias=False), nn.ReLU(),
                         nn.Linear(n_hidden, 1, bias=False))
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "hidden size ignored (always 30)", '''
def make_simple_net(n_hidden=30):
    return nn.Sequential(nn.Linear(28 * 28, 30), nn.ReLU(), nn.Linear(30, 1))
'''),
    ("ex_make_learner_answer", "ex_make_learner", "fastai's default optimiser (Adam)", '''
def make_learner(dls, model):
    return Learner(dls, model, loss_func=mnist_loss, metrics=batch_accuracy)
'''),
    ("ex_make_learner_answer", "ex_make_learner", "fastai's accuracy as the metric", '''
def make_learner(dls, model):
    return Learner(dls, model, opt_func=SGD, loss_func=mnist_loss, metrics=accuracy)
'''),
    ("ex_make_learner_answer", "ex_make_learner", "a fresh net instead of the given model", '''
def make_learner(dls, model):
    return Learner(dls, make_simple_net(), opt_func=SGD, loss_func=mnist_loss,
                   metrics=batch_accuracy)
'''),
    ("ex_make_learner_answer", "ex_make_learner", "loss without the sigmoid", '''
def make_learner(dls, model):
    def loss(p, t):
        return torch.where(t == 1, 1 - p, p).mean()
    return Learner(dls, model, opt_func=SGD, loss_func=loss, metrics=batch_accuracy)
'''),
    ("ex_last_metric_answer", "ex_last_metric", "the training loss of the last epoch", '''
def last_metric(learn):
    return float(learn.recorder.values[-1][0])
'''),
    ("ex_last_metric_answer", "ex_last_metric", "the metric of the first epoch", '''
def last_metric(learn):
    return float(learn.recorder.values[0][-1])
'''),
    ("ex_last_metric_answer", "ex_last_metric", "the best epoch instead of the last", '''
def last_metric(learn):
    return max(float(row[-1]) for row in learn.recorder.values)
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner", "resnet34 instead of resnet18", '''
from fastai.vision.models import resnet34


def make_resnet_learner(dls):
    return cnn_learner(dls, resnet34, pretrained=False, loss_func=F.cross_entropy,
                       metrics=accuracy)
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner", "the chapter's mnist_loss", '''
def make_resnet_learner(dls):
    return vision_learner(dls, resnet18, pretrained=False, loss_func=mnist_loss,
                          metrics=accuracy)
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner", "error_rate as the metric", '''
from fastai.metrics import error_rate


def make_resnet_learner(dls):
    return cnn_learner(dls, resnet18, pretrained=False, loss_func=F.cross_entropy,
                       metrics=error_rate)
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner", "two outputs hard-coded", '''
def make_resnet_learner(dls):
    return vision_learner(dls, resnet18, pretrained=False, n_out=2, loss_func=F.cross_entropy,
                          metrics=accuracy)
'''),
]
