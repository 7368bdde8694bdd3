/**
 * `Symbol.dispose` for runtimes that lack it (Node < 20.4, and vm contexts such as jest's),
 * so `using sym = SymbolHandler.initialize()` works everywhere the package runs.
 */
const S = Symbol as unknown as { dispose?: symbol; asyncDispose?: symbol };
S.dispose ??= Symbol.for('nodejs.dispose');
S.asyncDispose ??= Symbol.for('nodejs.asyncDispose');
export {};
