// Renders a rule's documentation as Markdown with the fixed headings; the same text becomes
// docs/rules/<name>.md, which diagnostics link to.
import type { Rule } from './rule';

export function ruleDocsMarkdown(rule: Rule): string {
  const { docs } = rule;
  const sections = [
    `# ${rule.name} (${rule.code})`,
    `Default severity: ${rule.defaultSeverity}. Silence a line with \`# normlint: ignore[${rule.name}]\`.`,
    `## What it does\n${docs.whatItDoes}`,
    `## Why is this bad?\n${docs.whyIsThisBad}`,
    `## Example\n\`\`\`python\n${docs.example}\n\`\`\``,
    `## Use instead\n\`\`\`python\n${docs.useInstead}\n\`\`\``,
  ];
  if (docs.references?.length) {
    sections.push(`## References\n${docs.references.map((reference) => `- [${reference.title}](${reference.url})`).join('\n')}`);
  }
  return `${sections.join('\n\n')}\n`;
}
