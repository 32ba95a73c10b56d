import torch.nn as nn

norm = nn.GroupNorm(4, 8)
