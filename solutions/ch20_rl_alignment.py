# Generated from chapters/ch20_rl_alignment.ipynb by `make generate`: do not edit.

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import scipy.signal
import scipy.special
import scipy.stats
import torch
import torch.nn.functional as F

from workbook.checks import Check, finite

np.random.seed(0)
_ = torch.manual_seed(0)


def _float_dtype(*arrays):
    dtype = np.result_type(*arrays)
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def discounted_returns(rewards, gamma, dones=None):
    rewards = np.asarray(rewards)
    dtype = _float_dtype(rewards)
    # 1 - done as floats: multiplying by it cuts the recursion at an episode's last step.
    not_done = (
        np.ones(rewards.shape, dtype) if dones is None else 1 - np.asarray(dones).astype(dtype)
    )
    G = np.empty(rewards.shape, dtype)  # a new array: never write into rewards
    running = np.zeros(rewards.shape[1:], dtype)  # G_{t+1}, one per environment
    for t in reversed(range(len(rewards))):  # backwards: G_t needs G_{t+1}
        running = rewards[t] + gamma * not_done[t] * running
        G[t] = running
    return G


def gae(rewards, values, dones, gamma=0.99, lam=0.95):
    rewards, values = np.asarray(rewards), np.asarray(values)
    T = len(rewards)
    if values.shape[0] != T + 1:
        raise ValueError(
            f"values needs T + 1 = {T + 1} entries on axis 0 (the last one "
            f"bootstraps), got {values.shape[0]}"
        )
    dtype = _float_dtype(rewards, values)
    not_done = (
        np.ones(rewards.shape, dtype) if dones is None else 1 - np.asarray(dones).astype(dtype)
    )
    advantages = np.empty(rewards.shape, dtype)
    last = np.zeros(rewards.shape[1:], dtype)  # A_{t+1}; A_T = 0
    for t in reversed(range(T)):
        # V_{t+1} of a finished episode is the NEXT episode's first state: mask it out.
        delta = rewards[t] + gamma * not_done[t] * values[t + 1] - values[t]
        last = delta + gamma * lam * not_done[t] * last  # and do not carry A across
        advantages[t] = last
    return advantages, advantages + values[:-1]  # returns: the critic's target


def reinforce_loss(log_probs, returns, baseline=None):
    weights = returns.detach()  # G is data, not a function of theta
    if baseline is not None:
        if torch.is_tensor(baseline):
            baseline = baseline.detach()  # a value head is trained by its own loss
        weights = weights - baseline  # out of place: returns stays untouched
    return -(weights * log_probs).mean()  # minus: we minimise, J is maximised


def ppo_clip_loss(logp_new, logp_old, advantages, clip_eps=0.2):
    logp_old, advantages = logp_old.detach(), advantages.detach()  # data from the rollout
    ratio = torch.exp(logp_new - logp_old)  # in log space: exp(-1000) / exp(-1000) = nan
    unclipped = ratio * advantages
    clipped = torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * advantages  # clip the RATIO
    loss = -torch.minimum(unclipped, clipped).mean()  # pessimistic bound, then minimise
    clip_fraction = ((ratio - 1).abs() > clip_eps).to(ratio.dtype).mean().item()
    return loss, clip_fraction


def sequence_logps(logits, labels, mask):
    mask = mask.bool()
    safe = torch.where(mask, labels, torch.zeros_like(labels))  # -100 is not an index
    logp = torch.log_softmax(logits, dim=-1)  # stable; log(softmax) gives -inf at 1000
    token_logp = logp.gather(-1, safe.unsqueeze(-1)).squeeze(-1)  # (B, L)
    # where, not multiply: 0 * (-inf) at a masked position would be nan
    return torch.where(mask, token_logp, torch.zeros_like(token_logp)).sum(-1)


def dpo_loss(
    policy_chosen_logps,
    policy_rejected_logps,
    ref_chosen_logps,
    ref_rejected_logps,
    beta=0.1,
    label_smoothing=0.0,
):
    pi_logratios = policy_chosen_logps - policy_rejected_logps
    ref_logratios = ref_chosen_logps - ref_rejected_logps  # the reference's own margin
    z = pi_logratios - ref_logratios
    # logsigmoid(x) = -softplus(-x): finite for any x, unlike log(sigmoid(x))
    losses = -(1 - label_smoothing) * F.logsigmoid(beta * z) - label_smoothing * F.logsigmoid(
        -beta * z
    )
    chosen_rewards = beta * (policy_chosen_logps - ref_chosen_logps).detach()
    rejected_rewards = beta * (policy_rejected_logps - ref_rejected_logps).detach()
    return losses, chosen_rewards, rejected_rewards


def grpo_advantages(rewards, eps=1e-4):
    rewards = np.asarray(rewards)
    if rewards.shape[-1] < 2:
        raise ValueError(f"a group needs at least 2 completions, got G={rewards.shape[-1]}")
    if not np.issubdtype(rewards.dtype, np.floating):
        rewards = rewards.astype(np.float64)  # 0/1 correctness rewards are ints
    mean = rewards.mean(axis=-1, keepdims=True)  # per group (row), not over the batch
    std = rewards.std(axis=-1, ddof=1, keepdims=True)  # ddof=1, as torch.std and TRL
    return (rewards - mean) / (std + eps)  # eps: all-equal groups give 0, not 0/0


def kl_estimators(logp, logp_ref):
    logp, logp_ref = np.asarray(logp), np.asarray(logp_ref)
    r = logp_ref - logp  # log q(x) - log p(x), x ~ p
    k1 = -r
    k2 = 0.5 * r**2
    k3 = np.expm1(r) - r  # exp(r) - 1 - r without cancellation
    return k1, k2, k3
