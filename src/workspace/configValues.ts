// Values scripts read from YAML and JSON configs (`cfg.train.batch_size`), as analysis values
// whose origin is the config line, so a finding that rests on one is reported there too.
import { parseConfigTree } from '../configs/configTree';
import type { ConfigTree, ConfigValue } from '../configs/configTree';
import type { Value } from '../python/evaluate';

export interface ConfigFile {
  uri: string;
  path: string;
  text: string;
  /** Parsed on first use. */
  tree?: ConfigTree;
}

export function configValueAt(config: ConfigFile, keys: readonly string[]): Value | undefined {
  config.tree ??= parseConfigTree(config.text, config.path.endsWith('.json') ? 'json' : 'yaml');
  const found = config.tree.lookup(keys);
  if (!found) return undefined;
  const value = toValue(found, { name: keys.join('.'), range: found.range, uri: config.uri });
  return value.kind === 'unknown' ? undefined : value;
}

function toValue(config: ConfigValue, origin: { name: string; range: ConfigValue['range']; uri: string }): Value {
  const origins = [origin];
  switch (config.kind) {
    case 'int':
      return { kind: 'int', value: config.value as number, origins };
    case 'float':
      return { kind: 'float', value: config.value as number, origins };
    case 'bool':
      return { kind: 'bool', value: config.value as boolean, origins };
    case 'str':
      return { kind: 'str', value: config.value as string, origins };
    case 'none':
      return { kind: 'none', origins };
    case 'sequence':
      return { kind: 'sequence', items: config.items.map((item, index) => toValue(item, { ...origin, name: `${origin.name}[${index}]`, range: item.range })), origins };
    default:
      return { kind: 'unknown', reason: `\`${origin.name}\` is a mapping` };
  }
}
