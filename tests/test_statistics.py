"""Statistical facts that chapter 8's tests check hold on every seed, not only the one used.

Issue 16, class 5: where an exercise teaches a statistical fact (He vs Xavier variance through
depth, the moments of an initialiser), a correct answer must pass the chapter's tests whatever
its random draws. These tests run the generated reference module solutions/ch08_initialization.py
over 50 seeds and check, on every seed, the bound that the chapter's tests cell checks on one.
"""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
SEEDS = range(50)


@pytest.fixture(scope="module")
def ch08():
    path = ROOT / "solutions" / "ch08_initialization.py"
    spec = importlib.util.spec_from_file_location("ch08_initialization_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def failures(check, seeds=SEEDS):
    """The seeds on which check(seed) returns a message, as 'seed: message' lines."""
    bad = []
    for seed in seeds:
        message = check(seed)
        if message:
            bad.append(f"seed {seed}: {message}")
    return bad


def normal_init(std):
    return lambda fan_in, fan_out, rng: rng.normal(0.0, std, size=(fan_in, fan_out))


def test_depth_regimes_hold_on_every_seed(ch08):
    """8.4: He + ReLU stays flat, std 0.01 vanishes, std 1.0 explodes, Xavier + tanh is bounded."""
    small, large = normal_init(0.01), normal_init(1.0)

    def check(seed):
        s = np.array(ch08.activation_stats(ch08.he_normal, "relu", seed=seed))  # width 512
        if not (len(s) == 20 and (s.max() / s.min()) ** 2 < 10):
            return f"He + ReLU second moment ratio {(s.max() / s.min()) ** 2:.3g} (bound 10)"
        s = ch08.activation_stats(small, "relu", width=128, seed=seed)
        if not s[-1] < 1e-10:
            return f"std 0.01 + ReLU ended at {s[-1]:.3g} (bound 1e-10)"
        s = ch08.activation_stats(large, "relu", width=128, seed=seed)
        if not s[-1] > 1e10:
            return f"std 1.0 + ReLU ended at {s[-1]:.3g} (bound 1e10)"
        s = np.array(ch08.activation_stats(ch08.xavier_normal, "tanh", width=128, seed=seed))
        if not (s.min() > 0.05 and s.max() < 1):
            return f"Xavier + tanh stds {s.min():.3g}..{s.max():.3g} (bounds 0.05, 1)"
        return None

    bad = failures(check)
    assert not bad, "\n".join(bad)


def _moments(W):
    W = np.asarray(W, dtype=np.float64)
    W2 = W * W
    m2 = float(W2.mean())
    return float(W.mean()), m2, float((W2 * W2).mean()) / m2**2


def test_initialiser_moments_hold_on_every_seed(ch08):
    """8.1-8.3: second moment within 2% of the target, mean within 5 s.e., kurtosis within 0.1.

    The normal initialisers differ only in scale, so the bounds (relative to the target) are
    hardest for the fewest draws: he_normal's 256 x 1024 (2% is 7 standard errors there;
    xavier_normal's 1000 x 600 and lecun_normal's 1000 x 500 have more than 10). The uniform one
    and the two PyTorch twins are checked at the chapter's own size, 1000 x 600.
    """
    cases = [  # (name, draw(seed) -> W, target second moment, kurtosis)
        (
            "xavier_uniform",
            lambda s: ch08.xavier_uniform(1000, 600, np.random.default_rng(s)),
            2 / 1600,
            1.8,
        ),
        (
            "xavier_uniform_torch",
            lambda s: ch08.xavier_uniform_torch(
                1000, 600, generator=torch.Generator().manual_seed(s)
            ).numpy(),
            2 / 1600,
            1.8,
        ),
        (
            "xavier_normal_torch",
            lambda s: ch08.xavier_normal_torch(
                1000, 600, generator=torch.Generator().manual_seed(s)
            ).numpy(),
            2 / 1600,
            3.0,
        ),
        ("he_normal", lambda s: ch08.he_normal(256, 1024, np.random.default_rng(s)), 2 / 256, 3.0),
    ]
    for name, draw, target, kurtosis in cases:

        def check(seed, draw=draw, target=target, kurtosis=kurtosis):
            W = draw(seed)
            mean, m2, k = _moments(W)
            if abs(m2 / target - 1) >= 0.02:
                return f"second moment {m2:.6g}, target {target:.6g} (2%)"
            if abs(mean) >= 5 * math.sqrt(target / W.size):
                return f"mean {mean:.3g} beyond 5 standard errors"
            if abs(k - kurtosis) >= 0.1:
                return f"kurtosis {k:.3f}, expected {kurtosis} +- 0.1"
            if kurtosis < 2:  # uniform: inside the bound and reaching both ends
                bound = math.sqrt(3 * target)
                if not (
                    np.abs(W).max() <= bound * (1 + 1e-6)
                    and W.max() > 0.999 * bound
                    and W.min() < -0.999 * bound
                ):
                    return f"range {W.min():.6g}..{W.max():.6g}, bound {bound:.6g}"
            return None

        bad = failures(check)
        assert not bad, f"{name}:\n" + "\n".join(bad)
