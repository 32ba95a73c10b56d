// Which Python module a workspace file is, and which file an import names. Python finds
// `models.unet` from the folder it runs in, and a script's own folder comes first on its path;
// `src/` layouts install their packages from `src/`. Relative imports count from the package.

/** Workspace-relative paths use `/`; `models/unet.py` → `models.unet`, `models/__init__.py` → `models`. */
export function moduleNamesOf(path: string): string[] {
  const withoutSuffix = path.replace(/\.(py|ipynb)$/, '');
  const parts = withoutSuffix.split('/').filter((part) => part.length > 0);
  if (parts[parts.length - 1] === '__init__') parts.pop();
  if (parts.length === 0 || parts.some((part) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(part))) return [];
  const names = [parts.join('.')];
  if (parts[0] === 'src' && parts.length > 1) names.push(parts.slice(1).join('.'));
  return names;
}

/** The package a file's relative imports count from. */
function packageOf(path: string): string[] {
  // `__init__.py` is its folder's package, and any other file lives in its folder's package: the folder either way.
  return path.split('/').filter((part) => part.length > 0).slice(0, -1);
}

/** An absolute name a qualified name may mean; a module matching it must lie inside `within` (a package), when set. */
export interface AbsoluteName {
  name: string;
  within?: string;
}

/**
 * The absolute module paths a qualified name may mean, seen from the file at `path`, most
 * likely first: `.blocks.Block` in `models/unet.py` is `models.blocks.Block`; `unet.UNet` in
 * `models/train.py` may be a top-level `unet` or the script's sibling `models.unet` — a sibling
 * module, never the folder's package itself (`import torch` there is not `models`).
 */
export function absoluteNames(qualifiedName: string, path: string): AbsoluteName[] {
  const folder = packageOf(path);
  const dots = /^\.+/.exec(qualifiedName)?.[0].length ?? 0;
  if (dots > 0) {
    if (dots - 1 > folder.length) return [];
    const base = folder.slice(0, folder.length - (dots - 1));
    const rest = qualifiedName.slice(dots);
    const name = [...base, ...(rest ? rest.split('.') : [])].join('.');
    return name.length > 0 ? [{ name }] : [];
  }
  const candidates: AbsoluteName[] = [{ name: qualifiedName }];
  if (folder.length > 0) candidates.push({ name: [...folder, qualifiedName].join('.'), within: folder.join('.') });
  return candidates;
}

/** The module/rest splits of an absolute name that `within` allows. */
export function moduleSplitsOf(absolute: AbsoluteName): { module: string; rest: string }[] {
  const within = absolute.within;
  return splitsOf(absolute.name).filter(({ module }) => within === undefined || module.startsWith(`${within}.`));
}

/** `a.b.C` → [`a.b`, `C`], then [`a`, `b.C`]: the module part longest first. */
export function splitsOf(name: string): { module: string; rest: string }[] {
  const parts = name.split('.');
  const splits: { module: string; rest: string }[] = [];
  for (let cut = parts.length; cut >= 1; cut--) splits.push({ module: parts.slice(0, cut).join('.'), rest: parts.slice(cut).join('.') });
  return splits;
}
