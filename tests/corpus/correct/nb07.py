"""Correct answers for notebook 07 written in other styles than the reference; each must get
full marks from both ``ch4 check`` and ``ch4 grade``. Same tuple shape as tests/mutants:
(answer cell id, grade id, what style, source)."""

CORRECT = [
    ("ex_combine_linear_answer", "ex_combine_linear", "torch.mm and torch.addmm", '''
def combine_linear(w1, b1, w2, b2):
    w = torch.mm(w1, w2)
    b = torch.addmm(b2.unsqueeze(0), b1.unsqueeze(0), w2).squeeze(0)
    return w, b
'''),
    ("ex_combine_linear_answer", "ex_combine_linear",
     "push the identity and zeros through both layers", '''
def combine_linear(w1, b1, w2, b2):
    n_in = w1.shape[0]
    two_layers = lambda x: (x @ w1 + b1) @ w2 + b2
    b = two_layers(torch.zeros(1, n_in))[0]
    w = two_layers(torch.eye(n_in)) - b
    return w, b
'''),
    ("ex_combine_linear_answer", "ex_combine_linear", "einsum in float64", '''
def combine_linear(w1, b1, w2, b2):
    w = torch.einsum("ij,jk->ik", w1.double(), w2.double())
    b = torch.einsum("j,jk->k", b1.double(), w2.double()) + b2.double()
    return w.float(), b.float()
'''),
    ("ex_relu_answer", "ex_relu", "clamp_min", '''
def relu(x):
    return x.clamp_min(0.0)
'''),
    ("ex_relu_answer", "ex_relu", "torch.where", '''
def relu(x):
    return torch.where(x > 0, x, torch.zeros_like(x))
'''),
    ("ex_relu_answer", "ex_relu", "multiply by a mask", '''
def relu(x):
    return x * (x > 0).to(x.dtype)
'''),
    ("ex_relu_answer", "ex_relu", "F.relu", '''
relu = F.relu
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net",
     "randn, scale, requires_grad_ without init_params", '''
def init_simple_net(n_hidden=30):
    def make(*shape, std):
        return (torch.randn(*shape) * std).requires_grad_()
    s1, s2 = 784 ** -0.5, n_hidden ** -0.5
    return [make(784, n_hidden, std=s1), make(n_hidden, std=s1),
            make(n_hidden, 1, std=s2), make(1, std=s2)]
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net",
     "nn.init.normal_ on empty tensors, loop", '''
import math

def init_simple_net(n_hidden=30):
    specs = [((784, n_hidden), 784), ((n_hidden,), 784),
             ((n_hidden, 1), n_hidden), ((1,), n_hidden)]
    params = []
    for shape, fan_in in specs:
        t = torch.empty(shape)
        nn.init.normal_(t, mean=0.0, std=1 / math.sqrt(fan_in))
        params.append(t.requires_grad_())
    return params
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net",
     "float64 draws, second layer first, then float32", '''
def init_simple_net(n_hidden=30):
    w2 = torch.randn(n_hidden, 1, dtype=torch.float64) / n_hidden ** 0.5
    b2 = torch.randn(1, dtype=torch.float64) / n_hidden ** 0.5
    w1 = torch.randn(784, n_hidden, dtype=torch.float64) / 28.0
    b1 = torch.randn(n_hidden, dtype=torch.float64) / 28.0
    return [t.float().requires_grad_() for t in (w1, b1, w2, b2)]
'''),
    ("ex_simple_net_answer", "ex_simple_net", "F.linear with transposed weights and F.relu", '''
def simple_net(xb, params):
    w1, b1, w2, b2 = params
    hidden = F.relu(F.linear(xb, w1.t(), b1))
    return F.linear(hidden, w2.t(), b2)
'''),
    ("ex_simple_net_answer", "ex_simple_net", "addmm and an in-place clamp on the hidden layer", '''
def simple_net(xb, params):
    w1, b1, w2, b2 = params
    hidden = torch.addmm(b1, xb, w1)
    hidden.clamp_(min=0)
    return torch.addmm(b2, hidden, w2)
'''),
    ("ex_simple_net_answer", "ex_simple_net", "one expression with clamp_min", '''
simple_net = lambda xb, params: (xb @ params[0] + params[1]).clamp_min(0) @ params[2] + params[3]
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "OrderedDict of named layers", '''
from collections import OrderedDict

def make_simple_net(n_hidden=30):
    return nn.Sequential(OrderedDict([
        ("hidden", nn.Linear(784, n_hidden)),
        ("act", nn.ReLU()),
        ("out", nn.Linear(n_hidden, 1)),
    ]))
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net",
     "a list of layers unpacked, in-place ReLU", '''
def make_simple_net(n_hidden=30):
    layers = [nn.Linear(28 * 28, n_hidden), nn.ReLU(inplace=True), nn.Linear(n_hidden, 1)]
    return nn.Sequential(*layers)
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "an nn.Module subclass", '''
class SimpleNet(nn.Module):
    def __init__(self, n_hidden):
        super().__init__()
        self.layer1 = nn.Linear(784, n_hidden)
        self.layer2 = nn.Linear(n_hidden, 1)

    def forward(self, x):
        return self.layer2(F.relu(self.layer1(x)))


def make_simple_net(n_hidden=30):
    return SimpleNet(n_hidden)
'''),
    ("ex_make_learner_answer", "ex_make_learner", "keywords and a metric list", '''
def make_learner(dls, model):
    return Learner(dls=dls, model=model, loss_func=mnist_loss, opt_func=SGD,
                   metrics=[batch_accuracy])
'''),
    ("ex_make_learner_answer", "ex_make_learner", "SGD with momentum spelled out as 0", '''
from functools import partial

def make_learner(dls, model):
    return Learner(dls, model, opt_func=partial(SGD, mom=0.0), loss_func=mnist_loss,
                   metrics=batch_accuracy)
'''),
    ("ex_make_learner_answer", "ex_make_learner", "PyTorch's SGD through OptimWrapper", '''
from functools import partial
from fastai.optimizer import OptimWrapper

def make_learner(dls, model):
    opt = partial(OptimWrapper, opt=torch.optim.SGD)
    return Learner(dls, model, opt_func=opt, loss_func=mnist_loss, metrics=batch_accuracy)
'''),
    ("ex_last_metric_answer", "ex_last_metric", "the recorder's metric objects", '''
def last_metric(learn):
    return float(learn.recorder.metrics[-1].value)
'''),
    ("ex_last_metric_answer", "ex_last_metric", "validate again", '''
def last_metric(learn):
    return float(learn.validate()[1])
'''),
    ("ex_last_metric_answer", "ex_last_metric", "final_record, by position", '''
def last_metric(learn):
    row = list(learn.final_record)
    return float(row[2])
'''),
    ("ex_last_metric_answer", "ex_last_metric", "the last row, unpacked", '''
def last_metric(learn):
    *_, last_row = learn.recorder.values
    train_loss, valid_loss, metric = last_row
    return float(metric)
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner", "vision_learner", '''
def make_resnet_learner(dls):
    return vision_learner(dls, resnet18, pretrained=False, loss_func=F.cross_entropy,
                          metrics=accuracy)
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner",
     "fastai's default loss and CrossEntropyLossFlat", '''
from fastai.losses import CrossEntropyLossFlat

def make_resnet_learner(dls):
    learn = vision_learner(dls, resnet18, pretrained=False, metrics=[accuracy])
    learn.loss_func = CrossEntropyLossFlat()
    return learn
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner", "fastai's default loss", '''
def make_resnet_learner(dls):
    return vision_learner(dls, resnet18, pretrained=False, metrics=accuracy)
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner",
     "create_vision_model and a plain Learner", '''
from fastai.vision.learner import create_vision_model

def make_resnet_learner(dls):
    model = create_vision_model(resnet18, dls.c, pretrained=False)
    return Learner(dls, model, loss_func=F.cross_entropy, metrics=accuracy)
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner",
     "torchvision's resnet18 with its own head", '''
import torchvision

def make_resnet_learner(dls):
    model = torchvision.models.resnet18(weights=None, num_classes=dls.c)
    return Learner(dls, model, loss_func=F.cross_entropy, metrics=accuracy)
'''),
]

# added for issue 12 (broader styles)
CORRECT += [
    ("ex_combine_linear_answer", "ex_combine_linear", "matmul with keyword arguments", '''
def combine_linear(w1, b1, w2, b2):
    w = torch.matmul(input=w1, other=w2)
    b = torch.matmul(b1, w2).add(b2)
    return w, b
'''),
    ("ex_combine_linear_answer", "ex_combine_linear", "layers run on zeros and the identity",
     '''
def combine_linear(w1, b1, w2, b2):
    def layers(x):
        return (x @ w1 + b1) @ w2 + b2
    n = w1.shape[0]
    b = layers(torch.zeros(1, n, dtype=w1.dtype))[0]
    w = layers(torch.eye(n, dtype=w1.dtype)) - b
    return w, b
'''),
    ("ex_relu_answer", "ex_relu", "torch.maximum with zeros_like", '''
def relu(x):
    return torch.maximum(x, torch.zeros_like(x))
'''),
    ("ex_relu_answer", "ex_relu", "nn.ReLU module", '''
relu = nn.ReLU()
'''),
    ("ex_relu_answer", "ex_relu", "half of x plus its absolute value", '''
def relu(x):
    return (x + x.abs()) / 2
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net", "comprehension over (shape, fan-in)", '''
def init_simple_net(n_hidden=30):
    plan = [((28 * 28, n_hidden), 28 * 28), (n_hidden, 28 * 28),
            ((n_hidden, 1), n_hidden), (1, n_hidden)]
    return [init_params(shape, std=fan_in ** -0.5) for shape, fan_in in plan]
'''),
    ("ex_init_simple_net_answer", "ex_init_simple_net", "math.sqrt, tuple shapes, append loop", '''
import math

def init_simple_net(n_hidden=30):
    first, second = 1 / math.sqrt(784), 1 / math.sqrt(n_hidden)
    params = []
    for shape, std in (((784, n_hidden), first), ((n_hidden,), first),
                       ((n_hidden, 1), second), ((1,), second)):
        params.append(init_params(shape, std=std))
    return params
'''),
    ("ex_simple_net_answer", "ex_simple_net", "einsum layers", '''
def simple_net(xb, params):
    w1, b1, w2, b2 = params
    hidden = relu(torch.einsum("ni,ih->nh", xb, w1) + b1)
    return torch.einsum("nh,ho->no", hidden, w2) + b2
'''),
    ("ex_simple_net_answer", "ex_simple_net", "a list of layer functions applied in turn", '''
def simple_net(xb, params):
    layers = [lambda x: x @ params[0] + params[1], relu, lambda x: x @ params[2] + params[3]]
    for layer in layers:
        xb = layer(xb)
    return xb
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "add_module one layer at a time", '''
def make_simple_net(n_hidden=30):
    net = nn.Sequential()
    net.add_module("hidden", nn.Linear(28 * 28, n_hidden))
    net.add_module("act", nn.ReLU())
    net.add_module("out", nn.Linear(n_hidden, 1))
    return net
'''),
    ("ex_make_simple_net_answer", "ex_make_simple_net", "unpacked list, in-place ReLU", '''
def make_simple_net(n_hidden=30):
    layers = [nn.Linear(784, n_hidden), nn.ReLU(inplace=True), nn.Linear(n_hidden, 1)]
    return nn.Sequential(*layers)
'''),
    ("ex_make_learner_answer", "ex_make_learner", "loss and optimiser passed by position", '''
def make_learner(dls, model):
    return Learner(dls, model, mnist_loss, SGD, metrics=batch_accuracy)
'''),
    ("ex_make_learner_answer", "ex_make_learner", "functools.partial of Learner", '''
import functools

_sgd_learner = functools.partial(Learner, opt_func=SGD, loss_func=mnist_loss,
                                 metrics=[batch_accuracy])

def make_learner(dls, model):
    return _sgd_learner(dls, model)
'''),
    ("ex_last_metric_answer", "ex_last_metric", "numpy array of the recorded values", '''
def last_metric(learn):
    return float(np.asarray(learn.recorder.values, dtype=np.float64)[-1, -1])
'''),
    ("ex_last_metric_answer", "ex_last_metric", "explicit indices", '''
def last_metric(learn):
    rows = learn.recorder.values
    last_row = rows[len(rows) - 1]
    return float(last_row[len(last_row) - 1])
'''),
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner",
     "partial of vision_learner, nn.CrossEntropyLoss", '''
import functools

def make_resnet_learner(dls):
    build = functools.partial(vision_learner, arch=resnet18, pretrained=False)
    return build(dls, loss_func=nn.CrossEntropyLoss(), metrics=[accuracy])
'''),
]
CORRECT += [
    ("ex_make_resnet_learner_answer", "ex_make_resnet_learner", "cnn_learner with n_out=dls.c",
     '''
def make_resnet_learner(dls):
    return cnn_learner(dls, resnet18, n_out=dls.c, pretrained=False,
                       loss_func=F.cross_entropy, metrics=accuracy)
'''),
]
