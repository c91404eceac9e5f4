#!/usr/bin/env bash
# One entry point for people and CI:
#   ./run.sh demo   build the data, print the baseline, grade the example class
#   ./run.sh test   the whole test suite (pytest, nbval on every notebook, release check)
# Each verb first creates .venv and installs the project with the pinned constraints.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"
SHARED_MNIST="$(cd .. && pwd)/shared/data/mnist"
if [[ -z "${CH4_MNIST_DIR:-}" && -f "$SHARED_MNIST/train-images-idx3-ubyte.gz" ]]; then
    export CH4_MNIST_DIR="$SHARED_MNIST"
fi

install() {
    local stamp="$VENV/.ch4-installed"
    if [[ -f "$stamp" && "$stamp" -nt pyproject.toml && "$stamp" -nt constraints.txt ]]; then
        return
    fi
    [[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -c constraints.txt -e ".[dev]"
    touch "$stamp"
}

# Debian packages the tests start themselves (command they provide, package name).
SYSTEM_TOOLS=(
    "bwrap bubblewrap"
    "pg_createcluster postgresql"
    "chromium chromium"
)

sandbox_tools() {
    # Install what is missing where we may (CI runs as root); tests skip what stays missing.
    local entry cmd pkg missing=()
    for entry in "${SYSTEM_TOOLS[@]}"; do
        read -r cmd pkg <<<"$entry"
        command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
        apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null 2>&1 \
                 && apt-get install -y -qq "${missing[@]}" >/dev/null; } \
            || echo "warning: could not install ${missing[*]}; tests needing them will be skipped" >&2
    fi
}

case "${1:-}" in
    demo)
        install
        sandbox_tools
        "$VENV/bin/ch4" demo
        ;;
    test)
        install
        sandbox_tools
        "$VENV/bin/ch4" release --check
        # the tests, nbval included, train on the CPU even where a GPU is present
        CH4_DEVICE=cpu CUDA_VISIBLE_DEVICES= "$VENV/bin/python" -m pytest -p no:cacheprovider \
            --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg \
            tests solutions course
        ;;
    *)
        echo "usage: ./run.sh demo | ./run.sh test" >&2
        exit 2
        ;;
esac
