/**
 * Modules required on first use (a cold `dbghelp symbolize` needs few of the library's): each
 * `lazy(() => require('./x') as typeof import('./x'))` is required once, when first called.
 *
 * `loadLazyModules()` requires them all now. A harness that loads the library in an isolated
 * module registry (the conformance suite's `jest.isolateModules`) calls it inside: a require
 * made later would load a second copy from the main registry, whose classes (PdbProvider,
 * DbgHelpError) are not the isolated copy's.
 */
const loaders: (() => unknown)[] = [];

export function lazy<M>(load: () => M): () => M {
  let m: M | undefined;
  const get = (): M => (m ??= load());
  loaders.push(get);
  return get;
}

/** Requires every module declared lazy so far. */
export function loadLazyModules(): void {
  for (const get of loaders) get();
}
