// Entry point of the bundled language server (dist/server.js), as the VS Code client starts it.
// `normlint server --stdio` runs the same startServer from the CLI.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
