# Generated from chapters/ch14_metrics.ipynb by `make generate`: do not edit.

import warnings

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn import metrics

from workbook.checks import Check, finite, short


def confusion_counts(y_true, y_pred):
    y_true = np.asarray(y_true).astype(bool)  # bool masks: 1 -> True, 0 -> False
    y_pred = np.asarray(y_pred).astype(bool)
    tp = int(np.sum(y_true & y_pred))  # predicted positive, really positive
    fp = int(np.sum(~y_true & y_pred))  # predicted positive, really negative
    fn = int(np.sum(y_true & ~y_pred))  # predicted negative, really positive
    tn = int(np.sum(~y_true & ~y_pred))
    return tp, fp, fn, tn


def confusion_counts_torch(y_true, y_pred):
    y_true, y_pred = y_true.bool(), y_pred.bool()  # logical ~ below, never a bitwise one
    tp = (y_true & y_pred).sum()  # the sum of a bool tensor is int64
    fp = (~y_true & y_pred).sum()
    fn = (y_true & ~y_pred).sum()
    tn = (~y_true & ~y_pred).sum()
    return tp, fp, fn, tn  # tensors: no host sync on a GPU


def precision_recall(y_true, y_pred, zero_division=0.0):
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(y_pred).astype(bool)
    tp = int(np.sum(y_true & y_pred))
    n_pred_pos = int(np.sum(y_pred))  # TP + FP
    n_true_pos = int(np.sum(y_true))  # TP + FN
    # Decide before dividing: 0/0 must never be evaluated (it would be nan plus a warning).
    precision = tp / n_pred_pos if n_pred_pos > 0 else float(zero_division)
    recall = tp / n_true_pos if n_true_pos > 0 else float(zero_division)
    return float(precision), float(recall)


def precision_recall_torch(y_true, y_pred, zero_division=0.0):
    y_true, y_pred = y_true.bool(), y_pred.bool()
    tp = (y_true & y_pred).sum()
    n_pred_pos, n_true_pos = y_pred.sum(), y_true.sum()
    # int64 / int64 is true division in torch (default float dtype). Clamp the denominator:
    # torch.where computes both branches, and 0/0 would be a nan hiding in the unused one.
    precision = torch.where(n_pred_pos > 0, tp / n_pred_pos.clamp(min=1), zero_division)
    recall = torch.where(n_true_pos > 0, tp / n_true_pos.clamp(min=1), zero_division)
    return precision, recall


def tpr_fpr(y_true, scores, threshold):
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(scores) >= threshold  # >=: a score on the threshold is positive
    tpr = np.sum(y_pred & y_true) / np.sum(y_true)  # divide by actual positives
    fpr = np.sum(y_pred & ~y_true) / np.sum(~y_true)  # divide by actual negatives
    return float(tpr), float(fpr)


def tpr_fpr_torch(y_true, scores, threshold):
    y_true = y_true.bool()
    y_pred = scores >= threshold
    # Counts in the scores' dtype: int64 / int64 would be float32 even for float64 scores.
    tp = (y_pred & y_true).sum().to(scores.dtype)
    fp = (y_pred & ~y_true).sum().to(scores.dtype)
    return tp / y_true.sum(), fp / (~y_true).sum()


def roc_curve(y_true, scores):
    y_true = np.asarray(y_true).astype(np.float64)
    scores = np.asarray(scores, dtype=np.float64)
    order = np.argsort(-scores, kind="stable")  # highest score first
    s, y = scores[order], y_true[order]
    tps = np.cumsum(y)  # positives at or above each score
    fps = np.cumsum(1.0 - y)  # negatives at or above each score
    # The last position of each run of tied scores: ties cross the threshold together.
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tps, fps, thresholds = np.r_[0.0, tps[last]], np.r_[0.0, fps[last]], np.r_[np.inf, s[last]]
    return fps / fps[-1], tps / tps[-1], thresholds


def auc_trapezoid(x, y):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    # Width times mean height of each trapezoid.
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2.0))


def roc_auc_rank(y_true, scores):
    y_true = np.asarray(y_true).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    # Average ranks (1-based): a block of c tied values occupying ranks r+1..r+c gets r + (c+1)/2.
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    upper = np.cumsum(counts)  # rank of the last element of each block
    avg_rank = (upper - (counts - 1) / 2.0)[inverse]
    n_pos, n_neg = int(y_true.sum()), int((~y_true).sum())
    # Sum of positive ranks minus the smallest possible sum = number of (pos, neg) wins.
    u = avg_rank[y_true].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def roc_auc_rank_torch(y_true, scores):
    y_true = y_true.bool()
    # torch has no rankdata: average ranks from the sorted distinct values and their counts.
    _, inverse, counts = torch.unique(scores, sorted=True, return_inverse=True, return_counts=True)
    counts = counts.to(torch.float64)  # float64: rank sums grow like n**2 / 4
    avg_rank = (torch.cumsum(counts, 0) - (counts - 1) / 2)[inverse]
    n_pos, n_neg = y_true.sum().to(torch.float64), (~y_true).sum().to(torch.float64)
    u = avg_rank[y_true].sum() - n_pos * (n_pos + 1) / 2
    return (u / (n_pos * n_neg)).to(scores.dtype)


def box_iou(a, b, inclusive=False):
    ax1, ay1, ax2, ay2 = (float(v) for v in a)
    bx1, by1, bx2, by2 = (float(v) for v in b)
    one = 1.0 if inclusive else 0.0  # +1: a box from pixel 3 to pixel 5 is 3 pixels wide
    # Clamp each side separately: two negative overlaps would multiply to a positive area.
    iw = max(0.0, min(ax2, bx2) - max(ax1, bx1) + one)
    ih = max(0.0, min(ay2, by2) - max(ay1, by1) + one)
    inter = iw * ih
    union = (ax2 - ax1 + one) * (ay2 - ay1 + one) + (bx2 - bx1 + one) * (by2 - by1 + one) - inter
    return inter / union if union > 0 else 0.0


def box_iou_matrix(A, B):
    A = np.asarray(A, dtype=np.float64).reshape(-1, 4)
    B = np.asarray(B, dtype=np.float64).reshape(-1, 4)
    area_a = (A[:, 2] - A[:, 0]) * (A[:, 3] - A[:, 1])  # (N,)
    area_b = (B[:, 2] - B[:, 0]) * (B[:, 3] - B[:, 1])  # (M,)
    top_left = np.maximum(A[:, None, :2], B[None, :, :2])  # (N, M, 2)
    bottom_right = np.minimum(A[:, None, 2:], B[None, :, 2:])  # (N, M, 2)
    wh = np.clip(bottom_right - top_left, 0.0, None)  # clamp before multiplying
    inter = wh[..., 0] * wh[..., 1]  # (N, M)
    union = area_a[:, None] + area_b[None, :] - inter
    # Divide only where the union is positive (two empty boxes give 0, not nan).
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def box_iou_torch(A, B, inclusive=False):
    if not A.is_floating_point():  # integer boxes: default float dtype
        A, B = A.to(torch.get_default_dtype()), B.to(torch.get_default_dtype())
    one = 1.0 if inclusive else 0.0
    area_a = (A[:, 2] - A[:, 0] + one) * (A[:, 3] - A[:, 1] + one)  # (N,)
    area_b = (B[:, 2] - B[:, 0] + one) * (B[:, 3] - B[:, 1] + one)  # (M,)
    top_left = torch.maximum(A[:, None, :2], B[None, :, :2])  # (N, M, 2)
    bottom_right = torch.minimum(A[:, None, 2:], B[None, :, 2:])
    wh = (bottom_right - top_left + one).clamp(min=0)  # clamp, then multiply
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    positive = union > 0
    # A safe denominator first: where() back-propagates through BOTH branches, and inter / 0
    # in the unselected one would turn the gradient into nan.
    safe_union = torch.where(positive, union, torch.ones_like(union))
    return torch.where(positive, inter / safe_union, torch.zeros_like(inter))


def precision_recall_curve(y_true, scores):
    y_true = np.asarray(y_true).astype(np.float64)
    scores = np.asarray(scores)  # keep the dtype: thresholds are scores
    order = np.argsort(-scores, kind="stable")  # highest first; a copy, not in place
    s, y = scores[order], y_true[order]
    # The last position of each run of tied scores: a tie block crosses the threshold at once.
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tps = np.cumsum(y)[last]  # TP among the samples with score >= s[last]
    fps = (last + 1) - tps  # flagged minus true positives
    precision = tps / (tps + fps)  # >= 1 flagged at every threshold: no 0/0
    # No positive at all: recall is 0/0; sklearn reports 1.0 (so that AP comes out 0).
    recall = tps / tps[-1] if tps[-1] > 0 else np.ones_like(tps)
    # sklearn's order: increasing threshold (decreasing recall), then the (P=1, R=0) end point.
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], s[last][::-1]


def average_precision(y_true, scores):
    precision, recall, _ = precision_recall_curve(y_true, scores)
    # Each drop in recall, weighted by the precision at the threshold where it happens.
    # The last precision (the conventional 1 at recall 0) never enters: it has no drop after it.
    ap = np.sum((recall[:-1] - recall[1:]) * precision[:-1])
    return float(max(ap, 0.0))  # no -0.0 when there is no positive
