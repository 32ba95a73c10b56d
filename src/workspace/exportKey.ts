// What other files can read from a module, as two strings: two summaries with the same keys tell
// every other file the same things. Files that import it read its constants and which classes and
// functions it defines (`importKeyOf`); files whose classes it builds read its calls into them,
// with the arguments and the assignments of the function that makes each call (`callKeyOf`). A
// keystroke elsewhere (a layer line inside a class) changes neither, so no other file is analysed
// again; a line inserted above a class changes only the call key, which its importers do not read.
import type { ModuleSummary } from '../analysis/moduleSummary';
import type { SourceRange } from '../python/pythonParser';
import type { CallSite } from '../python/statementSummary';

const at = (range: SourceRange): string => `${range.start.line}:${range.start.character}`;

/** What importers read: constants (their values carry the lines that set them) and the top-level classes and functions. */
export function importKeyOf(summary: ModuleSummary): string {
  const parts: string[] = [summary.imports.fingerprint];
  for (const [name, constant] of summary.constants) parts.push(`c ${name}=${constant.value.source}@${at(constant.range)}#${constant.index ?? ''}`);
  for (const id of summary.functions.keys()) if (!id.includes('.') || id.endsWith('.__init__')) parts.push(`f ${id}`);
  return parts.join('\n');
}

/**
 * What the files it calls into read: those calls and what their arguments are evaluated with —
 * the calling functions' parameters, the caller's bindings the arguments name, class constants and
 * argparse defaults.
 */
export function callKeyOf(summary: ModuleSummary, outgoingCalls: readonly CallSite[]): string {
  const parts: string[] = [];
  for (const [name, constant] of summary.classConstants) parts.push(`k ${name}=${constant.value.source}@${at(constant.range)}`);
  for (const [name, option] of summary.commandLineDefaults) parts.push(`a ${name}=${option.value.source}@${at(option.range)}`);
  const callers = new Set<string>();
  for (const call of outgoingCalls) {
    parts.push(`o ${call.callee.source}(${call.arguments.map((argument) => `${argument.keyword ?? ''}${argument.unpacking ?? ''}=${argument.value.source}@${at(argument.value.range)}`).join(',')})@${at(call.range)}`);
    if (call.functionId) callers.add(call.functionId);
  }
  // The calls' arguments are evaluated with the caller's parameters, locals and `self` attributes:
  // those they name, and those the named ones are computed from (not `self.norm = nn.GroupNorm(…)`).
  for (const id of callers) {
    const caller = summary.functions.get(id);
    if (!caller) continue;
    parts.push(`p ${id}(${caller.parameters.map((parameter) => `${parameter.kind}:${parameter.name}=${parameter.default?.source ?? ''}@${parameter.default ? at(parameter.default.range) : ''}`).join(',')})`);
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
