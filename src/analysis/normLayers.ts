// Finds the normalization layers a file constructs and binds each call's arguments to the
// constructor's parameters (positionally or by keyword), evaluating them where the file
// decides their value.
import type { Language, Node, Tree } from '@vscode/tree-sitter-wasm';
import type { LayerSignature } from '../frameworks/layerSignature';
import { torchNormLayers } from '../frameworks/torch';
import type { Evaluator, Value } from '../python/evaluate';
import type { ImportTable } from '../python/imports';
import { rangeOfNode } from '../python/pythonParser';
import type { SourceRange } from '../python/pythonParser';
import { pythonQuery } from '../python/queries';
import type { ScopeIndex } from '../python/scopes';
import { dottedNameOf, namedChildrenOf } from '../python/syntax';

export interface BoundArgument {
  parameter: string;
  value: Value;
  /** The argument's expression as written, e.g. `32` or `CHANNELS * 2`. */
  source: string;
  range: SourceRange;
}

export interface NormLayerFact {
  signature: LayerSignature;
  qualifiedName: string;
  /** The whole constructor call. */
  range: SourceRange;
  /** The arguments the call writes, by parameter name; parameters left at their default are absent. */
  arguments: ReadonlyMap<string, BoundArgument>;
  /** `*args` or `**kwargs` in the call: parameters not listed may still be set. */
  hasUnpackedArguments: boolean;
  /** The call contains a syntax error (half-typed code): report nothing about its values. */
  isIncomplete: boolean;
}

const signatureByQualifiedName = new Map<string, LayerSignature>(
  torchNormLayers.flatMap((signature) => signature.qualifiedNames.map((name) => [name, signature] as const)),
);

export function findNormLayers(tree: Tree, language: Language, imports: ImportTable, scopes: ScopeIndex, evaluator: Evaluator): NormLayerFact[] {
  const layers: NormLayerFact[] = [];
  for (const match of pythonQuery(language, 'calls').matches(tree.rootNode)) {
    const call = match.captures.find((capture) => capture.name === 'layer')?.node;
    const callee = match.captures.find((capture) => capture.name === 'layer.name')?.node;
    const argumentList = match.captures.find((capture) => capture.name === 'layer.args')?.node;
    if (!call || !callee || !argumentList) continue;
    const resolved = resolveCallee(callee, imports, scopes);
    if (!resolved) continue;
    const { argumentsByParameter, hasUnpackedArguments } = bindArguments(resolved.signature, argumentList, evaluator);
    layers.push({
      signature: resolved.signature,
      qualifiedName: resolved.qualifiedName,
      range: rangeOfNode(call),
      arguments: argumentsByParameter,
      hasUnpackedArguments,
      isIncomplete: call.hasError,
    });
  }
  return layers;
}

function resolveCallee(callee: Node, imports: ImportTable, scopes: ScopeIndex): { signature: LayerSignature; qualifiedName: string } | undefined {
  const dotted = dottedNameOf(callee);
  if (!dotted) return undefined;
  const root = dotted.split('.')[0]!;
  if (scopes.isBoundInEnclosingScope(root, callee)) return undefined;
  const qualified = imports.qualify(dotted, (name) => scopes.isBoundAnywhere(name));
  const candidates = qualified ? [qualified] : scopes.isBoundAnywhere(root) ? [] : imports.wildcardModules.map((module) => `${module}.${dotted}`);
  for (const qualifiedName of candidates) {
    const signature = signatureByQualifiedName.get(qualifiedName);
    if (signature) return { signature, qualifiedName };
  }
  return undefined;
}

function bindArguments(signature: LayerSignature, argumentList: Node, evaluator: Evaluator) {
  const argumentsByParameter = new Map<string, BoundArgument>();
  const positional = signature.parameters.filter((parameter) => !parameter.keywordOnly);
  let position = 0;
  let hasUnpackedArguments = false;
  for (const argument of namedChildrenOf(argumentList)) {
    if (argument.type === 'comment') continue;
    if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
      hasUnpackedArguments = true;
      continue;
    }
    if (argument.type === 'keyword_argument') {
      const name = argument.childForFieldName('name')?.text;
      const valueNode = argument.childForFieldName('value');
      if (name && valueNode && signature.parameters.some((parameter) => parameter.name === name)) {
        argumentsByParameter.set(name, bound(name, valueNode, evaluator));
      }
      continue;
    }
    // After `*args` the positions of later arguments are unknown.
    const parameter = hasUnpackedArguments ? undefined : positional[position];
    position++;
    if (parameter) argumentsByParameter.set(parameter.name, bound(parameter.name, argument, evaluator));
  }
  return { argumentsByParameter, hasUnpackedArguments };
}

function bound(parameter: string, node: Node, evaluator: Evaluator): BoundArgument {
  return { parameter, value: evaluator.evaluate(node), source: node.text, range: rangeOfNode(node) };
}
