// Finds the calls in a module whose callee resolves, through the imports, to a qualified name
// of interest (`nn.GroupNorm` → `torch.nn.GroupNorm`). Most calls are ruled out by their last
// name segment alone, which keeps this cheap on every keystroke.
import { rootName } from '../python/expressions';
import type { CallSite } from '../python/statementSummary';
import type { ModuleSummary } from './moduleSummary';

export interface ResolvedCall<Target> {
  call: CallSite;
  qualifiedName: string;
  target: Target;
}

const lastSegmentsByTargets = new WeakMap<ReadonlyMap<string, unknown>, Set<string>>();

function lastSegmentsOf(targets: ReadonlyMap<string, unknown>): Set<string> {
  let segments = lastSegmentsByTargets.get(targets);
  if (!segments) {
    segments = new Set([...targets.keys()].map((name) => name.slice(name.lastIndexOf('.') + 1)));
    lastSegmentsByTargets.set(targets, segments);
  }
  return segments;
}

export function resolveCalls<Target>(module: ModuleSummary, targets: ReadonlyMap<string, Target>): ResolvedCall<Target>[] {
  const lastSegments = lastSegmentsOf(targets);
  const resolved: ResolvedCall<Target>[] = [];
  for (const call of module.calls) {
    const dotted = call.calleeName;
    if (!dotted) continue;
    // A bare name may be an alias (`GN` for `GroupNorm`); a dotted one ends with the real name.
    const lastDot = dotted.lastIndexOf('.');
    if (lastDot >= 0 && !lastSegments.has(dotted.slice(lastDot + 1))) continue;
    // A name bound inside the enclosing function or class is not the module's import.
    if (rootName(call.callee)?.binding.scope !== 'module') continue;
    for (const qualifiedName of module.imports.qualify(dotted)) {
      const target = targets.get(qualifiedName);
      if (target === undefined) continue;
      resolved.push({ call, qualifiedName, target });
      break;
    }
  }
  return resolved;
}
