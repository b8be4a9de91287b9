"""Time each reference solution against its library twin, in one run.

    python -m workbook.bench [NAME ...]            (make bench: writes _build/ only)
    python -m workbook.bench --update [NAME ...]   (make bench-update: also the appendix)

Like is compared with like: a NumPy reference against SciPy / scikit-learn where
they have the operation, otherwise against the torch built-in; a PyTorch
reference against the torch built-in. Everything runs on ONE thread (torch,
BLAS and OpenMP alike), so a ratio measures the algorithm, not the core count. Each timing is the
median of >= 5 repeats after a warm-up. Prints a table and writes
_build/bench/results.json; with --update also appendix/bench_results.json (the
copy the book's appendix shows; commit it). Benchmarks are never tests: nothing asserts a time.
"""

import importlib.util
import json
import statistics
import sys
import timeit
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "bench" / "results.json"  # every run
PUBLISHED = ROOT / "appendix" / "bench_results.json"  # only with --update
REPEATS = 7
CASES = []


def solutions(stem):
    """Import solutions/<stem>.py (the generated reference module)."""
    spec = importlib.util.spec_from_file_location(stem, ROOT / "solutions" / f"{stem}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def case(name, size):
    """Register a benchmark: the function returns (reference, twin, twin name)."""

    def register(build):
        CASES.append((name, size, build))
        return build

    return register


def median_seconds(fn):
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()  # warm-up, and calls per sample >= 0.2 s
    number = max(1, number // 4)
    return statistics.median(t / number for t in timer.repeat(REPEATS, number))


def rng_array(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def as_torch(*arrays):
    return [torch.from_numpy(np.ascontiguousarray(a)) for a in arrays]


@case("softmax", "float64 (4096, 1000), last axis")
def _softmax():
    import scipy.special

    ref = solutions("ch05_activations").softmax
    x = rng_array(4096, 1000)
    return (lambda: ref(x)), (lambda: scipy.special.softmax(x, axis=-1)), "scipy.special.softmax"


@case("log_softmax", "float64 (4096, 1000), last axis")
def _log_softmax():
    import scipy.special

    ref = solutions("ch05_activations").log_softmax
    x = rng_array(4096, 1000)
    return (
        (lambda: ref(x)),
        (lambda: scipy.special.log_softmax(x, axis=-1)),
        "scipy.special.log_softmax",
    )


@case("cross_entropy", "float64 logits (4096, 1000), mean")
def _cross_entropy():
    ref = solutions("ch04_losses").cross_entropy
    x = rng_array(4096, 1000)
    y = np.random.default_rng(1).integers(0, 1000, 4096)
    t, ty = as_torch(x, y)  # no NumPy/SciPy twin: torch on the same threads
    return (lambda: ref(x, y)), (lambda: F.cross_entropy(t, ty)), "F.cross_entropy"


@case("layer_norm", "float64 (64, 128, 512), last axis")
def _layer_norm():
    ref = solutions("ch09_normalization").layer_norm
    x, g, b = rng_array(64, 128, 512), np.ones(512), np.zeros(512)
    t, tg, tb = as_torch(x, g, b)
    return (lambda: ref(x, g, b)), (lambda: F.layer_norm(t, (512,), tg, tb)), "F.layer_norm"


@case("batch_norm", "float64 (4096, 512), training mode")
def _batch_norm():
    ref = solutions("ch09_normalization").batch_norm_train
    x, g, b = rng_array(4096, 512), np.ones(512), np.zeros(512)
    t, tg, tb = as_torch(x, g, b)
    return (
        (lambda: ref(x, g, b)),
        (lambda: F.batch_norm(t, None, None, tg, tb, training=True)),
        "F.batch_norm",
    )


@case("conv2d", "float64 x (8, 16, 64, 64), w (32, 16, 3, 3), padding 1")
def _conv2d():
    ref = solutions("ch10_cnn").conv2d
    x, w, b = rng_array(8, 16, 64, 64), rng_array(32, 16, 3, 3, seed=1), rng_array(32, seed=2)
    t, tw, tb = as_torch(x, w, b)
    return (lambda: ref(x, w, b, padding=1)), (lambda: F.conv2d(t, tw, tb, padding=1)), "F.conv2d"


@case("max_pool2d", "float64 (8, 32, 64, 64), k=2, s=2")
def _max_pool():
    ref = solutions("ch10_cnn").max_pool2d
    x = rng_array(8, 32, 64, 64)
    (t,) = as_torch(x)
    return (lambda: ref(x, 2, 2)), (lambda: F.max_pool2d(t, 2, 2)), "F.max_pool2d"


@case("scaled_dot_product_attention", "float64 torch (8, 512, 64), no mask")
def _sdpa():
    ref = solutions("ch12_attention").scaled_dot_product_attention_torch
    q, k, v = as_torch(
        rng_array(8, 512, 64), rng_array(8, 512, 64, seed=1), rng_array(8, 512, 64, seed=2)
    )
    return (
        (lambda: ref(q, k, v)),
        (lambda: F.scaled_dot_product_attention(q, k, v)),
        "F.scaled_dot_product_attention",
    )


@case("lstm_forward", "float64 T=50, B=32, in=64, hidden=128")
def _lstm():
    ref = solutions("ch11_rnn").lstm_forward
    lstm = torch.nn.LSTM(64, 128).double()
    x = rng_array(50, 32, 64)
    W = torch.cat([lstm.weight_ih_l0, lstm.weight_hh_l0], 1).detach().numpy()
    b = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().numpy()
    (t,) = as_torch(x)

    def twin():
        with torch.no_grad():
            return lstm(t)

    return (lambda: ref(x, None, None, W, b)), twin, "nn.LSTM (no grad)"


@case("kmeans_iteration", "float64 X (20000, 16), k=32, one Lloyd iteration")
def _kmeans():
    from sklearn.cluster import KMeans

    ref = solutions("ch13_classic_ml").kmeans
    X = rng_array(20000, 16)
    C0 = X[:32].copy()
    twin = KMeans(32, init=C0, n_init=1, max_iter=1, algorithm="lloyd")
    return (lambda: ref(X, 32, n_iter=1, init=C0)), (lambda: twin.fit(X)), "sklearn KMeans"


@case("knn_search", "float64 db (20000, 64), 500 queries, k=10, l2")
def _knn():
    from sklearn.neighbors import NearestNeighbors

    ref = solutions("ch15_similarity_search").knn_search
    db, q = rng_array(20000, 64), rng_array(500, 64, seed=1)
    nn_ = NearestNeighbors(n_neighbors=10, algorithm="brute").fit(db)
    return (lambda: ref(db, q, 10)), (lambda: nn_.kneighbors(q)), "sklearn NearestNeighbors(brute)"


@case("pca", "float64 X (5000, 100), 10 components, fit + transform")
def _pca():
    from sklearn.decomposition import PCA as SkPCA

    ref = solutions("ch13_classic_ml").PCA
    X = rng_array(5000, 100)
    return (
        (lambda: ref(10).fit(X).transform(X)),
        (lambda: SkPCA(10, svd_solver="covariance_eigh").fit_transform(X)),
        "sklearn PCA",
    )


@case("roc_auc", "float64 scores, 10^6 samples")
def _auc():
    from sklearn.metrics import roc_auc_score

    ref = solutions("ch14_metrics").roc_auc_rank
    gen = np.random.default_rng(0)
    y = gen.integers(0, 2, 10**6)
    s = gen.standard_normal(10**6) + y
    return (lambda: ref(y, s)), (lambda: roc_auc_score(y, s)), "sklearn roc_auc_score"


@case("box_iou_matrix", "float64 1000 x 1000 boxes")
def _iou():
    ref = solutions("ch14_metrics").box_iou_matrix
    gen = np.random.default_rng(0)
    xy = gen.uniform(0, 100, (2000, 2))
    boxes = np.hstack([xy, xy + gen.uniform(1, 30, (2000, 2))])
    A, B = boxes[:1000], boxes[1000:]
    tA, tB = as_torch(A, B)

    def twin():  # torchvision.ops.box_iou has no CPU wheel here: same maths in torch
        lt = torch.maximum(tA[:, None, :2], tB[None, :, :2])
        rb = torch.minimum(tA[:, None, 2:], tB[None, :, 2:])
        inter = (rb - lt).clamp(min=0).prod(-1)
        area = lambda z: (z[:, 2] - z[:, 0]) * (z[:, 3] - z[:, 1])  # noqa: E731
        return inter / (area(tA)[:, None] + area(tB)[None, :] - inter)

    return (lambda: ref(A, B)), twin, "torch broadcasting (torchvision absent)"


@case("adam_step", "float64 parameter of 10^6 values, one step")
def _adam():
    def parameter():
        p = torch.from_numpy(rng_array(10**6)).requires_grad_()
        p.grad = torch.from_numpy(rng_array(10**6, seed=1))
        return p

    ours = solutions("ch06_optimizers").Adam([parameter()], lr=1e-3)
    theirs = torch.optim.Adam([parameter()], lr=1e-3)
    return ours.step, theirs.step, "torch.optim.Adam"


@case("conv2d_backward", "float64 x (8, 16, 32, 32), w (32, 16, 3, 3), padding 1")
def _conv2d_backward():
    ref = solutions("ch10_cnn").conv2d_backward
    x, w = rng_array(8, 16, 32, 32), rng_array(32, 16, 3, 3, seed=1)
    dout = rng_array(8, 32, 32, 32, seed=2)
    t, tw, td = as_torch(x, w, dout)
    t.requires_grad_(True)
    tw.requires_grad_(True)
    out = F.conv2d(t, tw, padding=1)  # the forward is not timed, only the backward
    return (
        (lambda: ref(dout, x, w, padding=1)),
        (lambda: torch.autograd.grad(out, (t, tw), td, retain_graph=True)),
        "autograd of F.conv2d",
    )


@case("gru_cell_forward", "float64 B=256, in=256, hidden=512")
def _gru_cell():
    ref = solutions("ch11_rnn").gru_cell_forward
    cell = torch.nn.GRUCell(256, 512, dtype=torch.float64)
    x, h = rng_array(256, 256), rng_array(256, 512, seed=1)
    params = [
        p.detach().numpy() for p in (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    ]
    xt, ht = as_torch(x, h)

    def builtin():
        with torch.no_grad():
            cell(xt, ht)

    return (lambda: ref(x, h, *params)), builtin, "nn.GRUCell"


@case("rnn_backward", "float64 T=50, B=32, in=64, hidden=128, gradient on every output")
def _rnn_backward():
    ref = solutions("ch11_rnn").rnn_backward
    T, B, n_in, H = 50, 32, 64, 128
    x, h0 = rng_array(T, B, n_in), rng_array(1, B, H, seed=1)
    wx, wh = 0.1 * rng_array(n_in, H, seed=2), 0.1 * rng_array(H, H, seed=3)
    b, dout = rng_array(H, seed=4), rng_array(T, B, H, seed=5)
    rnn = torch.nn.RNN(n_in, H, dtype=torch.float64)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(wx).T)
        rnn.weight_hh_l0.copy_(torch.from_numpy(wh).T)
        rnn.bias_ih_l0.copy_(torch.from_numpy(b))
        rnn.bias_hh_l0.zero_()
    xt, h0t, doutt = as_torch(x, h0, dout)

    def autograd():  # forward + backward: what a training step pays for these gradients
        xg, hg = xt.clone().requires_grad_(), h0t.clone().requires_grad_()
        out, _ = rnn(xg, hg)
        torch.autograd.grad((out * doutt).sum(), [xg, hg, *rnn.parameters()])

    return (lambda: ref(x, h0, wx, wh, b, dout)), autograd, "autograd of nn.RNN"


@case("knn_search_torch", "float64 torch db (20000, 64), 500 queries, k=10, l2")
def _knn_torch():
    ref = solutions("ch15_similarity_search").knn_search_torch
    db, q = as_torch(rng_array(20000, 64), rng_array(500, 64, seed=1))
    return (
        (lambda: ref(db, q, 10)),
        (lambda: torch.topk(torch.cdist(q, db), 10, dim=1, largest=False)),
        "torch.cdist + torch.topk",
    )


@case("decision_tree_fit", "float64 X (5000, 10), 3 classes, max_depth=8, gini")
def _decision_tree_fit():
    from sklearn.tree import DecisionTreeClassifier as SkTree

    ref = solutions("ch13_classic_ml").DecisionTreeClassifier
    X = rng_array(5000, 10)
    y = np.digitize(X[:, 0] + np.sin(2 * X[:, 1]) + 0.5 * rng_array(5000, seed=1), [-0.5, 0.5])
    return (
        (lambda: ref(max_depth=8).fit(X, y)),
        (lambda: SkTree(max_depth=8, random_state=0).fit(X, y)),
        "sklearn DecisionTreeClassifier",
    )


@case("gradient_boosting_fit", "float64 X (2000, 5), 100 trees of depth 3, lr 0.1")
def _gradient_boosting_fit():
    from sklearn.ensemble import GradientBoostingRegressor as SkGB

    ref = solutions("ch13_classic_ml").GradientBoostingRegressor
    X = rng_array(2000, 5)
    y = 2 * np.sin(X[:, 0]) + X[:, 1] ** 2 + 0.3 * rng_array(2000, seed=1)
    return (
        (lambda: ref(n_estimators=100, learning_rate=0.1, max_depth=3).fit(X, y)),
        (lambda: SkGB(n_estimators=100, learning_rate=0.1, max_depth=3, random_state=0).fit(X, y)),
        "sklearn GradientBoostingRegressor",
    )


@case("average_precision", "float64 scores, 10^6 samples, 1% positives")
def _average_precision():
    from sklearn.metrics import average_precision_score

    ref = solutions("ch14_metrics").average_precision
    gen = np.random.default_rng(0)
    y = (gen.random(10**6) < 0.01).astype(int)
    s = gen.standard_normal(10**6) + 2.0 * y
    return (
        (lambda: ref(y, s)),
        (lambda: average_precision_score(y, s)),
        "sklearn average_precision_score",
    )


# --- chapters 16-21 -------------------------------------------------------------


@case("rms_norm", "float64 (64, 128, 512), last axis")
def _rms_norm():
    ref = solutions("ch16_transformer_blocks").rms_norm
    x, w = rng_array(64, 128, 512), rng_array(512, seed=1)
    t, tw = as_torch(x, w)
    return (
        (lambda: ref(x, w, eps=1e-6)),
        (lambda: F.rms_norm(t, (512,), tw, eps=1e-6)),
        "F.rms_norm",
    )


@case("grouped_query_attention", "float64 Q (2, 16, 256, 64), K/V 4 heads, causal mask")
def _gqa():
    ref = solutions("ch16_transformer_blocks").grouped_query_attention
    q, k, v = as_torch(
        rng_array(2, 16, 256, 64),
        rng_array(2, 4, 256, 64, seed=1),
        rng_array(2, 4, 256, 64, seed=2),
    )
    mask = torch.ones(256, 256, dtype=torch.bool).tril()
    return (
        (lambda: ref(q, k, v, mask)),
        (lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True)),
        "F.scaled_dot_product_attention(enable_gqa)",
    )


@case("sequence_log_prob", "float64 logits (32, 256, 1000), per-sequence sum")
def _sequence_log_prob():
    ref = solutions("ch17_decoding").sequence_log_prob
    (logits,) = as_torch(rng_array(32, 256, 1000))
    tokens = torch.from_numpy(np.random.default_rng(1).integers(0, 1000, (32, 256)))

    def twin():
        return -F.cross_entropy(logits.transpose(1, 2), tokens, reduction="none").sum(-1)

    return (lambda: ref(logits, tokens)), twin, "F.cross_entropy(reduction='none')"


@case("wordpiece_tokenize", "2,000 words of 3-12 letters, vocabulary of 400 pieces")
def _wordpiece():
    from tokenizers import models

    ref = solutions("ch18_tokenization").wordpiece_tokenize
    rng = np.random.default_rng(0)
    letters = list("abcdefgh")
    vocab = set(letters) | {"##" + c for c in letters} | {"[UNK]"}
    while len(vocab) < 400:
        piece = "".join(rng.choice(letters, size=rng.integers(2, 6)))
        vocab.add(piece if rng.random() < 0.5 else "##" + piece)
    words = ["".join(rng.choice(letters, size=rng.integers(3, 13))) for _ in range(2000)]
    model = models.WordPiece(vocab={t: i for i, t in enumerate(sorted(vocab))}, unk_token="[UNK]")
    return (
        (lambda: [ref(w, vocab) for w in words]),
        (lambda: [model.tokenize(w) for w in words]),
        "tokenizers.models.WordPiece",
    )


@case("clip_grad_norm_", "float64, 64 gradients of (256, 256), max_norm 1.0")
def _clip_grad_norm():
    ref = solutions("ch19_fine_tuning").clip_grad_norm_torch

    def params():
        ps = [torch.zeros(256, 256, dtype=torch.float64, requires_grad=True) for _ in range(64)]
        for i, p in enumerate(ps):
            p.grad = torch.from_numpy(rng_array(256, 256, seed=i))
        return ps

    ours, theirs = params(), params()
    return (
        (lambda: ref(ours, 1.0)),
        (lambda: torch.nn.utils.clip_grad_norm_(theirs, 1.0)),
        "torch.nn.utils.clip_grad_norm_",
    )


@case("fake_quantize_per_channel", "float64 (4096, 1024), int8 symmetric, axis 0")
def _quantize_per_channel():
    ch = solutions("ch19_fine_tuning")
    w = rng_array(4096, 1024)
    (t,) = as_torch(w)
    zero = torch.zeros(4096, dtype=torch.int32)

    def twin():  # the scale from the row maxima, then one fused kernel
        scale = (t.abs().amax(dim=1) / 127).float()
        return torch.fake_quantize_per_channel_affine(t, scale, zero, 0, -127, 127)

    return (
        (lambda: ch.dequantize(*ch.quantize_symmetric(w, 8, axis=0))),
        twin,
        "torch.fake_quantize_per_channel_affine",
    )


@case("sequence_logps", "float64 logits (8, 256, 2048), 3/4 of positions counted")
def _sequence_logps():
    ref = solutions("ch20_rl_alignment").sequence_logps
    (logits,) = as_torch(rng_array(8, 256, 2048))
    labels = torch.randint(0, 2048, (8, 256), generator=torch.Generator().manual_seed(1))
    mask = torch.arange(256).expand(8, 256) >= 64  # a 64-token prompt, then the answer
    targets = labels.masked_fill(~mask, -100)

    def twin():
        return -F.cross_entropy(
            logits.transpose(1, 2), targets, ignore_index=-100, reduction="none"
        ).sum(1)

    return (lambda: ref(logits, labels, mask)), twin, "F.cross_entropy(ignore_index)"


@case("tiled_attention", "float32 (8, 1024, 64), block_size 128")
def _tiled_attention():
    ref = solutions("ch21_efficient_attention").tiled_attention
    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(8, 1024, 64, generator=g) for _ in range(3))
    return (
        (lambda: ref(q, k, v, block_size=128)),
        (lambda: F.scaled_dot_product_attention(q, k, v)),
        "F.scaled_dot_product_attention",
    )


@case("online_softmax", "float64 (4096, 1000), block_size 128, last axis")
def _online_softmax():
    import scipy.special

    ref = solutions("ch21_efficient_attention").online_softmax
    x = rng_array(4096, 1000)
    return (
        (lambda: ref(x, 128)),
        (lambda: scipy.special.softmax(x, axis=-1)),
        "scipy.special.softmax",
    )


def run(names=None):
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(1)  # BLAS and OpenMP (NumPy, SciPy, scikit-learn)
    results = {}
    print(f"{'benchmark':<30} {'input':<55} {'reference':>11} {'library':>11} {'ratio':>6}  twin")
    for name, size, build in CASES:
        if names and name not in names:
            continue
        reference, twin, twin_name = build()
        ref_s, lib_s = median_seconds(reference), median_seconds(twin)
        results[name] = {
            "input": size,
            "reference_s": ref_s,
            "library_s": lib_s,
            "ratio": ref_s / lib_s,
            "library": twin_name,
        }
        print(
            f"{name:<30} {size:<55} {ref_s * 1e3:>9.2f}ms {lib_s * 1e3:>9.2f}ms "
            f"{ref_s / lib_s:>6.2f}  {twin_name}",
            flush=True,
        )
    return results


def outputs(update):
    """Where a run writes: _build/ always; the appendix's copy only when asked."""
    return [OUT, PUBLISHED] if update else [OUT]


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    update = "--update" in args
    names = [a for a in args if a != "--update"] or None
    results = run(names)
    meta = {
        "torch_threads": torch.get_num_threads(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "machine": machine(),
    }
    for path in outputs(update):
        path.parent.mkdir(parents=True, exist_ok=True)
        merged = dict(results)
        if names and path.exists():  # a partial run updates its cases, keeps the others
            kept = json.loads(path.read_text())
            kept.pop("_meta", None)
            merged = {**kept, **results}
        path.write_text(json.dumps({"_meta": meta, **merged}, indent=1) + "\n")
    print(f"wrote {', '.join(str(p.relative_to(ROOT)) for p in outputs(update))}")
    if not update:
        print("(appendix/bench_results.json unchanged: `make bench-update` refreshes it)")
    return 0


def machine():
    """The processor and core count, for the appendix."""
    import os
    import platform

    name = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{name}, {os.cpu_count()} cores (1 used)"


if __name__ == "__main__":
    sys.exit(main())
