// Compiles the tree-sitter queries in src/queries/python once per language and caches them.
import { Query } from '@vscode/tree-sitter-wasm';
import type { Language } from '@vscode/tree-sitter-wasm';
import callsSource from '../queries/python/calls.scm';
import commentsSource from '../queries/python/comments.scm';
import importsSource from '../queries/python/imports.scm';

/** Every query the analyzer runs, by kind; the file name in src/queries/python is the kind. */
export const querySources = {
  calls: callsSource,
  comments: commentsSource,
  imports: importsSource,
} as const;

export type QueryKind = keyof typeof querySources;

const compiled = new WeakMap<Language, Map<QueryKind, Query>>();

export function pythonQuery(language: Language, kind: QueryKind): Query {
  let byKind = compiled.get(language);
  if (!byKind) {
    byKind = new Map();
    compiled.set(language, byKind);
  }
  let query = byKind.get(kind);
  if (!query) {
    query = new Query(language, querySources[kind]);
    byKind.set(kind, query);
  }
  return query;
}
