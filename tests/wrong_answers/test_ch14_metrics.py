"""Plausible wrong answers for chapter 14; each must make its item's tests cell raise."""

import warnings

import numpy as np
import torch
from harness import chapter_suite, wrong
from sklearn import metrics


# ---------------------------------------------------------------- 14.1
@wrong("14.1", "confusion_counts")
def confusion_counts_sklearn_order(y_true, y_pred):
    """Returns sklearn's ravel() order (tn, fp, fn, tp) instead of (tp, fp, fn, tn)."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    return (
        int(np.sum(~y_true & ~y_pred)),
        int(np.sum(~y_true & y_pred)),
        int(np.sum(y_true & ~y_pred)),
        int(np.sum(y_true & y_pred)),
    )


@wrong("14.1", "confusion_counts")
def confusion_counts_fp_fn_swapped(y_true, y_pred):
    """Calls a missed positive a false positive: FP and FN swapped."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    return (
        int(np.sum(y_true & y_pred)),
        int(np.sum(y_true & ~y_pred)),
        int(np.sum(~y_true & y_pred)),
        int(np.sum(~y_true & ~y_pred)),
    )


@wrong("14.1", "confusion_counts")
def confusion_counts_tp_is_agreement(y_true, y_pred):
    """Counts every correct prediction (including true negatives) as a true positive."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    return (
        int(np.sum(y_true == y_pred)),
        int(np.sum(~y_true & y_pred)),
        int(np.sum(y_true & ~y_pred)),
        int(np.sum(~y_true & ~y_pred)),
    )


@wrong("14.1", "confusion_counts")
def confusion_counts_no_labels(y_true, y_pred):
    """Uses confusion_matrix without labels=[0, 1]: a single-class input gives a 1x1 matrix."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns about the single label, then we crash
        tn, fp, fn, tp = metrics.confusion_matrix(y_true, y_pred).ravel()
    return int(tp), int(fp), int(fn), int(tn)


# ---------------------------------------------------------------- 14.2
@wrong("14.2", "precision_recall")
def precision_recall_nan_on_zero_division(y_true, y_pred, zero_division=0.0):
    """The notes' bug (D25): divides 0/0 and returns nan when nothing is predicted positive."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    tp = np.sum(y_true & y_pred)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(tp / np.sum(y_pred)), float(tp / np.sum(y_true))


@wrong("14.2", "precision_recall")
def precision_recall_swapped(y_true, y_pred, zero_division=0.0):
    """Divides by the actual positives for precision and by the predicted ones for recall."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    tp = np.sum(y_true & y_pred)
    p = tp / np.sum(y_true) if np.sum(y_true) else zero_division
    r = tp / np.sum(y_pred) if np.sum(y_pred) else zero_division
    return float(p), float(r)


@wrong("14.2", "precision_recall")
def precision_recall_epsilon(y_true, y_pred, zero_division=0.0):
    """Adds an epsilon to the denominators, so 0/0 is always 0 whatever zero_division says."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    tp = np.sum(y_true & y_pred)
    return float(tp / (np.sum(y_pred) + 1e-12)), float(tp / (np.sum(y_true) + 1e-12))


# ---------------------------------------------------------------- 14.3
@wrong("14.3", "tpr_fpr")
def tpr_fpr_strict_threshold(y_true, scores, threshold):
    """Uses score > threshold, so samples exactly on the threshold are predicted negative."""
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(scores) > threshold
    return (
        float(np.sum(y_pred & y_true) / np.sum(y_true)),
        float(np.sum(y_pred & ~y_true) / np.sum(~y_true)),
    )


@wrong("14.3", "tpr_fpr")
def tpr_fpr_fpr_over_all(y_true, scores, threshold):
    """Divides false positives by all n samples instead of by the negatives."""
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(scores) >= threshold
    return (
        float(np.sum(y_pred & y_true) / np.sum(y_true)),
        float(np.sum(y_pred & ~y_true) / len(y_true)),
    )


@wrong("14.3", "tpr_fpr")
def tpr_fpr_tpr_is_precision(y_true, scores, threshold):
    """Divides true positives by the predicted positives (precision), not the actual ones."""
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(scores) >= threshold
    n_pred = max(int(np.sum(y_pred)), 1)
    return (
        float(np.sum(y_pred & y_true) / n_pred),
        float(np.sum(y_pred & ~y_true) / np.sum(~y_true)),
    )


# ---------------------------------------------------------------- 14.4
@wrong("14.4", "roc_auc_rank")
def roc_auc_ties_as_wins(y_true, scores):
    """Counts a tie between a positive and a negative as a win (>=)."""
    y_true, scores = np.asarray(y_true).astype(bool), np.asarray(scores, dtype=float)
    return float(np.mean(scores[y_true][:, None] >= scores[~y_true][None, :]))


@wrong("14.4", "roc_auc_rank")
def roc_auc_ties_as_losses(y_true, scores):
    """Counts a tie between a positive and a negative as a loss (>)."""
    y_true, scores = np.asarray(y_true).astype(bool), np.asarray(scores, dtype=float)
    return float(np.mean(scores[y_true][:, None] > scores[~y_true][None, :]))


@wrong("14.4", "roc_auc_rank")
def roc_auc_ordinal_ranks(y_true, scores):
    """Ranks with argsort().argsort(): tied scores get different ranks, not their average."""
    y_true, scores = np.asarray(y_true).astype(bool), np.asarray(scores, dtype=float)
    ranks = np.argsort(np.argsort(scores, kind="stable"), kind="stable") + 1.0
    n_pos, n_neg = y_true.sum(), (~y_true).sum()
    return float((ranks[y_true].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@wrong("14.4", "roc_curve")
def roc_curve_one_point_per_sample(y_true, scores):
    """Adds a point per sample, so tied scores make a staircase instead of one step."""
    y_true, scores = np.asarray(y_true, dtype=float), np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    tps, fps = np.r_[0.0, np.cumsum(y_true[order])], np.r_[0.0, np.cumsum(1 - y_true[order])]
    return fps / fps[-1], tps / tps[-1], np.r_[np.inf, scores[order]]


@wrong("14.4", "roc_curve")
def roc_curve_no_origin(y_true, scores):
    """Forgets the (0, 0) point with threshold inf at the start of the curve."""
    y_true, scores = np.asarray(y_true, dtype=float), np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], y_true[order]
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tps, fps = np.cumsum(y)[last], np.cumsum(1 - y)[last]
    return fps / fps[-1], tps / tps[-1], s[last]


@wrong("14.4", "auc_trapezoid")
def auc_left_riemann(x, y):
    """A left Riemann sum: uses the left height of each interval instead of the mean."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.sum(np.diff(x) * y[:-1]))


@wrong("14.4", "auc_trapezoid")
def auc_trapezoid_swapped_axes(x, y):
    """Calls np.trapezoid(x, y): integrates x over y instead of y over x."""
    return float(np.trapezoid(np.asarray(x, dtype=float), np.asarray(y, dtype=float)))


# ---------------------------------------------------------------- 14.5
def _iou_parts(a, b, one, clamp=True):
    ax1, ay1, ax2, ay2 = (float(v) for v in a)
    bx1, by1, bx2, by2 = (float(v) for v in b)
    iw = min(ax2, bx2) - max(ax1, bx1) + one
    ih = min(ay2, by2) - max(ay1, by1) + one
    if clamp:
        iw, ih = max(iw, 0.0), max(ih, 0.0)
    return iw * ih, (ax2 - ax1 + one) * (ay2 - ay1 + one), (bx2 - bx1 + one) * (by2 - by1 + one)


@wrong("14.5", "box_iou")
def box_iou_no_clamp(a, b, inclusive=False):
    """Does not clamp negative overlaps: boxes disjoint in x and y get a positive intersection."""
    inter, area_a, area_b = _iou_parts(a, b, 1.0 if inclusive else 0.0, clamp=False)
    return inter / (area_a + area_b - inter)


@wrong("14.5", "box_iou")
def box_iou_ignores_inclusive(a, b, inclusive=False):
    """Never adds the +1 pixel, whatever `inclusive` says."""
    inter, area_a, area_b = _iou_parts(a, b, 0.0)
    return inter / (area_a + area_b - inter) if area_a + area_b - inter > 0 else 0.0


@wrong("14.5", "box_iou")
def box_iou_plus_one_only_in_intersection(a, b, inclusive=False):
    """Adds +1 to the intersection's width and height but not to the two areas."""
    one = 1.0 if inclusive else 0.0
    inter, _, _ = _iou_parts(a, b, one)
    _, area_a, area_b = _iou_parts(a, b, 0.0)
    return inter / (area_a + area_b - inter)


@wrong("14.5", "box_iou")
def box_iou_union_is_sum(a, b, inclusive=False):
    """Uses |a| + |b| as the union, counting the intersection twice."""
    inter, area_a, area_b = _iou_parts(a, b, 1.0 if inclusive else 0.0)
    return inter / (area_a + area_b)


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_no_clamp(A, B):
    """Multiplies the raw width and height differences without clamping them at 0."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    area_a = (A[:, 2] - A[:, 0]) * (A[:, 3] - A[:, 1])
    area_b = (B[:, 2] - B[:, 0]) * (B[:, 3] - B[:, 1])
    wh = np.minimum(A[:, None, 2:], B[None, :, 2:]) - np.maximum(A[:, None, :2], B[None, :, :2])
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area_a[:, None] + area_b[None, :] - inter)


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_transposed(A, B):
    """Broadcasts B against A, returning the (M, N) matrix instead of (N, M)."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    area_a = (A[:, 2] - A[:, 0]) * (A[:, 3] - A[:, 1])
    area_b = (B[:, 2] - B[:, 0]) * (B[:, 3] - B[:, 1])
    wh = np.clip(
        np.minimum(B[:, None, 2:], A[None, :, 2:]) - np.maximum(B[:, None, :2], A[None, :, :2]),
        0,
        None,
    )
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area_b[:, None] + area_a[None, :] - inter)


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_wrong_axis_area(A, B):
    """Computes areas with the coordinates paired wrongly: (x2 - y1) * (y2 - x1)."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    area_a = (A[:, 2] - A[:, 1]) * (A[:, 3] - A[:, 0])
    area_b = (B[:, 2] - B[:, 1]) * (B[:, 3] - B[:, 0])
    wh = np.clip(
        np.minimum(A[:, None, 2:], B[None, :, 2:]) - np.maximum(A[:, None, :2], B[None, :, :2]),
        0,
        None,
    )
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area_a[:, None] + area_b[None, :] - inter)


# ---------------------------------------------------------------- added for issue 16
@wrong("14.1", "confusion_counts")
def confusion_numpy_ints(y_true, y_pred):
    """Returns np.int64 counts from np.sum, not the Python ints the docstring promises."""
    t, p = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    return np.sum(t & p), np.sum(~t & p), np.sum(t & ~p), np.sum(~t & ~p)


@wrong("14.1", "confusion_counts")
def confusion_relabels_in_place(y_true, y_pred):
    """Recodes 0 as -1 in place (y[y == 0] = -1) to use products: the caller's labels change."""
    t, p = np.asarray(y_true), np.asarray(y_pred)
    if t.dtype != bool:
        t[t == 0] = -1
        p[p == 0] = -1
        tb, pb = t == 1, p == 1
    else:
        tb, pb = t, p
    return (
        int(np.sum(tb & pb)),
        int(np.sum(~tb & pb)),
        int(np.sum(tb & ~pb)),
        int(np.sum(~tb & ~pb)),
    )


@wrong("14.2", "precision_recall")
def precision_recall_recall_ignores_zero_division(y_true, y_pred, zero_division=0.0):
    """Uses zero_division for precision only; recall with no actual positives is always 0."""
    t, p = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    tp = int(np.sum(t & p))
    precision = tp / p.sum() if p.sum() else float(zero_division)
    recall = tp / t.sum() if t.sum() else 0.0
    return float(precision), float(recall)


@wrong("14.2", "precision_recall")
def precision_recall_binarises_in_place(y_true, y_pred, zero_division=0.0):
    """Binarises the predictions in place (y_pred[y_pred > 0] = 1, np.asarray shares memory)."""
    t, p = np.asarray(y_true), np.asarray(y_pred)
    p[:] = (p > 0) & (t >= 0)
    t[:] = t > 0
    tp = int(np.sum(t.astype(bool) & p.astype(bool)))
    npp, ntp = int(p.astype(bool).sum()), int(t.astype(bool).sum())
    precision = tp / npp if npp else float(zero_division)
    recall = tp / ntp if ntp else float(zero_division)
    if t.dtype != bool:
        t[t == 0] = -1  # "negative class is -1" for later use
    return float(precision), float(recall)


@wrong("14.3", "tpr_fpr")
def tpr_fpr_sklearn_order(y_true, scores, threshold):
    """Returns (fpr, tpr), the order of sklearn.metrics.roc_curve, instead of (tpr, fpr)."""
    t = np.asarray(y_true).astype(bool)
    p = np.asarray(scores) >= threshold
    return float((p & ~t).sum() / (~t).sum()), float((p & t).sum() / t.sum())


@wrong("14.3", "tpr_fpr")
def tpr_fpr_sorts_in_place(y_true, scores, threshold):
    """Sorts scores and labels in place (by score) before counting: the caller's arrays move."""
    s, y = np.asarray(scores), np.asarray(y_true)
    order = np.argsort(s, kind="stable")
    s[:] = s[order]
    y[:] = y[order]
    t = y.astype(bool)
    p = s >= threshold
    return float((p & t).sum() / t.sum()), float((p & ~t).sum() / (~t).sum())


@wrong("14.4", "roc_curve")
def roc_curve_sorts_in_place(y_true, scores):
    """Sorts the caller's scores and labels in place (descending) to build the curve."""
    s, y = np.asarray(scores), np.asarray(y_true)
    order = np.argsort(-s, kind="stable")
    s[:] = s[order]
    y[:] = y[order]
    tps, fps = np.cumsum(y), np.cumsum(1 - y)
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tps, fps = np.r_[0, tps[last]].astype(float), np.r_[0, fps[last]].astype(float)
    return fps / fps[-1], tps / tps[-1], np.r_[np.inf, s[last]]


@wrong("14.4", "auc_trapezoid")
def auc_trapezoid_no_half(x, y):
    """Forgets the 1/2 of the trapezoid: width times the SUM of the two heights."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1])))


@wrong("14.4", "roc_auc_rank")
def roc_auc_rank_descending(y_true, scores):
    """Ranks from the largest score (rank 1 = highest): returns 1 - AUC."""
    from scipy.stats import rankdata

    t = np.asarray(y_true).astype(bool)
    r = rankdata(-np.asarray(scores, float))
    n_pos, n_neg = t.sum(), (~t).sum()
    return float((r[t].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@wrong("14.4", "roc_auc_rank")
def roc_auc_rank_sorts_in_place(y_true, scores):
    """Sorts scores and labels in place before ranking: right value, caller's arrays reordered."""
    from scipy.stats import rankdata

    s, y = np.asarray(scores), np.asarray(y_true)
    order = np.argsort(s, kind="stable")
    s[:] = s[order]
    y[:] = y[order]
    t = y.astype(bool)
    r = rankdata(s)
    n_pos, n_neg = t.sum(), (~t).sum()
    return float((r[t].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@wrong("14.5", "box_iou")
def box_iou_no_zero_union_guard(a, b, inclusive=False):
    """Divides by the union unconditionally: two zero-area boxes raise ZeroDivisionError."""
    e = 1.0 if inclusive else 0.0
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]) + e)
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]) + e)
    inter = iw * ih
    union = (a[2] - a[0] + e) * (a[3] - a[1] + e) + (b[2] - b[0] + e) * (b[3] - b[1] + e) - inter
    return float(inter / union)


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_nan_on_zero_union(A, B):
    """Plain inter / union: a zero union gives nan (with a RuntimeWarning)."""
    A, B = np.asarray(A, float), np.asarray(B, float)
    area_a = (A[:, 2] - A[:, 0]) * (A[:, 3] - A[:, 1])
    area_b = (B[:, 2] - B[:, 0]) * (B[:, 3] - B[:, 1])
    wh = np.clip(
        np.minimum(A[:, None, 2:], B[None, :, 2:]) - np.maximum(A[:, None, :2], B[None, :, :2]),
        0,
        None,
    )
    inter = wh[..., 0] * wh[..., 1]
    with np.errstate(invalid="ignore"):
        return inter / (area_a[:, None] + area_b[None, :] - inter)


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_keeps_input_dtype(A, B):
    """Never converts to float64: float32 boxes give a float32 matrix, int boxes int zeros."""
    A, B = np.asarray(A), np.asarray(B)
    area_a = (A[:, 2] - A[:, 0]) * (A[:, 3] - A[:, 1])
    area_b = (B[:, 2] - B[:, 0]) * (B[:, 3] - B[:, 1])
    wh = np.clip(
        np.minimum(A[:, None, 2:], B[None, :, 2:]) - np.maximum(A[:, None, :2], B[None, :, :2]),
        0,
        None,
    )
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    out = np.zeros_like(inter)
    np.divide(inter, union, out=out, where=union > 0, casting="unsafe")
    return out


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_widths_in_place(A, B):
    """Turns x2, y2 into widths in place (A[:, 2:] -= A[:, :2]): the caller's boxes change."""
    A, B = np.asarray(A), np.asarray(B)
    A[:, 2:] -= A[:, :2]  # now (x1, y1, w, h)
    if B is not A:
        B[:, 2:] -= B[:, :2]
    A, B = A.astype(float), B.astype(float)
    area_a, area_b = A[:, 2] * A[:, 3], B[:, 2] * B[:, 3]
    wh = np.clip(
        np.minimum(A[:, None, :2] + A[:, None, 2:], B[None, :, :2] + B[None, :, 2:])
        - np.maximum(A[:, None, :2], B[None, :, :2]),
        0,
        None,
    )
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


# ---------------------------------------------------------------- added for issue 17: twins
@wrong("14.1", "confusion_counts_torch")
def confusion_counts_torch_bitwise_not(y_true, y_pred):
    """Negates int label tensors with `~`: a bitwise not (~1 == -2), so TN comes out negative."""
    tp = (y_true & y_pred).sum()
    fp = (~y_true & y_pred).sum()
    fn = (y_true & ~y_pred).sum()
    tn = (~y_true & ~y_pred).sum()
    return tp, fp, fn, tn


@wrong("14.1", "confusion_counts_torch")
def confusion_counts_torch_one_minus(y_true, y_pred):
    """NumPy habit `1 - y` for the negatives: PyTorch refuses `-` on a bool tensor."""
    t, p = y_true.long() if y_true.dtype != torch.bool else y_true, y_pred
    return (t * p).sum(), ((1 - t) * p).sum(), (t * (1 - p)).sum(), ((1 - t) * (1 - p)).sum()


@wrong("14.1", "confusion_counts_torch")
def confusion_counts_torch_float_counts(y_true, y_pred):
    """Multiplies float copies of the labels, so the counts come back as float32 tensors."""
    t, p = y_true.float(), y_pred.float()
    return (t * p).sum(), ((1 - t) * p).sum(), (t * (1 - p)).sum(), ((1 - t) * (1 - p)).sum()


@wrong("14.2", "precision_recall_torch")
def precision_recall_torch_nan(y_true, y_pred, zero_division=0.0):
    """The notes' 0/0 bug (D25) in PyTorch: tp / (tp + fp) is a silent nan, no warning at all."""
    t, p = y_true.bool(), y_pred.bool()
    tp = (t & p).sum()
    return tp / p.sum(), tp / t.sum()


@wrong("14.2", "precision_recall_torch")
def precision_recall_torch_floor_division(y_true, y_pred, zero_division=0.0):
    """Divides the int64 counts with `//` (old PyTorch integer division): precision 0 or 1."""
    t, p = y_true.bool(), y_pred.bool()
    tp, n_pred, n_true = (t & p).sum(), p.sum(), t.sum()
    precision = tp // n_pred if n_pred > 0 else torch.tensor(zero_division)
    recall = tp // n_true if n_true > 0 else torch.tensor(zero_division)
    return precision, recall


@wrong("14.2", "precision_recall_torch")
def precision_recall_torch_nan_to_num(y_true, y_pred, zero_division=0.0):
    """Patches the 0/0 with torch.nan_to_num: always 0, whatever zero_division says."""
    t, p = y_true.bool(), y_pred.bool()
    tp = (t & p).sum()
    return torch.nan_to_num(tp / p.sum()), torch.nan_to_num(tp / t.sum())


@wrong("14.3", "tpr_fpr_torch")
def tpr_fpr_torch_strict_threshold(y_true, scores, threshold):
    """Uses scores > threshold, so a sample exactly on the threshold is predicted negative."""
    t, pred = y_true.bool(), scores > threshold
    tp, fp = (pred & t).sum().to(scores.dtype), (pred & ~t).sum().to(scores.dtype)
    return tp / t.sum(), fp / (~t).sum()


@wrong("14.3", "tpr_fpr_torch")
def tpr_fpr_torch_default_dtype(y_true, scores, threshold):
    """Divides the int64 counts directly: float32 rates (the default dtype) for float64 scores."""
    t, pred = y_true.bool(), scores >= threshold
    return (pred & t).sum() / t.sum(), (pred & ~t).sum() / (~t).sum()


@wrong("14.3", "tpr_fpr_torch")
def tpr_fpr_torch_bitwise_not(y_true, scores, threshold):
    """Negates the int labels with `~` (bitwise): the negatives' count is negative."""
    pred = scores >= threshold
    tp = (pred & y_true.bool()).sum().to(scores.dtype)
    fp = (pred.long() & ~y_true).sum().to(scores.dtype)
    return tp / y_true.sum(), fp / (~y_true).sum()


@wrong("14.4", "roc_auc_rank_torch")
def roc_auc_rank_torch_ordinal_ranks(y_true, scores):
    """Ranks with argsort().argsort(): tied scores get different ranks, not their average."""
    t = y_true.bool()
    ranks = torch.argsort(torch.argsort(scores, stable=True), stable=True).double() + 1
    n_pos, n_neg = t.sum().double(), (~t).sum().double()
    return ((ranks[t].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)).to(scores.dtype)


@wrong("14.4", "roc_auc_rank_torch")
def roc_auc_rank_torch_ties_as_wins(y_true, scores):
    """All pairs, counting a tie between a positive and a negative as a win (>=)."""
    t = y_true.bool()
    return (scores[t][:, None] >= scores[~t][None, :]).to(scores.dtype).mean()


@wrong("14.4", "roc_auc_rank_torch")
def roc_auc_rank_torch_float32(y_true, scores):
    """Computes the ranks and the U statistic in the default float32, then casts back."""
    t = y_true.bool()
    _, inverse, counts = torch.unique(scores, return_inverse=True, return_counts=True)
    counts = counts.float()
    avg_rank = (torch.cumsum(counts, 0) - (counts - 1) / 2)[inverse]
    n_pos, n_neg = t.sum().float(), (~t).sum().float()
    return ((avg_rank[t].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)).to(scores.dtype)


def _torch_iou_parts(A, B, inclusive):
    if not A.is_floating_point():
        A, B = A.float(), B.float()
    one = 1.0 if inclusive else 0.0
    area_a = (A[:, 2] - A[:, 0] + one) * (A[:, 3] - A[:, 1] + one)
    area_b = (B[:, 2] - B[:, 0] + one) * (B[:, 3] - B[:, 1] + one)
    wh = (
        torch.minimum(A[:, None, 2:], B[None, :, 2:])
        - torch.maximum(A[:, None, :2], B[None, :, :2])
        + one
    )
    return wh, area_a, area_b


@wrong("14.5", "box_iou_torch")
def box_iou_torch_no_clamp(A, B, inclusive=False):
    """Multiplies the raw overlaps without clamping: boxes disjoint in x and y 'overlap'."""
    wh, area_a, area_b = _torch_iou_parts(A, B, inclusive)
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    safe = torch.where(union != 0, union, torch.ones_like(union))
    return torch.where(union != 0, inter / safe, torch.zeros_like(inter))


@wrong("14.5", "box_iou_torch")
def box_iou_torch_where_nan_grad(A, B, inclusive=False):
    """torch.where(union > 0, inter / union, 0): right values, nan gradient where union is 0."""
    wh, area_a, area_b = _torch_iou_parts(A, B, inclusive)
    wh = wh.clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    return torch.where(union > 0, inter / union, torch.zeros_like(inter))


@wrong("14.5", "box_iou_torch")
def box_iou_torch_float32_inside(A, B, inclusive=False):
    """Converts the boxes with .float() 'to be safe': float64 boxes give a float32 result."""
    wh, area_a, area_b = _torch_iou_parts(A.float(), B.float(), inclusive)
    wh = wh.clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    safe = torch.where(union > 0, union, torch.ones_like(union))
    return torch.where(union > 0, inter / safe, torch.zeros_like(inter))


@wrong("14.5", "box_iou_torch")
def box_iou_torch_detached(A, B, inclusive=False):
    """Goes through NumPy (.detach().numpy()) and back: right values, no gradient for the loss."""
    a, b = A.detach().numpy().astype(np.float64), B.detach().numpy().astype(np.float64)
    one = 1.0 if inclusive else 0.0
    wh = np.clip(
        np.minimum(a[:, None, 2:], b[None, :, 2:])
        - np.maximum(a[:, None, :2], b[None, :, :2])
        + one,
        0,
        None,
    )
    inter = wh[..., 0] * wh[..., 1]
    area_a = (a[:, 2] - a[:, 0] + one) * (a[:, 3] - a[:, 1] + one)
    area_b = (b[:, 2] - b[:, 0] + one) * (b[:, 3] - b[:, 1] + one)
    union = area_a[:, None] + area_b[None, :] - inter
    iou = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    dtype = A.dtype if A.is_floating_point() else torch.get_default_dtype()
    return torch.from_numpy(iou).to(dtype)


# ---------------------------------------------------------------- 14.6 (issue 17)
def _pr_points(y_true, scores):
    """sklearn-style counts at each distinct score, highest score first (for the wrong answers)."""
    y = np.asarray(y_true).astype(np.float64)
    s = np.asarray(scores)
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tps = np.cumsum(y)[last]
    return tps, (last + 1) - tps, s[last]


@wrong("14.6", "precision_recall_curve")
def pr_curve_roc_order(y_true, scores):
    """Copies roc_curve's order: thresholds decreasing, and the (1, 0) point put first."""
    tps, fps, thr = _pr_points(y_true, scores)
    recall = tps / tps[-1] if tps[-1] > 0 else np.ones_like(tps)
    return np.r_[1.0, tps / (tps + fps)], np.r_[0.0, recall], thr


@wrong("14.6", "precision_recall_curve")
def pr_curve_no_end_point(y_true, scores):
    """Forgets the final point precision = 1, recall = 0: arrays of length m, not m + 1."""
    tps, fps, thr = _pr_points(y_true, scores)
    recall = tps / tps[-1] if tps[-1] > 0 else np.ones_like(tps)
    return (tps / (tps + fps))[::-1], recall[::-1], thr[::-1]


@wrong("14.6", "precision_recall_curve")
def pr_curve_one_point_per_sample(y_true, scores):
    """A point per sample, not per distinct score: tied scores make a staircase."""
    y = np.asarray(y_true).astype(np.float64)
    s = np.asarray(scores)
    order = np.argsort(-s, kind="stable")
    tps = np.cumsum(y[order])
    fps = np.arange(1, len(s) + 1) - tps
    recall = tps / tps[-1] if tps[-1] > 0 else np.ones_like(tps)
    return np.r_[(tps / (tps + fps))[::-1], 1.0], np.r_[recall[::-1], 0.0], s[order][::-1]


@wrong("14.6", "precision_recall_curve")
def pr_curve_nan_without_positives(y_true, scores):
    """Divides by the number of positives unconditionally: nan (and a warning) with none."""
    tps, fps, thr = _pr_points(y_true, scores)
    return np.r_[(tps / (tps + fps))[::-1], 1.0], np.r_[(tps / tps[-1])[::-1], 0.0], thr[::-1]


@wrong("14.6", "precision_recall_curve")
def pr_curve_float64_thresholds(y_true, scores):
    """Converts the scores to float64 first: float32 scores give float64 thresholds."""
    tps, fps, thr = _pr_points(y_true, np.asarray(scores, dtype=np.float64))
    recall = tps / tps[-1] if tps[-1] > 0 else np.ones_like(tps)
    return np.r_[(tps / (tps + fps))[::-1], 1.0], np.r_[recall[::-1], 0.0], thr[::-1]


def _sk_curve(y_true, scores):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return metrics.precision_recall_curve(y_true, scores)


@wrong("14.6", "average_precision")
def ap_trapezoid(y_true, scores):
    """The trapezoid area under the PR curve, sklearn.metrics.auc(recall, precision)."""
    precision, recall, _ = _sk_curve(y_true, scores)
    return float(metrics.auc(recall, precision))


@wrong("14.6", "average_precision")
def ap_interpolated(y_true, scores):
    """VOC-style interpolated precision (running max from the high-recall end), then summed."""
    precision, recall, _ = _sk_curve(y_true, scores)
    interpolated = np.maximum.accumulate(precision)  # recall decreasing along the array
    return float(max(0.0, np.sum((recall[:-1] - recall[1:]) * interpolated[:-1])))


@wrong("14.6", "average_precision")
def ap_right_endpoint(y_true, scores):
    """Pairs each recall drop with the precision one threshold higher (precision[1:])."""
    precision, recall, _ = _sk_curve(y_true, scores)
    return float(max(0.0, np.sum((recall[:-1] - recall[1:]) * precision[1:])))


@wrong("14.6", "average_precision")
def ap_mean_precision_at_positives(y_true, scores):
    """Mean precision@k at the positives' ranks: ties split by sort order, nan with no positive."""
    y = np.asarray(y_true).astype(np.float64)
    hits = y[np.argsort(-np.asarray(scores), kind="stable")]
    with np.errstate(invalid="ignore"):
        return float(np.mean((np.cumsum(hits) / np.arange(1, len(hits) + 1))[hits == 1]))


@wrong("14.6", "average_precision")
def ap_over_all_samples(y_true, scores):
    """Averages precision@k over all n ranks instead of weighting by the recall steps."""
    y = np.asarray(y_true).astype(np.float64)
    hits = y[np.argsort(-np.asarray(scores), kind="stable")]
    return float(np.mean(np.cumsum(hits) / np.arange(1, len(hits) + 1)))


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
