// Reads a file's imports into a table from local names to fully qualified names, so that
// `nn.GroupNorm`, `GN` (from `from torch.nn import GroupNorm as GN`) and `torch.nn.GroupNorm`
// all resolve to `torch.nn.GroupNorm`.
import type { Node } from '@vscode/tree-sitter-wasm';
import { dottedNameOf, fieldChildrenOf } from './syntax';

/** One name an import statement binds: `alias` refers to `qualifiedName`. */
export interface ImportBinding {
  alias: string;
  qualifiedName: string;
}

/** What one import statement contributes. */
export interface ImportFacts {
  bindings: ImportBinding[];
  /** `from module import *` */
  wildcardModules: string[];
}

/**
 * Aliases so common that code in notebooks and snippets uses them without an import in
 * the same cell or file. They apply only when the file never binds the name itself.
 */
const conventionalAliases: ReadonlyMap<string, string> = new Map([
  ['torch', 'torch'],
  ['nn', 'torch.nn'],
  ['F', 'torch.nn.functional'],
]);

export function importFactsOf(statement: Node): ImportFacts {
  return statement.type === 'import_statement' ? plainImport(statement) : fromImport(statement);
}

export class ImportTable {
  private readonly aliases = new Map<string, string>();

  constructor(
    facts: readonly ImportFacts[],
    /** Names the file binds anywhere; a conventional alias never overrides them. */
    private readonly boundNames: ReadonlySet<string>,
  ) {
    for (const fact of facts) for (const binding of fact.bindings) this.aliases.set(binding.alias, binding.qualifiedName);
    this.wildcardModules = facts.flatMap((fact) => fact.wildcardModules);
    this.fingerprint = JSON.stringify([
      [...this.aliases].sort(),
      this.wildcardModules,
      [...conventionalAliases.keys()].map((name) => boundNames.has(name)),
      this.wildcardModules.length > 0 ? [...boundNames].sort() : [],
    ]);
  }

  /** Equal for two tables that resolve every name the same way. */
  readonly fingerprint: string;

  /** Modules imported with `from module import *`: their public names may appear bare. */
  readonly wildcardModules: readonly string[];

  /** The qualified names a dotted expression such as `nn.GroupNorm` may refer to, most likely first. */
  qualify(dottedName: string): string[] {
    const [root, ...rest] = dottedName.split('.');
    if (root === undefined) return [];
    const imported = this.aliases.get(root);
    if (imported !== undefined) return [[imported, ...rest].join('.')];
    if (this.boundNames.has(root)) return [];
    const conventional = conventionalAliases.get(root);
    if (conventional !== undefined) return [[conventional, ...rest].join('.')];
    return this.wildcardModules.map((module) => `${module}.${dottedName}`);
  }
}

function plainImport(statement: Node): ImportFacts {
  const bindings: ImportBinding[] = [];
  for (const name of fieldChildrenOf(statement, 'name')) {
    if (name.type === 'aliased_import') {
      const module = name.childForFieldName('name');
      const alias = name.childForFieldName('alias');
      const qualifiedName = module && dottedNameOf(module);
      if (qualifiedName && alias) bindings.push({ alias: alias.text, qualifiedName });
    } else {
      // `import torch.nn` binds `torch`; the rest stays reachable by attribute.
      const root = dottedNameOf(name)?.split('.')[0];
      if (root) bindings.push({ alias: root, qualifiedName: root });
    }
  }
  return { bindings, wildcardModules: [] };
}

function fromImport(statement: Node): ImportFacts {
  const moduleNode = statement.childForFieldName('module_name');
  const module = moduleNode ? moduleNameOf(moduleNode) : undefined;
  if (!module) return { bindings: [], wildcardModules: [] };
  if (statement.namedChildren.some((child) => child?.type === 'wildcard_import')) return { bindings: [], wildcardModules: [module] };
  const bindings: ImportBinding[] = [];
  for (const name of fieldChildrenOf(statement, 'name')) {
    const imported = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
    const alias = name.type === 'aliased_import' ? name.childForFieldName('alias') : name;
    const importedName = imported && dottedNameOf(imported);
    if (importedName && alias) bindings.push({ alias: alias.text, qualifiedName: module.endsWith('.') ? `${module}${importedName}` : `${module}.${importedName}` });
  }
  return { bindings, wildcardModules: [] };
}

/**
 * `torch.nn`, or for a relative import the leading dots kept (`.blocks`, `..`): only the
 * workspace index knows which package the file is in, so it resolves them.
 */
function moduleNameOf(node: Node): string | undefined {
  if (node.type === 'dotted_name') return dottedNameOf(node);
  if (node.type !== 'relative_import') return undefined;
  const prefix = node.namedChildren.find((child) => child?.type === 'import_prefix')?.text ?? '';
  const rest = node.namedChildren.find((child) => child?.type === 'dotted_name');
  const name = rest ? dottedNameOf(rest) : '';
  return name === undefined ? undefined : `${prefix}${name}`;
}
