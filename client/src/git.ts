/**
 * The part of VS Code's built-in Git extension API (`vscode.git`, API
 * version 1) that the change features use, typed here as its public API
 * describes it: the repository of a file, a file's text at a revision, blame
 * and commits. Where there is no Git extension (VS Code for the Web), it is
 * disabled (`git.enabled`: false) or the file is in no repository, `repositoryOf`
 * says why instead.
 */
import * as vscode from 'vscode';

export interface Commit {
  readonly hash: string;
  readonly message: string;
  readonly authorName?: string;
  readonly authorDate?: Date;
}

export interface Repository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly HEAD: { readonly commit?: string } | undefined; readonly onDidChange: vscode.Event<void> };
  /** The file's text at `ref`; rejects when the revision has no such file. */
  show(ref: string, path: string): Promise<string>;
  /** `git blame` of the file as committed, its plain output. */
  blame(path: string): Promise<string>;
  getCommit(ref: string): Promise<Commit>;
  /** The commits that changed `path`, newest first. */
  log(options: { readonly path: string; readonly maxEntries: number }): Promise<Commit[]>;
}

interface GitApi {
  getRepository(uri: vscode.Uri): Repository | null;
  readonly onDidOpenRepository: vscode.Event<Repository>;
}

interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** The repository that holds `uri`, or why there is none. */
export async function repositoryOf(uri: vscode.Uri): Promise<Repository | string> {
  if (uri.scheme !== 'file') return 'it is not a file on disk';
  const api = await gitApi();
  if (typeof api === 'string') return api;
  return api.getRepository(uri) ?? 'it is in no git repository that VS Code has opened';
}

/** Fires when VS Code opens a repository (a folder opened before git was ready). */
export async function onDidOpenRepository(listener: () => void): Promise<vscode.Disposable | undefined> {
  const api = await gitApi();
  return typeof api === 'string' ? undefined : api.onDidOpenRepository(listener);
}

async function gitApi(): Promise<GitApi | string> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return 'the Git extension is not available here (VS Code for the Web has none)';
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (!exports.enabled) return 'the Git extension is disabled ("git.enabled" is off)';
  return exports.getAPI(1);
}
