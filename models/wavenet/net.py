"""The WaveNet of van den Oord et al. (2016), §2: modules only.

x (mu-law levels) -> causal convolution of width 2 over the one-hot input (two lookups) ->
dilated layers, each: a width-2 causal convolution with dilation d to 2R channels, plus the
condition's embedding (global conditioning, eq. 3: V^T h inside both halves of the gate) ->
tanh(filter) * sigmoid(gate) -> a 1x1 to the residual stream (added to the layer's input) and a
1x1 to the skip stream. The skips are summed -> relu -> 1x1 -> relu -> 1x1 -> 256 logits, a
softmax over the next sample's level.

All convolutions are 'valid': an input of T samples gives T - rf + 1 outputs, output i being
the prediction of the sample after input i + rf - 1.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from models.wavenet.config import WaveNetConfig


class WaveNet(nn.Module):
    def __init__(self, config: WaveNetConfig) -> None:
        super().__init__()
        self.config = config
        r, s = config.residual, config.skip
        self.input_prev = nn.Embedding(config.levels, r)  # width-2 causal conv on one-hot: tap at t-1
        self.input_now = nn.Embedding(config.levels, r)  # tap at t
        self.input_bias = nn.Parameter(torch.zeros(r))
        self.dilated = nn.ModuleList(nn.Conv1d(r, 2 * r, 2, dilation=d) for d in config.dilations)
        self.condition = (
            nn.ModuleList(nn.Embedding(config.conditions, 2 * r) for _ in config.dilations)
            if config.conditions
            else None
        )
        self.residual = nn.ModuleList(nn.Conv1d(r, r, 1) for _ in config.dilations)
        self.skip = nn.ModuleList(nn.Conv1d(r, s, 1) for _ in config.dilations)
        self.head1 = nn.Conv1d(s, config.head, 1)
        self.head2 = nn.Conv1d(config.head, config.levels, 1)
        for table in (self.input_prev, self.input_now):
            nn.init.normal_(table.weight, std=0.5)
        if self.condition is not None:
            for table in self.condition:
                nn.init.normal_(table.weight, std=0.1)

    @property
    def receptive_field(self) -> int:
        return self.config.receptive_field

    def forward(self, levels: torch.Tensor, condition: torch.Tensor | None = None) -> torch.Tensor:
        """levels (B, T) int64, condition (B,) int64 -> logits (B, 256, T - rf + 1)."""
        h = self.input_prev(levels[:, :-1]) + self.input_now(levels[:, 1:]) + self.input_bias  # (B, T-1, R)
        h = h.transpose(1, 2)  # (B, R, T-1)
        skips = None
        out_len = levels.shape[1] - self.receptive_field + 1
        for k, d in enumerate(self.config.dilations):
            z = self.dilated[k](h)  # (B, 2R, len - d)
            if self.condition is not None:
                if condition is None:
                    raise ValueError("this WaveNet is conditioned: pass a condition id per sequence")
                z = z + self.condition[k](condition).unsqueeze(-1)
            filt, gate = z.chunk(2, dim=1)
            g = torch.tanh(filt) * torch.sigmoid(gate)
            skip = self.skip[k](g[:, :, -out_len:])
            skips = skip if skips is None else skips + skip
            h = h[:, :, d:] + self.residual[k](g)
        y = F.relu(self.head1(F.relu(skips)))
        return self.head2(y)

    def nll_bits(self, levels: torch.Tensor, condition: torch.Tensor | None) -> torch.Tensor:
        """Mean negative log-likelihood, bits per sample, of levels[:, rf:] given what precedes."""
        logits = self(levels[:, :-1], condition)
        targets = levels[:, self.receptive_field :]
        return F.cross_entropy(logits, targets) / torch.log(torch.tensor(2.0))
