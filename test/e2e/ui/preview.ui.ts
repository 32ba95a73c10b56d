// A UI-level test of "Preview normalization" in the real VS Code workbench, driven like a person
// would with the keyboard and mouse: open model.py, see normlint's squiggle and its Problems entry,
// hover the layer, run "Preview normalization" from the command palette, find every view drawn in
// the panel's webview, and load a workspace .npy file into it. Run through the offline harness: `node scripts/vscodeE2e.mjs --ui
// out/test/e2e/ui/preview.ui.js`, which opens the workbench and hands this module its page.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';

/** One step as scripts/vscodeE2e.mjs prints it. */
interface StepResult {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

/** The server, the grammar and the webview all start on first use; a slow first start on 2 cores needs this long. */
const stepTimeoutMs = 60_000;

/** The panel's page lives two iframes deep: VS Code's webview host, then the content frame. */
function panelFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

export async function run(page: Page, options: { resultsFolder: string }): Promise<StepResult[]> {
  const screenshotFolder = join(options.resultsFolder, 'vscode-ui');
  mkdirSync(screenshotFolder, { recursive: true });
  page.setDefaultTimeout(stepTimeoutMs);
  const results: StepResult[] = [];
  const steps: [string, () => Promise<void>][] = [
    [
      'opens model.py from Quick Open',
      async () => {
        await page.locator('.monaco-workbench').waitFor();
        await page.keyboard.press('Control+P');
        await page.locator('.quick-input-widget input').fill('model.py');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'model.py' }).first().waitFor();
        await page.keyboard.press('Enter');
        await page.locator('.monaco-editor .view-line', { hasText: 'GroupNorm' }).waitFor();
      },
    ],
    [
      'underlines nn.GroupNorm(32, 100) as an error',
      async () => {
        await page.locator('.monaco-editor .squiggly-error').first().waitFor();
      },
    ],
    [
      'lists NL101 in the Problems panel',
      async () => {
        await runCommand(page, 'View: Focus Problems');
        await page.locator('.markers-panel .monaco-list-row', { hasText: '100 channels are not divisible by 32 groups' }).first().waitFor();
      },
    ],
    [
      'explains the layer on hover, with a link to the preview',
      async () => {
        const squiggle = await page.locator('.monaco-editor .squiggly-error').first().boundingBox();
        if (!squiggle) throw new Error('the squiggle has no box on screen');
        // Clicking puts the cursor in the call (for the command below); resting there shows the hover.
        await page.mouse.click(squiggle.x + squiggle.width / 2, squiggle.y + squiggle.height / 2);
        await page.mouse.move(squiggle.x + squiggle.width / 2 + 2, squiggle.y + squiggle.height / 2);
        const hover = page.locator('.monaco-hover', { hasText: 'GroupNorm' }).first();
        await hover.waitFor();
        await hover.locator('a', { hasText: 'Preview normalization' }).first().waitFor();
        await page.screenshot({ path: join(screenshotFolder, 'hover.png') });
        await page.keyboard.press('Escape');
      },
    ],
    [
      'runs "Preview normalization" from the command palette and draws every view',
      async () => {
        await runCommand(page, 'NormLint: Preview normalization');
        const panel = panelFrame(page);
        await panel.locator('.layer-line code', { hasText: 'GroupNorm(num_groups=32, num_channels=100)' }).waitFor();
        await panel.locator('.method-card').nth(4).waitFor();
        // 100 channels in 32 groups: the panel shows PyTorch's refusal for the layer itself.
        await panel.locator('.view-statistics [role="alert"]', { hasText: 'num_channels must be divisible by num_groups' }).waitFor();
        await page.screenshot({ path: join(screenshotFolder, 'preview-panel.png') });
      },
    ],
    [
      'loads a .npy array from the workspace into the panel',
      async () => {
        const panel = panelFrame(page);
        await panel.locator('button', { hasText: 'Load .npy…' }).click();
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'activations.npy' }).first().click();
        // The host reads the file and posts its Float32Array; the page shows its name and shape and computes on it.
        await panel.locator('.input-name', { hasText: 'activations.npy (4×8×4×4)' }).waitFor();
        await panel.locator('.status', { hasText: 'on activations.npy 4×8×4×4' }).waitFor();
        await page.screenshot({ path: join(screenshotFolder, 'preview-panel-npy.png') });
      },
    ],
  ];
  for (const [title, step] of steps) {
    const started = Date.now();
    try {
      await step();
      results.push({ title, state: 'passed', durationMs: Date.now() - started });
    } catch (error) {
      results.push({ title, state: 'failed', durationMs: Date.now() - started, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      await page.screenshot({ path: join(screenshotFolder, 'failure.png') }).catch(() => undefined);
      // Each step needs the one before it; the rest would only fail the same way.
      break;
    }
  }
  return results;
}
