/**
 * The preview panel's HTML document, shared by the extension host and the webview tests so both
 * load the page under the same Content Security Policy: nothing by default (no images, fonts,
 * frames or remote content); the bundle's script only with this load's nonce; styles and the
 * worker's script only from the extension's own files; a worker only from a blob (the one way a
 * webview may start one). No DOM or Node APIs.
 */

export interface PanelHtmlOptions {
  /** The webview's `cspSource`: the origin its local resources are served from. */
  cspSource: string;
  /** A fresh random value per load; only a script carrying it runs. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  workerUri: string;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy({ cspSource, nonce }: Pick<PanelHtmlOptions, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    // The worker's script is fetched from the extension's files and started from a blob.
    `connect-src ${cspSource}`,
    'worker-src blob:',
  ].join('; ');
}

export function panelHtml(options: PanelHtmlOptions): string {
  const attribute = (value: string): string => `"${escapeAttribute(value)}"`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content=${attribute(contentSecurityPolicy(options))}>
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href=${attribute(options.styleUri)}>
<title>Preview normalization</title>
</head>
<body data-worker-uri=${attribute(options.workerUri)}>
<div id="root"></div>
<script nonce=${attribute(options.nonce)} src=${attribute(options.scriptUri)}></script>
</body>
</html>
`;
}
