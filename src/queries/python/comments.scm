; Finds comments: `# normlint: ignore[...]` suppressions are read from them.

(comment) @comment
