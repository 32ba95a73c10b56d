// Entry of the "Preview normalization" panel's script (bundled to dist/webview.js, with its styles
// to dist/webview.css): connects the page to VS Code's webview API and starts the app.
import './styles.css';
import { PreviewApp, type WebviewApi } from './app';

declare function acquireVsCodeApi(): WebviewApi;

const root = document.getElementById('root');
if (root) {
  const app = new PreviewApp(root, acquireVsCodeApi(), (message) => console.warn(message));
  window.addEventListener('message', (event: MessageEvent<unknown>) => app.receive(event.data));
  void app.start(document.body.dataset.workerUri);
}
