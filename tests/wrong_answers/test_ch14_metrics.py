"""Plausible wrong answers for chapter 14; each must make its item's tests cell raise."""
import warnings

import numpy as np
from sklearn import metrics

from harness import chapter_suite, wrong


# ---------------------------------------------------------------- 14.1
@wrong("14.1", "confusion_counts")
def confusion_counts_sklearn_order(y_true, y_pred):
    """Returns sklearn's ravel() order (tn, fp, fn, tp) instead of (tp, fp, fn, tn)."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    return (int(np.sum(~y_true & ~y_pred)), int(np.sum(~y_true & y_pred)),
            int(np.sum(y_true & ~y_pred)), int(np.sum(y_true & y_pred)))


@wrong("14.1", "confusion_counts")
def confusion_counts_fp_fn_swapped(y_true, y_pred):
    """Calls a missed positive a false positive: FP and FN swapped."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    return (int(np.sum(y_true & y_pred)), int(np.sum(y_true & ~y_pred)),
            int(np.sum(~y_true & y_pred)), int(np.sum(~y_true & ~y_pred)))


@wrong("14.1", "confusion_counts")
def confusion_counts_tp_is_agreement(y_true, y_pred):
    """Counts every correct prediction (including true negatives) as a true positive."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    return (int(np.sum(y_true == y_pred)), int(np.sum(~y_true & y_pred)),
            int(np.sum(y_true & ~y_pred)), int(np.sum(~y_true & ~y_pred)))


@wrong("14.1", "confusion_counts")
def confusion_counts_no_labels(y_true, y_pred):
    """Uses confusion_matrix without labels=[0, 1]: a single-class input gives a 1x1 matrix."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # sklearn warns about the single label, then we crash
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
    return (float(np.sum(y_pred & y_true) / np.sum(y_true)),
            float(np.sum(y_pred & ~y_true) / np.sum(~y_true)))


@wrong("14.3", "tpr_fpr")
def tpr_fpr_fpr_over_all(y_true, scores, threshold):
    """Divides false positives by all n samples instead of by the negatives."""
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(scores) >= threshold
    return (float(np.sum(y_pred & y_true) / np.sum(y_true)),
            float(np.sum(y_pred & ~y_true) / len(y_true)))


@wrong("14.3", "tpr_fpr")
def tpr_fpr_tpr_is_precision(y_true, scores, threshold):
    """Divides true positives by the predicted positives (precision), not the actual ones."""
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(scores) >= threshold
    n_pred = max(int(np.sum(y_pred)), 1)
    return (float(np.sum(y_pred & y_true) / n_pred),
            float(np.sum(y_pred & ~y_true) / np.sum(~y_true)))


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
    wh = np.clip(np.minimum(B[:, None, 2:], A[None, :, 2:])
                 - np.maximum(B[:, None, :2], A[None, :, :2]), 0, None)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area_b[:, None] + area_a[None, :] - inter)


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_wrong_axis_area(A, B):
    """Computes areas with the coordinates paired wrongly: (x2 - y1) * (y2 - x1)."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    area_a = (A[:, 2] - A[:, 1]) * (A[:, 3] - A[:, 0])
    area_b = (B[:, 2] - B[:, 1]) * (B[:, 3] - B[:, 0])
    wh = np.clip(np.minimum(A[:, None, 2:], B[None, :, 2:])
                 - np.maximum(A[:, None, :2], B[None, :, :2]), 0, None)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area_a[:, None] + area_b[None, :] - inter)


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
