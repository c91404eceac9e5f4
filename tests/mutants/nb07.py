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
    # New wrong answers for the item specs (autograder/items/nb07.py).
    ("ex_combine_linear_answer", "ex_combine_linear", "updates b2 in place (changes its input)", '''
def combine_linear(w1, b1, w2, b2):
    b2 += b1 @ w2
    return w1 @ w2, b2
'''),
    ("ex_combine_linear_answer", "ex_combine_linear", "adds the biases before the second layer", '''
def combine_linear(w1, b1, w2, b2):
    return w1 @ w2, (b1 + b2) @ w2
'''),
    ("ex_combine_linear_answer", "ex_combine_linear", "multiplies in the other order", '''
def combine_linear(w1, b1, w2, b2):
    return (w2.T @ w1.T), b1 @ w2 + b2
'''),
    ("ex_relu_answer", "ex_relu", "clamps its input in place", '''
def relu(x):
    return x.clamp_(min=0.0)
'''),
    ("ex_relu_answer", "ex_relu", "sets the negatives of its input to 0", '''
def relu(x):
    x[x < 0] = 0
    return x
'''),
    ("ex_relu_answer", "ex_relu", "Python's max on a whole tensor", '''
def relu(x):
    return max(x, 0)
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net", "first layer all zeros", '''
def init_simple_net(n_hidden=30):
    std2 = 1 / n_hidden ** 0.5
    return [torch.zeros(784, n_hidden).requires_grad_(), torch.zeros(n_hidden).requires_grad_(),
            init_params((n_hidden, 1), std2), init_params(1, std2)]
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net",
     "one random column copied to every hidden unit", '''
def init_simple_net(n_hidden=30):
    std1, std2 = 1 / 784 ** 0.5, 1 / n_hidden ** 0.5
    column = torch.randn(784, 1) * std1
    return [column.repeat(1, n_hidden).requires_grad_(), init_params(n_hidden, std1),
            init_params((n_hidden, 1), std2), init_params(1, std2)]
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net",
     "uniform numbers (torch.rand) instead of normal", '''
def init_simple_net(n_hidden=30):
    std1, std2 = 1 / 784 ** 0.5, 1 / n_hidden ** 0.5
    return [(torch.rand(784, n_hidden) * std1).requires_grad_(),
            (torch.rand(n_hidden) * std1).requires_grad_(),
            (torch.rand(n_hidden, 1) * std2).requires_grad_(),
            (torch.rand(1) * std2).requires_grad_()]
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net", "second layer scaled by 1/n_hidden", '''
def init_simple_net(n_hidden=30):
    std1, std2 = 1 / 784 ** 0.5, 1 / n_hidden
    return [init_params((784, n_hidden), std1), init_params(n_hidden, std1),
            init_params((n_hidden, 1), std2), init_params(1, std2)]
'''),
    ("ex_simple_net_answer", "ex_simple_net",
     "detaches the hidden layer (no gradient to w1, b1)", '''
def simple_net(xb, params):
    w1, b1, w2, b2 = params
    hidden = relu(xb @ w1 + b1).detach()
    return hidden @ w2 + b2
'''),
    ("ex_simple_net_answer", "ex_simple_net", "ReLU on the input pixels as well", '''
def simple_net(xb, params):
    w1, b1, w2, b2 = params
    return relu(relu(xb) @ w1 + b1) @ w2 + b2
'''),
    ("ex_simple_net_answer", "ex_simple_net",
     "uses the notebook's params instead of its argument", '''
def simple_net(xb, ps):
    w1, b1, w2, b2 = params
    return relu(xb @ w1 + b1) @ w2 + b2
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "first layer initialised to zeros", '''
def make_simple_net(n_hidden=30):
    first = nn.Linear(28 * 28, n_hidden)
    nn.init.zeros_(first.weight)
    return nn.Sequential(first, nn.ReLU(), nn.Linear(n_hidden, 1))
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "a ReLU after the last layer too", '''
def make_simple_net(n_hidden=30):
    return nn.Sequential(nn.Linear(28 * 28, n_hidden), nn.ReLU(), nn.Linear(n_hidden, 1),
                         nn.ReLU())
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "first layer frozen", '''
def make_simple_net(n_hidden=30):
    first = nn.Linear(28 * 28, n_hidden).requires_grad_(False)
    return nn.Sequential(first, nn.ReLU(), nn.Linear(n_hidden, 1))
'''),
    ("ex_make_learner_answer", "ex_make_learner", "trains on the validation set", '''
def make_learner(dls, model):
    swapped = DataLoaders(dls.valid, dls.train)
    return Learner(swapped, model, opt_func=SGD, loss_func=mnist_loss, metrics=batch_accuracy)
'''),
    ("ex_make_learner_answer", "ex_make_learner", "SGD with momentum", '''
from functools import partial

def make_learner(dls, model):
    return Learner(dls, model, opt_func=partial(SGD, mom=0.9), loss_func=mnist_loss,
                   metrics=batch_accuracy)
'''),
    ("ex_make_learner_answer", "ex_make_learner",
     "the notebook's DataLoaders instead of its argument", '''
def make_learner(data, model):
    return Learner(DataLoaders(dl, valid_dl), model, opt_func=SGD, loss_func=mnist_loss,
                   metrics=batch_accuracy)
'''),
    ("ex_last_metric_answer", "ex_last_metric", "the validation loss of the last epoch", '''
def last_metric(learn):
    return float(learn.recorder.values[-1][1])
'''),
    ("ex_last_metric_answer", "ex_last_metric", "the second-to-last epoch", '''
def last_metric(learn):
    return float(learn.recorder.values[-2][-1])
'''),
    ("ex_last_metric_answer", "ex_last_metric", "the mean over all epochs", '''
def last_metric(learn):
    return sum(float(row[-1]) for row in learn.recorder.values) / len(learn.recorder.values)
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner", "body frozen after building", '''
def make_resnet_learner(dls):
    learn = vision_learner(dls, resnet18, pretrained=False, loss_func=F.cross_entropy,
                           metrics=accuracy)
    learn.freeze()
    return learn
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner",
     "the notebook's image_dls instead of its argument", '''
def make_resnet_learner(data):
    return vision_learner(image_dls, resnet18, pretrained=False, loss_func=F.cross_entropy,
                          metrics=accuracy)
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner",
     "torchvision's resnet18 with 1000 outputs", '''
import torchvision

def make_resnet_learner(dls):
    return Learner(dls, torchvision.models.resnet18(weights=None), loss_func=F.cross_entropy,
                   metrics=accuracy)
'''),
]

# added for issue 12
MUTANTS += [
    ("ex_combine_linear_answer", "ex_combine_linear", "drops the first bias", '''
def combine_linear(w1, b1, w2, b2):
    return w1 @ w2, b2
'''),
    ("ex_relu_answer", "ex_relu", "leaky ReLU", '''
def relu(x):
    return F.leaky_relu(x)
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net", "second layer scaled by sqrt(n_hidden)", '''
def init_simple_net(n_hidden=30):
    std1, std2 = 1 / 784 ** 0.5, n_hidden ** 0.5
    w1, b1 = init_params((28 * 28, n_hidden), std1), init_params(n_hidden, std1)
    w2, b2 = init_params((n_hidden, 1), std2), init_params(1, std2)
    return [w1, b1, w2, b2]
'''),
    ("ex_simple_net_answer", "ex_simple_net", "ReLU applied to the weights, not the activations",
     '''
def simple_net(xb, params):
    w1, b1, w2, b2 = params
    return (xb @ relu(w1) + b1) @ w2 + b2
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "Sigmoid instead of ReLU", '''
def make_simple_net(n_hidden=30):
    return nn.Sequential(nn.Linear(28 * 28, n_hidden), nn.Sigmoid(), nn.Linear(n_hidden, 1))
'''),
    ("ex_make_learner_answer", "ex_make_learner", "PyTorch's BCEWithLogitsLoss as the loss", '''
def make_learner(dls, model):
    return Learner(dls, model, opt_func=SGD, loss_func=nn.BCEWithLogitsLoss(),
                   metrics=batch_accuracy)
'''),
    ("ex_last_metric_answer", "ex_last_metric", "rounded to 2 decimals", '''
def last_metric(learn):
    return round(float(learn.recorder.values[-1][-1]), 2)
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner", "nll_loss on raw scores", '''
def make_resnet_learner(dls):
    return vision_learner(dls, resnet18, pretrained=False, loss_func=F.nll_loss,
                          metrics=accuracy)
'''),
]

# look-alikes that a structure summary read in the kernel (convolution count, channels) let
# through: the grader now compares the behaviour of the model under seeded weights
MUTANTS += [
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner",
     "architecture look-alike: 20 1x1 convolutions with resnet18's channel counts", '''
def make_resnet_learner(dls):
    layers, c_in = [], 3
    for c_out in [64] * 5 + [128] * 5 + [256] * 5 + [512] * 5:
        layers += [nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]
        c_in = c_out
    model = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, dls.c))
    return Learner(dls, model, loss_func=F.cross_entropy, metrics=accuracy)
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner",
     "resnet18 with one convolution changed (dilated: same shapes, other behaviour)", '''
def make_resnet_learner(dls):
    learn = vision_learner(dls, resnet18, pretrained=False, loss_func=F.cross_entropy,
                           metrics=accuracy)
    block = learn.model[0][4][0]
    block.conv2 = nn.Conv2d(64, 64, 3, padding=2, dilation=2, bias=False)
    return learn
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net",
     "uniform numbers centred on 0 with the right standard deviations", '''
def init_simple_net(n_hidden=30):
    def uniform(*shape, std):
        return ((torch.rand(*shape) * 2 - 1) * std * 3 ** 0.5).requires_grad_()
    s1, s2 = 784 ** -0.5, n_hidden ** -0.5
    return [uniform(784, n_hidden, std=s1), uniform(n_hidden, std=s1),
            uniform(n_hidden, 1, std=s2), uniform(1, std=s2)]
'''),
]
