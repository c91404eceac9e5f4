"""Plausible wrong answers for notebook 01; each must make its grade cell fail."""

MUTANTS = [
    ("ex_digit_files_answer", "ex_digit_files", "not sorted", '''
def digit_files(path, split, digit):
    return list((Path(path) / split / digit).glob("*.png"))
'''),
    ("ex_digit_files_answer", "ex_digit_files", "always looks in train", '''
def digit_files(path, split, digit):
    return sorted((Path(path) / "train" / digit).glob("*.png"))
'''),
    ("ex_digit_files_answer", "ex_digit_files", "returns file names (strings), not paths", '''
import os

def digit_files(path, split, digit):
    return sorted(os.listdir(Path(path) / split / digit))
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "rescaled to floats in [0, 1]", '''
def image_tensor(file):
    return torch.from_numpy(np.array(Image.open(file))).float() / 255
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "transposed (columns first)", '''
def image_tensor(file):
    return torch.from_numpy(np.array(Image.open(file))).T
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "returns a NumPy array", '''
def image_tensor(file):
    return np.array(Image.open(file))
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "flat pixel list", '''
def image_tensor(file):
    return torch.tensor(list(Image.open(file).getdata()), dtype=torch.uint8)
'''),
    ("ex_crop_answer", "ex_crop", "off by one (size + 1)", '''
def crop(t, top, left, size):
    return t[top:top + size + 1, left:left + size + 1]
'''),
    ("ex_crop_answer", "ex_crop", "rows and columns swapped", '''
def crop(t, top, left, size):
    return t[left:left + size, top:top + size]
'''),
    ("ex_crop_answer", "ex_crop", "size used as the end index", '''
def crop(t, top, left, size):
    return t[top:size, left:size]
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "not scaled to [0, 1]", '''
def stack_digits(files):
    return torch.stack([image_tensor(f) for f in files]).float()
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "concatenated instead of stacked", '''
def stack_digits(files):
    return torch.cat([image_tensor(f) for f in files]).float() / 255
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "integer division by 255", '''
def stack_digits(files):
    return (torch.stack([image_tensor(f) for f in files]) // 255).float()
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "divided by 256", '''
def stack_digits(files):
    return torch.stack([image_tensor(f) for f in files]).float() / 256
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "files reordered (sorted again by name)", '''
def stack_digits(files):
    return torch.stack([image_tensor(f) for f in sorted(files)]).float() / 255
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "mean over the wrong axis (1)", '''
def mean_digit(stack):
    return stack.mean(1)
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "mean over the last axis", '''
def mean_digit(stack):
    return stack.mean(-1)
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "mean of everything (a scalar)", '''
def mean_digit(stack):
    return stack.mean()
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "sum instead of mean", '''
def mean_digit(stack):
    return stack.sum(0)
'''),
    ("ex_distances_answer", "ex_distances", "L1 without the absolute value", '''
def l1_distance(a, b):
    return (a - b).mean()


def rmse_distance(a, b):
    return ((a - b) ** 2).mean().sqrt()
'''),
    ("ex_distances_answer", "ex_distances", "RMSE without the square root", '''
def l1_distance(a, b):
    return (a - b).abs().mean()


def rmse_distance(a, b):
    return ((a - b) ** 2).mean()
'''),
    ("ex_distances_answer", "ex_distances", "RMSE as the square root of L1", '''
def l1_distance(a, b):
    return (a - b).abs().mean()


def rmse_distance(a, b):
    return (a - b).abs().mean().sqrt()
'''),
    ("ex_distances_answer", "ex_distances", "sums instead of means", '''
def l1_distance(a, b):
    return (a - b).abs().sum()


def rmse_distance(a, b):
    return ((a - b) ** 2).sum().sqrt()
'''),
    ("ex_distances_answer", "ex_distances", "squares the mean difference", '''
def l1_distance(a, b):
    return (a - b).abs().mean()


def rmse_distance(a, b):
    return ((a - b).mean() ** 2).sqrt()
'''),
    # added with the item specs: kinds the old checks let through
    ("ex_digit_files_answer", "ex_digit_files", "no .png filter (lists every file)", '''
def digit_files(path, split, digit):
    return sorted((Path(path) / split / digit).iterdir())
'''),
    ("ex_digit_files_answer", "ex_digit_files", "string paths instead of Path objects", '''
def digit_files(path, split, digit):
    return sorted(str(p) for p in (Path(path) / split / digit).glob("*.png"))
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "float32 pixels (0-255 but not uint8)", '''
def image_tensor(file):
    return torch.tensor(np.array(Image.open(file)), dtype=torch.float32)
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "int64 pixels", '''
def image_tensor(file):
    return torch.tensor(np.array(Image.open(file)).astype(np.int64))
'''),
    ("ex_crop_answer", "ex_crop", "second slice applied to the rows again", '''
def crop(t, top, left, size):
    return t[top:top + size][left:left + size]
'''),
    ("ex_crop_answer", "ex_crop", "transposed patch", '''
def crop(t, top, left, size):
    return t[top:top + size, left:left + size].T
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "scaled by the largest pixel instead of 255", '''
def stack_digits(files):
    stack = torch.stack([image_tensor(f) for f in files]).float()
    return stack / stack.max()
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "each image scaled by its own maximum", '''
def stack_digits(files):
    images = [image_tensor(f).float() for f in files]
    return torch.stack([im / im.max() for im in images])
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "median instead of mean", '''
def mean_digit(stack):
    return stack.median(0).values
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "keeps the stacked axis (keepdim)", '''
def mean_digit(stack):
    return stack.mean(0, keepdim=True)
'''),
    ("ex_distances_answer", "ex_distances", "RMSE as the mean of square roots (that is L1)", '''
def l1_distance(a, b):
    return (a - b).abs().mean()

def rmse_distance(a, b):
    return ((a - b) ** 2).sqrt().mean()
'''),
    ("ex_distances_answer", "ex_distances", "L1 computed in place (changes its input)", '''
def l1_distance(a, b):
    return a.sub_(b).abs_().mean()

def rmse_distance(a, b):
    return ((a - b) ** 2).mean().sqrt()
'''),
    ("ex_distances_answer", "ex_distances", "absolute value of the mean difference", '''
def l1_distance(a, b):
    return (a - b).mean().abs()

def rmse_distance(a, b):
    return ((a - b) ** 2).mean().sqrt()
'''),
]

# added for issue 12
MUTANTS += [
    ("ex_digit_files_answer", "ex_digit_files", "uses the notebook's global path, not its argument",
     '''
def digit_files(p, split, digit):
    return sorted((Path(path) / split / digit).glob("*.png"))
'''),
    ("ex_digit_files_answer", "ex_digit_files", "sorted in reverse", '''
def digit_files(path, split, digit):
    return sorted((Path(path) / split / digit).glob("*.png"), reverse=True)
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "converted to RGB (three channels)", '''
def image_tensor(file):
    return torch.from_numpy(np.array(Image.open(file).convert("RGB")))
'''),
    ("ex_image_tensor_answer", "ex_image_tensor", "signed int8 (values above 127 wrap)", '''
def image_tensor(file):
    return torch.tensor(np.array(Image.open(file)).astype(np.int8))
'''),
    ("ex_crop_answer", "ex_crop", "column end computed from top (copy-paste slip)", '''
def crop(t, top, left, size):
    return t[top:top + size, left:top + size]
'''),
    ("ex_crop_answer", "ex_crop", "one-based start (top - 1)", '''
def crop(t, top, left, size):
    return t[max(top - 1, 0):top - 1 + size, max(left - 1, 0):left - 1 + size]
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "half precision", '''
def stack_digits(files):
    return torch.stack([image_tensor(f) for f in files]).half() / 255
'''),
    ("ex_stack_digits_answer", "ex_stack_digits", "normalised to mean 0 and std 1", '''
def stack_digits(files):
    stack = torch.stack([image_tensor(f) for f in files]).float()
    return (stack - stack.mean()) / stack.std()
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "divides by the row count instead of the images",
     '''
def mean_digit(stack):
    return stack.sum(0) / stack.shape[1]
'''),
    ("ex_mean_digit_answer", "ex_mean_digit", "divides the stack in place (changes its input)",
     '''
def mean_digit(stack):
    stack /= len(stack)
    return stack.sum(0)
'''),
    ("ex_distances_answer", "ex_distances", "RMSE as the standard deviation of the differences",
     '''
def l1_distance(a, b):
    return (a - b).abs().mean()

def rmse_distance(a, b):
    return (a - b).std()
'''),
    ("ex_distances_answer", "ex_distances", "L1 averaged over the first axis only", '''
def l1_distance(a, b):
    return (a - b).abs().mean(0).sum()

def rmse_distance(a, b):
    return ((a - b) ** 2).mean().sqrt()
'''),
]
