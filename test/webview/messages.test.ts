// Tests of the panel's message validation and HTML: what each side accepts from the other, what it
// drops (and logs), and the Content Security Policy the page is served with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostMessage, parsePanelMessage, parsePanelState, type PanelState } from '../../webview/messages';
import { defaultControls } from '../../webview/model/previewConfig';
import { contentSecurityPolicy, panelHtml } from '../../webview/panelHtml';

const layerMessage = {
  type: 'layer',
  layer: {
    displayName: 'GroupNorm',
    qualifiedName: 'torch.nn.GroupNorm',
    description: 'GroupNorm(num_groups=4, num_channels=8)',
    arguments: { num_groups: 4, num_channels: 8, affine: true, eps: null },
    documentName: 'model.py',
    line: 3,
  },
  target: { uri: 'file:///workspace/model.py', line: 3, character: 7 },
};

/** Parses with a log that collects what was dropped. */
function parseHost(value: unknown): { message: unknown; logged: string[] } {
  const logged: string[] = [];
  return { message: parseHostMessage(value, (line) => logged.push(line)), logged };
}

describe('parseHostMessage', () => {
  it('accepts a layer message', () => {
    const { message, logged } = parseHost(layerMessage);
    assert.deepEqual(message, layerMessage);
    assert.deepEqual(logged, []);
  });

  it('drops fields no message declares', () => {
    const { message } = parseHost({ ...layerMessage, script: 'alert(1)' });
    assert.equal((message as Record<string, unknown>)['script'], undefined);
  });

  const malformed: [string, unknown][] = [
    ['an unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['no type', { layer: layerMessage.layer }],
    ['a non-object', 'layer'],
    ['a wrong field type', { ...layerMessage, layer: { ...layerMessage.layer, line: '3' } }],
    ['a negative line', { type: 'layerMissing', line: -1 }],
    ['an argument of the wrong kind', { ...layerMessage, layer: { ...layerMessage.layer, arguments: { num_groups: 'four' } } }],
    ['a huge string', { type: 'inputError', message: 'x'.repeat(100_000) }],
    ['tensor data that is not a Float32Array', { type: 'npyInput', name: 'a.npy', uri: 'file:///a.npy', shape: [2, 2], data: [1, 2, 3, 4] }],
    ['a zero element limit', { type: 'settings', maxInputElements: 0 }],
  ];
  for (const [what, value] of malformed) {
    it(`drops and logs a message with ${what}`, () => {
      const { message, logged } = parseHost(value);
      assert.equal(message, undefined);
      assert.equal(logged.length, 1);
      assert.match(logged[0], /^normlint preview: dropped a malformed message: /);
    });
  }

  it('accepts .npy data as a Float32Array', () => {
    const data = new Float32Array([1, 2, 3, 4]);
    const { message } = parseHost({ type: 'npyInput', name: 'a.npy', uri: 'file:///a.npy', shape: [2, 2], data });
    assert.equal((message as { data: Float32Array }).data, data);
  });
});

describe('parsePanelMessage', () => {
  it('accepts what the page sends', () => {
    for (const message of [{ type: 'ready' }, { type: 'pickNpy' }, { type: 'useSynthetic' }]) assert.deepEqual(parsePanelMessage(message, assert.fail), message);
  });

  it('drops a render report with an unknown method', () => {
    const logged: string[] = [];
    const preview = { description: '', method: 'WeightNorm', mode: 'train', shape: [1], groups: 1, eps: 0, input: 'synthetic', computeMs: 1, inWorker: true };
    assert.equal(
      parsePanelMessage({ type: 'rendered', preview }, (line) => logged.push(line)),
      undefined,
    );
    assert.match(logged[0], /message\.preview\.method should be one of BatchNorm/);
  });
});

describe('parsePanelState', () => {
  it('reads back the state the page saves', () => {
    const state: PanelState = { controls: defaultControls, selection: { sample: 1, channel: 2 }, layer: layerMessage.layer, target: layerMessage.target, npy: { name: 'x.npy', uri: 'file:///workspace/x.npy' } };
    assert.deepEqual(parsePanelState(JSON.parse(JSON.stringify(state)), assert.fail), state);
  });

  it('drops a state whose controls are out of range', () => {
    const logged: string[] = [];
    assert.equal(parsePanelState({ controls: { ...defaultControls, batchSize: 0 }, selection: { sample: 0, channel: 0 } }, (line) => logged.push(line)), undefined);
    assert.match(logged[0], /state\.controls\.batchSize/);
  });
});

describe('panelHtml', () => {
  const options = { cspSource: 'https://resources.example', nonce: 'abc123', scriptUri: 'https://resources.example/webview.js', styleUri: 'https://resources.example/webview.css', workerUri: 'https://resources.example/w.js?a="b"' };

  it('allows nothing by default and scripts only by nonce', () => {
    const policy = contentSecurityPolicy(options);
    assert.match(policy, /^default-src 'none'/);
    assert.match(policy, /script-src 'nonce-abc123'/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|https?:\/\/(?!resources\.example)/);
  });

  it('loads its script with the nonce and escapes the URIs it writes into attributes', () => {
    const html = panelHtml(options);
    assert.ok(html.includes('<script nonce="abc123" src="https://resources.example/webview.js"></script>'));
    assert.ok(html.includes('data-worker-uri="https://resources.example/w.js?a=&quot;b&quot;"'));
  });
});
