"""A small classifier and its training script, with the mistakes normlint is for."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--batch-size", type=int, default=4)
args = parser.parse_args()


class Classifier(nn.Module):
    def __init__(self, width=64, classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1),
            nn.BatchNorm2d(width),
            nn.ReLU(),
            nn.Conv2d(width, width * 2, 3, padding=1, bias=False),
            nn.BatchNorm2d(width),
            nn.ReLU(),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(width * 2, classes, bias=False)
        self.bn = nn.BatchNorm1d(classes, momentum=0.99)

    def forward(self, x):
        x = self.pool(self.features(x)).flatten(1)
        return self.bn(self.fc(x))


model = Classifier()
print(model(torch.randn(1, 3, 32, 32)).shape)

train_set = TensorDataset(torch.randn(1001, 3, 32, 32), torch.randint(0, 10, (1001,)))
loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)
