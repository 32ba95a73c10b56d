// The contexts a function runs in, found from the calls to it in the same file: `Block(64)`
// binds `Block.__init__`'s parameters, `make_norm(ch=96)` binds `make_norm`'s,
// `self._make_layer(block, 64)` binds a method's, and `block(inplanes, planes)` binds
// `BasicBlock.__init__`'s where `block` holds that class (ResNet-style code). Calls made inside
// other functions are followed through those functions' own contexts. A function nobody
// calls in the file runs with its defaults (and symbols for parameters without one), so a
// default that every call overrides is never reported. In a workspace, calls from other files
// (`UNet(cfg.channels)` in the training script) add contexts too.
import type { Evaluator, EvaluationContext, Value } from '../python/evaluate';
import { moduleContext } from '../python/evaluate';
import type { CallSite, FunctionSummary } from '../python/statementSummary';
import type { ModuleSummary } from './moduleSummary';

/** How deep a chain of calls is followed, and how many contexts one function keeps. */
const maximumDepth = 4;
const maximumContexts = 16;

interface CallInContext {
  call: CallSite;
  caller: EvaluationContext;
}

/** What other workspace files contribute to this file's analysis. */
export interface IncomingCalls {
  /** The contexts calls in other files run `summary` in, already bound to its parameters. */
  contextsOf(summary: FunctionSummary): EvaluationContext[];
}

export class CallContexts {
  private readonly computed = new Map<string, EvaluationContext[]>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly module: ModuleSummary,
    private readonly evaluator: Evaluator,
    private readonly incoming?: IncomingCalls,
  ) {}

  /** The contexts code directly inside `functionId` runs in; module-level code has one. */
  contextsOf(functionId: string | undefined, depth = 0): EvaluationContext[] {
    if (!functionId) return [moduleContext];
    const cached = this.computed.get(functionId);
    if (cached) return cached;
    const summary = this.module.functions.get(functionId);
    const defaults: EvaluationContext = { functionId, arguments: new Map(), callChain: [] };
    if (!summary || depth > maximumDepth || this.inProgress.has(functionId)) return [defaults];
    this.inProgress.add(functionId);
    const contexts = this.compute(summary, defaults, depth).slice(0, maximumContexts);
    this.inProgress.delete(functionId);
    this.computed.set(functionId, contexts);
    return contexts;
  }

  private compute(summary: FunctionSummary, defaults: EvaluationContext, depth: number): EvaluationContext[] {
    if (summary.className && summary.name !== '__init__') return this.methodContexts(summary, defaults, depth);
    // `Block(...)` calls `Block.__init__`; a plain function is called by its own name. Nested functions are not followed.
    const calleeName = summary.className ?? (summary.id.includes('.') ? undefined : summary.name);
    // Only a name the module binds (a class or function defined at top level) is followed.
    const byName = calleeName && (!summary.className || !summary.className.includes('.')) ? (this.module.callsByName.get(calleeName) ?? []) : [];
    const sites: CallInContext[] = [
      ...byName.flatMap((call) => this.runningContexts(call, depth).map((caller) => ({ call, caller }))),
      ...(summary.className ? this.callsThroughValues(summary.className, depth) : []),
    ];
    // Calls from other files reach only what they can import: top-level classes and functions.
    const fromOtherFiles = calleeName && !calleeName.includes('.') ? (this.incoming?.contextsOf(summary) ?? []) : [];
    if (sites.length === 0 && fromOtherFiles.length === 0) return [defaults];
    const skipSelf = summary.className ? 1 : 0;
    return [
      ...sites.map(({ call, caller }) => ({
        functionId: summary.id,
        arguments: bindArguments(this.evaluator, summary, call, caller, skipSelf),
        callChain: [...caller.callChain, { source: call.callee.source, range: call.range }],
      })),
      ...fromOtherFiles,
    ];
  }

  /**
   * A method other than `__init__` runs on an instance, so `self.x` comes from whichever `__init__`
   * call built it; calls `self.method(…)` from the class's own methods also bind its arguments.
   */
  private methodContexts(summary: FunctionSummary, defaults: EvaluationContext, depth: number): EvaluationContext[] {
    const initializer = `${summary.className}.__init__`;
    const selfCalls = (this.module.methodCallsByName.get(summary.name) ?? []).filter((call) => this.isSelfCallOf(call, summary));
    if (selfCalls.length > 0) {
      return selfCalls.flatMap((call) =>
        this.runningContexts(call, depth).map((caller) => {
          const instance = caller.functionId === initializer ? caller : caller.instance;
          return {
            functionId: summary.id,
            arguments: bindArguments(this.evaluator, summary, call, caller, 1),
            ...(instance ? { instance } : {}),
            callChain: [...caller.callChain, { source: call.callee.source, range: call.range }],
          };
        }),
      );
    }
    if (!this.module.functions.has(initializer)) return [defaults];
    return this.contextsOf(initializer, depth + 1).map((instance) => ({ ...defaults, instance, callChain: instance.callChain }));
  }

  /** The contexts of the function making `call` in which its `if` conditions let it run. */
  private runningContexts(call: CallSite, depth: number): EvaluationContext[] {
    return this.contextsOf(call.functionId, depth + 1).filter((caller) => this.evaluator.guardsAllow(call.guards, caller));
  }

  /** `self.method(…)` inside another method of the same class, where `self` is that method's first parameter. */
  private isSelfCallOf(call: CallSite, method: FunctionSummary): boolean {
    const callee = call.callee;
    if (callee.kind !== 'attribute' || callee.attribute !== method.name || callee.object.kind !== 'name' || callee.object.binding.scope !== 'parameter') return false;
    const caller = call.functionId ? this.module.functions.get(call.functionId) : undefined;
    return caller !== undefined && caller.className === method.className && caller.parameters[0]?.name === callee.object.name;
  }

  /** Calls of a variable that holds `className` in the caller's context: `block(inplanes, planes)`. */
  private callsThroughValues(className: string, depth: number): CallInContext[] {
    return this.module.callsOfVariables.flatMap((call) =>
      this.runningContexts(call, depth).flatMap((caller) => {
        const callee = this.evaluator.evaluate(call.callee, caller);
        return callee.kind === 'moduleClass' && callee.module === undefined && callee.name === className ? [{ call, caller }] : [];
      }),
    );
  }
}

/** Binds a call's arguments (evaluated in the caller's context) to the function's parameters; `self` is skipped for classes. */
export function bindArguments(evaluator: Evaluator, summary: FunctionSummary, call: CallSite, caller: EvaluationContext, skipSelf: number): Map<string, Value> {
  const bound = new Map<string, Value>();
  const positional = summary.parameters.slice(skipSelf).filter((parameter) => parameter.kind === 'positional');
  let position = 0;
  let unpacked = false;
  for (const argument of call.arguments) {
    if (argument.unpacking) {
      unpacked = true;
      continue;
    }
    const name = argument.keyword ?? (unpacked ? undefined : positional[position++]?.name);
    if (!name) continue;
    const value = evaluator.evaluate(argument.value, caller);
    bound.set(name, value.kind === 'unknown' ? value : { ...value, origins: [{ name, range: argument.value.range }, ...value.origins] });
  }
  // After `*args` or `**kwargs` any parameter may have been passed: none falls back to its default.
  if (unpacked) {
    for (const parameter of summary.parameters.slice(skipSelf)) {
      if (!bound.has(parameter.name)) bound.set(parameter.name, { kind: 'unknown', reason: `\`${parameter.name}\` may come from unpacked arguments` });
    }
  }
  return bound;
}
