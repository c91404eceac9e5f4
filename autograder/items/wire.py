"""Plain data across the process boundary: values become JSON, tensors dtype + shape + bytes.

The student's kernel calls ``encode`` on whatever a probe returned; the grader calls ``decode``
on the text it gets back. Decoding only ever builds JSON values and NumPy arrays from raw bytes
of an allowed dtype: nothing from the kernel is unpickled, imported or called, so a tensor
subclass, a patched ``__eq__`` or an object that only looks like a float arrives as what it
really is (an array of numbers, or an ``Opaque`` naming its type).
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

# dtypes a tensor or array may cross with (bfloat16/complex/object are described as opaque)
ALLOWED_DTYPES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32",
                  "float64")
MAX_BYTES = 32 * 1024 * 1024   # per encoded value
MAX_DEPTH = 12
MAX_ITEMS = 100_000


class WireError(ValueError):
    """The data from the kernel is malformed or too large (the probe counts as failed)."""


@dataclass(frozen=True)
class Opaque:
    """A value that is not plain data (an object of some type), described by its type name."""

    type_name: str


@dataclass(frozen=True)
class PathValue:
    """A ``pathlib`` path, kept apart from strings so a list of paths is not a list of str."""

    text: str


@dataclass(frozen=True)
class Array:
    """A tensor or array: its dtype, its values, and whether it was a torch tensor."""

    values: np.ndarray
    torch: bool
    requires_grad: bool = False

    @property
    def dtype(self) -> str:
        return str(self.values.dtype)


# ------------------------------------------------------------------ kernel side (encode)


def _type_name(value: object) -> str:
    cls = type(value)
    return f"{cls.__module__}.{cls.__qualname__}"[:120]


def _encode_array(array: np.ndarray, is_torch: bool, grad: bool) -> dict:
    dtype = str(array.dtype)
    if dtype not in ALLOWED_DTYPES:
        return {"t": "opaque", "type": f"array of {dtype}"[:120]}
    data = np.ascontiguousarray(array).tobytes()
    if len(data) > MAX_BYTES:
        raise WireError(f"a tensor of {len(data)} bytes is too large to send")
    return {"t": "array", "dtype": dtype, "shape": list(array.shape), "torch": is_torch,
            "grad": grad, "b64": base64.b64encode(data).decode("ascii")}


def to_plain(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON-ready plain data (runs in the kernel; exact types only)."""
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    cls = type(value)
    if value is None or cls in (bool, str):
        return value
    if cls is int:
        return value if abs(value) < 2**63 else {"t": "opaque", "type": "huge int"}
    if cls is float:
        return value if math.isfinite(value) else {"t": "float", "v": repr(value)}
    if cls.__module__ == "numpy" and isinstance(value, np.generic):
        return _encode_array(np.asarray(value), False, False)
    if cls is np.ndarray:
        return _encode_array(value, False, False)
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency
        torch = None
    if torch is not None and isinstance(value, torch.Tensor):
        grad = bool(value.requires_grad)
        plain = torch.Tensor.detach(value)
        if plain.dtype == torch.bfloat16:
            return {"t": "opaque", "type": "tensor of bfloat16"}
        plain = torch.Tensor.cpu(plain)
        return _encode_array(torch.Tensor.numpy(plain.contiguous()), True, grad)
    import pathlib

    if isinstance(value, pathlib.PurePath) and cls.__module__ == "pathlib":
        return {"t": "path", "s": str(value)}
    if cls in (list, tuple):
        if len(value) > MAX_ITEMS:
            raise WireError("list too long to send")
        return {"t": cls.__name__, "v": [to_plain(v, depth + 1) for v in value]}
    if cls is dict:
        if len(value) > MAX_ITEMS:
            raise WireError("dict too large to send")
        return {"t": "dict", "v": [[to_plain(k, depth + 1), to_plain(v, depth + 1)]
                                   for k, v in value.items()]}
    return {"t": "opaque", "type": _type_name(value)}


def encode(value: Any) -> str:
    """JSON text for ``value`` (see ``to_plain``)."""
    return json.dumps(to_plain(value), allow_nan=False)


# ------------------------------------------------------------------ grader side (decode)


def _decode_array(node: dict) -> Array:
    dtype = node.get("dtype")
    shape = node.get("shape")
    if dtype not in ALLOWED_DTYPES or not isinstance(shape, list) or not all(
            type(n) is int and 0 <= n < 2**31 for n in shape) or len(shape) > 8:
        raise WireError("malformed array")
    try:
        raw = base64.b64decode(str(node.get("b64", "")), validate=True)
    except ValueError as exc:   # binascii.Error: not base64
        raise WireError("malformed array bytes") from exc
    count = math.prod(shape) if shape else 1
    if len(raw) != count * np.dtype(dtype).itemsize:
        raise WireError("array bytes do not match its shape")
    values = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    return Array(values, bool(node.get("torch")), bool(node.get("grad")))


def from_plain(node: Any, depth: int = 0) -> Any:
    """Plain data back into values: str, int, float, bool, None, list, tuple, dict,
    ``Array``, ``PathValue`` or ``Opaque``."""
    if depth > MAX_DEPTH + 2:
        raise WireError("value nested too deeply")
    if type(node) is int and abs(node) >= 2**63:
        return Opaque("huge int")   # as ``to_plain`` sends it; int64 cannot hold it
    if node is None or type(node) in (bool, int, float, str):
        return node
    if type(node) is not dict:
        raise WireError("malformed value")
    kind = node.get("t")
    if kind == "array":
        return _decode_array(node)
    if kind == "float":
        text = node.get("v")
        if text not in ("nan", "inf", "-inf"):
            raise WireError("malformed float")
        return float(text)
    if kind == "path":
        return PathValue(str(node.get("s", "")))
    if kind in ("list", "tuple"):
        items = [from_plain(v, depth + 1) for v in _as_list(node.get("v"))]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        out = {}
        for pair in _as_list(node.get("v")):
            if type(pair) is not list or len(pair) != 2:
                raise WireError("malformed dict")
            key = from_plain(pair[0], depth + 1)
            try:
                out[key] = from_plain(pair[1], depth + 1)
            except TypeError as exc:   # unhashable key
                raise WireError("malformed dict key") from exc
        return out
    if kind == "opaque":
        return Opaque(str(node.get("type", "?"))[:120])
    raise WireError("unknown value kind")


def _as_list(value: Any) -> list:
    if type(value) is not list:
        raise WireError("malformed list")
    return value


def decode(text: str) -> Any:
    """The value encoded in ``text``; raises WireError for anything malformed."""
    if len(text) > 2 * MAX_BYTES:
        raise WireError("probe result too large")
    try:
        return from_plain(json.loads(text))
    except (ValueError, RecursionError) as exc:
        raise WireError(f"malformed probe result ({type(exc).__name__})") from exc
