// Finds the line on which a TOML key is written. The TOML parser returns plain values without
// positions, so a configuration error such as an unknown rule name would otherwise have no line;
// a scan of table headers and `key =` lines recovers it for the usual ways of writing a table.

const bareOrQuotedKey = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const dottedKey = String.raw`${bareOrQuotedKey}(?:\s*\.\s*${bareOrQuotedKey})*`;
const tableHeader = new RegExp(String.raw`^\s*\[\[?\s*(${dottedKey})\s*\]\]?\s*(?:#.*)?$`);
const keyAssignment = new RegExp(String.raw`^\s*(${dottedKey})\s*=`);

export class TomlKeyLines {
  /** The 1-based line of each key path, keyed by `pathKey(path)`; the first one wins, as TOML forbids redefinition. */
  private readonly lines = new Map<string, number>();
  /** Every line that starts a table or sets a key, ascending, to tell where a multi-line value ends. */
  private readonly keyLineNumbers: number[] = [];
  private readonly textLines: string[];

  constructor(text: string) {
    this.textLines = text.split(/\r?\n/);
    let table: string[] = [];
    let insideMultilineString = false;
    this.textLines.forEach((line, index) => {
      const lineNumber = index + 1;
      // A line inside a """ or ''' string may look like `key = value` but is text.
      const startsInsideString = insideMultilineString;
      if (((line.match(/"""|'''/g) ?? []).length % 2) === 1) insideMultilineString = !insideMultilineString;
      if (startsInsideString) return;
      const header = tableHeader.exec(line);
      if (header) {
        table = splitDottedKey(header[1]!);
        this.record(table, lineNumber);
        return;
      }
      const assignment = keyAssignment.exec(line);
      if (assignment) this.record([...table, ...splitDottedKey(assignment[1]!)], lineNumber);
    });
  }

  /**
   * The line of `path`, or of its nearest written ancestor (a key inside an inline table is found
   * as the line of the table's key). With `item`, the line within the key's value where that
   * string is written, for an entry of a multi-line array.
   */
  lineOf(path: readonly string[], item?: string): number | undefined {
    for (let length = path.length; length > 0; length--) {
      const line = this.lines.get(pathKey(path.slice(0, length)));
      if (line === undefined) continue;
      return item === undefined || length < path.length ? line : (this.lineOfItem(line, item) ?? line);
    }
    return undefined;
  }

  private lineOfItem(keyLine: number, item: string): number | undefined {
    const nextKeyLine = this.keyLineNumbers.find((lineNumber) => lineNumber > keyLine) ?? this.textLines.length + 1;
    for (let lineNumber = keyLine; lineNumber < nextKeyLine; lineNumber++) {
      const text = this.textLines[lineNumber - 1]!;
      if (text.includes(`"${item}"`) || text.includes(`'${item}'`)) return lineNumber;
    }
    return undefined;
  }

  private record(path: readonly string[], lineNumber: number): void {
    this.keyLineNumbers.push(lineNumber);
    const key = pathKey(path);
    if (!this.lines.has(key)) this.lines.set(key, lineNumber);
  }
}

function pathKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

/** `tool."normlint".severity` → ["tool", "normlint", "severity"]. */
function splitDottedKey(text: string): string[] {
  const parts: string[] = [];
  for (const match of text.matchAll(new RegExp(bareOrQuotedKey, 'g'))) {
    const part = match[0];
    parts.push(part.startsWith('"') ? unescapeBasicString(part) : part.startsWith("'") ? part.slice(1, -1) : part);
  }
  return parts;
}

/** A basic string's value; TOML's escapes are JSON's plus a few rare ones, which are kept as written. */
function unescapeBasicString(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}
