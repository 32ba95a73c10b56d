// Reads a file's imports into a table from local names to fully qualified names, so that
// `nn.GroupNorm`, `GN` (from `from torch.nn import GroupNorm as GN`) and `torch.nn.GroupNorm`
// all resolve to `torch.nn.GroupNorm`.
import type { Language, Node, Tree } from '@vscode/tree-sitter-wasm';
import { pythonQuery } from './queries';
import { dottedNameOf, fieldChildrenOf } from './syntax';

/**
 * Aliases so common that code in notebooks and snippets uses them without an import in
 * the same cell or file. They apply only when the file never binds the name itself.
 */
const conventionalAliases: ReadonlyMap<string, string> = new Map([
  ['torch', 'torch'],
  ['nn', 'torch.nn'],
  ['F', 'torch.nn.functional'],
]);

export class ImportTable {
  private readonly aliases = new Map<string, string>();
  private readonly starModules: string[] = [];

  /** Qualified name of a dotted expression such as `nn.GroupNorm`, or undefined if its root name is not imported. */
  qualify(dottedName: string, isBoundLocally: (name: string) => boolean): string | undefined {
    const [root, ...rest] = dottedName.split('.');
    if (root === undefined) return undefined;
    const target = this.aliases.get(root) ?? (isBoundLocally(root) ? undefined : conventionalAliases.get(root));
    if (target === undefined) return undefined;
    return [target, ...rest].join('.');
  }

  /** Modules imported with `from module import *`: their public names may appear bare. */
  get wildcardModules(): readonly string[] {
    return this.starModules;
  }

  static fromTree(tree: Tree, language: Language): ImportTable {
    const table = new ImportTable();
    for (const capture of pythonQuery(language, 'imports').captures(tree.rootNode)) {
      if (capture.node.type === 'import_statement') table.addImport(capture.node);
      else table.addFromImport(capture.node);
    }
    return table;
  }

  private addImport(statement: Node): void {
    for (const name of fieldChildrenOf(statement, 'name')) {
      if (name.type === 'aliased_import') {
        const module = name.childForFieldName('name');
        const alias = name.childForFieldName('alias');
        const qualified = module && dottedNameOf(module);
        if (qualified && alias) this.aliases.set(alias.text, qualified);
      } else {
        // `import torch.nn` binds `torch`; the rest stays reachable by attribute.
        const qualified = dottedNameOf(name);
        const root = qualified?.split('.')[0];
        if (root) this.aliases.set(root, root);
      }
    }
  }

  private addFromImport(statement: Node): void {
    const moduleNode = statement.childForFieldName('module_name');
    // Relative imports name workspace modules, which this table does not follow.
    if (!moduleNode || moduleNode.type !== 'dotted_name') return;
    const module = dottedNameOf(moduleNode);
    if (!module) return;
    if (statement.namedChildren.some((child) => child?.type === 'wildcard_import')) {
      this.starModules.push(module);
      return;
    }
    for (const name of fieldChildrenOf(statement, 'name')) {
      const imported = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
      const alias = name.type === 'aliased_import' ? name.childForFieldName('alias') : name;
      const importedName = imported && dottedNameOf(imported);
      if (importedName && alias) this.aliases.set(alias.text, `${module}.${importedName}`);
    }
  }
}
