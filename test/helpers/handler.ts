import { SymbolHandler } from '../../lib';

/** Runs fn with a fresh handler and cleans up, whatever happens. */
export async function withHandler<T>(fn: (sym: SymbolHandler) => Promise<T> | T, init: Parameters<typeof SymbolHandler.initialize>[0] = {}): Promise<T> {
  const sym = SymbolHandler.initialize(init);
  try {
    return await fn(sym);
  } finally {
    sym.cleanup();
  }
}
