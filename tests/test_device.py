"""Device choice: notebooks train on a GPU when there is one; checks and grading stay on the CPU.

There is no GPU on the machines this suite runs on, so the accelerator paths of the picker are
tested by telling it (through monkeypatch) what PyTorch would say; the notebooks themselves run
on the CPU only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
import torch
from harness import SOLUTIONS, environment

from autograder import device as dev
from autograder.execute import CellResult, RunResult

TRAINING = ("05_minibatches_and_training_loop", "06_optimizer_and_learner",
            "07_nonlinearity_and_resnet", "09_your_own_learner", "10_full_mnist")
TRAINING_CALL = re.compile(r"\.fit\(|fit_one_cycle\(|\btrain_epoch\(|\bfit\(")
PICK_CALL = re.compile(r"\bpick_device\(\)")


def _no_accelerator(monkeypatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)


def _code(path: Path) -> list[str]:
    return [c["source"] for c in json.loads(path.read_text())["cells"]
            if c["cell_type"] == "code"]


# ------------------------------------------------------------------ the picker


def test_picker_chooses_the_cpu_when_no_accelerator_is_present(monkeypatch):
    _no_accelerator(monkeypatch)
    monkeypatch.delenv(dev.ENV_DEVICE, raising=False)
    assert dev.choose_device() == torch.device("cpu")


def test_picker_chooses_cuda_when_torch_reports_it(monkeypatch):
    _no_accelerator(monkeypatch)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.delenv(dev.ENV_DEVICE, raising=False)
    assert dev.choose_device().type == "cuda"


def test_picker_chooses_mps_when_torch_reports_it_and_there_is_no_cuda(monkeypatch):
    _no_accelerator(monkeypatch)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    monkeypatch.delenv(dev.ENV_DEVICE, raising=False)
    assert dev.choose_device().type == "mps"


@pytest.mark.parametrize("value", ["cpu", "CPU", " cpu "])
def test_ch4_device_cpu_forces_the_cpu_even_with_a_gpu_present(monkeypatch, value):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    monkeypatch.setenv(dev.ENV_DEVICE, value)
    assert dev.choose_device() == torch.device("cpu")


def test_an_unknown_ch4_device_is_refused_with_the_choices_named(monkeypatch):
    monkeypatch.setenv(dev.ENV_DEVICE, "tpu")
    with pytest.raises(dev.DeviceError, match=r"CH4_DEVICE='tpu'.*auto, cpu, cuda, mps"):
        dev.choose_device()


@pytest.mark.parametrize("name, words", [("cuda", "no CUDA GPU"), ("mps", "no Apple GPU")])
def test_forcing_an_absent_gpu_is_an_error_not_a_silent_fallback(monkeypatch, name, words):
    _no_accelerator(monkeypatch)
    with pytest.raises(dev.DeviceError, match=words):
        dev.choose_device(name)


def test_pick_device_prints_exactly_one_line_naming_the_cpu(monkeypatch, capsys):
    _no_accelerator(monkeypatch)
    monkeypatch.delenv(dev.ENV_DEVICE, raising=False)
    assert dev.pick_device() == torch.device("cpu")
    captured = capsys.readouterr()
    assert captured.out == "Training on: cpu\n"
    assert captured.err == ""


def test_pick_device_names_the_gpu_model_in_its_one_line(monkeypatch, capsys):
    _no_accelerator(monkeypatch)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda device=None: "NVIDIA Test GPU")
    monkeypatch.delenv(dev.ENV_DEVICE, raising=False)
    assert dev.pick_device().type == "cuda"
    assert capsys.readouterr().out == "Training on: cuda (NVIDIA Test GPU)\n"


def test_pick_device_says_mps_in_its_one_line(monkeypatch, capsys):
    _no_accelerator(monkeypatch)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    monkeypatch.delenv(dev.ENV_DEVICE, raising=False)
    dev.pick_device()
    assert capsys.readouterr().out == "Training on: mps (Apple GPU)\n"


# ------------------------------------------------------------------ ch4 check and grading


def _fake_run(seen: dict):
    def run(nb, cwd, env=None, **_kwargs):
        seen["env"] = dict(env or {})
        return RunResult(nb, [CellResult(i) for i in range(len(nb.cells))])
    return run


def test_ch4_check_starts_its_kernel_on_the_cpu_only(monkeypatch):
    from autograder import check

    seen: dict = {}
    monkeypatch.setattr(check, "run", _fake_run(seen))
    monkeypatch.setenv(dev.ENV_DEVICE, "cuda")           # the student's own setting loses
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    check.check_notebook(SOLUTIONS / "05_minibatches_and_training_loop.ipynb")
    assert seen["env"][dev.ENV_DEVICE] == "cpu"
    assert seen["env"]["CUDA_VISIBLE_DEVICES"] == ""


def _setenv_pairs(command: list[str]) -> dict[str, str]:
    return {command[i + 1]: command[i + 2] for i, arg in enumerate(command)
            if arg == "--setenv"}


def test_the_grading_sandbox_gives_the_kernel_the_cpu_only(monkeypatch, tmp_path):
    from autograder.grading import sandbox

    monkeypatch.setattr(sandbox, "bwrap_path", lambda: "/usr/bin/bwrap")
    monkeypatch.setenv(dev.ENV_DEVICE, "cuda")
    spec = sandbox.SandboxSpec(tmp_path, sandbox.Limits(),
                               extra_env={dev.ENV_DEVICE: "cuda", "CUDA_VISIBLE_DEVICES": "0"})
    env = _setenv_pairs(spec.command(["python", "-m", "ipykernel_launcher"]))
    assert env[dev.ENV_DEVICE] == "cpu"
    assert env["CUDA_VISIBLE_DEVICES"] == ""


def test_grading_without_the_sandbox_also_keeps_the_kernel_on_the_cpu(monkeypatch):
    from autograder.grading import worker
    from autograder.grading.sandbox import Limits

    seen: dict = {}
    monkeypatch.setattr(worker, "run", _fake_run(seen))
    monkeypatch.setenv(dev.ENV_DEVICE, "cuda")
    worker.execute_with_probes(nbformat.v4.new_notebook(), None, {}, Limits(), (), sandbox=False)
    assert seen["env"][dev.ENV_DEVICE] == "cpu"
    assert seen["env"]["CUDA_VISIBLE_DEVICES"] == ""


# ------------------------------------------------------------------ the notebooks


@pytest.mark.parametrize("stem", TRAINING)
def test_each_notebook_listed_as_training_does_run_a_training_loop(stem):
    assert any(TRAINING_CALL.search(src) for src in _code(SOLUTIONS / f"{stem}.ipynb"))


@pytest.mark.parametrize("stem", TRAINING)
def test_every_training_notebook_picks_its_device_once_in_the_setup_cell(stem):
    code = _code(SOLUTIONS / f"{stem}.ipynb")
    calls = [i for i, src in enumerate(code) for _ in PICK_CALL.finditer(src)]
    assert calls == [0], f"{stem}: pick_device() in code cells {calls}, not once in the first"
    assert "from autograder.device import pick_device" in code[0]


def test_notebooks_that_do_not_train_do_not_pick_a_device():
    for path in sorted(SOLUTIONS.glob("*.ipynb")):
        if path.stem not in TRAINING:
            assert not any(PICK_CALL.search(src) for src in _code(path)), path.name


def test_a_training_solution_gets_full_marks_from_ch4_check_even_when_asked_for_a_gpu(
        mnist_dir):
    """Asking for CUDA where there is none would stop the setup cell: full marks show that the
    check's kernel ignored the request and trained on the CPU."""
    from harness import assert_full_marks

    with environment(CH4_MNIST_DIR=str(mnist_dir), CH4_DEVICE="cuda"):
        assert_full_marks(SOLUTIONS / "05_minibatches_and_training_loop.ipynb")
