// How messages name another file: by its last path segment, as editors label their tabs.

/** `unet.py` for `file:///project/models/unet.py`. */
export function fileLabel(uri: string): string {
  const segment = uri.replace(/[?#].*$/, '').split('/').pop() ?? uri;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
