// What other files can read from a module, as one string: two summaries with the same key tell
// every other file the same things. Other files read a module's constants and argparse defaults
// (imported values), which classes and functions it defines with which parameters (constructor
// calls bind them), and — for the files whose classes it builds — its calls into them, with the
// arguments and the assignments of the function that makes each call. A keystroke elsewhere
// (a layer line inside a class) leaves the key alone, so no other file is analysed again.
import type { ModuleSummary } from '../analysis/moduleSummary';
import type { SourceRange } from '../python/pythonParser';
import type { CallSite } from '../python/statementSummary';

export function exportKeyOf(summary: ModuleSummary, outgoingCalls: readonly CallSite[]): string {
  const at = (range: SourceRange): string => `${range.start.line}:${range.start.character}`;
  const parts: string[] = [summary.imports.fingerprint];
  for (const [name, constant] of summary.constants) parts.push(`c ${name}=${constant.value.source}@${at(constant.range)}#${constant.index ?? ''}`);
  for (const [name, constant] of summary.classConstants) parts.push(`k ${name}=${constant.value.source}@${at(constant.range)}`);
  for (const [name, option] of summary.commandLineDefaults) parts.push(`a ${name}=${option.value.source}@${at(option.range)}`);
  for (const [id, function_] of summary.functions) {
    parts.push(`f ${id}(${function_.parameters.map((parameter) => `${parameter.kind}:${parameter.name}=${parameter.default?.source ?? ''}@${parameter.default ? at(parameter.default.range) : ''}`).join(',')})`);
  }
  const callers = new Set<string>();
  for (const call of outgoingCalls) {
    parts.push(`o ${call.callee.source}(${call.arguments.map((argument) => `${argument.keyword ?? ''}${argument.unpacking ?? ''}=${argument.value.source}@${at(argument.value.range)}`).join(',')})@${at(call.range)}`);
    if (call.functionId) callers.add(call.functionId);
  }
  // The calls' arguments are evaluated with the caller's locals and `self` attributes: those
  // they name, and those the named ones are computed from (not `self.norm = nn.GroupNorm(…)`).
  for (const id of callers) {
    const caller = summary.functions.get(id);
    if (!caller) continue;
    const named = new Set(outgoingCalls.filter((call) => call.functionId === id).flatMap((call) => call.arguments.flatMap((argument) => namesIn(argument.value.source))));
    // The initializer's `self.x` feed a method's calls too.
    const initializer = caller.className ? summary.functions.get(`${caller.className}.__init__`) : undefined;
    const bindings = [
      ...caller.locals.map((local) => ({ name: local.name, text: `l ${id}.${local.name}=${local.value?.source ?? ''}#${local.index ?? ''}${local.straightLine ? '' : '?'}@${at(local.range)}`, source: local.value?.source ?? '' })),
      ...[...caller.selfAttributes, ...(initializer && initializer !== caller ? initializer.selfAttributes : [])].map((attribute) => ({
        name: attribute.attribute,
        text: `s ${attribute.attribute}=${attribute.value.source}${attribute.straightLine ? '' : '?'}`,
        source: attribute.value.source,
      })),
    ];
    const included = new Set<number>();
    for (let grew = true; grew; ) {
      grew = false;
      bindings.forEach((binding, index) => {
        if (included.has(index) || !named.has(binding.name)) return;
        included.add(index);
        for (const name of namesIn(binding.source)) named.add(name);
        grew = true;
      });
    }
    for (const index of [...included].sort((first, second) => first - second)) parts.push(bindings[index]!.text);
  }
  return parts.join('\n');
}

/** The identifiers in a piece of source: the names it may read. */
function namesIn(source: string): string[] {
  return source.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
}
