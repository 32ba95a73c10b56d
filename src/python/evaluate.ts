// Evaluates expressions to values where the file alone decides them: literals, module-level
// constants and arithmetic on them. Anything else is `unknown` with a reason, never a guess.
// Every known number remembers the constants it passed through, so a finding can point at them.
import type { Expression } from './expressions';
import type { SourceRange } from './pythonParser';
import type { LayerSignature } from '../frameworks/layerSignature';
import type { FunctionSummary, LocalBinding } from './statementSummary';

/** Where part of a value came from: the definition of a name it passed through. */
export interface ValueOrigin {
  name: string;
  range: SourceRange;
  /** The file it is in, when the value came from another file (an imported constant, a call in the training script, a config). */
  uri?: string;
}

export type Value =
  | { kind: 'int'; value: number; origins: ValueOrigin[] }
  | { kind: 'float'; value: number; origins: ValueOrigin[] }
  | { kind: 'bool'; value: boolean; origins: ValueOrigin[] }
  | { kind: 'none'; origins: ValueOrigin[] }
  | { kind: 'str'; value: string; origins: ValueOrigin[] }
  | { kind: 'sequence'; items: Value[]; origins: ValueOrigin[] }
  /**
   * A value known only as an expression over parameters nobody bound (`dim`, `dim * 2`): two
   * symbols with the same key are equal whatever the parameters are.
   */
  | { kind: 'symbol'; key: string; origins: ValueOrigin[] }
  /**
   * A normalization layer class passed around as a value (`norm_layer=nn.BatchNorm2d`), possibly
   * with arguments bound by `functools.partial(nn.GroupNorm, 32)`.
   */
  | { kind: 'layerClass'; signature: LayerSignature; qualifiedName: string; partialArguments: Value[]; partialKeywords: [string, Value][]; origins: ValueOrigin[] }
  /** A class of this module, or of workspace module `module`, passed around as a value (`block=BasicBlock` in ResNet-style code). */
  | { kind: 'moduleClass'; name: string; module?: string; origins: ValueOrigin[] }
  | { kind: 'unknown'; reason: string };

export const unknown = (reason: string): Value => ({ kind: 'unknown', reason });

/** A module-level name bound exactly once, by `NAME = value` (or item `index` of `A, B = value`). */
export interface ModuleConstant {
  value: Expression;
  range: SourceRange;
  index?: number;
}

/** One call on the way from module-level code to a function: `Block(100)` on line 12. */
export interface CallHop {
  source: string;
  range: SourceRange;
  /** The file it is in, when the call is in another file than the function (the training script that builds the model). */
  uri?: string;
}

/** The arguments a function runs with: bound by one call site, or none (defaults and symbols). */
export interface EvaluationContext {
  functionId: string;
  arguments: ReadonlyMap<string, Value>;
  /** For methods other than `__init__`: the context `__init__` ran in, where `self.x` was set. */
  instance?: EvaluationContext;
  /** The calls that led here, outermost first; empty when no call site bound the arguments. */
  callChain: CallHop[];
}

/** An `add_argument('--batch-size', default=64)` call: the default `args.batch_size` has unless the command line says otherwise. */
export interface CommandLineDefault {
  option: string;
  value: Expression;
  range: SourceRange;
}

/** What the evaluator reads from the module besides the expression itself. */
export interface EvaluationScope {
  constants: ReadonlyMap<string, ModuleConstant>;
  /** argparse defaults by destination (`batch_size` for `--batch-size`). */
  commandLineDefaults: ReadonlyMap<string, CommandLineDefault>;
  /** Class-body constants by `Class.NAME`. */
  classConstants: ReadonlyMap<string, ModuleConstant>;
  functions: ReadonlyMap<string, FunctionSummary>;
  /** Names the module binds anywhere; a bound `max` is not the builtin. */
  boundNames: ReadonlySet<string>;
  /** What a dotted name refers to through the imports: a known layer class, `functools.partial`, or nothing. */
  resolveName(dottedName: string): { kind: 'layerClass'; signature: LayerSignature; qualifiedName: string } | { kind: 'partial' } | undefined;
  /** The qualified name a dotted name refers to through the imports, most likely first (`OmegaConf.load` → `omegaconf.OmegaConf.load`). */
  qualify(dottedName: string): string | undefined;
  /** What a dotted name imported from another workspace module is there (`from config import GROUPS`), when the workspace is known. */
  importedValue?(dottedName: string): Value | undefined;
  /** The value at `keys` in the config file a script loads (`cfg.train.batch_size`), when the workspace is known. */
  configValue?(reference: ConfigReference): Value | undefined;
}

/** `cfg.train.batch_size` where `cfg = OmegaConf.load("conf/train.yaml")` or `cfg` is a `@hydra.main` function's parameter. */
export interface ConfigReference {
  /** The file as the code names it: `conf/train.yaml`, or Hydra's `config_path` joined with `config_name`. */
  file: string;
  /** Hydra resolves `config_path` against the script's folder; `OmegaConf.load` against the working directory. */
  relativeTo: 'script' | 'workingDirectory';
  keys: string[];
}

export const moduleContext: EvaluationContext = { functionId: '', arguments: new Map(), callChain: [] };

/** Python's `//` and `%` round toward negative infinity; JavaScript's do not. */
const floorDivide = (left: number, right: number): number => Math.floor(left / right);
const pythonModulo = (left: number, right: number): number => left - right * Math.floor(left / right);

export class Evaluator {
  private readonly inProgress = new Set<string>();
  private readonly constantValues = new Map<string, Value>();
  private readonly outsideInitAttributes = new Map<string, Set<string>>();

  constructor(private readonly scope: EvaluationScope) {}

  evaluate(expression: Expression, context: EvaluationContext = moduleContext): Value {
    if (this.inProgress.size > 100) return unknown('the expression is nested too deeply');
    switch (expression.kind) {
      case 'integer':
        return parseInteger(expression.text);
      case 'float': {
        const value = Number(expression.text.replace(/_/g, ''));
        return Number.isFinite(value) ? { kind: 'float', value, origins: [] } : unknown(`\`${expression.source}\` is not a real number`);
      }
      case 'bool':
        return { kind: 'bool', value: expression.value, origins: [] };
      case 'none':
        return { kind: 'none', origins: [] };
      case 'string':
        return expression.value === undefined ? unknown('an f-string is not a constant') : { kind: 'str', value: expression.value, origins: [] };
      case 'sequence':
        return { kind: 'sequence', items: expression.items.map((item) => this.evaluate(item, context)), origins: [] };
      case 'unary':
        return this.unary(expression.operator, this.evaluate(expression.operand, context), expression.source);
      case 'binary':
        return this.binary(expression, context);
      case 'name':
        return this.name(expression, context);
      case 'attribute':
        return this.attribute(expression, context);
      case 'call':
        return this.builtinCall(expression, context);
      case 'compare':
        return this.compare(expression, context);
      case 'not': {
        const truth = truthiness(this.evaluate(expression.operand, context));
        return truth === undefined ? unknown(`\`${expression.source}\` depends on a value that is not known`) : { kind: 'bool', value: !truth, origins: [] };
      }
      case 'boolean': {
        const left = truthiness(this.evaluate(expression.left, context));
        // `a and b` is false when `a` is; `a or b` is true when `a` is: `b` is not needed then.
        if (left === (expression.operator === 'or')) return { kind: 'bool', value: left, origins: [] };
        const right = truthiness(this.evaluate(expression.right, context));
        return left === undefined || right === undefined ? unknown(`\`${expression.source}\` depends on a value that is not known`) : { kind: 'bool', value: right, origins: [] };
      }
      default:
        return unknown(`\`${expression.source}\` is not a constant`);
    }
  }

  private name(expression: Extract<Expression, { kind: 'name' }>, context: EvaluationContext): Value {
    const { binding, name } = expression;
    switch (binding.scope) {
      case 'module': {
        const value = this.constant(name);
        if (value.kind !== 'unknown') return value;
        if (this.scope.functions.has(`${name}.__init__`)) return { kind: 'moduleClass', name, origins: [] };
        return this.layerClass(name) ?? this.scope.importedValue?.(name) ?? value;
      }
      case 'parameter': {
        // A parameter reassigned before this use (`ch = ch * 2`) holds the assignment's value.
        const reassigned = this.lastLocalBinding(name, expression.offset, binding.functionId);
        return reassigned === undefined ? this.parameter(name, binding.functionId, context) : this.localValue(name, reassigned, binding.functionId, context);
      }
      case 'local':
        return this.local(name, expression.offset, binding.functionId, context);
      case 'class':
        return this.classConstant(binding.classId, name);
      default:
        return unknown(`\`${name}\` is set in an enclosing scope`);
    }
  }

  /** What a module-level name holds: what another file gets by importing it. */
  moduleName(name: string): Value {
    return this.name({ kind: 'name', name, binding: { scope: 'module' }, offset: 0, source: name, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }, moduleContext);
  }

  private constant(name: string): Value {
    const cached = this.constantValues.get(name);
    if (cached) return cached;
    const constant = this.scope.constants.get(name);
    if (!constant) return unknown(`\`${name}\` is not a module-level constant`);
    return this.guarded(`constant ${name}`, `\`${name}\` is defined in terms of itself`, () => {
      const value = itemOf(this.evaluate(constant.value), constant.index);
      const result = withOrigin(value, { name, range: constant.range });
      this.constantValues.set(name, result);
      return result;
    });
  }

  private classConstant(classId: string, name: string): Value {
    const constant = this.scope.classConstants.get(`${classId}.${name}`);
    if (!constant) return unknown(`\`${name}\` is not a constant of \`${classId}\``);
    return this.guarded(`class ${classId}.${name}`, `\`${name}\` is defined in terms of itself`, () =>
      withOrigin(this.evaluate(constant.value), { name, range: constant.range }),
    );
  }

  /** A parameter: the call site's argument, else its default (evaluated where the function is defined), else a symbol. */
  private parameter(name: string, functionId: string, context: EvaluationContext): Value {
    if (context.functionId === functionId) {
      const bound = context.arguments.get(name);
      if (bound) return bound;
    }
    const parameter = this.scope.functions.get(functionId)?.parameters.find((candidate) => candidate.name === name);
    const defaultValue = parameter?.default;
    if (defaultValue) {
      return this.guarded(`default ${functionId}.${name}`, `the default of \`${name}\` refers to itself`, () =>
        withOrigin(this.evaluate(defaultValue), { name, range: defaultValue.range }),
      );
    }
    if (parameter && (parameter.kind === 'varargs' || parameter.kind === 'varkw')) return unknown(`\`${name}\` collects extra arguments`);
    return { kind: 'symbol', key: `${functionId}.${name}`, origins: [] };
  }

  /** True when the module binds `name` itself, so a builtin of that name is not the builtin. */
  isBoundInModule(name: string): boolean {
    return this.scope.boundNames.has(name);
  }

  /** The expression a name holds where it is used: a module constant's, or a local's last unconditional assignment. */
  assignedExpression(expression: Extract<Expression, { kind: 'name' }>): Expression | undefined {
    const assigned = this.assignedItem(expression);
    return assigned && assigned.index === undefined ? assigned.value : undefined;
  }

  /** Like `assignedExpression`, also for `a, b = value`, which gives item `index` of `value`. */
  assignedItem(expression: Extract<Expression, { kind: 'name' }>): { value: Expression; index?: number } | undefined {
    const { binding, name } = expression;
    if (binding.scope === 'module') return this.scope.constants.get(name);
    if (binding.scope !== 'local') return undefined;
    const last = this.lastLocalBinding(name, expression.offset, binding.functionId);
    return typeof last === 'object' && last.value ? { value: last.value, ...(last.index === undefined ? {} : { index: last.index }) } : undefined;
  }

  /**
   * The last assignment to a name in a function before `offset`: the binding, `undefined` when
   * there is none before it, or why the assignments cannot be relied on (one runs only sometimes).
   */
  private lastLocalBinding(name: string, offset: number, functionId: string): LocalBinding | undefined | string {
    const bindings = this.scope.functions.get(functionId)?.locals.filter((local) => local.name === name) ?? [];
    const before = bindings.filter((binding) => binding.offset <= offset);
    if (before.length === 0) return undefined;
    if (bindings.some((binding) => !binding.straightLine)) return `\`${name}\` is assigned inside a branch or loop`;
    const last = before[before.length - 1]!;
    return last.value ? last : `\`${name}\` is bound by something other than an assignment`;
  }

  /** A local variable: the last assignment before the use, when every assignment runs unconditionally. */
  private local(name: string, offset: number, functionId: string, context: EvaluationContext): Value {
    const last = this.lastLocalBinding(name, offset, functionId);
    if (last === undefined) return unknown(`\`${name}\` is not assigned a value before this line`);
    return this.localValue(name, last, functionId, context);
  }

  private localValue(name: string, last: LocalBinding | string, functionId: string, context: EvaluationContext): Value {
    if (typeof last === 'string') return unknown(last);
    const value = last.value!;
    return this.guarded(`local ${functionId}.${name}.${last.offset}`, `\`${name}\` is defined in terms of itself`, () =>
      withOrigin(itemOf(this.evaluate(value, context), last.index), { name, range: last.range }),
    );
  }

  /** `self.attribute` from `__init__`, or `args.batch_size` from argparse's default. */
  private attribute(expression: Extract<Expression, { kind: 'attribute' }>, context: EvaluationContext): Value {
    const object = expression.object;
    const commandLine = this.scope.commandLineDefaults.get(expression.attribute);
    if (commandLine && object.kind === 'name' && isParseArgsCall(this.assignedExpression(object))) {
      return withOrigin(this.evaluate(commandLine.value), { name: commandLine.option, range: commandLine.range });
    }
    const method = object.kind === 'name' && object.binding.scope === 'parameter' ? this.scope.functions.get(object.binding.functionId) : undefined;
    if (!method?.className || method.parameters[0]?.name !== (object.kind === 'name' ? object.name : undefined)) {
      const dotted = moduleDottedName(expression);
      const config = this.configReference(expression);
      return (
        (dotted === undefined ? undefined : (this.layerClass(dotted) ?? this.scope.importedValue?.(dotted))) ??
        (config && this.scope.configValue?.(config)) ??
        unknown(`\`${expression.source}\` is not a constant`)
      );
    }
    const initializer = this.scope.functions.get(`${method.className}.__init__`);
    const assignments = initializer?.selfAttributes.filter((candidate) => candidate.attribute === expression.attribute) ?? [];
    // A class attribute that no method assigns: `GROUPS = 8` in the class body, read as `self.GROUPS`.
    if (assignments.length === 0 && !this.attributesSetOutsideInit(method.className).has(expression.attribute)) {
      return this.classConstant(method.className, expression.attribute);
    }
    if (assignments.length !== 1 || !assignments[0]!.straightLine) return unknown(`\`${expression.source}\` is not set exactly once in \`__init__\``);
    // Another method that reassigns it (`self.inplanes = planes` in `_make_layer`) makes its value depend on the call order.
    if (this.attributesSetOutsideInit(method.className).has(expression.attribute)) return unknown(`\`${expression.source}\` is reassigned outside \`__init__\``);
    const initContext = context.functionId === initializer!.id ? context : (context.instance ?? { functionId: initializer!.id, arguments: new Map(), callChain: [] });
    const assignment = assignments[0]!;
    return this.guarded(`attribute ${initializer!.id}.${expression.attribute}`, `\`${expression.source}\` is defined in terms of itself`, () =>
      this.evaluate(assignment.value, initContext),
    );
  }

  /** The `self.…` attributes a class's methods other than `__init__` assign, computed once per class. */
  private attributesSetOutsideInit(className: string): Set<string> {
    let attributes = this.outsideInitAttributes.get(className);
    if (!attributes) {
      attributes = new Set();
      for (const summary of this.scope.functions.values()) {
        if (summary.className === className && summary.name !== '__init__') for (const assignment of summary.selfAttributes) attributes.add(assignment.attribute);
      }
      this.outsideInitAttributes.set(className, attributes);
    }
    return attributes;
  }

  /**
   * `cfg.model.channels` where `cfg` is what `OmegaConf.load("conf.yaml")` returned, or the
   * parameter of a `@hydra.main(config_path=…, config_name=…)` function: the link to a config
   * file must be visible in the code.
   */
  private configReference(expression: Extract<Expression, { kind: 'attribute' }>): ConfigReference | undefined {
    const keys: string[] = [];
    let part: Expression = expression;
    for (; part.kind === 'attribute'; part = part.object) keys.unshift(part.attribute);
    if (part.kind !== 'name') return undefined;
    if (part.binding.scope === 'parameter') {
      const owner = this.scope.functions.get(part.binding.functionId);
      const hydra = owner?.parameters[0]?.name === part.name ? owner.decorators.find((decorator) => this.qualifiedCallee(decorator) === 'hydra.main') : undefined;
      if (hydra?.kind !== 'call') return undefined;
      const keyword = (name: string): string | undefined => {
        const value = hydra.keywords.find((candidate) => candidate.name === name)?.value;
        return value?.kind === 'string' ? value.value : undefined;
      };
      const configName = keyword('config_name');
      if (configName === undefined) return undefined;
      const folder = keyword('config_path') ?? '.';
      const file = `${folder.replace(/\/+$/, '')}/${configName.endsWith('.yaml') ? configName : `${configName}.yaml`}`;
      return { file, relativeTo: 'script', keys };
    }
    const loaded = this.assignedExpression(part);
    if (loaded?.kind !== 'call' || this.qualifiedCallee(loaded) !== 'omegaconf.OmegaConf.load') return undefined;
    const [file] = loaded.arguments;
    return file?.kind === 'string' && file.value !== undefined ? { file: file.value, relativeTo: 'workingDirectory', keys } : undefined;
  }

  /** The qualified name a call's callee refers to through the imports (`hydra.main`, `omegaconf.OmegaConf.load`). */
  private qualifiedCallee(expression: Expression): string | undefined {
    const callee = expression.kind === 'call' ? expression.callee : expression;
    const dotted = moduleDottedName(callee);
    return dotted === undefined ? undefined : this.scope.qualify(dotted);
  }

  private layerClass(dottedName: string): Value | undefined {
    const resolved = this.scope.resolveName(dottedName);
    if (resolved?.kind !== 'layerClass') return undefined;
    return { kind: 'layerClass', signature: resolved.signature, qualifiedName: resolved.qualifiedName, partialArguments: [], partialKeywords: [], origins: [] };
  }

  /** `functools.partial(nn.GroupNorm, 32)`: the layer class with its first arguments bound. */
  private partial(expression: Extract<Expression, { kind: 'call' }>, context: EvaluationContext): Value {
    const [target, ...rest] = expression.arguments;
    if (!target || expression.hasUnpacked) return unknown(`\`${expression.source}\` binds arguments that cannot be read`);
    const layer = this.evaluate(target, context);
    if (layer.kind !== 'layerClass') return layer.kind === 'unknown' ? layer : unknown(`\`${expression.source}\` does not wrap a layer class`);
    return {
      ...layer,
      partialArguments: [...layer.partialArguments, ...rest.map((argument) => this.evaluate(argument, context))],
      partialKeywords: [...layer.partialKeywords, ...expression.keywords.map(({ name, value }): [string, Value] => [name, this.evaluate(value, context)])],
      origins: [...layer.origins, { name: 'partial', range: expression.range }],
    };
  }

  /** `int(x)`, `max(a, b)`, `min(a, b)`, `len([...])`, `abs(x)` of known values, and `functools.partial`. */
  private builtinCall(expression: Extract<Expression, { kind: 'call' }>, context: EvaluationContext): Value {
    const callee = expression.callee;
    const calleeName = callee.kind === 'name' || callee.kind === 'attribute' ? callee.source : undefined;
    if (calleeName && this.scope.resolveName(calleeName)?.kind === 'partial') return this.partial(expression, context);
    if (callee.kind !== 'name' || callee.binding.scope !== 'module' || this.scope.boundNames.has(callee.name)) {
      return unknown(`\`${expression.source}\` is a call`);
    }
    const values = expression.arguments.map((argument) => this.evaluate(argument, context));
    const failed = values.find((value) => value.kind === 'unknown');
    if (failed) return failed;
    const origins = values.flatMap((value) => (value.kind === 'unknown' ? [] : value.origins));
    const numbers = values.map((value) => (value.kind === 'int' || value.kind === 'float' ? value.value : undefined));
    const allIntegers = values.every((value) => value.kind === 'int');
    switch (callee.name) {
      case 'len': {
        const [sequence] = values;
        return values.length === 1 && sequence?.kind === 'sequence' ? { kind: 'int', value: sequence.items.length, origins } : unknown(`\`${expression.source}\` is not the length of a literal`);
      }
      case 'int':
        return numbers.length === 1 && numbers[0] !== undefined ? { kind: 'int', value: Math.trunc(numbers[0]), origins } : unknown(`\`${expression.source}\` is not a number`);
      case 'abs':
        return numbers.length === 1 && numbers[0] !== undefined ? { kind: allIntegers ? 'int' : 'float', value: Math.abs(numbers[0]), origins } : unknown(`\`${expression.source}\` is not a number`);
      case 'max':
      case 'min': {
        if (numbers.length < 2 || numbers.some((number) => number === undefined)) return unknown(`\`${expression.source}\` is not over known numbers`);
        const known = numbers as number[];
        return { kind: allIntegers ? 'int' : 'float', value: callee.name === 'max' ? Math.max(...known) : Math.min(...known), origins };
      }
      default:
        return unknown(`\`${expression.source}\` is a call`);
    }
  }

  /**
   * Whether a call runs in `context`, as far as its `if` conditions tell: false only when one of
   * them is known to have the other value (`if spatial_norm_dim is not None:` with the default None).
   */
  guardsAllow(guards: readonly { condition: Expression; whenTrue: boolean }[] | undefined, context: EvaluationContext): boolean {
    return (guards ?? []).every(({ condition, whenTrue }) => {
      const truth = truthiness(this.evaluate(condition, context));
      return truth === undefined || truth === whenTrue;
    });
  }

  /** `x is None`, `x is not None`, and `==`/`!=` between known numbers, strings, booleans and None. */
  private compare(expression: Extract<Expression, { kind: 'compare' }>, context: EvaluationContext): Value {
    const left = this.evaluate(expression.left, context);
    const right = this.evaluate(expression.right, context);
    const notKnown = unknown(`\`${expression.source}\` compares values that are not known`);
    const plain = (value: Value): string | undefined => {
      if (value.kind === 'none') return 'None';
      if (value.kind === 'int' || value.kind === 'float') return `n${value.value}`;
      if (value.kind === 'bool') return `b${value.value}`;
      if (value.kind === 'str') return `s${value.value}`;
      return undefined;
    };
    switch (expression.operator) {
      case 'is':
      case 'is not': {
        // Only `… is None` is decidable: anything known and not None is not None.
        if (right.kind !== 'none' || left.kind === 'unknown' || left.kind === 'symbol') return notKnown;
        return { kind: 'bool', value: (left.kind === 'none') === (expression.operator === 'is'), origins: [] };
      }
      case '==':
      case '!=': {
        const first = plain(left);
        const second = plain(right);
        if (first === undefined || second === undefined) return notKnown;
        return { kind: 'bool', value: (first === second) === (expression.operator === '=='), origins: [] };
      }
      default:
        return notKnown;
    }
  }

  /** Runs `compute` unless the same key is already being computed (a definition in terms of itself). */
  private guarded(key: string, cycleReason: string, compute: () => Value): Value {
    if (this.inProgress.has(key)) return unknown(cycleReason);
    this.inProgress.add(key);
    try {
      return compute();
    } finally {
      this.inProgress.delete(key);
    }
  }

  private unary(operator: string, value: Value, source: string): Value {
    if (value.kind === 'unknown') return value;
    if (value.kind === 'symbol') return operator === '+' ? value : { kind: 'symbol', key: `(${operator}${value.key})`, origins: value.origins };
    if (value.kind !== 'int' && value.kind !== 'float') return unknown(`\`${source}\` is not a number`);
    if (operator === '-') return { ...value, value: -value.value };
    if (operator === '+') return value;
    return unknown(`\`${source}\` uses an unsupported operator`);
  }

  private binary(expression: Extract<Expression, { kind: 'binary' }>, context: EvaluationContext): Value {
    const left = this.evaluate(expression.left, context);
    if (left.kind === 'unknown') return left;
    const right = this.evaluate(expression.right, context);
    if (right.kind === 'unknown') return right;
    if (left.kind === 'symbol' || right.kind === 'symbol') return symbolicBinary(expression.operator, left, right);
    if ((left.kind !== 'int' && left.kind !== 'float') || (right.kind !== 'int' && right.kind !== 'float')) {
      return unknown(`\`${expression.source}\` is not arithmetic on numbers`);
    }
    const origins = [...left.origins, ...right.origins];
    const bothInts = left.kind === 'int' && right.kind === 'int';
    const number = (value: number, integral: boolean): Value =>
      Number.isFinite(value) ? { kind: integral ? 'int' : 'float', value, origins } : unknown(`\`${expression.source}\` overflows`);
    const dividesByZero = unknown(`\`${expression.source}\` divides by zero`);
    switch (expression.operator) {
      case '+':
        return number(left.value + right.value, bothInts);
      case '-':
        return number(left.value - right.value, bothInts);
      case '*':
        return number(left.value * right.value, bothInts);
      case '/':
        return right.value === 0 ? dividesByZero : number(left.value / right.value, false);
      case '//':
        return right.value === 0 ? dividesByZero : number(floorDivide(left.value, right.value), bothInts);
      case '%':
        return right.value === 0 ? dividesByZero : number(pythonModulo(left.value, right.value), bothInts);
      case '**':
        return number(left.value ** right.value, bothInts && right.value >= 0);
      default:
        return unknown(`\`${expression.source}\` uses an unsupported operator`);
    }
  }
}

/** `nn.BatchNorm2d` or `models.UNet`: a dotted name whose root is bound at module level. */
function moduleDottedName(expression: Expression): string | undefined {
  let dotted = '';
  for (let part: Expression = expression; ; part = part.object) {
    if (part.kind === 'name') return part.binding.scope === 'module' ? (dotted ? `${part.name}.${dotted}` : part.name) : undefined;
    if (part.kind !== 'attribute') return undefined;
    dotted = dotted ? `${part.attribute}.${dotted}` : part.attribute;
  }
}

/** Python's truth value of a known value; undefined when it is not known. */
function truthiness(value: Value): boolean | undefined {
  switch (value.kind) {
    case 'bool':
      return value.value;
    case 'int':
    case 'float':
      return value.value !== 0;
    case 'none':
      return false;
    case 'str':
      return value.value.length > 0;
    case 'sequence':
      return value.items.length > 0;
    case 'layerClass':
    case 'moduleClass':
      return true;
    default:
      return undefined;
  }
}

/** Item `index` of an unpacked value (`a, b = 3, 4` is handled item by item before this). */
function itemOf(value: Value, index: number | undefined): Value {
  if (index === undefined || value.kind === 'unknown') return value;
  if (value.kind !== 'sequence') return unknown('the unpacked value is not a known sequence');
  return value.items[index] ?? unknown(`the unpacked value has no item ${index}`);
}

/** `parser.parse_args()` or `parser.parse_args(argv)`. */
function isParseArgsCall(expression: Expression | undefined): boolean {
  return expression?.kind === 'call' && expression.callee.kind === 'attribute' && expression.callee.attribute === 'parse_args';
}

function withOrigin(value: Value, origin: ValueOrigin): Value {
  return value.kind === 'unknown' ? value : { ...value, origins: [origin, ...value.origins] };
}

/** Arithmetic with an unbound parameter stays an expression, so `dim * 2` equals `dim * 2` elsewhere. */
function symbolicBinary(operator: string, left: Value, right: Value): Value {
  const keyOf = (value: Value): string | undefined =>
    value.kind === 'symbol' ? value.key : value.kind === 'int' || value.kind === 'float' ? String(value.value) : undefined;
  const leftKey = keyOf(left);
  const rightKey = keyOf(right);
  if (leftKey === undefined || rightKey === undefined) return unknown('an expression mixes a parameter with something that is not a number');
  // `+` and `*` commute: order the operands so `2 * dim` and `dim * 2` get the same key.
  const [first, second] = (operator === '+' || operator === '*') && rightKey < leftKey ? [rightKey, leftKey] : [leftKey, rightKey];
  const origins = [...(left.kind === 'unknown' ? [] : left.origins), ...(right.kind === 'unknown' ? [] : right.origins)];
  return { kind: 'symbol', key: `(${first} ${operator} ${second})`, origins };
}

function parseInteger(text: string): Value {
  const digits = text.replace(/_/g, '').toLowerCase();
  const value = /^0+$/.test(digits) ? 0 : Number(digits);
  if (Number.isNaN(value)) return unknown(`\`${text}\` is not an integer`);
  if (!Number.isSafeInteger(value)) return unknown(`\`${text}\` is too large to reason about`);
  return { kind: 'int', value, origins: [] };
}
