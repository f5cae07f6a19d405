/** How counts are written in messages, hovers and reports. */

/**
 * An integer with thousands separators, 1,048,576, exact for any size. Not
 * toLocaleString('en-US'): its first call sets up ICU, some 20 ms of a
 * fresh process's start.
 */
export function formatCount(count: bigint | number): string {
  const digits = String(count);
  const sign = digits.startsWith('-') ? 1 : 0;
  let out = digits.slice(0, sign + ((digits.length - sign - 1) % 3) + 1);
  for (let at = out.length; at < digits.length; at += 3) out += `,${digits.slice(at, at + 3)}`;
  return out;
}
