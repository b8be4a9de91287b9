"""Plausible wrong answers for chapter 20; each must make its item's tests cell raise."""

import warnings

import numpy as np
import torch
import torch.nn.functional as F
from harness import chapter_suite, wrong


def _not_done(dones, shape, dtype=np.float64):
    return np.ones(shape, dtype) if dones is None else 1.0 - np.asarray(dones, dtype)


def _gae_core(rewards, values, not_done_delta, not_done_carry, gamma, lam, dtype=None):
    rewards, values = np.asarray(rewards), np.asarray(values)
    dtype = dtype or np.result_type(rewards, values, np.float16)
    A = np.zeros(rewards.shape, dtype)
    last = np.zeros(rewards.shape[1:], dtype)
    for t in reversed(range(len(rewards))):
        delta = rewards[t] + gamma * not_done_delta[t] * values[t + 1] - values[t]
        last = delta + gamma * lam * not_done_carry[t] * last
        A[t] = last
    return A


# ---------------------------------------------------------------- 20.1
@wrong("20.1", "gae")
def gae_ignores_dones(rewards, values, dones, gamma=0.99, lam=0.95):
    """Ignores dones: values and advantages of the next episode leak across the boundary."""
    r = np.asarray(rewards)
    ones = np.ones(r.shape)
    A = _gae_core(r, values, ones, ones, gamma, lam)
    return A, A + np.asarray(values)[:-1]


@wrong("20.1", "gae")
def gae_masks_only_the_carry(rewards, values, dones, gamma=0.99, lam=0.95):
    """Stops the advantage recursion at a done but still bootstraps from V_{t+1} in delta."""
    r = np.asarray(rewards)
    nd = _not_done(dones, r.shape)
    A = _gae_core(r, values, np.ones(r.shape), nd, gamma, lam)
    return A, A + np.asarray(values)[:-1]


@wrong("20.1", "gae")
def gae_dones_shifted(rewards, values, dones, gamma=0.99, lam=0.95):
    """Uses CleanRL's index (1 - dones[t + 1]) with this chapter's dones: off by one step."""
    r = np.asarray(rewards)
    nd = _not_done(dones, r.shape)
    shifted = np.concatenate([nd[1:], np.ones((1,) + r.shape[1:])])
    A = _gae_core(r, values, shifted, shifted, gamma, lam)
    return A, A + np.asarray(values)[:-1]


@wrong("20.1", "gae")
def gae_returns_are_advantages(rewards, values, dones, gamma=0.99, lam=0.95):
    """Returns the advantages as the critic's target (forgets + V)."""
    r = np.asarray(rewards)
    nd = _not_done(dones, r.shape)
    A = _gae_core(r, values, nd, nd, gamma, lam)
    return A, A.copy()


@wrong("20.1", "gae")
def gae_no_bootstrap(rewards, values, dones, gamma=0.99, lam=0.95):
    """Treats the bootstrap value V_T as 0: a rollout cut mid-episode looks like an ending."""
    r, v = np.asarray(rewards), np.array(values, dtype=float)
    v[-1] = 0.0
    nd = _not_done(dones, r.shape)
    A = _gae_core(r, v, nd, nd, gamma, lam)
    return A, A + np.asarray(values)[:-1]


@wrong("20.1", "gae")
def gae_lam_in_delta(rewards, values, dones, gamma=0.99, lam=0.95):
    """Discounts the bootstrap inside delta by gamma * lam instead of gamma."""
    r = np.asarray(rewards)
    nd = _not_done(dones, r.shape)
    A = _gae_core(r, values, nd * lam, nd, gamma, lam)
    return A, A + np.asarray(values)[:-1]


@wrong("20.1", "gae")
def gae_float32_inside(rewards, values, dones, gamma=0.99, lam=0.95):
    """Computes in float32 whatever the input dtype."""
    r = np.asarray(rewards, np.float32)
    v = np.asarray(values, np.float32)
    nd = _not_done(dones, r.shape, np.float32)
    A = _gae_core(r, v, nd, nd, gamma, lam, dtype=np.float32)
    return A, A + v[:-1]


@wrong("20.1", "discounted_returns")
def returns_forward_in_time(rewards, gamma, dones=None):
    """Accumulates forwards: G_t = r_t + gamma * G_{t-1} (a discounted running sum of the past)."""
    r = np.asarray(rewards, float)
    nd = _not_done(dones, r.shape)
    G, running = np.zeros(r.shape), np.zeros(r.shape[1:])
    for t in range(len(r)):
        running = r[t] + gamma * running
        G[t] = running
        running = running * nd[t]
    return G


@wrong("20.1", "discounted_returns")
def returns_ignore_dones(rewards, gamma, dones=None):
    """Ignores dones: the next episode's rewards are credited to this one."""
    r = np.asarray(rewards, float)
    G, running = np.zeros(r.shape), np.zeros(r.shape[1:])
    for t in reversed(range(len(r))):
        running = r[t] + gamma * running
        G[t] = running
    return G


@wrong("20.1", "discounted_returns")
def returns_discount_first_reward(rewards, gamma, dones=None):
    """Discounts r_t itself: G_t = sum_l gamma^(l+1) r_{t+l}."""
    r = np.asarray(rewards, float)
    nd = _not_done(dones, r.shape)
    G, running = np.zeros(r.shape), np.zeros(r.shape[1:])
    for t in reversed(range(len(r))):
        running = gamma * (r[t] + nd[t] * running)
        G[t] = running
    return G


@wrong("20.1", "discounted_returns")
def returns_in_place(rewards, gamma, dones=None):
    """Writes the returns into the rewards array (modifies the caller's data)."""
    G = np.asarray(rewards)
    if not np.issubdtype(G.dtype, np.floating):
        G = G.astype(float)
    nd = _not_done(dones, G.shape, G.dtype)
    for t in reversed(range(len(G) - 1)):
        G[t] += gamma * nd[t] * G[t + 1]
    return G


@wrong("20.1", "discounted_returns")
def returns_always_float64(rewards, gamma, dones=None):
    """Casts to float64 always: float32 rewards give float64 returns."""
    r = np.asarray(rewards, np.float64)
    nd = _not_done(dones, r.shape)
    G, running = np.zeros(r.shape), np.zeros(r.shape[1:])
    for t in reversed(range(len(r))):
        running = r[t] + gamma * nd[t] * running
        G[t] = running
    return G


# ---------------------------------------------------------------- 20.2
@wrong("20.2", "reinforce_loss")
def reinforce_grad_through_returns(log_probs, returns, baseline=None):
    """Does not detach the returns: gradient flows into G (and whatever produced it)."""
    b = 0.0 if baseline is None else (baseline.detach() if torch.is_tensor(baseline) else baseline)
    return -((returns - b) * log_probs).mean()


@wrong("20.2", "reinforce_loss")
def reinforce_grad_through_baseline(log_probs, returns, baseline=None):
    """Detaches the returns but not the baseline: the value head is trained by this loss."""
    b = 0.0 if baseline is None else baseline
    return -((returns.detach() - b) * log_probs).mean()


@wrong("20.2", "reinforce_loss")
def reinforce_plus_sign(log_probs, returns, baseline=None):
    """Forgets the minus sign: gradient descent lowers the return."""
    b = 0.0 if baseline is None else torch.as_tensor(baseline).detach()
    return ((returns.detach() - b) * log_probs).mean()


@wrong("20.2", "reinforce_loss")
def reinforce_sum(log_probs, returns, baseline=None):
    """Sums instead of averaging over the samples."""
    b = 0.0 if baseline is None else torch.as_tensor(baseline).detach()
    return -((returns.detach() - b) * log_probs).sum()


@wrong("20.2", "reinforce_loss")
def reinforce_ignores_baseline(log_probs, returns, baseline=None):
    """Ignores the baseline argument."""
    return -(returns.detach() * log_probs).mean()


@wrong("20.2", "reinforce_loss")
def reinforce_adds_baseline(log_probs, returns, baseline=None):
    """Adds the baseline instead of subtracting it."""
    b = 0.0 if baseline is None else torch.as_tensor(baseline).detach()
    return -((returns.detach() + b) * log_probs).mean()


@wrong("20.2", "reinforce_loss")
def reinforce_standardises(log_probs, returns, baseline=None):
    """Always standardises G - b inside the loss (a different function)."""
    b = 0.0 if baseline is None else torch.as_tensor(baseline).detach()
    adv = returns.detach() - b
    if adv.numel() > 1:
        adv = (adv - adv.mean()) / (adv.std() + 1e-8)
    return -(adv * log_probs).mean()


# ---------------------------------------------------------------- 20.3
def _ppo(logp_new, logp_old, advantages, clip_eps, surrogate):
    ratio = torch.exp(logp_new - logp_old.detach())
    frac = ((ratio - 1).abs() > clip_eps).double().mean().item()
    return -surrogate(ratio, advantages.detach()).mean(), frac


@wrong("20.3", "ppo_clip_loss")
def ppo_clips_advantage(logp_new, logp_old, advantages, clip_eps=0.2):
    """Clips the advantage instead of the ratio."""
    return _ppo(
        logp_new,
        logp_old,
        advantages,
        clip_eps,
        lambda r, A: torch.minimum(r * A, r * torch.clamp(A, 1 - clip_eps, 1 + clip_eps)),
    )


@wrong("20.3", "ppo_clip_loss")
def ppo_max_not_min(logp_new, logp_old, advantages, clip_eps=0.2):
    """Takes the maximum (optimistic bound): nothing ever stops a sample."""
    return _ppo(
        logp_new,
        logp_old,
        advantages,
        clip_eps,
        lambda r, A: torch.maximum(r * A, torch.clamp(r, 1 - clip_eps, 1 + clip_eps) * A),
    )


@wrong("20.3", "ppo_clip_loss")
def ppo_only_clipped_term(logp_new, logp_old, advantages, clip_eps=0.2):
    """Keeps only clip(r) * A: zero gradient on both sides, wrong-way moves never corrected."""
    return _ppo(
        logp_new,
        logp_old,
        advantages,
        clip_eps,
        lambda r, A: torch.clamp(r, 1 - clip_eps, 1 + clip_eps) * A,
    )


@wrong("20.3", "ppo_clip_loss")
def ppo_ratio_inverted(logp_new, logp_old, advantages, clip_eps=0.2):
    """Ratio upside down: exp(logp_old - logp_new)."""
    ratio = torch.exp(logp_old.detach() - logp_new)
    A = advantages.detach()
    obj = torch.minimum(ratio * A, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * A)
    return -obj.mean(), ((ratio - 1).abs() > clip_eps).double().mean().item()


@wrong("20.3", "ppo_clip_loss")
def ppo_ratio_of_exps(logp_new, logp_old, advantages, clip_eps=0.2):
    """Forms the ratio as exp(logp_new) / exp(logp_old): 0/0 for sequence log-probabilities."""
    ratio = torch.exp(logp_new) / torch.exp(logp_old.detach())
    A = advantages.detach()
    obj = torch.minimum(ratio * A, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * A)
    return -obj.mean(), ((ratio - 1).abs() > clip_eps).double().mean().item()


@wrong("20.3", "ppo_clip_loss")
def ppo_grad_into_old(logp_new, logp_old, advantages, clip_eps=0.2):
    """Does not detach logp_old: gradient flows into the rollout's log-probabilities."""
    ratio = torch.exp(logp_new - logp_old)
    A = advantages.detach()
    obj = torch.minimum(ratio * A, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * A)
    return -obj.mean(), ((ratio - 1).abs() > clip_eps).double().mean().item()


@wrong("20.3", "ppo_clip_loss")
def ppo_clip_fraction_active_only(logp_new, logp_old, advantages, clip_eps=0.2):
    """Counts as clipped only the samples whose gradient is zeroed, not |r - 1| > eps."""
    ratio = torch.exp(logp_new - logp_old.detach())
    A = advantages.detach()
    obj = torch.minimum(ratio * A, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * A)
    active = ((A > 0) & (ratio > 1 + clip_eps)) | ((A < 0) & (ratio < 1 - clip_eps))
    return -obj.mean(), active.double().mean().item()


@wrong("20.3", "ppo_clip_loss")
def ppo_ignores_clip_eps(logp_new, logp_old, advantages, clip_eps=0.2):
    """Hard-codes 0.2 as the clip range."""
    return _ppo(
        logp_new,
        logp_old,
        advantages,
        0.2,
        lambda r, A: torch.minimum(r * A, torch.clamp(r, 0.8, 1.2) * A),
    )


# ---------------------------------------------------------------- 20.4
def _seq_ok(logits, labels, mask):
    safe = torch.where(mask, labels, torch.zeros_like(labels))
    lp = torch.log_softmax(logits, -1).gather(-1, safe.unsqueeze(-1)).squeeze(-1)
    return lp, safe


@wrong("20.4", "sequence_logps")
def seq_multiply_mask(logits, labels, mask):
    """Masks by multiplying: 0 * (-inf) = nan at a masked position with a -inf logit."""
    lp, _ = _seq_ok(logits, labels, mask)
    return (lp * mask).sum(-1)


@wrong("20.4", "sequence_logps")
def seq_mean_over_tokens(logits, labels, mask):
    """Averages over the response tokens instead of summing (a length-normalised logp)."""
    lp, _ = _seq_ok(logits, labels, mask)
    lp = torch.where(mask, lp, torch.zeros_like(lp))
    return lp.sum(-1) / mask.sum(-1).clamp(min=1)


@wrong("20.4", "sequence_logps")
def seq_log_of_softmax(logits, labels, mask):
    """log(softmax(x)) instead of log_softmax: -inf for logits of +-1000."""
    safe = torch.where(mask, labels, torch.zeros_like(labels))
    lp = torch.log(torch.softmax(logits, -1)).gather(-1, safe.unsqueeze(-1)).squeeze(-1)
    return torch.where(mask, lp, torch.zeros_like(lp)).sum(-1)


@wrong("20.4", "sequence_logps")
def seq_shifts_again(logits, labels, mask):
    """Shifts labels by one as for a raw causal LM, though they are already aligned."""
    lp, _ = _seq_ok(logits[:, :-1], labels[:, 1:], mask[:, 1:])
    return torch.where(mask[:, 1:], lp, torch.zeros_like(lp)).sum(-1)


@wrong("20.4", "sequence_logps")
def seq_indexes_ignored_labels(logits, labels, mask):
    """Gathers with the raw labels (-100 at masked positions is not a valid index)."""
    lp = torch.log_softmax(logits, -1).gather(-1, labels.unsqueeze(-1)).squeeze(-1)
    return torch.where(mask, lp, torch.zeros_like(lp)).sum(-1)


@wrong("20.4", "sequence_logps")
def seq_softmax_wrong_dim(logits, labels, mask):
    """log_softmax over the sequence axis (dim=1) instead of the vocabulary."""
    safe = torch.where(mask, labels, torch.zeros_like(labels))
    lp = torch.log_softmax(logits, 1).gather(-1, safe.unsqueeze(-1)).squeeze(-1)
    return torch.where(mask, lp, torch.zeros_like(lp)).sum(-1)


def _dpo(pc, pr, rc, rr, beta, s, z=None):
    z = (pc - pr) - (rc - rr) if z is None else z
    losses = -(1 - s) * F.logsigmoid(beta * z) - s * F.logsigmoid(-beta * z)
    return losses, beta * (pc - rc).detach(), beta * (pr - rr).detach()


@wrong("20.4", "dpo_loss")
def dpo_swapped(
    policy_chosen_logps,
    policy_rejected_logps,
    ref_chosen_logps,
    ref_rejected_logps,
    beta=0.1,
    label_smoothing=0.0,
):
    """Swaps chosen and rejected: the model learns to prefer the worse answer."""
    return _dpo(
        policy_rejected_logps,
        policy_chosen_logps,
        ref_rejected_logps,
        ref_chosen_logps,
        beta,
        label_smoothing,
    )


@wrong("20.4", "dpo_loss")
def dpo_reference_sign(
    policy_chosen_logps,
    policy_rejected_logps,
    ref_chosen_logps,
    ref_rejected_logps,
    beta=0.1,
    label_smoothing=0.0,
):
    """The wrong reference margin: adds (ref_chosen - ref_rejected) instead of subtracting."""
    z = (policy_chosen_logps - policy_rejected_logps) + (ref_chosen_logps - ref_rejected_logps)
    return _dpo(
        policy_chosen_logps,
        policy_rejected_logps,
        ref_chosen_logps,
        ref_rejected_logps,
        beta,
        label_smoothing,
        z,
    )


@wrong("20.4", "dpo_loss")
def dpo_reference_free(
    policy_chosen_logps,
    policy_rejected_logps,
    ref_chosen_logps,
    ref_rejected_logps,
    beta=0.1,
    label_smoothing=0.0,
):
    """Leaves the reference out of the margin (but not out of the rewards)."""
    z = policy_chosen_logps - policy_rejected_logps
    return _dpo(
        policy_chosen_logps,
        policy_rejected_logps,
        ref_chosen_logps,
        ref_rejected_logps,
        beta,
        label_smoothing,
        z,
    )


@wrong("20.4", "dpo_loss")
def dpo_policy_as_reference(
    policy_chosen_logps,
    policy_rejected_logps,
    ref_chosen_logps,
    ref_rejected_logps,
    beta=0.1,
    label_smoothing=0.0,
):
    """Uses the detached policy as its own reference: z = 0, loss log 2 forever."""
    return _dpo(
        policy_chosen_logps,
        policy_rejected_logps,
        policy_chosen_logps.detach(),
        policy_rejected_logps.detach(),
        beta,
        label_smoothing,
    )


@wrong("20.4", "dpo_loss")
def dpo_log_of_sigmoid(
    policy_chosen_logps,
    policy_rejected_logps,
    ref_chosen_logps,
    ref_rejected_logps,
    beta=0.1,
    label_smoothing=0.0,
):
    """log(sigmoid(x)) instead of logsigmoid: inf at margins of -1000."""
    z = (policy_chosen_logps - policy_rejected_logps) - (ref_chosen_logps - ref_rejected_logps)
    s = label_smoothing
    losses = -(1 - s) * torch.log(torch.sigmoid(beta * z)) - s * torch.log(torch.sigmoid(-beta * z))
    return (
        losses,
        beta * (policy_chosen_logps - ref_chosen_logps).detach(),
        beta * (policy_rejected_logps - ref_rejected_logps).detach(),
    )


@wrong("20.4", "dpo_loss")
def dpo_beta_outside(
    policy_chosen_logps,
    policy_rejected_logps,
    ref_chosen_logps,
    ref_rejected_logps,
    beta=0.1,
    label_smoothing=0.0,
):
    """Multiplies the log-sigmoid by beta instead of its argument."""
    z = (policy_chosen_logps - policy_rejected_logps) - (ref_chosen_logps - ref_rejected_logps)
    losses, c, r = _dpo(
        policy_chosen_logps,
        policy_rejected_logps,
        ref_chosen_logps,
        ref_rejected_logps,
        1.0,
        label_smoothing,
        z,
    )
    return beta * losses, beta * c, beta * r


@wrong("20.4", "dpo_loss")
def dpo_mean(
    policy_chosen_logps,
    policy_rejected_logps,
    ref_chosen_logps,
    ref_rejected_logps,
    beta=0.1,
    label_smoothing=0.0,
):
    """Returns the mean loss where TRL returns one loss per pair."""
    losses, c, r = _dpo(
        policy_chosen_logps,
        policy_rejected_logps,
        ref_chosen_logps,
        ref_rejected_logps,
        beta,
        label_smoothing,
    )
    return losses.mean(), c, r


@wrong("20.4", "dpo_loss")
def dpo_rewards_keep_grad(
    policy_chosen_logps,
    policy_rejected_logps,
    ref_chosen_logps,
    ref_rejected_logps,
    beta=0.1,
    label_smoothing=0.0,
):
    """Rewards not detached."""
    losses, _, _ = _dpo(
        policy_chosen_logps,
        policy_rejected_logps,
        ref_chosen_logps,
        ref_rejected_logps,
        beta,
        label_smoothing,
    )
    return (
        losses,
        beta * (policy_chosen_logps - ref_chosen_logps),
        beta * (policy_rejected_logps - ref_rejected_logps),
    )


@wrong("20.4", "dpo_loss")
def dpo_ignores_label_smoothing(
    policy_chosen_logps,
    policy_rejected_logps,
    ref_chosen_logps,
    ref_rejected_logps,
    beta=0.1,
    label_smoothing=0.0,
):
    """Ignores label_smoothing."""
    return _dpo(
        policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps, beta, 0.0
    )


# ---------------------------------------------------------------- 20.5
def _grpo(rewards, eps, ddof=1, axis=-1, check_g=True):
    r = np.asarray(rewards, float)
    if check_g and r.shape[-1] < 2:
        raise ValueError("G < 2")
    mean = r.mean(axis=axis, keepdims=True)
    return (r - mean) / (r.std(axis=axis, ddof=ddof, keepdims=True) + eps)


@wrong("20.5", "grpo_advantages")
def grpo_biased_std(rewards, eps=1e-4):
    """np.std's default ddof=0 (the biased std) instead of ddof=1."""
    return _grpo(rewards, eps, ddof=0)


@wrong("20.5", "grpo_advantages")
def grpo_batch_statistics(rewards, eps=1e-4):
    """Normalises with the mean and std of the whole batch, not of each group."""
    r = np.asarray(rewards, float)
    if r.shape[-1] < 2:
        raise ValueError("G < 2")
    return (r - r.mean()) / (r.std(ddof=1) + eps)


@wrong("20.5", "grpo_advantages")
def grpo_wrong_axis(rewards, eps=1e-4):
    """Normalises over axis 0 (across prompts) instead of within each group."""
    r = np.asarray(rewards, float)
    if r.shape[-1] < 2:
        raise ValueError("G < 2")
    with np.errstate(all="ignore"):
        return _grpo(r, eps, axis=0, check_g=False)


@wrong("20.5", "grpo_advantages")
def grpo_no_eps(rewards, eps=1e-4):
    """Ignores eps: a group whose rewards are all equal gives 0/0 = nan."""
    with np.errstate(all="ignore"):
        return _grpo(rewards, 0.0)


@wrong("20.5", "grpo_advantages")
def grpo_group_of_one(rewards, eps=1e-4):
    """Does not reject G = 1 (returns the nan of an undefined std instead of raising)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        r = np.asarray(rewards)
        r = r if np.issubdtype(r.dtype, np.floating) else r.astype(np.float64)
        return (r - r.mean(-1, keepdims=True)) / (r.std(-1, ddof=1, keepdims=True) + eps)


@wrong("20.5", "kl_estimators")
def kl_k1_sign(logp, logp_ref):
    """k1 = r = log ref - log p (sign flipped)."""
    r = np.asarray(logp_ref) - np.asarray(logp)
    return r, 0.5 * r**2, np.expm1(r) - r


@wrong("20.5", "kl_estimators")
def kl_k3_wrong_direction(logp, logp_ref):
    """k3 built from the ratio p / ref instead of ref / p."""
    r = np.asarray(logp_ref) - np.asarray(logp)
    return -r, 0.5 * r**2, np.expm1(-r) + r


@wrong("20.5", "kl_estimators")
def kl_k2_no_half(logp, logp_ref):
    """k2 = r^2, forgetting the 1/2."""
    r = np.asarray(logp_ref) - np.asarray(logp)
    return -r, r**2, np.expm1(r) - r


@wrong("20.5", "kl_estimators")
def kl_k3_naive(logp, logp_ref):
    """k3 = exp(r) - 1 - r: cancels for tiny |r| and even comes out negative."""
    r = np.asarray(logp_ref) - np.asarray(logp)
    return -r, 0.5 * r**2, np.exp(r) - 1 - r


@wrong("20.5", "kl_estimators")
def kl_float64_always(logp, logp_ref):
    """Casts to float64: float32 log-probs give float64 estimates."""
    r = np.asarray(logp_ref, np.float64) - np.asarray(logp, np.float64)
    return -r, 0.5 * r**2, np.expm1(r) - r


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
