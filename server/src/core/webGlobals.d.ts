/**
 * The web-standard globals the core may use beyond ES2022, the same in Node.js, browsers and web workers.
 * Only the core's own tsconfig reads this file (the root one has them from @types/node): there, every
 * other global, such as `process`, `Buffer`, `require` or `__dirname`, fails to compile.
 */

interface TextDecoder {
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}

declare var TextDecoder: {
  prototype: TextDecoder;
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
};

interface TextEncoder {
  encode(input?: string): Uint8Array;
}

declare var TextEncoder: {
  prototype: TextEncoder;
  new (): TextEncoder;
};
