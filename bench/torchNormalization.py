#!/usr/bin/env python3
"""Times PyTorch's normalization layers on one CPU thread for bench/engine.ts.

Reads a JSON list of {"label", "op", "shape"} cases and the run counts from argv, prints one JSON
object mapping each label to its median forward time in milliseconds. The ops use the same
configuration as the engine's benchmark: BatchNorm2d in training mode (with its running-stat
update), GroupNorm(32, C), InstanceNorm2d(C) and LayerNorm(768), all with PyTorch defaults.
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn


def build_layer(op, shape):
    channels = shape[1]
    if op == 'BatchNorm2d':
        return nn.BatchNorm2d(channels).train()
    if op == 'GroupNorm':
        return nn.GroupNorm(32, channels)
    if op == 'InstanceNorm2d':
        return nn.InstanceNorm2d(channels)
    if op == 'LayerNorm':
        return nn.LayerNorm(shape[-1])
    raise ValueError(op)


def median_milliseconds(layer, tensor, warmup_runs, timed_runs):
    with torch.no_grad():
        for _ in range(warmup_runs):
            layer(tensor)
        durations = []
        for _ in range(timed_runs):
            start = time.perf_counter()
            layer(tensor)
            durations.append((time.perf_counter() - start) * 1000)
    return statistics.median(durations)


def main():
    cases, warmup_runs, timed_runs = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(1)
    torch.manual_seed(0)
    timings = {}
    for case in cases:
        tensor = torch.randn(*case['shape'])
        timings[case['label']] = median_milliseconds(build_layer(case['op'], case['shape']), tensor, warmup_runs, timed_runs)
    print(json.dumps(timings))


if __name__ == '__main__':
    main()
