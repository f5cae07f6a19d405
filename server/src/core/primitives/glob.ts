/**
 * Glob patterns as VS Code's settings write them (`**‌/*.netset`,
 * `lists/{feeds,local}/*.txt`): `**` any folders, `*` and `?` within one
 * path segment, `{a,b}` alternatives. Matched against a path relative to
 * its workspace folder, with `/`.
 */

/** The pattern as a regular expression over a whole relative path; a pattern without `/` matches a file name in any folder. */
export function globToRegExp(pattern: string): RegExp {
  const glob = pattern.includes('/') ? pattern.replace(/^\.?\//, '') : `**/${pattern}`;
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` is zero or more folders; any other `**` anything.
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '{') {
      source += '(?:';
      braces++;
    } else if (c === '}' && braces > 0) {
      source += ')';
      braces--;
    } else if (c === ',' && braces > 0) source += '|';
    else source += c.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
  }
  return new RegExp(`^${source}${')'.repeat(braces)}$`);
}
