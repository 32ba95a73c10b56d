// Tree-sitter queries live in .scm files; the bundler inlines each one as a string.
declare module '*.scm' {
  const source: string;
  export default source;
}
