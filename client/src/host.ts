/**
 * Which extension host the extension runs in, told by the globals it finds
 * rather than by the entry VS Code chose: the Node extension host of desktop
 * VS Code and code-server, or the web worker of VS Code for the Web
 * (vscode.dev, github.dev), which has no Node.
 */
import * as vscode from 'vscode';
import { NOT_IN_WEB } from '../../server/src/lsp/protocol';

export interface ExtensionHost {
  /** True in Node's extension host. */
  readonly node: boolean;
  /** For the log and the status bar's tooltip. */
  readonly name: string;
  /** What the host cannot do, for the log and the tooltip; undefined where everything works. */
  readonly limits?: string;
}

export function currentHost(): ExtensionHost {
  if (typeof process !== 'undefined' && typeof process.versions?.node === 'string') return { node: true, name: 'Node extension host' };
  return {
    node: false,
    name: 'web worker extension host (VS Code for the Web)',
    limits: `${NOT_IN_WEB}: the comparison with git, provider range downloads and ownership data updates.`,
  };
}

/**
 * The commands of `commands` (id: title) as the web worker host has them: each says, when run, that it is not available
 * there and why, and returns that message (for scripts and tests).
 */
export function unavailableCommands(commands: Record<string, string>, why: string): vscode.Disposable {
  return vscode.Disposable.from(
    ...Object.entries(commands).map(([id, title]) =>
      vscode.commands.registerCommand(id, () => {
        const message = `Blocklist: ${title} is not available in VS Code for the Web: ${why}. Use desktop VS Code or the CLI for it.`;
        void vscode.window.showWarningMessage(message);
        return message;
      }),
    ),
  );
}
