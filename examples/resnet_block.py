"""A residual block whose GroupNorm settings come from module constants."""
import torch
import torch.nn as nn
from torch.nn import GroupNorm as GN

WIDTH = 100
GROUPS = 32


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, WIDTH, kernel_size=3, padding=1)
        self.norm = nn.GroupNorm(GROUPS, WIDTH)
        self.head_norm = GN(num_groups=8, num_channels=WIDTH * 2)  # 200 channels, 8 groups: fine
        self.proj_norm = torch.nn.GroupNorm(16, 24)

    def forward(self, x):
        return self.norm(self.conv(x))
