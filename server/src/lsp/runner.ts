/**
 * Every request handler runs through `runSafe`: a cancelled request answers
 * the protocol's cancellation error, and an exception is logged with its
 * stack and answered with a fallback, so no input can take the server down.
 */
import { type CancellationToken, type Connection, LSPErrorCodes, ResponseError } from 'vscode-languageserver';

export async function runSafe<T, E = void>(
  connection: Connection,
  token: CancellationToken,
  what: string,
  fallback: T,
  work: () => T | Promise<T>,
  cancellationData?: E,
): Promise<T | ResponseError<E>> {
  const cancelled = () => new ResponseError<E>(LSPErrorCodes.RequestCancelled, 'Request cancelled', cancellationData);
  if (token.isCancellationRequested) return cancelled();
  try {
    const result = await work();
    return token.isCancellationRequested ? cancelled() : result;
  } catch (error) {
    connection.console.error(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return fallback;
  }
}
