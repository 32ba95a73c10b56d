// Loads the built panel (dist/webview.js, its styles and its worker) in headless Chromium the way
// VS Code would: the real HTML and Content Security Policy from webview/panelHtml.ts, the page and
// its resources on two origins, the theme variables on <html>, and a test-controlled stand-in for
// acquireVsCodeApi that records what the panel posts and keeps its state. Used by the webview
// tests and by bench/preview.ts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { PanelMessage, PanelState, RenderedPreview } from '../../webview/messages';
import { panelHtml } from '../../webview/panelHtml';
import { repositoryRoot } from '../helpers/repository';
import { themes, type ThemeName } from './themes';

export const chromiumPath = process.env['NORMLINT_CHROMIUM'] ?? '/usr/bin/chromium';
export const screenshotFolder = join(repositoryRoot, 'test-results', 'webview');

/** The webview's page and its resources live on different origins in VS Code, so they do here too. */
const pageOrigin = 'https://panel.normlint.test';
const resourceOrigin = 'https://resources.normlint.test';
const contentTypes: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** What the stand-in keeps on the page's window. */
interface StandIn {
  sent: { message: PanelMessage; at: number }[];
  state: unknown;
}

/** The page's window as the callbacks below see it: they run in Chromium, while this file is type-checked for Node. */
type PageGlobals = typeof globalThis & { __normlint: StandIn; postMessage(message: unknown, targetOrigin: string): void };

/** Why the webview tests cannot run here, or undefined when they can. */
export function whyNotRunnable(): string | undefined {
  if (!existsSync(chromiumPath)) return `Chromium is not at ${chromiumPath} (install Debian's chromium or set NORMLINT_CHROMIUM)`;
  if (!existsSync(join(repositoryRoot, 'dist', 'webview.js'))) return 'dist/webview.js does not exist: run `npm run build` first';
  return undefined;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface PanelPageOptions {
  theme?: ThemeName;
  /** What getState returns, as after a reload. */
  state?: PanelState;
  /** What the stand-in host posts back when the panel says `ready`, as the extension host does (settings, the layer). */
  replyToReady?: unknown[];
  width?: number;
  height?: number;
}

export class PanelPage {
  /** Everything the page logged (console warnings and errors, uncaught exceptions). */
  readonly console: string[] = [];

  private constructor(readonly page: Page) {}

  static async open(browser: Browser, options: PanelPageOptions = {}): Promise<PanelPage> {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 } });
    const panel = new PanelPage(page);
    page.on('console', (message) => panel.console.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => panel.console.push(`pageerror: ${error.message}`));
    const nonce = randomBytes(16).toString('base64');
    const html = panelHtml({
      cspSource: resourceOrigin,
      nonce,
      scriptUri: `${resourceOrigin}/dist/webview.js`,
      styleUri: `${resourceOrigin}/dist/webview.css`,
      workerUri: `${resourceOrigin}/dist/webviewWorker.js`,
    });
    await page.route(`${pageOrigin}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
    await page.route(`${resourceOrigin}/dist/**`, (route) => {
      const name = new URL(route.request().url()).pathname.replace(/^\/dist\//, '');
      const path = join(repositoryRoot, 'dist', name);
      if (!/^[\w.-]+$/.test(name) || !existsSync(path)) return route.fulfill({ status: 404, body: 'not found' });
      const extension = name.slice(name.lastIndexOf('.'));
      return route.fulfill({
        status: 200,
        contentType: contentTypes[extension] ?? 'application/octet-stream',
        // VS Code serves webview resources to the page's origin the same way.
        headers: { 'Access-Control-Allow-Origin': '*' },
        body: readFileSync(path),
      });
    });
    const theme = themes[options.theme ?? 'light'];
    await page.addInitScript(
      ({ state, variables, bodyClass, replyToReady }) => {
        const globals = globalThis as PageGlobals & { acquireVsCodeApi?: unknown; document: { documentElement: { style: { setProperty(name: string, value: string): void } }; addEventListener(type: string, listener: () => void): void; body: { classList: { add(name: string): void } } } };
        const standIn: StandIn = { sent: [], state };
        globals.__normlint = standIn;
        globals.acquireVsCodeApi = () => ({
          postMessage: (message: PanelMessage) => {
            standIn.sent.push({ message, at: performance.now() });
            if (message.type === 'ready') for (const reply of replyToReady) globals.postMessage(reply, '*');
          },
          getState: () => standIn.state,
          setState: (next: unknown) => {
            standIn.state = next;
          },
        });
        // The document does not exist yet when this runs; the panel's script runs at the end of <body>, before this event.
        globals.document.addEventListener('DOMContentLoaded', () => {
          for (const [name, value] of Object.entries(variables)) globals.document.documentElement.style.setProperty(name, value);
          globals.document.body.classList.add(bodyClass);
        });
      },
      { state: options.state, variables: theme.variables, bodyClass: theme.bodyClass, replyToReady: options.replyToReady ?? [] },
    );
    await page.goto(`${pageOrigin}/panel.html`);
    return panel;
  }

  /** Posts `message` to the panel as the extension host would. */
  async send(message: unknown): Promise<void> {
    await this.page.evaluate((data) => (globalThis as PageGlobals).postMessage(data, '*'), message);
  }

  /** Sends a .npy file's contents; evaluate's arguments cannot carry a Float32Array, so it is rebuilt in the page. */
  async sendNpy(name: string, shape: number[], values: number[]): Promise<void> {
    await this.page.evaluate(
      ({ name, shape, values }) => (globalThis as PageGlobals).postMessage({ type: 'npyInput', name, uri: `file:///workspace/${name}`, shape, data: Float32Array.from(values) }, '*'),
      { name, shape, values },
    );
  }

  async sent(): Promise<{ message: PanelMessage; at: number }[]> {
    return this.page.evaluate(() => (globalThis as PageGlobals).__normlint.sent);
  }

  async state(): Promise<unknown> {
    return this.page.evaluate(() => (globalThis as PageGlobals).__normlint.state);
  }

  async renderCount(): Promise<number> {
    return (await this.sent()).filter((entry) => entry.message.type === 'rendered').length;
  }

  /**
   * Waits for a render after the first `after` ones that satisfies `matches` (checked in Node on
   * each new render), and returns it with its time on the page's clock (ms since navigation).
   */
  async waitForRender(matches: (preview: RenderedPreview) => boolean = () => true, after = 0, timeoutMs = 20_000): Promise<{ preview: RenderedPreview; at: number }> {
    const deadline = Date.now() + timeoutMs;
    let seen = after;
    for (;;) {
      const renders = (await this.sent()).flatMap((entry) => (entry.message.type === 'rendered' ? [{ preview: entry.message.preview, at: entry.at }] : []));
      const found = renders.slice(seen).find((render) => matches(render.preview));
      if (found) return found;
      seen = Math.max(seen, renders.length);
      if (Date.now() > deadline) {
        throw new Error(`no matching render within ${timeoutMs} ms; last: ${JSON.stringify(renders.at(-1)?.preview)}; console: ${this.console.join(' | ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotFolder, { recursive: true });
    const path = join(screenshotFolder, `${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}
