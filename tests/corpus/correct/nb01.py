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

# added for issue 12 (broader styles)
CORRECT += [
    ("ex_digit_files_answer", "ex_digit_files", "glob module, Paths built after sorting strings",
     '''
import glob as _glob
import os

def digit_files(path, split, digit):
    pattern = os.path.join(os.fspath(path), split, digit, "*.png")
    return [Path(name) for name in sorted(_glob.glob(pattern))]
'''),
    ("ex_digit_files_answer", "ex_digit_files", "filter with a lambda, keyword joinpath", '''
def digit_files(path, split, digit):
    folder = Path(path).joinpath(split).joinpath(digit)
    pngs = filter(lambda p: p.is_file() and p.name.endswith(".png"), folder.iterdir())
    return sorted(pngs, key=lambda p: p.name)
'''),
    ("ex_digit_files_answer", "ex_digit_files", "early return for a missing folder, loop", '''
def digit_files(path, split, digit):
    folder = Path(path, split, digit)
    if not folder.exists():
        return []
    found = []
    for entry in folder.iterdir():
        if entry.suffix.lower() == ".png":
            found.append(entry)
    found.sort()
    return found
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "torch.as_tensor of a converted L image", '''
def image_tensor(file):
    return torch.as_tensor(np.array(Image.open(file).convert("L")))
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "bytes buffer with frombuffer", '''
def image_tensor(file):
    with Image.open(file) as im:
        width, height = im.size
        data = bytearray(im.tobytes())
    return torch.frombuffer(data, dtype=torch.uint8).reshape(height, width)
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "int pixels in numpy cast back to uint8", '''
def image_tensor(file):
    pixels = np.array(Image.open(file)).astype(np.int64)
    return torch.from_numpy(pixels.astype(np.uint8))
'''),
    ("ex_crop_answer", "ex_crop", "rows then columns in two steps", '''
def crop(t, top, left, size):
    rows = t[top:][:size]
    return rows[:, left:][:, :size]
'''),
    ("ex_crop_answer", "ex_crop", "index_select with keyword arguments", '''
def crop(t, top, left, size):
    rows = torch.arange(top, top + size)
    cols = torch.arange(left, left + size)
    return t.index_select(dim=0, index=rows).index_select(dim=1, index=cols)
'''),
    ("ex_crop_answer", "ex_crop", "torch.narrow then a column slice, bottom/right names", '''
def crop(t, top, left, size):
    bottom, right = top + size, left + size
    return torch.narrow(t, 0, top, size)[:, left:right][: bottom - top]
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "one numpy array of all images, then torch",
     '''
def stack_digits(files):
    pixels = np.array([np.array(Image.open(f)) for f in files], dtype=np.uint8)
    return torch.tensor(pixels, dtype=torch.float32) / 255
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "map and multiply by 1/255", '''
def stack_digits(files):
    images = list(map(image_tensor, files))
    return torch.stack(images, dim=0).to(torch.float32).mul(1 / 255)
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "unsqueeze and cat", '''
def stack_digits(files):
    parts = [image_tensor(f).unsqueeze(0) for f in files]
    return torch.cat(parts, dim=0).float().div(255.0)
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "einsum sum over the image axis", '''
def mean_digit(stack):
    return torch.einsum("nij->ij", stack) / stack.size(0)
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "numpy mean converted back", '''
def mean_digit(stack):
    return torch.from_numpy(np.asarray(stack).mean(axis=0))
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "functools.reduce of additions", '''
import functools
import operator

def mean_digit(stack):
    return functools.reduce(operator.add, stack) / len(stack)
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "keepdim then squeeze the first axis", '''
def mean_digit(stack):
    return stack.mean(dim=0, keepdim=True).squeeze(0)
'''),
    ("ex_distances_answer", "ex_distances", "norms divided by the element count", '''
import math

def l1_distance(a, b):
    return torch.dist(a, b, p=1) / a.numel()

def rmse_distance(a, b):
    return torch.linalg.vector_norm(a - b) / math.sqrt(a.numel())
'''),
    ("ex_distances_answer", "ex_distances", "callable classes", '''
class _Distance:
    def __init__(self, power):
        self.power = power

    def __call__(self, a, b):
        diff = (a - b).abs() ** self.power
        return diff.mean() ** (1 / self.power)

l1_distance = _Distance(1)
rmse_distance = _Distance(2)
'''),
    ("ex_distances_answer", "ex_distances", "python loops over flattened values", '''
def l1_distance(a, b):
    diffs = [abs(x - y) for x, y in zip(a.flatten().tolist(), b.flatten().tolist())]
    return sum(diffs) / len(diffs)

def rmse_distance(a, b):
    squares = [(x - y) ** 2 for x, y in zip(a.flatten().tolist(), b.flatten().tolist())]
    return (sum(squares) / len(squares)) ** 0.5
'''),
]
