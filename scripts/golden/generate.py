#!/usr/bin/env python3
"""Generates the engine's golden cases with real PyTorch.

Every normalization layer runs in float64 on float32 inputs and parameters, so the expected values
are the exact answer for the float32 data (PyTorch's own float32 kernels drift from it on the
adversarial cases; each case records by how much in `torchFloat32MaxAbsDifference`). The cases go to
test/fixtures/engine/golden/: one folder of .npy files per case and index.json describing them in
the engine's LayerSpec vocabulary. test/engine/golden.test.ts compares the engine with every case.

Run with Debian's python3-torch (torch 1.13):
    /usr/bin/python3 scripts/golden/generate.py           # rewrite the fixtures
    /usr/bin/python3 scripts/golden/generate.py --check   # regenerate into a temp dir, compare, exit 1 on a difference

torch 1.13 predates nn.RMSNorm (2.4), LayerNorm(bias=False) (2.1) and InstanceNorm's momentum=None
handling (2.0); those cases are computed from the documented formula in float64 or emulated, and
say so in their `reference` and `note` fields.
"""
import argparse
import json
import math
import os
import shutil
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn

FIXTURE_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'fixtures', 'engine')
SEED = 20240611
CHECK_TOLERANCE = 1e-6
TORCH_REFERENCE = f'PyTorch {torch.__version__.split("a")[0]} float64'


class GoldenWriter:
    """Collects cases and writes their arrays as .npy files next to an index."""

    def __init__(self, folder):
        self.folder = folder
        self.cases = []

    def save(self, case_name, array_name, array):
        os.makedirs(os.path.join(self.folder, case_name), exist_ok=True)
        relative_path = f'{case_name}/{array_name}.npy'
        assert not os.path.exists(os.path.join(self.folder, relative_path)), relative_path
        np.save(os.path.join(self.folder, relative_path), array)
        return relative_path

    def add(self, name, *, inputs, expected, torch_float32_output=None, **fields):
        assert all(case['name'] != name for case in self.cases), name
        case = {'name': name, **fields}
        case['inputs'] = {key: self.save(name, f'given.{key}', as_float32(value)) for key, value in inputs.items()}
        saved = {}
        for key, value in expected.items():
            if isinstance(value, int):
                saved[key] = value
            elif key in ('mean', 'variance'):
                # Statistics keep float64, which also exercises the engine's reading of '<f8'.
                saved[key] = self.save(name, f'expected.{key}', value.detach().to(torch.float64).numpy())
            else:
                saved[key] = self.save(name, f'expected.{key}', as_float32(value))
        case['expected'] = saved
        if torch_float32_output is not None:
            difference = (torch_float32_output.double() - expected['output'].double()).abs().max().item()
            case['torchFloat32MaxAbsDifference'] = float(f'{difference:.3g}') if math.isfinite(difference) else None
        self.cases.append(case)

    def write_index(self):
        index = {
            'generator': 'scripts/golden/generate.py',
            'seed': SEED,
            'comparison': 'engine within 1e-5 absolute + 1e-4 relative of every expected array',
            'cases': self.cases,
        }
        with open(os.path.join(self.folder, 'index.json'), 'w') as file:
            json.dump(index, file, indent=1)
            file.write('\n')


def as_float32(tensor):
    return tensor.detach().to(torch.float32).contiguous().numpy()


def random_input(shape, kind='normal'):
    """Float32 inputs: ordinary, large mean with a tiny spread, subnormal magnitudes, or with one constant set."""
    values = torch.randn(*shape)
    if kind == 'normal':
        return values * 1.5 + 0.25
    if kind == 'constantChannel':
        values[:, 1] = 3.25
        return values
    if kind == 'constantGroup':
        # Channels 2 and 3 form group 1 when 8 channels are split into 4 groups.
        values[:, 2:4] = 3.25
        return values
    if kind == 'constantRow':
        values[1] = 3.25
        return values
    if kind == 'largeMeanSmallSpread':
        return values * 1e-2 + 1e4
    if kind == 'subnormal':
        # 1e-39 is below float32's smallest normal (1.18e-38): these values are float32 subnormals.
        return values * 1e-39
    raise ValueError(kind)


def random_affine(count):
    return torch.rand(count) * 1.5 + 0.25, torch.randn(count) * 0.5


def running_statistics(count):
    return torch.randn(count) * 0.5, torch.rand(count) * 2 + 0.5


def run_float64_and_float32(module_factory, input_tensor, setup):
    """Runs a fresh module in float64 (the reference) and in float32 (to record PyTorch's own drift)."""
    results = []
    for dtype in (torch.float64, torch.float32):
        module = module_factory().to(dtype)
        setup(module, dtype)
        with torch.no_grad():
            output = module(input_tensor.to(dtype))
        results.append((module, output))
    return results


def set_parameters(module, dtype, weight=None, bias=None, running_mean=None, running_var=None, num_batches_tracked=None):
    with torch.no_grad():
        if weight is not None:
            module.weight.copy_(weight.to(dtype))
        if bias is not None:
            module.bias.copy_(bias.to(dtype))
        if running_mean is not None:
            module.running_mean.copy_(running_mean.to(dtype))
            module.running_var.copy_(running_var.to(dtype))
        if num_batches_tracked is not None:
            module.num_batches_tracked.fill_(num_batches_tracked)


def running_statistics_inputs(input_tensor, weight, bias, running_mean, running_var, affine, track):
    """The tensors a BatchNorm or InstanceNorm case starts from: affine parameters and running statistics when it has them."""
    inputs = {'input': input_tensor}
    if affine:
        inputs.update(weight=weight, bias=bias)
    if track:
        inputs.update(runningMean=running_mean, runningVar=running_var)
    return inputs


def moments(input_tensor, dims):
    values = input_tensor.double()
    return values.mean(dim=dims), values.var(dim=dims, unbiased=False)


def add_batch_norm_cases(writer):
    classes = {1: nn.BatchNorm1d, 2: nn.BatchNorm2d, 3: nn.BatchNorm3d}
    configurations = [
        # (rank, shape, mode, affine, track, momentum, numBatchesTracked, input kind, eps)
        (1, (6, 4), 'train', True, True, 0.1, 0, 'normal', 1e-5),
        (1, (5, 3, 7), 'train', True, True, 0.1, 2, 'normal', 1e-5),
        (1, (5, 3, 7), 'eval', True, True, 0.1, 2, 'normal', 1e-5),
        (2, (2, 3, 4, 5), 'train', True, True, 0.1, 0, 'normal', 1e-5),
        (2, (2, 3, 4, 5), 'train', False, True, 0.5, 0, 'normal', 1e-3),
        (2, (2, 3, 4, 5), 'train', True, True, None, 3, 'normal', 1e-5),
        (2, (2, 3, 4, 5), 'eval', True, True, 0.1, 7, 'normal', 1e-5),
        (2, (2, 3, 4, 5), 'eval', False, True, 0.1, 7, 'normal', 1e-5),
        (2, (3, 2, 3, 3), 'train', True, False, 0.1, 0, 'normal', 1e-5),
        (2, (3, 2, 3, 3), 'eval', True, False, 0.1, 0, 'normal', 1e-5),
        (2, (1, 4, 3, 3), 'train', True, True, 0.1, 0, 'normal', 1e-5),
        (2, (8, 16, 16, 16), 'train', True, True, 0.1, 0, 'normal', 1e-5),
        (2, (4, 3, 5, 5), 'train', True, True, 0.1, 0, 'largeMeanSmallSpread', 1e-5),
        (2, (4, 3, 5, 5), 'train', True, True, 0.1, 0, 'subnormal', 1e-5),
        (2, (4, 3, 5, 5), 'train', True, True, 0.1, 0, 'constantChannel', 1e-5),
        (2, (4, 3, 5, 5), 'train', False, True, 0.1, 0, 'subnormal', 0.0),
        (3, (2, 2, 3, 4, 5), 'train', True, True, 0.1, 0, 'normal', 1e-5),
        (3, (2, 2, 3, 4, 5), 'eval', True, True, 0.1, 0, 'normal', 1e-5),
    ]
    for rank, shape, mode, affine, track, momentum, batches, kind, eps in configurations:
        channels = shape[1]
        input_tensor = random_input(shape, kind)
        weight, bias = random_affine(channels)
        running_mean, running_var = running_statistics(channels)
        momentum_text = 'None' if momentum is None else f'{momentum:g}'
        name = (f'batchNorm{rank}d_{mode}_{"x".join(map(str, shape))}_affine{affine}_track{track}'
                f'_momentum{momentum_text}_eps{eps:g}_{kind}')

        def setup(module, dtype):
            set_parameters(module, dtype, weight if affine else None, bias if affine else None,
                           running_mean if track else None, running_var, batches if track else None)
            module.train(mode == 'train')

        (reference, output), (_, output32) = run_float64_and_float32(
            lambda: classes[rank](channels, eps=eps, momentum=momentum, affine=affine, track_running_stats=track),
            input_tensor, setup)
        inputs = running_statistics_inputs(input_tensor, weight, bias, running_mean, running_var, affine, track)
        mean, variance = moments(input_tensor, [0] + list(range(2, len(shape))))
        expected = {'output': output, 'mean': mean, 'variance': variance}
        if track:
            expected.update(runningMean=reference.running_mean, runningVar=reference.running_var,
                            numBatchesTracked=int(reference.num_batches_tracked.item()))
        writer.add(name, layer={'kind': 'BatchNorm', 'numFeatures': channels, 'eps': eps, 'momentum': momentum,
                                'affine': affine, 'trackRunningStats': track, 'rank': rank},
                   mode=mode, numBatchesTracked=batches if track else None, reference=TORCH_REFERENCE,
                   inputs=inputs, expected=expected, torch_float32_output=output32)


def add_instance_norm_cases(writer):
    classes = {1: nn.InstanceNorm1d, 2: nn.InstanceNorm2d, 3: nn.InstanceNorm3d}
    configurations = [
        # (rank, shape, mode, affine, track, momentum, input kind)
        (1, (2, 3, 8), 'train', False, False, 0.1, 'normal'),
        (1, (3, 8), 'train', True, False, 0.1, 'normal'),
        (2, (2, 3, 4, 4), 'train', False, False, 0.1, 'normal'),
        (2, (2, 3, 4, 4), 'train', True, False, 0.1, 'normal'),
        (2, (2, 3, 4, 4), 'eval', True, False, 0.1, 'normal'),
        (2, (2, 3, 4, 4), 'train', True, True, 0.1, 'normal'),
        (2, (2, 3, 4, 4), 'train', False, True, 0.3, 'normal'),
        (2, (2, 3, 4, 4), 'train', True, True, None, 'normal'),
        (2, (2, 3, 4, 4), 'eval', True, True, 0.1, 'normal'),
        (2, (2, 3, 6, 6), 'train', True, False, 0.1, 'largeMeanSmallSpread'),
        (2, (2, 3, 6, 6), 'train', True, False, 0.1, 'constantChannel'),
        (3, (2, 2, 3, 3, 3), 'train', True, False, 0.1, 'normal'),
        (3, (2, 2, 3, 3, 3), 'eval', False, True, 0.1, 'normal'),
    ]
    for rank, shape, mode, affine, track, momentum, kind in configurations:
        unbatched = len(shape) == rank + 1
        channels = shape[0] if unbatched else shape[1]
        input_tensor = random_input(shape, kind)
        weight, bias = random_affine(channels)
        running_mean, running_var = running_statistics(channels)
        momentum_text = 'None' if momentum is None else f'{momentum:g}'
        name = f'instanceNorm{rank}d_{mode}_{"x".join(map(str, shape))}_affine{affine}_track{track}_momentum{momentum_text}_{kind}'
        note = None
        if momentum is None:
            note = 'torch 1.13 rejects momentum=None here; PyTorch 2 passes momentum 0.0 instead, which is what this case runs'

        def setup(module, dtype):
            set_parameters(module, dtype, weight if affine else None, bias if affine else None,
                           running_mean if track else None, running_var)
            module.train(mode == 'train')

        (reference, output), (_, output32) = run_float64_and_float32(
            lambda: classes[rank](channels, eps=1e-5, momentum=0.0 if momentum is None else momentum,
                                  affine=affine, track_running_stats=track),
            input_tensor, setup)
        inputs = running_statistics_inputs(input_tensor, weight, bias, running_mean, running_var, affine, track)
        spatial_dims = list(range(1 if unbatched else 2, len(shape)))
        mean, variance = moments(input_tensor, spatial_dims)
        expected = {'output': output, 'mean': mean, 'variance': variance}
        if track:
            expected.update(runningMean=reference.running_mean, runningVar=reference.running_var)
        writer.add(name, layer={'kind': 'InstanceNorm', 'numFeatures': channels, 'eps': 1e-5, 'momentum': momentum,
                                'affine': affine, 'trackRunningStats': track, 'rank': rank},
                   mode=mode, reference=TORCH_REFERENCE, note=note, inputs=inputs, expected=expected,
                   torch_float32_output=output32)


def add_group_norm_cases(writer):
    configurations = [
        # (shape, groups, affine, eps, input kind)
        ((2, 6, 4, 4), 3, True, 1e-5, 'normal'),
        ((2, 6, 4, 4), 1, True, 1e-5, 'normal'),
        ((2, 6, 4, 4), 6, True, 1e-5, 'normal'),
        ((2, 6, 4, 4), 2, False, 1e-5, 'normal'),
        ((3, 8, 5), 4, True, 1e-3, 'normal'),
        ((2, 4), 2, True, 1e-5, 'normal'),
        ((1, 32, 7, 7), 8, True, 1e-5, 'normal'),
        ((2, 4, 2, 3, 3), 2, True, 1e-5, 'normal'),
        ((2, 8, 5, 5), 4, True, 1e-5, 'largeMeanSmallSpread'),
        ((2, 8, 5, 5), 4, False, 0.0, 'subnormal'),
        ((2, 8, 5, 5), 4, True, 1e-5, 'constantGroup'),
    ]
    for shape, groups, affine, eps, kind in configurations:
        channels = shape[1]
        input_tensor = random_input(shape, kind)
        weight, bias = random_affine(channels)
        name = f'groupNorm_{groups}groups_{"x".join(map(str, shape))}_affine{affine}_eps{eps:g}_{kind}'
        (_, output), (_, output32) = run_float64_and_float32(
            lambda: nn.GroupNorm(groups, channels, eps=eps, affine=affine), input_tensor,
            lambda module, dtype: set_parameters(module, dtype, weight if affine else None, bias if affine else None))
        inputs = {'input': input_tensor}
        if affine:
            inputs.update(weight=weight, bias=bias)
        mean, variance = moments(input_tensor.reshape(shape[0], groups, -1), [2])
        writer.add(name, layer={'kind': 'GroupNorm', 'numGroups': groups, 'numChannels': channels, 'eps': eps, 'affine': affine},
                   mode='train', reference=TORCH_REFERENCE, inputs=inputs,
                   expected={'output': output, 'mean': mean, 'variance': variance}, torch_float32_output=output32)


def add_layer_norm_cases(writer):
    configurations = [
        # (shape, normalized shape, elementwise affine, bias, eps, input kind)
        ((4, 6), [6], True, True, 1e-5, 'normal'),
        ((2, 3, 4, 5), [4, 5], True, True, 1e-5, 'normal'),
        ((2, 3, 4, 5), [3, 4, 5], True, True, 1e-5, 'normal'),
        ((2, 3, 4, 5), [5], False, True, 1e-5, 'normal'),
        ((3, 7, 16), [16], True, False, 1e-6, 'normal'),
        ((5, 12), [12], True, True, 1e-5, 'largeMeanSmallSpread'),
        ((5, 12), [12], False, True, 0.0, 'subnormal'),
        ((5, 12), [12], True, True, 1e-5, 'constantRow'),
        ((24,), [24], True, True, 1e-5, 'normal'),
    ]
    for shape, normalized_shape, elementwise_affine, has_bias, eps, kind in configurations:
        input_tensor = random_input(shape, kind)
        count = int(np.prod(normalized_shape))
        weight, bias = random_affine(count)
        weight, bias = weight.reshape(normalized_shape), bias.reshape(normalized_shape)
        if not has_bias:
            bias = torch.zeros(normalized_shape)
        name = (f'layerNorm_{"x".join(map(str, shape))}_over{"x".join(map(str, normalized_shape))}'
                f'_affine{elementwise_affine}_bias{has_bias}_eps{eps:g}_{kind}')
        note = None if has_bias else 'torch 1.13 has no LayerNorm(bias=False); the case runs with a zero bias, which is the same layer'
        (_, output), (_, output32) = run_float64_and_float32(
            lambda: nn.LayerNorm(normalized_shape, eps=eps, elementwise_affine=elementwise_affine), input_tensor,
            lambda module, dtype: set_parameters(module, dtype, weight if elementwise_affine else None,
                                                 bias if elementwise_affine else None))
        inputs = {'input': input_tensor}
        if elementwise_affine:
            inputs['weight'] = weight
            if has_bias:
                inputs['bias'] = bias
        mean, variance = moments(input_tensor, list(range(len(shape) - len(normalized_shape), len(shape))))
        writer.add(name, layer={'kind': 'LayerNorm', 'normalizedShape': normalized_shape, 'eps': eps,
                                'elementwiseAffine': elementwise_affine, 'bias': has_bias},
                   mode='train', reference=TORCH_REFERENCE, note=note, inputs=inputs,
                   expected={'output': output, 'mean': mean, 'variance': variance}, torch_float32_output=output32)


def add_rms_norm_cases(writer):
    float32_epsilon = torch.finfo(torch.float32).eps
    configurations = [
        # (shape, normalized shape, elementwise affine, eps (None = float32 machine epsilon), input kind)
        ((4, 6), [6], True, None, 'normal'),
        ((2, 3, 4, 5), [4, 5], True, 1e-6, 'normal'),
        ((3, 10), [10], False, None, 'normal'),
        ((5, 12), [12], True, None, 'largeMeanSmallSpread'),
    ]
    for shape, normalized_shape, elementwise_affine, eps, kind in configurations:
        input_tensor = random_input(shape, kind)
        weight, _ = random_affine(int(np.prod(normalized_shape)))
        weight = weight.reshape(normalized_shape)
        dims = list(range(len(shape) - len(normalized_shape), len(shape)))
        values = input_tensor.double()
        # torch.nn.RMSNorm's documented formula: y = x / sqrt(mean(x²) + eps) · weight.
        output = values * torch.rsqrt(values.pow(2).mean(dim=dims, keepdim=True) + (float32_epsilon if eps is None else eps))
        if elementwise_affine:
            output = output * weight.double()
        inputs = {'input': input_tensor}
        if elementwise_affine:
            inputs['weight'] = weight
        mean, variance = moments(input_tensor, dims)
        name = f'rmsNorm_{"x".join(map(str, shape))}_over{"x".join(map(str, normalized_shape))}_affine{elementwise_affine}_eps{eps}_{kind}'
        writer.add(name, layer={'kind': 'RMSNorm', 'normalizedShape': normalized_shape, 'eps': eps, 'elementwiseAffine': elementwise_affine},
                   mode='train', reference='formula in float64 (torch 1.13 has no nn.RMSNorm)', inputs=inputs,
                   expected={'output': output, 'mean': mean, 'variance': variance})


def add_weight_norm_cases(writer):
    configurations = [
        # (v shape, dim as torch.nn.utils.weight_norm takes it)
        ((4, 3, 3, 3), 0),
        ((4, 3, 3, 3), 1),
        ((4, 3, 3, 3), None),
        ((4, 3, 3, 3), -2),
        ((5, 7), 0),
        ((5, 7), 1),
        ((6,), 0),
    ]
    for shape, dim in configurations:
        v = torch.randn(*shape)
        # weight_norm turns dim=None into -1, which torch._weight_norm reads as one norm over everything.
        torch_dim = -1 if dim is None else dim
        kept_axis = None if dim is None else dim % len(shape)
        g_shape = [1] * len(shape) if kept_axis is None else [shape[axis] if axis == kept_axis else 1 for axis in range(len(shape))]
        g = torch.rand(*g_shape) + 0.5
        output = torch._weight_norm(v.double(), g.double(), torch_dim)
        output32 = torch._weight_norm(v, g, torch_dim)
        name = f'weightNorm_{"x".join(map(str, shape))}_dim{dim}'
        writer.add(name, weightNorm={'dim': dim}, mode='train', reference=TORCH_REFERENCE,
                   inputs={'v': v, 'g': g}, expected={'output': output}, torch_float32_output=output32)


def write_npy_fixtures(folder):
    """Arrays of shape (2, 3, 2) whose values test/engine/npy.test.ts derives from their C-order index i."""
    os.makedirs(folder, exist_ok=True)
    index = np.arange(12).reshape(2, 3, 2)
    values_by_kind = {
        'f': (index - 5.5) * 0.25,  # exact in float16 too
        'i': index - 5,
        'u': index * 20,
        'b': index % 3 == 0,
    }
    dtypes = ['float16', 'float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool']
    for dtype_name in dtypes:
        dtype = np.dtype(dtype_name)
        byte_orders = ['little'] if dtype.itemsize == 1 else ['little', 'big']
        for byte_order in byte_orders:
            typed = values_by_kind[dtype.kind].astype(dtype.newbyteorder('<' if byte_order == 'little' else '>'))
            for order in ('c', 'fortran'):
                array = np.asfortranarray(typed) if order == 'fortran' else np.ascontiguousarray(typed)
                versions = [1, 2, 3] if dtype_name in ('float32', 'int16') else [1]
                for version in versions:
                    name = f'{dtype_name}_{byte_order}_{order}' + ('' if version == 1 else f'_v{version}') + '.npy'
                    with open(os.path.join(folder, name), 'wb') as file:
                        np.lib.format.write_array(file, array, version=(version, 0))


def generate(folder):
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    writer = GoldenWriter(os.path.join(folder, 'golden'))
    add_batch_norm_cases(writer)
    add_instance_norm_cases(writer)
    add_group_norm_cases(writer)
    add_layer_norm_cases(writer)
    add_rms_norm_cases(writer)
    add_weight_norm_cases(writer)
    writer.write_index()
    write_npy_fixtures(os.path.join(folder, 'npy'))
    return writer.cases


def files_below(folder):
    """The generated files below `folder`: those in its golden/ and npy/ subfolders."""
    return sorted(os.path.relpath(os.path.join(root, name), folder)
                  for subfolder in ('golden', 'npy')
                  for root, _, names in os.walk(os.path.join(folder, subfolder)) for name in names)


def compare_folders(committed, regenerated):
    """Returns a list of differences between the committed fixtures and a fresh generation."""
    problems = []
    committed_files, regenerated_files = files_below(committed), files_below(regenerated)
    for missing in sorted(set(regenerated_files) - set(committed_files)):
        problems.append(f'missing from the committed fixtures: {missing}')
    for extra in sorted(set(committed_files) - set(regenerated_files)):
        problems.append(f'not produced by the generator: {extra}')
    for relative_path in sorted(set(committed_files) & set(regenerated_files)):
        if relative_path.endswith('.npy'):
            old, new = np.load(os.path.join(committed, relative_path)), np.load(os.path.join(regenerated, relative_path))
            if old.shape != new.shape or old.dtype != new.dtype:
                problems.append(f'{relative_path}: {old.dtype}{old.shape} committed, {new.dtype}{new.shape} regenerated')
                continue
            # Absolute 1e-6, scaled up for values above 1 in magnitude (the 1e4-mean cases).
            excess = np.abs(old.astype(np.float64) - new) - CHECK_TOLERANCE * np.maximum(1.0, np.abs(new))
            if np.any(excess > 0) or np.any(np.isnan(old) != np.isnan(new)):
                problems.append(f'{relative_path}: values differ by up to {np.nanmax(np.abs(old.astype(np.float64) - new)):.3g}')
        else:
            with open(os.path.join(committed, relative_path)) as old_file, open(os.path.join(regenerated, relative_path)) as new_file:
                if json.load(old_file) != json.load(new_file):
                    problems.append(f'{relative_path}: contents differ')
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--check', action='store_true', help='regenerate into a temporary folder and compare with the committed fixtures')
    arguments = parser.parse_args()
    folder = os.path.normpath(FIXTURE_FOLDER)
    if not arguments.check:
        for subfolder in ('golden', 'npy'):
            shutil.rmtree(os.path.join(folder, subfolder), ignore_errors=True)
        cases = generate(folder)
        size = sum(os.path.getsize(os.path.join(folder, name)) for name in files_below(folder))
        print(f'wrote {len(cases)} golden cases and the .npy format fixtures ({size / 1e6:.2f} MB) to {os.path.relpath(folder)}')
        return 0
    with tempfile.TemporaryDirectory() as temporary_folder:
        cases = generate(temporary_folder)
        problems = compare_folders(folder, temporary_folder)
    if problems:
        print(f'golden fixtures are out of date ({len(problems)} differences); rerun scripts/golden/generate.py:')
        for problem in problems:
            print(f'  {problem}')
        return 1
    print(f'golden fixtures match a fresh generation ({len(cases)} cases)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
