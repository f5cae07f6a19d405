/**
 * A language server for the fuzz suites: a real one over stdio (LspClient),
 * with its error log (runSafe answers a failed request with a fallback, so
 * an exception shows only there) and requests that must answer within ten
 * times the 1 s budget.
 */
import assert from 'node:assert/strict';
import { LspClient } from '../protocol/lspClient';
import { STEP_LIMIT_MS } from './guard';

export class FuzzServer {
  private readonly errors: string[] = [];

  private constructor(readonly client: LspClient) {
    client.connection.onNotification('window/logMessage', (message: { type: number; message: string }) => {
      if (message.type === 1) this.errors.push(message.message);
    });
  }

  /** A server with pull diagnostics; with `configuration`, it asks the client for the settings in `client.settings`. */
  static async start(configuration = false): Promise<FuzzServer> {
    return new FuzzServer((await LspClient.start({ pull: true, configuration })).client);
  }

  /** A request's answer, or a failure naming it when none comes within the guard's limit. */
  async ask<T>(what: string, request: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`${what}: no answer within ${STEP_LIMIT_MS / 1000} s (ten times the budget)`)), STEP_LIMIT_MS);
    });
    try {
      return await Promise.race([request, overrun]);
    } finally {
      clearTimeout(timer);
    }
  }

  assertNoErrors(): void {
    assert.deepEqual(this.errors, [], 'the server logged an error');
  }

  /** Shuts the server down, or ends it when it no longer answers. */
  async stop(): Promise<void> {
    await this.ask('shutdown', this.client.stop()).catch(() => this.client.kill());
  }
}
