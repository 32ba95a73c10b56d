/**
 * The errors the engine throws on purpose. Hosts (CLI, webview) catch these two classes and show
 * the message to the user as it is; any other exception is a bug in the engine.
 */

/** A layer configuration or input that PyTorch or Keras would reject, with PyTorch's wording and the numbers. */
export class NormalizationError extends Error {
  override readonly name = 'NormalizationError';
}

/** A `.npy` file that cannot be read (malformed, truncated, unsupported dtype, over the size limit) or a tensor that cannot be written as asked. */
export class NpyFormatError extends Error {
  override readonly name = 'NpyFormatError';
}
