// A failure that stops a command with a one-line message and exit status 2, without the usage
// text: a missing file, a malformed .npy, a layer the engine rejects, a broken configuration.
export class CommandError extends Error {}
