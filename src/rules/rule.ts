// The shape every rule shares: identity (code and name), documentation, and a check that
// turns a document's facts into findings. Findings are plain data; hosts present them.
import type { DocumentFacts } from '../analysis/documentFacts';
import type { BoundArgument, NormLayerFact } from '../analysis/normLayers';
import type { SourceRange } from '../python/pythonParser';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const severities: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/** Documentation with fixed headings, rendered in hover, the docs pages and the README. */
export interface RuleDocs {
  /** One sentence starting "Checks for…". */
  whatItDoes: string;
  whyIsThisBad: string;
  /** Python code that the rule flags. */
  example: string;
  /** The same code, fixed. */
  useInstead: string;
  references?: { title: string; url: string }[];
}

export interface TextEdit {
  range: SourceRange;
  newText: string;
}

export interface Fix {
  /** Imperative, e.g. "Use 25 groups". */
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
}

export interface RelatedLocation {
  range: SourceRange;
  message: string;
  /** The file it is in, when that is not the file the finding is reported in. */
  uri?: string;
  /** When the finding is repeated here (another file's line), at most this severity: the layer that does not crash is not an error. */
  severity?: Severity;
}

/** What a rule's check reports; the runner adds the rule's identity and the configured severity. */
export interface RuleFinding {
  /** Short, with code in backticks, numbers stated, no final period. */
  message: string;
  range: SourceRange;
  /** The layer the finding is about, and the arguments the verdict rests on. */
  layer?: NormLayerFact;
  /** When one of these got its value from a call to the enclosing function, the finding moves to that call. */
  basis?: BoundArgument[];
  /** For rules whose findings differ in weight (small-batch): used unless the user set the rule's severity. */
  severity?: Severity;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

export interface Finding extends Omit<RuleFinding, 'layer' | 'basis'> {
  code: string;
  rule: string;
  severity: Severity;
  /** The file the finding is reported in, when that is not the file that was analysed (a call in the training script, a config line). */
  uri?: string;
}

export interface RuleContext {
  facts: DocumentFacts;
  /** Batch sizes below which small-batch warns, and reports information. */
  thresholds: { smallBatchWarning: number; smallBatchInformation: number };
}

export interface Rule {
  /** Stable code such as `NL101`, never reused. */
  code: string;
  /** Kebab-case name from the design's rule table; used in `# normlint: ignore[name]` and settings. */
  name: string;
  defaultSeverity: Severity;
  docs: RuleDocs;
  check(context: RuleContext): RuleFinding[];
}
