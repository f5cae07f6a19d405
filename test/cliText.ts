/** What check's text output says of the ownership data, for tests of the rest of it. */

/** The output without its lines on the ownership data (the note and the out-of-date warning before the count; tested on their own). */
export function withoutDataLines(stdout: string): string {
  return stdout.replace(/\nOwnership data: [^\n]*\n(?:warning: Ownership data is [^\n]*\n)?/, '');
}

/** The output with the ownership data's age as N: it grows by a day every day. */
export function anyDataAge(stdout: string): string {
  return stdout.replace(/\b\d+ days old\b/g, 'N days old');
}
