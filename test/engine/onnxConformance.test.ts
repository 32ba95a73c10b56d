/**
 * Runs the engine on the ONNX operator conformance data (Debian's libonnx-testdata) for
 * BatchNormalization, InstanceNormalization and LayerNormalization. ONNX's training-mode batch
 * norm blends moving statistics with the Keras convention (momentum weights the old value, biased
 * variance), so those cases go through KerasBatchNormalization with axis 1.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNormalization, type Tensor } from '../../src/engine';
import { decodeModelNodes, decodeTensorProto, type OnnxNode } from './onnxProtobuf';
import { assertAllClose, type Tolerance } from './testSupport';

const conformanceFolder = '/usr/share/libonnx-testdata/data/node';
const conformanceTolerance: Tolerance = { absolute: 1e-5, relative: 1e-4 };
const casePattern = /^test_(batchnorm|instancenorm|layer_normalization)_/;

function readTensor(caseFolder: string, fileName: string): Tensor {
  return decodeTensorProto(new Uint8Array(readFileSync(join(caseFolder, 'test_data_set_0', fileName))));
}

function attribute(node: OnnxNode, name: string, kind: 'f' | 'i', fallback: number): number {
  const found = node.attribute.find((entry) => entry.name === name);
  return found === undefined ? fallback : (found[kind] as number);
}

/**
 * The node whose attributes describe a case. An `_expanded` model spells the operator out as a
 * subgraph of primitive ops on the same data, so its attributes are read from its unexpanded twin.
 */
function operatorNode(caseName: string): OnnxNode {
  const modelCase = caseName.replace(/_expanded$/, '');
  const nodes = decodeModelNodes(new Uint8Array(readFileSync(join(conformanceFolder, modelCase, 'model.onnx'))));
  assert.equal(nodes.length, 1, `${modelCase} should hold a single operator node`);
  return nodes[0];
}

function checkBatchNormalization(caseFolder: string, node: OnnxNode): void {
  const [input, scale, bias, mean, variance] = [0, 1, 2, 3, 4].map((index) => readTensor(caseFolder, `input_${index}.pb`));
  const epsilon = attribute(node, 'epsilon', 'f', 1e-5);
  const momentum = attribute(node, 'momentum', 'f', 0.9);
  const training = attribute(node, 'training_mode', 'i', 0) === 1;
  const parameters = { weight: scale, bias, runningMean: mean.data, runningVar: variance.data };
  const result = training
    ? runNormalization({ kind: 'KerasBatchNormalization', axis: 1, momentum, epsilon }, input, { mode: 'train', ...parameters })
    : runNormalization({ kind: 'BatchNorm', numFeatures: input.shape[1], eps: epsilon }, input, { mode: 'eval', ...parameters });
  assertAllClose(result.output.data, readTensor(caseFolder, 'output_0.pb').data, conformanceTolerance, 'Y');
  if (training) {
    assertAllClose(result.runningMean!, readTensor(caseFolder, 'output_1.pb').data, conformanceTolerance, 'running_mean');
    assertAllClose(result.runningVar!, readTensor(caseFolder, 'output_2.pb').data, conformanceTolerance, 'running_var');
  }
}

function checkInstanceNormalization(caseFolder: string, node: OnnxNode): void {
  const [input, scale, bias] = [0, 1, 2].map((index) => readTensor(caseFolder, `input_${index}.pb`));
  const spec = { kind: 'InstanceNorm', numFeatures: input.shape[1], eps: attribute(node, 'epsilon', 'f', 1e-5), affine: true } as const;
  const result = runNormalization(spec, input, { mode: 'train', weight: scale, bias });
  assertAllClose(result.output.data, readTensor(caseFolder, 'output_0.pb').data, conformanceTolerance, 'Y');
}

function checkLayerNormalization(caseFolder: string, node: OnnxNode): void {
  const [input, scale, bias] = [0, 1, 2].map((index) => readTensor(caseFolder, `input_${index}.pb`));
  const rank = input.shape.length;
  const epsilon = attribute(node, 'epsilon', 'f', 1e-5);
  const firstAxis = (attribute(node, 'axis', 'i', -1) + rank) % rank;
  const expectedOutput = readTensor(caseFolder, 'output_0.pb').data;
  const expectedMean = readTensor(caseFolder, 'output_1.pb').data;
  const expectedInverseStandardDeviation = readTensor(caseFolder, 'output_2.pb').data;
  // ONNX normalizes over axes [axis, rank): PyTorch's normalized_shape, or Keras' list of axes.
  const pytorchResult = runNormalization({ kind: 'LayerNorm', normalizedShape: input.shape.slice(firstAxis), eps: epsilon }, input, {
    mode: 'train',
    weight: scale,
    bias,
  });
  const trailingAxes = input.shape.map((_, axis) => axis).slice(firstAxis);
  const kerasResult = runNormalization({ kind: 'KerasLayerNormalization', axis: trailingAxes, epsilon }, input, { mode: 'train', weight: scale, bias });
  assertAllClose(pytorchResult.output.data, expectedOutput, conformanceTolerance, 'Y (LayerNorm)');
  assertAllClose(kerasResult.output.data, expectedOutput, conformanceTolerance, 'Y (KerasLayerNormalization)');
  assertAllClose(pytorchResult.statistics.mean, expectedMean, conformanceTolerance, 'Mean');
  const inverseStandardDeviation = pytorchResult.statistics.variance.map((variance) => 1 / Math.sqrt(variance + epsilon));
  assertAllClose(inverseStandardDeviation, expectedInverseStandardDeviation, conformanceTolerance, 'InvStdDev');
}

const checkers: Record<string, (caseFolder: string, node: OnnxNode) => void> = {
  BatchNormalization: checkBatchNormalization,
  InstanceNormalization: checkInstanceNormalization,
  LayerNormalization: checkLayerNormalization,
};

describe('ONNX conformance data', () => {
  if (!existsSync(conformanceFolder)) {
    it('is installed', () => {
      assert.fail(`${conformanceFolder} is missing: run \`apt-get install libonnx-testdata\` (CI installs it)`);
    });
    return;
  }
  const caseNames = readdirSync(conformanceFolder).filter((name) => casePattern.test(name)).sort();

  it('has batch norm, instance norm and layer norm cases', () => {
    for (const prefix of ['test_batchnorm_', 'test_instancenorm_', 'test_layer_normalization_']) {
      assert.ok(caseNames.some((name) => name.startsWith(prefix)), `no ${prefix}* case in ${conformanceFolder}`);
    }
  });

  for (const caseName of caseNames) {
    it(`matches ${caseName}`, () => {
      const node = operatorNode(caseName);
      const check = checkers[node.opType];
      assert.ok(check !== undefined, `${caseName}: unexpected operator ${node.opType}`);
      check(join(conformanceFolder, caseName), node);
    });
  }
});
