import torch.nn as nn
norm = nn.GroupNorm(32, 100)
