#!/usr/bin/env node
/** `blocklist-language-server --stdio`: the language server for VS Code and any LSP editor, running on Node. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/startServer';
import { prefetchAsnIndex } from './node/networkData';
import { nodeRuntime } from './node/nodeRuntime';

// The ASN index is read while the server starts and the editor sends the first list: the first diagnostics need it.
void prefetchAsnIndex();
startServer(createConnection(ProposedFeatures.all), nodeRuntime());
