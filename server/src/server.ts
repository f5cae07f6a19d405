#!/usr/bin/env node
/** `blocklist-language-server --stdio`: the language server for VS Code and any LSP editor. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/startServer';

startServer(createConnection(ProposedFeatures.all));
