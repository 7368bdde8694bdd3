/** The portable backend: the TypeScript reimplementation, available on every platform. */
import type { Backend } from '../backend/types';
import { PortableHandler } from './handler';

export const portableBackend: Backend = {
  name: 'portable',
  createHandler: (options) => new PortableHandler(options),
};
