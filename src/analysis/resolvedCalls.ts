// Resolves the calls of a module, through its imports, to what they construct or call: a norm
// layer, another known layer, `nn.Sequential`, or a deprecated function. Each call is resolved
// once and remembered across edits for as long as the imports stay the same, so a keystroke
// re-resolves only the calls of the statement it changed.
import { moduleSignatureByQualifiedName, sequentialNames, signatureByQualifiedName } from '../frameworks';
import type { LayerSignature, ModuleSignature } from '../frameworks/layerSignature';
import { dataLoaderNames, deprecatedWeightNormFunctions, randomSplitNames, syncBatchNormConversionNames, tensorDatasetNames, tensorFactoryNames } from '../frameworks/torch';
import type { Deprecation } from '../frameworks/torch';
import { rootName } from '../python/expressions';
import type { ImportTable } from '../python/imports';
import type { CallSite } from '../python/statementSummary';

export type CallTarget =
  | { kind: 'norm'; signature: LayerSignature }
  | { kind: 'module'; signature: ModuleSignature }
  | { kind: 'sequential' }
  | { kind: 'deprecated'; deprecation: Deprecation }
  | { kind: 'dataLoader' }
  | { kind: 'tensorDataset' }
  | { kind: 'tensorFactory' }
  | { kind: 'syncBatchNormConversion' }
  | { kind: 'randomSplit' };

export interface ResolvedCall<Target extends CallTarget = CallTarget> {
  call: CallSite;
  qualifiedName: string;
  target: Target;
}

const targetsByQualifiedName = new Map<string, CallTarget>([
  ...[...signatureByQualifiedName].map(([name, signature]) => [name, { kind: 'norm', signature }] as const),
  ...[...moduleSignatureByQualifiedName].map(([name, signature]) => [name, { kind: 'module', signature }] as const),
  ...[...sequentialNames.keys()].map((name) => [name, { kind: 'sequential' }] as const),
  ...[...deprecatedWeightNormFunctions].map(([name, deprecation]) => [name, { kind: 'deprecated', deprecation }] as const),
  ...[...dataLoaderNames.keys()].map((name) => [name, { kind: 'dataLoader' }] as const),
  ...[...tensorDatasetNames.keys()].map((name) => [name, { kind: 'tensorDataset' }] as const),
  ...[...tensorFactoryNames.keys()].map((name) => [name, { kind: 'tensorFactory' }] as const),
  ...[...syncBatchNormConversionNames.keys()].map((name) => [name, { kind: 'syncBatchNormConversion' }] as const),
  ...[...randomSplitNames.keys()].map((name) => [name, { kind: 'randomSplit' }] as const),
]);

/** Every target's last name segment: most dotted calls (`self.conv(x)`) are ruled out by it alone. */
const lastSegments = new Set([...targetsByQualifiedName.keys()].map((name) => name.slice(name.lastIndexOf('.') + 1)));

export class CallResolver {
  private resolved = new WeakMap<CallSite, ResolvedCall | null>();
  private importsFingerprint: string | undefined;

  /** The module's calls that resolve to a known target, in source order. */
  resolve(calls: readonly CallSite[], imports: ImportTable): ResolvedCall[] {
    if (imports.fingerprint !== this.importsFingerprint) {
      this.resolved = new WeakMap();
      this.importsFingerprint = imports.fingerprint;
    }
    const result: ResolvedCall[] = [];
    for (const call of calls) {
      let resolved = this.resolved.get(call);
      if (resolved === undefined) {
        resolved = resolveCall(call, imports);
        this.resolved.set(call, resolved);
      }
      if (resolved) result.push(resolved);
    }
    return result;
  }
}

function resolveCall(call: CallSite, imports: ImportTable): ResolvedCall | null {
  const dotted = call.calleeName;
  if (!dotted) return null;
  // A bare name may be an alias (`GN` for `GroupNorm`); a dotted one ends with the real name.
  const lastDot = dotted.lastIndexOf('.');
  if (lastDot >= 0 && !lastSegments.has(dotted.slice(lastDot + 1))) return null;
  // A name bound inside the enclosing function or class is not the module's import.
  if (rootName(call.callee)?.binding.scope !== 'module') return null;
  for (const qualifiedName of imports.qualify(dotted)) {
    const target = targetsByQualifiedName.get(qualifiedName);
    if (target) return { call, qualifiedName, target };
  }
  return null;
}

/** The resolved calls of one kind, typed by it. */
export function callsOfKind<Kind extends CallTarget['kind']>(calls: readonly ResolvedCall[], kind: Kind): ResolvedCall<Extract<CallTarget, { kind: Kind }>>[] {
  return calls.filter((resolved): resolved is ResolvedCall<Extract<CallTarget, { kind: Kind }>> => resolved.target.kind === kind);
}
