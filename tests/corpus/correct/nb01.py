"""Correct answers for notebook 01 written in other styles than the reference; each must get
full marks from both ``ch4 check`` and ``ch4 grade``. Same tuple shape as tests/mutants:
(answer cell id, grade id, what style, source)."""

CORRECT = [
    ("ex_digit_files_answer", "ex_digit_files", "iterdir and a suffix filter", '''
def digit_files(path, split, digit):
    folder = Path(path) / split / digit
    return sorted(p for p in folder.iterdir() if p.suffix == ".png")
'''),
    ("ex_digit_files_answer", "ex_digit_files", "os.listdir then Path", '''
import os

def digit_files(path, split, digit):
    folder = os.path.join(str(path), split, digit)
    names = [n for n in os.listdir(folder) if n.endswith(".png")]
    return sorted(Path(folder) / n for n in names)
'''),
    ("ex_digit_files_answer", "ex_digit_files", "callable class", '''
class _DigitFiles:
    def __call__(self, path, split, digit):
        found = list(Path(path).joinpath(split, digit).glob("*.png"))
        found.sort()
        return found

digit_files = _DigitFiles()
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "torch.tensor of np.asarray", '''
def image_tensor(file):
    with Image.open(file) as im:
        return torch.tensor(np.asarray(im), dtype=torch.uint8)
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "torchvision read_image", '''
import torchvision

def image_tensor(file):
    return torchvision.io.read_image(str(file))[0]
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "PIL getdata reshaped", '''
def image_tensor(file):
    im = Image.open(file)
    w, h = im.size
    return torch.tensor(list(im.getdata()), dtype=torch.uint8).view(h, w)
'''),
    ("ex_crop_answer", "ex_crop", "narrow twice", '''
def crop(t, top, left, size):
    return t.narrow(0, top, size).narrow(1, left, size)
'''),
    ("ex_crop_answer", "ex_crop", "index lists", '''
def crop(t, top, left, size):
    rows = torch.arange(top, top + size)
    cols = torch.arange(left, left + size)
    return t[rows][:, cols]
'''),
    ("ex_crop_answer", "ex_crop", "lambda with slices", '''
crop = lambda t, top, left, size: t[slice(top, top + size)][:, slice(left, left + size)]
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "numpy stack then torch, float64 inside", '''
def stack_digits(files):
    arrays = np.stack([np.array(Image.open(f), dtype=np.float64) for f in files])
    return torch.from_numpy(arrays / 255.0).float()
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "preallocated loop", '''
def stack_digits(files):
    out = torch.zeros(len(files), 28, 28)
    for i, f in enumerate(files):
        out[i] = image_tensor(f).float()
    return out.div(255)
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "torch.stack of per-image floats", '''
def stack_digits(files):
    return torch.stack([image_tensor(f).to(torch.float32).div(255.0) for f in files])
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "sum over axis 0 divided by the count", '''
def mean_digit(stack):
    return stack.sum(dim=0) / stack.shape[0]
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "float64 mean then back", '''
def mean_digit(stack):
    return stack.double().mean(axis=0).float()
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "loop accumulation", '''
def mean_digit(stack):
    total = torch.zeros_like(stack[0])
    for image in stack:
        total = total + image
    return total / len(stack)
'''),
    ("ex_distances_answer", "ex_distances", "functional losses", '''
def l1_distance(a, b):
    return torch.nn.functional.l1_loss(a.float(), b.float())

def rmse_distance(a, b):
    return torch.sqrt(torch.nn.functional.mse_loss(a.float(), b.float()))
'''),
    ("ex_distances_answer", "ex_distances", "float64 inside, python floats out", '''
def l1_distance(a, b):
    return float((a.double() - b.double()).abs().mean())

def rmse_distance(a, b):
    return float(((a.double() - b.double()) ** 2).mean() ** 0.5)
'''),
    ("ex_distances_answer", "ex_distances", "numpy", '''
def l1_distance(a, b):
    return np.mean(np.abs(np.asarray(a) - np.asarray(b)))

def rmse_distance(a, b):
    return np.sqrt(np.mean(np.square(np.asarray(a) - np.asarray(b))))
'''),
]
