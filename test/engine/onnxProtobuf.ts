/**
 * The few ONNX protobuf messages the engine's conformance test and benchmark need, declared with
 * protobufjs' reflection API (field numbers from onnx.proto), plus helpers to turn TensorProto
 * messages into engine tensors and to build one-node models in memory.
 */
import { Root, type Type } from 'protobufjs';
import type { Tensor } from '../../src/engine';

const onnxRoot = Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            doubleData: { rule: 'repeated', type: 'double', id: 10 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 },
          },
        },
        TensorShapeDimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'TensorShapeDimension', id: 1 } } },
        TensorTypeProto: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
        TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
      },
    },
  },
});

const tensorProtoType: Type = onnxRoot.lookupType('onnx.TensorProto');
const modelProtoType: Type = onnxRoot.lookupType('onnx.ModelProto');

/** ONNX TensorProto.DataType values used here. */
export const onnxFloat = 1;
const onnxDouble = 11;

export interface OnnxAttribute {
  name: string;
  f?: number;
  i?: number;
  ints?: number[];
}

export interface OnnxNode {
  opType: string;
  input: string[];
  output: string[];
  attribute: OnnxAttribute[];
}

interface DecodedTensorProto {
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  doubleData?: number[];
  rawData?: Uint8Array;
}

/** Decodes a serialized float or double TensorProto (as in test_data_set_*\/input_*.pb) into an engine tensor. */
export function decodeTensorProto(bytes: Uint8Array): Tensor {
  const message = tensorProtoType.toObject(tensorProtoType.decode(bytes), { longs: Number, arrays: true }) as DecodedTensorProto;
  const shape = message.dims ?? [];
  const dataType = message.dataType ?? 0;
  if (dataType !== onnxFloat && dataType !== onnxDouble) throw new Error(`TensorProto data type ${dataType} is not float or double`);
  const raw = message.rawData;
  let data: Float32Array;
  if (raw !== undefined && raw.length > 0) {
    // raw_data is little-endian; copying gives the typed array an aligned buffer.
    const aligned = new Uint8Array(raw).buffer;
    data = dataType === onnxFloat ? new Float32Array(aligned) : Float32Array.from(new Float64Array(aligned));
  } else {
    data = Float32Array.from(dataType === onnxFloat ? (message.floatData ?? []) : (message.doubleData ?? []));
  }
  return { shape, data };
}

/** The nodes of a serialized ModelProto's graph, with their attributes. */
export function decodeModelNodes(bytes: Uint8Array): OnnxNode[] {
  const model = modelProtoType.toObject(modelProtoType.decode(bytes), { longs: Number, arrays: true, defaults: true }) as {
    graph: { node: OnnxNode[] };
  };
  return model.graph.node;
}

/** A named float32 graph input or output. */
export interface OnnxValue {
  name: string;
  shape: number[];
}

/** Encodes a one-node float32 model whose node inputs and outputs are all graph inputs and outputs. */
export function encodeSingleNodeModel(options: {
  opType: string;
  opsetVersion: number;
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  attributes: OnnxAttribute[];
}): Uint8Array {
  const valueInfo = (name: string, shape: number[]) => ({
    name,
    type: { tensorType: { elemType: onnxFloat, shape: { dim: shape.map((dimValue) => ({ dimValue })) } } },
  });
  // AttributeProto.type: FLOAT is 1, INT is 2, INTS is 7.
  const attribute = options.attributes.map((entry) => ({
    ...entry,
    type: entry.f !== undefined ? 1 : entry.i !== undefined ? 2 : 7,
  }));
  const model = modelProtoType.fromObject({
    irVersion: 8,
    producerName: 'normlint-bench',
    opsetImport: [{ domain: '', version: options.opsetVersion }],
    graph: {
      name: options.opType,
      node: [{ opType: options.opType, input: options.inputs.map((input) => input.name), output: options.outputs.map((output) => output.name), attribute }],
      input: options.inputs.map((input) => valueInfo(input.name, input.shape)),
      output: options.outputs.map((output) => valueInfo(output.name, output.shape)),
    },
  });
  return modelProtoType.encode(model).finish();
}
