"""The three networks of the MTCNN cascade (Zhang, Zhang, Li, Qiao, "Joint Face Detection and
Alignment using Multi-task Cascaded Convolutional Networks", IEEE SPL 2016, arXiv:1604.02878).

P-Net is fully convolutional: a 12x12 window in, one face probability and one box correction
out, so run over a whole image it gives a probability map with a stride of 2 px, the
"heat-map" of Farfade, Saberian and Li's DDFD ("Multi-view Face Detection Using Deep
Convolutional Neural Networks", ICMR 2015, arXiv:1502.02766), who turned a classifier into a
detector the same way. R-Net (24x24) and O-Net (48x48) re-score the windows P-Net proposes;
O-Net also places five landmarks. Attribute names follow the released checkpoints (the
`facenet-pytorch` port of the authors' models: `conv1`, `prelu1`, `dense5_1`...), so their
state_dicts load with `load_state_dict(strict=True)`. Modules only: no file I/O here.
"""

from __future__ import annotations

import torch
from torch import nn


def flatten_transposed(features: torch.Tensor) -> torch.Tensor:
    """(B, C, H, W) -> (B, W * H * C), column-major over the image.

    The original models were trained in MATLAB on transposed images; the ported conv kernels
    were transposed back, but the dense layers still expect features ordered as that
    transposed, channel-last array (x outermost, then y, then channel)."""
    return features.permute(0, 3, 2, 1).flatten(1)


class PNet(nn.Module):
    """Proposal network. Image (B, 3, H, W), normalised to about [-1, 1], ->
    face probability (B, H', W') and box offsets (B, 4, H', W'), H' = ceil((H - 2) / 2) - 4,
    i.e. one output per 12x12 window taken every 2 px (exactly so for even H, W)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 10, 3)  # (B, 10, H-2, W-2)
        self.prelu1 = nn.PReLU(10)
        self.pool1 = nn.MaxPool2d(2, 2, ceil_mode=True)  # the stride-2 step of the window grid
        self.conv2 = nn.Conv2d(10, 16, 3)
        self.prelu2 = nn.PReLU(16)
        self.conv3 = nn.Conv2d(16, 32, 3)  # (B, 32, H', W'): a 12x12 window per position
        self.prelu3 = nn.PReLU(32)
        self.conv4_1 = nn.Conv2d(32, 2, 1)  # logits: not face, face
        self.conv4_2 = nn.Conv2d(32, 4, 1)  # (dx1, dy1, dx2, dy2) as fractions of the window

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.pool1(self.prelu1(self.conv1(image)))
        x = self.prelu3(self.conv3(self.prelu2(self.conv2(x))))
        probability = self.conv4_1(x).softmax(dim=1)[:, 1]  # (B, H', W')
        return probability, self.conv4_2(x)


class RNet(nn.Module):
    """Refinement network: crops (B, 3, 24, 24) -> face probability (B,), box offsets (B, 4)."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 28, 3)  # (B, 28, 22, 22)
        self.prelu1 = nn.PReLU(28)
        self.pool1 = nn.MaxPool2d(3, 2, ceil_mode=True)  # (B, 28, 11, 11)
        self.conv2 = nn.Conv2d(28, 48, 3)  # (B, 48, 9, 9)
        self.prelu2 = nn.PReLU(48)
        self.pool2 = nn.MaxPool2d(3, 2, ceil_mode=True)  # (B, 48, 4, 4)
        self.conv3 = nn.Conv2d(48, 64, 2)  # (B, 64, 3, 3)
        self.prelu3 = nn.PReLU(64)
        self.dense4 = nn.Linear(576, 128)
        self.prelu4 = nn.PReLU(128)
        self.dense5_1 = nn.Linear(128, 2)  # logits: not face, face
        self.dense5_2 = nn.Linear(128, 4)  # box offsets

    def forward(self, crops: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.pool1(self.prelu1(self.conv1(crops)))
        x = self.pool2(self.prelu2(self.conv2(x)))
        x = self.prelu4(self.dense4(flatten_transposed(self.prelu3(self.conv3(x)))))  # (B, 128)
        return self.dense5_1(x).softmax(dim=1)[:, 1], self.dense5_2(x)


class ONet(nn.Module):
    """Output network: crops (B, 3, 48, 48) -> face probability (B,), box offsets (B, 4) and
    landmarks (B, 10): x of the eyes, nose and mouth corners, then their y, as fractions of
    the crop."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3)  # (B, 32, 46, 46)
        self.prelu1 = nn.PReLU(32)
        self.pool1 = nn.MaxPool2d(3, 2, ceil_mode=True)  # (B, 32, 23, 23)
        self.conv2 = nn.Conv2d(32, 64, 3)  # (B, 64, 21, 21)
        self.prelu2 = nn.PReLU(64)
        self.pool2 = nn.MaxPool2d(3, 2, ceil_mode=True)  # (B, 64, 10, 10)
        self.conv3 = nn.Conv2d(64, 64, 3)  # (B, 64, 8, 8)
        self.prelu3 = nn.PReLU(64)
        self.pool3 = nn.MaxPool2d(2, 2, ceil_mode=True)  # (B, 64, 4, 4)
        self.conv4 = nn.Conv2d(64, 128, 2)  # (B, 128, 3, 3)
        self.prelu4 = nn.PReLU(128)
        self.dense5 = nn.Linear(1152, 256)
        self.prelu5 = nn.PReLU(256)
        self.dense6_1 = nn.Linear(256, 2)  # logits: not face, face
        self.dense6_2 = nn.Linear(256, 4)  # box offsets
        self.dense6_3 = nn.Linear(256, 10)  # landmarks

    def forward(self, crops: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        x = self.pool1(self.prelu1(self.conv1(crops)))
        x = self.pool2(self.prelu2(self.conv2(x)))
        x = self.pool3(self.prelu3(self.conv3(x)))
        x = self.prelu5(self.dense5(flatten_transposed(self.prelu4(self.conv4(x)))))  # (B, 256)
        return self.dense6_1(x).softmax(dim=1)[:, 1], self.dense6_2(x), self.dense6_3(x)


class FaceCascade(nn.Module):
    """The three networks together, as `predict.load` returns them; the cascade logic that
    runs them (pyramid, NMS, crops) lives in `detect`."""

    def __init__(self) -> None:
        super().__init__()
        self.pnet = PNet()
        self.rnet = RNet()
        self.onet = ONet()
