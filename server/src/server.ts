#!/usr/bin/env node
/** `blocklist-language-server --stdio`: the language server for VS Code and any LSP editor, running on Node. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/startServer';
import { nodeRuntime } from './node/nodeRuntime';

startServer(createConnection(ProposedFeatures.all), nodeRuntime());
