"""The numba-compiled loops behind models/wavenet/generate.py.

Every generator is built from the same per-position kernels (`_embed`, `_gate`, `_residual`,
`_skip`, `_head`, `_sample`), which fix the order of every multiply and add (fused multiply-adds,
no reassociation), so naive, fast and batched generation give the same samples bit for bit.
Matrices are laid out (in, out) and accumulated input by input: the loops over outputs vectorise.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Fused multiply-adds only: no reassociation, so every generator adds in the same order.
FLAGS = {"contract"}

# --- the per-position kernels: one fixed order of operations for every generator ---------------
@njit(cache=True, inline="always", fastmath=FLAGS)
def _matvec_add(x, w, out):
    """out += x @ w, accumulated input by input (no reassociation)."""
    for i in range(w.shape[0]):
        xi = x[i]
        for j in range(w.shape[1]):
            out[j] += xi * w[i, j]


@njit(cache=True, inline="always", fastmath=FLAGS)
def _tanh(x):
    """tanh as a rational function of x in float32 (within 4e-7 of tanh): no library call, so
    the loops over units vectorise. The sigmoid is 0.5 + 0.5 tanh(x / 2)."""
    x = min(max(x, np.float32(-9.0)), np.float32(9.0))
    x2 = x * x
    p = np.float32(-2.76076847742355e-16)
    p = p * x2 + np.float32(2.00018790482477e-13)
    p = p * x2 + np.float32(-8.60467152213735e-11)
    p = p * x2 + np.float32(5.12229709037114e-08)
    p = p * x2 + np.float32(1.48572235717979e-05)
    p = p * x2 + np.float32(6.37261928875436e-04)
    p = p * x2 + np.float32(4.89352455891786e-03)
    q = np.float32(1.19825839466702e-06)
    q = q * x2 + np.float32(1.18534705686654e-04)
    q = q * x2 + np.float32(2.26843463243900e-03)
    q = q * x2 + np.float32(4.89352518554385e-03)
    return x * p / q


@njit(cache=True, inline="always", fastmath=FLAGS)
def _embed(prev, now, in_prev, in_now, in_bias, h):
    """The causal width-2 input convolution over the one-hot levels: two table rows."""
    for j in range(h.shape[0]):
        h[j] = in_prev[prev, j] + in_now[now, j] + in_bias[j]


@njit(cache=True, inline="always", fastmath=FLAGS)
def _gate(past, now, w_past, w_now, bias, z, g):
    """z = W_past h[t-d] + W_now h[t] + b + V c; g = tanh(filter) * sigmoid(gate)."""
    for j in range(z.shape[0]):
        z[j] = bias[j]
    _matvec_add(past, w_past, z)
    _matvec_add(now, w_now, z)
    _gated(z, g)


@njit(cache=True, inline="always", fastmath=FLAGS)
def _gated(z, g):
    """g = tanh(z[:R]) * sigmoid(z[R:]), the sigmoid as 0.5 + 0.5 tanh(x / 2)."""
    r = g.shape[0]
    for j in range(r):
        g[j] = _tanh(z[j]) * (np.float32(0.5) + np.float32(0.5) * _tanh(np.float32(0.5) * z[r + j]))


@njit(cache=True, inline="always", fastmath=FLAGS)
def _residual(now, g, w_res, b_res, tmp, out):
    """The layer's output on the residual stream: its input plus a 1x1 of the gated units."""
    for j in range(tmp.shape[0]):
        tmp[j] = b_res[j]
    _matvec_add(g, w_res, tmp)
    for j in range(out.shape[0]):
        out[j] = now[j] + tmp[j]


@njit(cache=True, inline="always", fastmath=FLAGS)
def _skip(g, w_skip, b_skip, tmp, skip):
    for j in range(tmp.shape[0]):
        tmp[j] = b_skip[j]
    _matvec_add(g, w_skip, tmp)
    for j in range(skip.shape[0]):
        skip[j] += tmp[j]


@njit(cache=True, inline="always", fastmath=FLAGS)
def _head(skip, w1, b1, w2, b2, relu_skip, hidden, logits):
    """relu -> 1x1 -> relu -> 1x1: the 256 logits of the next sample."""
    for j in range(skip.shape[0]):
        relu_skip[j] = max(skip[j], np.float32(0.0))
    for j in range(hidden.shape[0]):
        hidden[j] = b1[j]
    _matvec_add(relu_skip, w1, hidden)
    for j in range(hidden.shape[0]):
        hidden[j] = max(hidden[j], np.float32(0.0))
    for j in range(logits.shape[0]):
        logits[j] = b2[j]
    _matvec_add(hidden, w2, logits)


@njit(cache=True, inline="always", fastmath=FLAGS)
def _sample(logits, temperature, u):
    """A level drawn from softmax(logits / temperature) by inverse CDF at the uniform u."""
    top = logits[0]
    for j in range(1, logits.shape[0]):
        top = max(top, logits[j])
    total = 0.0
    weights = np.empty(logits.shape[0])
    for j in range(logits.shape[0]):
        weights[j] = np.exp((np.float64(logits[j]) - np.float64(top)) / temperature)
        total += weights[j]
    threshold = u * total
    running = 0.0
    for j in range(logits.shape[0]):
        running += weights[j]
        if running > threshold:
            return j
    return logits.shape[0] - 1


# --- fast: per-layer queues ---------------------------------------------------------------------
@njit(cache=True, fastmath=FLAGS)
def fast_run(levels, start, stop, queues, dilations, in_prev, in_now, in_bias, w_past, w_now, biases,
              w_res, b_res, w_skip, b_skip, w1, b1, w2, b2, temperature, uniforms, logits_out):
    """Advance one stream from time `start` to `stop` (exclusive). At time t the network reads
    levels[t-1], levels[t] and, if t + 1 is not yet known (levels[t + 1] < 0), samples it with
    uniforms[t + 1]. queues[l, t % d_l] holds layer l's input at time t - d_l.
    With logits_out of length > 0, the logits at each t are stored there (for tests)."""
    n_layers, r = w_res.shape[0], w_res.shape[1]
    h = np.empty(r, np.float32)
    h_next = np.empty(r, np.float32)
    z = np.empty(2 * r, np.float32)
    g = np.empty(r, np.float32)
    tmp_r = np.empty(r, np.float32)
    skip = np.empty(w_skip.shape[2], np.float32)
    tmp_s = np.empty(w_skip.shape[2], np.float32)
    relu_skip = np.empty(w_skip.shape[2], np.float32)
    hidden = np.empty(w1.shape[1], np.float32)
    logits = np.empty(w2.shape[1], np.float32)
    for t in range(start, stop):
        _embed(levels[t - 1], levels[t], in_prev, in_now, in_bias, h)
        skip[:] = 0.0
        for k in range(n_layers):
            slot = t % dilations[k]
            _gate(queues[k, slot], h, w_past[k], w_now[k], biases[k], z, g)
            queues[k, slot, :] = h
            _skip(g, w_skip[k], b_skip[k], tmp_s, skip)
            _residual(h, g, w_res[k], b_res[k], tmp_r, h_next)
            h[:] = h_next
        if levels[t + 1] >= 0 and logits_out.shape[0] == 0:
            continue
        _head(skip, w1, b1, w2, b2, relu_skip, hidden, logits)
        if logits_out.shape[0] > 0:
            logits_out[t] = logits
        if levels[t + 1] < 0:
            levels[t + 1] = _sample(logits, temperature, uniforms[t + 1])


@njit(cache=True, inline="always", fastmath=FLAGS)
def _matmat_add(x, w, out):
    """out[b] += x[b] @ w for every stream b, input by input: per element the same order of
    operations as `_matvec_add`, while each row of w is reused across the streams."""
    for i in range(w.shape[0]):
        for b in range(x.shape[0]):
            xi = x[b, i]
            for j in range(w.shape[1]):
                out[b, j] += xi * w[i, j]


@njit(cache=True, fastmath=FLAGS)
def batched_run(levels, start, stop, queues, dilations, in_prev, in_now, in_bias, w_past, w_now, biases,
                 w_res, b_res, w_skip, b_skip, w1, b1, w2, b2, temperatures, uniforms):
    """`fast_run` for B streams (levels (B, T), queues (B, L, dmax, R), biases (B, L, 2R)): each
    layer is a small matrix product over the streams at each time step."""
    n_streams, n_layers, r = levels.shape[0], w_res.shape[0], w_res.shape[1]
    s = w_skip.shape[2]
    h = np.empty((n_streams, r), np.float32)
    past = np.empty((n_streams, r), np.float32)
    z = np.empty((n_streams, 2 * r), np.float32)
    g = np.empty((n_streams, r), np.float32)
    tmp_r = np.empty((n_streams, r), np.float32)
    skip = np.empty((n_streams, s), np.float32)
    tmp_s = np.empty((n_streams, s), np.float32)
    relu_skip = np.empty(s, np.float32)
    hidden = np.empty(w1.shape[1], np.float32)
    logits = np.empty(w2.shape[1], np.float32)
    for t in range(start, stop):
        for b in range(n_streams):
            _embed(levels[b, t - 1], levels[b, t], in_prev, in_now, in_bias, h[b])
        skip[:, :] = 0.0
        for k in range(n_layers):
            slot = t % dilations[k]
            for b in range(n_streams):
                past[b] = queues[b, k, slot]
                queues[b, k, slot, :] = h[b]
                z[b] = biases[b, k]
            _matmat_add(past, w_past[k], z)  # the dilated convolution: tap at t - d, then at t
            _matmat_add(h, w_now[k], z)
            for b in range(n_streams):
                _gated(z[b], g[b])
                tmp_s[b] = b_skip[k]
                tmp_r[b] = b_res[k]
            _matmat_add(g, w_skip[k], tmp_s)
            _matmat_add(g, w_res[k], tmp_r)
            for b in range(n_streams):
                for j in range(s):
                    skip[b, j] += tmp_s[b, j]
                for j in range(r):
                    h[b, j] = h[b, j] + tmp_r[b, j]
        for b in range(n_streams):
            if levels[b, t + 1] < 0:
                _head(skip[b], w1, b1, w2, b2, relu_skip, hidden, logits)
                levels[b, t + 1] = _sample(logits, temperatures[b], uniforms[b, t + 1])


# --- naive: the whole receptive field for every sample ------------------------------------------
@njit(cache=True, fastmath=FLAGS)
def _naive_logits(levels, t, dilations, in_prev, in_now, in_bias, w_past, w_now, biases,
                  w_res, b_res, w_skip, b_skip, w1, b1, w2, b2, logits):
    """The logits at time t from levels[t - rf + 1 .. t], every layer recomputed at every position."""
    n_layers, r = w_res.shape[0], w_res.shape[1]
    rf = 2
    for k in range(n_layers):
        rf += dilations[k]
    count = rf - 1  # positions of the input layer: t - rf + 2 .. t
    h = np.empty((count, r), np.float32)
    for i in range(count):
        tau = t - count + 1 + i
        _embed(levels[tau - 1], levels[tau], in_prev, in_now, in_bias, h[i])
    z = np.empty(2 * r, np.float32)
    g = np.empty(r, np.float32)
    tmp_r = np.empty(r, np.float32)
    skip = np.zeros(w_skip.shape[2], np.float32)
    tmp_s = np.empty(w_skip.shape[2], np.float32)
    for k in range(n_layers):
        d = dilations[k]
        count -= d
        nxt = np.empty((count, r), np.float32)
        for i in range(count):
            _gate(h[i], h[i + d], w_past[k], w_now[k], biases[k], z, g)
            _residual(h[i + d], g, w_res[k], b_res[k], tmp_r, nxt[i])
            if i == count - 1:
                _skip(g, w_skip[k], b_skip[k], tmp_s, skip)
        h = nxt
    relu_skip = np.empty(w_skip.shape[2], np.float32)
    hidden = np.empty(w1.shape[1], np.float32)
    _head(skip, w1, b1, w2, b2, relu_skip, hidden, logits)


@njit(cache=True, fastmath=FLAGS)
def naive_run(levels, start, stop, dilations, in_prev, in_now, in_bias, w_past, w_now, biases,
               w_res, b_res, w_skip, b_skip, w1, b1, w2, b2, temperature, uniforms):
    logits = np.empty(w2.shape[1], np.float32)
    for t in range(start, stop):
        _naive_logits(levels, t, dilations, in_prev, in_now, in_bias, w_past, w_now, biases,
                      w_res, b_res, w_skip, b_skip, w1, b1, w2, b2, logits)
        levels[t + 1] = _sample(logits, temperature, uniforms[t + 1])
