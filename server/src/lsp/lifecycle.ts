/**
 * The protocol's lifecycle, which vscode-languageserver leaves to the server
 * (LSP 3.17, "Server lifecycle"): until `initialize`, any request is answered
 * with ServerNotInitialized (-32002), whichever feature it asks for;
 * `initialize` runs once, and a second one is refused with InvalidRequest and
 * changes nothing of ours. The features register their request handlers when
 * initialize runs, so before it the catch-all handler here answers them all.
 */
import { ErrorCodes, ResponseError, type Connection, type InitializeError, type InitializeParams, type InitializeResult } from 'vscode-languageserver';

/** Registers `initialize` to run once, and the answers to requests no feature handles. */
export function onInitializeOnce(connection: Connection, initialize: (params: InitializeParams) => InitializeResult): void {
  let initialized = false;
  connection.onInitialize((params) => {
    if (initialized)
      return new ResponseError<InitializeError>(ErrorCodes.InvalidRequest, 'The server is already initialized: initialize is sent once a session.', { retry: false });
    initialized = true;
    return initialize(params);
  });
  connection.onRequest((method) => (initialized ? new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${method}`) : notInitialized()));
  connection.onShutdown(() => (initialized ? undefined : notInitialized()));
}

function notInitialized(): ResponseError<void> {
  return new ResponseError(ErrorCodes.ServerNotInitialized, 'The server is not initialized yet: send initialize first.');
}
