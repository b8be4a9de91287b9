"""Importing a generated solutions/ module changes nothing global (issue: chapter 13 set
torch's default dtype, chapters 14-15 NumPy's print options)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import importlib.util, sys, warnings
import numpy as np, torch
import matplotlib
matplotlib.use("Agg")
# Libraries register warning filters when first imported: that is theirs, not ours.
import ipywidgets, matplotlib.pyplot, scipy.special, scipy.stats, sklearn.metrics  # noqa

def state():
    return {"torch default dtype": torch.get_default_dtype(),
            "numpy print options": np.get_printoptions(),
            "numpy error handling": np.geterr(),
            "torch threads": torch.get_num_threads(),
            "torch grad mode": torch.is_grad_enabled(),
            "warnings filters": len(warnings.filters),
            "matplotlib rcParams": dict(matplotlib.rcParams)}

changed = []
for path in sys.argv[1:]:
    before = state()
    spec = importlib.util.spec_from_file_location(path.rsplit("/", 1)[-1][:-3], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    after = state()
    changed += [f"{path.rsplit('/', 1)[-1]}: {key}" for key in before
                if before[key] != after[key]]
print("\n".join(changed))
"""


def test_importing_a_solutions_module_changes_no_global_state():
    modules = sorted(str(p) for p in (ROOT / "solutions").glob("ch*.py"))
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert not run.stdout.strip(), "importing changed global state:\n" + run.stdout
