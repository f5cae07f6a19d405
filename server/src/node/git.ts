/**
 * Versions of a file read through git, as `git show REV:PATH` reads them:
 * PATH from the repository's root, or from the current folder when it
 * starts with `./`. Git runs as a child process; its own message says what
 * went wrong.
 */
import { execFileSync } from 'node:child_process';
import { basename, dirname } from 'node:path';

/** Git could not answer: not a repository, an unknown revision, a path not in it; the message is git's. */
export class GitError extends Error {}

/** Enough for any list a firewall loads (git refuses nothing smaller). */
const MAX_BYTES = 1 << 30;

/**
 * The bytes of `spec` (`REV:PATH`, PATH from the repository's root or `./`
 * from `folder`), or undefined when the revision has no such path (a file
 * the change adds). An unknown revision is a GitError.
 */
export function readAtRevision(spec: string, folder = process.cwd()): Uint8Array | undefined {
  const rev = spec.slice(0, spec.indexOf(':'));
  return readIfPresent(folder, rev, spec);
}

/**
 * The bytes of `file` (a path on disk) at revision `rev`, or undefined when
 * the revision has no such file (a file the change adds). An unknown
 * revision, or a folder outside any repository, is a GitError.
 */
export function readFileAtRevision(file: string, rev: string): Uint8Array | undefined {
  return readIfPresent(dirname(file), rev, `${rev}:./${basename(file)}`);
}

/** `spec` at `rev` (the index when `rev` is empty, as git reads `:PATH`), or undefined when it has no such path. */
function readIfPresent(folder: string, rev: string, spec: string): Uint8Array | undefined {
  if (rev !== '') git(folder, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], `"${rev}" names no commit here`);
  try {
    git(folder, ['cat-file', '-e', spec]);
  } catch {
    return undefined;
  }
  return git(folder, ['cat-file', 'blob', spec]);
}

/** A commit that changed a file, and the file's path in it (from the repository's root: renames followed). */
export interface FileCommit {
  readonly hash: string;
  /** The author's date, ISO 8601 with its offset. */
  readonly date: string;
  readonly author: string;
  readonly subject: string;
  readonly path: string;
}

/** The commits that changed `file`, newest first, following renames: at most `maxCount`, none older than `since` (a date as git reads one). */
export function fileHistory(file: string, maxCount: number, since: string | undefined): FileCommit[] {
  const args = ['log', '--follow', '--no-merges', '-z', '--format=%x01%H%x00%aI%x00%an%x00%s', '--name-only', `--max-count=${maxCount}`];
  if (since !== undefined) args.push(`--since=${since}`);
  const output = new TextDecoder().decode(git(dirname(file), [...args, '--', basename(file)]));
  return output
    .split('\x01')
    .filter((record) => record !== '')
    .map((record) => {
      // %H NUL %aI NUL %an NUL %s NUL, then the path after a line break, NUL.
      const [hash, date, author, subject, path] = record.split('\0');
      return { hash, date, author, subject, path: path.replace(/^\n/, '') };
    });
}

/** The bytes of `path` (from the repository's root) in commit `hash`'s first parent, or undefined when it had none there. */
export function readInParent(folder: string, hash: string, path: string): Uint8Array | undefined {
  try {
    return git(folder, ['cat-file', 'blob', `${hash}^:${path}`]);
  } catch {
    return undefined;
  }
}

/** `path` (from the repository's root) in commit `hash`. */
export function readInCommit(folder: string, hash: string, path: string): Uint8Array {
  return git(folder, ['cat-file', 'blob', `${hash}:${path}`]);
}

function git(folder: string, args: readonly string[], reason?: string): Uint8Array {
  try {
    return execFileSync('git', args, { cwd: folder, maxBuffer: MAX_BYTES, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (failure.code === 'ENOENT') throw new GitError('git is not installed (or not on the PATH): install it to read revisions.');
    const said = failure.stderr?.toString().trim().split('\n')[0];
    throw new GitError(reason ?? (said || `git ${args[0]} failed`));
  }
}
