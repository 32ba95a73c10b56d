// The preview panel's page in headless Chromium (Debian's chromium, driven by playwright-core),
// served with its real HTML and CSP and a stand-in for VS Code's webview API: every view draws for
// every method, the statistics shown are the engine's, BatchNorm on a 1×C×1×1 batch is called out,
// malformed messages are dropped and logged, state survives a reload, and the keyboard works.
// Screenshots go to test-results/webview/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { runNormalization, type LayerSpec, type Tensor } from '../../src/engine';
import { defaultMaxInputElements, type PanelState, type PreviewLayer } from '../../webview/messages';
import { defaultControls, normMethods } from '../../webview/model/previewConfig';
import { batchOf, poolSizeFor, syntheticSample } from '../../webview/model/sampleData';
import { launchChromium, PanelPage, whyNotRunnable } from './panelPage';

const skip = whyNotRunnable();
// CI must run these: a missing browser there is a broken set-up, not a reason to pass.
if (skip && process.env.CI) throw new Error(`the webview tests cannot run: ${skip}`);
if (skip) console.log(`# skipping the webview tests: ${skip}`);

const groupNorm: PreviewLayer = {
  displayName: 'GroupNorm',
  qualifiedName: 'torch.nn.GroupNorm',
  description: 'GroupNorm(num_groups=4, num_channels=16)',
  arguments: { num_groups: 4, num_channels: 16 },
  documentName: 'model.py',
  line: 5,
};
const target = { uri: 'file:///workspace/model.py', line: 5, character: 7 };
const hostReplies = (layer: PreviewLayer) => [
  { type: 'settings', maxInputElements: defaultMaxInputElements },
  { type: 'layer', layer, target },
];
/** The panel prints four significant digits. */
const displayTolerance = { relative: 6e-4, absolute: 1e-6 };

/** The batch the panel computes on for these controls, rebuilt from the same seeded generator. */
function panelBatch(batchSize: number, channels: number, height: number, width: number): Tensor {
  const poolSize = poolSizeFor(batchSize, channels * height * width, defaultMaxInputElements);
  return batchOf(syntheticSample({ channels, height, width, seed: defaultControls.seed, poolSize }), batchSize);
}

describe('preview panel webview', { skip }, () => {
  let browser: Browser;

  before(async () => {
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  async function openWithLayer(layer: PreviewLayer, theme: 'light' | 'dark' | 'highContrast' = 'light'): Promise<PanelPage> {
    const panel = await PanelPage.open(browser, { theme, replyToReady: hostReplies(layer) });
    await panel.waitForRender();
    return panel;
  }

  it('draws every view for each method', async () => {
    const panel = await openWithLayer(groupNorm);
    for (const method of normMethods) {
      const renders = await panel.renderCount();
      await panel.page.selectOption('#control-method', method);
      await panel.waitForRender((preview) => preview.method === method, renders);
      const counts = await panel.page.evaluate(() => {
        const count = (selector: string) => (globalThis as unknown as { document: { querySelectorAll(selector: string): { length: number } } }).document.querySelectorAll(selector).length;
        return {
          cubes: count('.cube'),
          currentCubeFaces: count('.cube.current .set-face'),
          rows: count('table.statistics tbody tr'),
          histogramPanels: count('[data-histogram] svg.histogram'),
          histogramBars: count('[data-histogram="overall-after"] rect.bar'),
          sensitivityBoxes: count('.sensitivity-chart rect.box'),
          methodCards: count('.method-card svg.histogram'),
        };
      });
      assert.equal(counts.cubes, 5, `${method}: cubes`);
      assert.equal(counts.currentCubeFaces, 3, `${method}: the current cube's shaded set`);
      assert.ok(counts.rows > 0, `${method}: statistics rows`);
      assert.equal(counts.histogramPanels, 4, `${method}: histograms`);
      assert.ok(counts.histogramBars > 10, `${method}: bars of the output histogram`);
      assert.equal(counts.sensitivityBoxes, 2 * 7, `${method}: batch sizes 1…64 in both sensitivity charts`);
      assert.equal(counts.methodCards, 5, `${method}: side-by-side cards`);
      await panel.screenshot(`method-${method}`);
    }
    assert.deepEqual(
      panel.console.filter((line) => !line.startsWith('log:')),
      [],
    );
    await panel.close();
  });

  for (const { name, layer, spec } of [
    { name: 'GroupNorm(4, 16)', layer: groupNorm, spec: { kind: 'GroupNorm', numGroups: 4, numChannels: 16 } as LayerSpec },
    {
      name: 'BatchNorm2d(16)',
      layer: { ...groupNorm, displayName: 'BatchNorm2d', qualifiedName: 'torch.nn.BatchNorm2d', description: 'BatchNorm2d(16)', arguments: { num_features: 16 } },
      spec: { kind: 'BatchNorm', numFeatures: 16 } as LayerSpec,
    },
  ]) {
    it(`shows the engine's per-set statistics before and after ${name}`, async () => {
      const panel = await openWithLayer(layer);
      const input = panelBatch(defaultControls.batchSize, 16, defaultControls.height, defaultControls.width);
      const result = runNormalization(spec, input, { mode: 'train' });
      // The engine's statistics of its own output are the "after" ones.
      const afterResult = runNormalization(spec, result.output, { mode: 'train' });
      const expected = {
        'mean-before': result.statistics.mean,
        'variance-before': result.statistics.variance,
        'mean-after': afterResult.statistics.mean,
        'variance-after': afterResult.statistics.variance,
      };
      const shown = await panel.page.$$eval('table.statistics tbody tr', (rows) =>
        rows.map((row) => Object.fromEntries([...row.querySelectorAll('td[data-column]')].map((cell) => [cell.getAttribute('data-column'), cell.textContent]))),
      );
      assert.equal(shown.length, result.statistics.mean.length);
      shown.forEach((row, set) => {
        assert.equal(Number(row['count']), result.statistics.count, `set ${set}: count`);
        for (const [column, values] of Object.entries(expected)) {
          const value = Number(row[column]);
          const allowed = displayTolerance.absolute + displayTolerance.relative * Math.abs(values[set]);
          assert.ok(Math.abs(value - values[set]) <= allowed, `set ${set} ${column}: shown ${row[column]}, engine ${values[set]}`);
        }
      });
      await panel.close();
    });
  }

  it('warns that every set holds one value for BatchNorm on a 1×64×1×1 batch', async () => {
    const batchNorm = { ...groupNorm, displayName: 'BatchNorm2d', qualifiedName: 'torch.nn.BatchNorm2d', description: 'BatchNorm2d(64)', arguments: { num_features: 64 } };
    const panel = await openWithLayer(batchNorm);
    for (const [field, value] of [
      ['height', '1'],
      ['width', '1'],
      ['batchSize', '1'],
    ]) {
      const renders = await panel.renderCount();
      await panel.page.fill(`#control-${field}`, value);
      await panel.waitForRender(() => true, renders);
    }
    const rendered = await panel.waitForRender((preview) => preview.shape.join('×') === '1×64×1×1');
    assert.equal(rendered.preview.error, 'BatchNorm2d(64): Expected more than 1 value per channel when training, got input size [1, 64, 1, 1]');
    const warning = await panel.page.textContent('[data-warning="one-value"]');
    assert.match(warning ?? '', /One value per set\. Each BatchNorm set here holds a single value \(N=1, H·W=1\): its variance is 0/);
    assert.match((await panel.page.textContent('.view-statistics [role="alert"]')) ?? '', /Expected more than 1 value per channel when training, got input size \[1, 64, 1, 1\]/);
    assert.equal(await panel.page.getAttribute('.view-sensitivity .callout', 'data-warning'), 'oneValue');
    await panel.screenshot('batchnorm-one-value-light');
    await panel.close();
  });

  it('drops and logs malformed messages, and shows markup in a layer as text', async () => {
    const panel = await openWithLayer(groupNorm);
    const renders = await panel.renderCount();
    await panel.send({ type: 'layer', layer: { ...groupNorm, line: 'five' }, target });
    await panel.send({ type: 'evaluate', code: 'globalThis.pwned = true' });
    await panel.send({ type: 'npyInput', name: 'x.npy', uri: 'file:///x.npy', shape: [2, 2], data: [1, 2, 3, 4] });
    const dropped = () => panel.console.filter((line) => line.includes('dropped a malformed message'));
    for (let waited = 0; dropped().length < 3 && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(dropped().length, 3, panel.console.join('\n'));
    assert.match(dropped()[0], /message\.layer\.line should be an integer/);
    assert.match(dropped()[1], /message\.type should be one of settings, layer, layerMissing, npyInput, inputError/);
    assert.equal(await panel.renderCount(), renders, 'a dropped message must not recompute');

    const markup = '<img src=x onerror="globalThis.pwned = true">';
    await panel.send({ type: 'layer', layer: { ...groupNorm, description: markup }, target });
    await panel.waitForRender((preview) => preview.description === markup, renders);
    assert.equal(await panel.page.textContent('.layer-line code'), markup);
    assert.equal(await panel.page.$$eval('img', (images) => images.length), 0);
    assert.equal(await panel.page.evaluate(() => (globalThis as { pwned?: boolean }).pwned), undefined);
    await panel.close();
  });

  it('restores its controls and selection from the saved state after a reload', async () => {
    const panel = await openWithLayer(groupNorm);
    let renders = await panel.renderCount();
    await panel.page.fill('#control-batchSize', '4');
    await panel.waitForRender((preview) => preview.shape[0] === 4, renders);
    renders = await panel.renderCount();
    await panel.page.focus('.cubes');
    await panel.page.keyboard.press('ArrowRight');
    await panel.waitForRender(() => true, renders);
    const state = (await panel.state()) as PanelState;
    assert.deepEqual(state.selection, { sample: 0, channel: 1 });
    await panel.close();

    // No host replies this time: a restored panel draws from its state alone.
    const restored = await PanelPage.open(browser, { state });
    const rendered = await restored.waitForRender();
    assert.deepEqual(rendered.preview.shape, [4, 16, 8, 8]);
    assert.equal(rendered.preview.description, groupNorm.description);
    assert.match((await restored.page.textContent('#cube-selection')) ?? '', /Selected: sample 0, channel 1\./);
    await restored.close();
  });

  it('moves the selected element with the arrow keys and selects a set from the table', async () => {
    const panel = await openWithLayer(groupNorm);
    await panel.page.focus('.cubes');
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowUp']) await panel.page.keyboard.press(key);
    assert.match((await panel.page.textContent('#cube-selection')) ?? '', /Selected: sample 1, channel 4\./);
    // Channel 4 of sample 1 is in group 1 of sample 1: set 1·4 + 1 once the recompute has drawn the table.
    await panel.page.waitForSelector('table.statistics tr[aria-selected="true"][data-set="5"]');
    await panel.page.focus('table.statistics tr[aria-selected="true"]');
    await panel.page.keyboard.press('ArrowDown');
    await panel.page.waitForSelector('table.statistics tr[aria-selected="true"][data-set="6"]');
    assert.equal(await panel.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } } }).document.activeElement.getAttribute('data-set')), '6');
    await panel.close();
  });

  it('marks an invalid control and keeps the last preview', async () => {
    const panel = await openWithLayer(groupNorm);
    const renders = await panel.renderCount();
    await panel.page.fill('#control-eps', 'tiny');
    assert.equal(await panel.page.getAttribute('#control-eps', 'aria-invalid'), 'true');
    assert.match((await panel.page.textContent('#controls-problem')) ?? '', /eps should be a number from 0 to 1/);
    await panel.page.fill('#control-channels', '100000');
    assert.match((await panel.page.textContent('#controls-problem')) ?? '', /Channels C should be a whole number/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await panel.renderCount(), renders);
    await panel.close();
  });

  it('runs on a .npy array the host sends, with its shape fixed', async () => {
    const panel = await openWithLayer({ ...groupNorm, description: 'GroupNorm(num_groups=3, num_channels=6)', arguments: { num_groups: 3, num_channels: 6 } });
    const renders = await panel.renderCount();
    const values = Array.from({ length: 5 * 6 * 2 * 3 }, (_, index) => Math.sin(index) * (1 + (index % 6)));
    await panel.sendNpy('activations.npy', [5, 6, 2, 3], values);
    const rendered = await panel.waitForRender((preview) => preview.input === 'activations.npy', renders);
    assert.deepEqual(rendered.preview.shape, [5, 6, 2, 3]);
    assert.equal(await panel.page.isDisabled('#control-channels'), true);
    assert.equal(((await panel.state()) as PanelState).npy?.name, 'activations.npy');
    assert.equal(await panel.page.$$eval('.header-notes .note', (notes) => notes.length), 0);

    const fewerChannels = await panel.renderCount();
    await panel.sendNpy('features.npy', [5, 4, 2, 3], values.slice(0, 5 * 4 * 2 * 3));
    await panel.waitForRender((preview) => preview.input === 'features.npy', fewerChannels);
    assert.match((await panel.page.textContent('.header-notes')) ?? '', /The layer expects 6 channels but features\.npy has 4/);
    await panel.close();
  });

  it('computes in a worker under the panel’s Content Security Policy', async () => {
    const panel = await PanelPage.open(browser, { replyToReady: hostReplies(groupNorm) });
    assert.equal((await panel.waitForRender()).preview.inWorker, true);
    assert.deepEqual(
      panel.console.filter((line) => line.includes('worker') || line.includes('Content Security Policy')),
      [],
    );
    await panel.close();
  });

  for (const theme of ['light', 'dark', 'highContrast'] as const) {
    it(`draws in the ${theme} theme's colours`, async () => {
      const panel = await openWithLayer(groupNorm, theme);
      const background = await panel.page.evaluate(() => {
        const page = globalThis as unknown as { getComputedStyle(element: unknown): { backgroundColor: string }; document: { body: unknown } };
        return page.getComputedStyle(page.document.body).backgroundColor;
      });
      const expected = { light: 'rgb(255, 255, 255)', dark: 'rgb(31, 31, 31)', highContrast: 'rgb(0, 0, 0)' }[theme];
      assert.equal(background, expected);
      await panel.screenshot(`groupnorm-${theme}`);
      await panel.close();
    });
  }
});
