/**
 * Breakpad's names for a module: its debug and code identifiers, and a .sym file's place in a
 * symbol store (`DIR/<debug file>/<debug id>/<name>.sym`, as Breakpad's SimpleSymbolSupplier and
 * Mozilla's tools look files up). Apart from dump-syms.ts so that reading a store (the stack
 * walker's symbol source) does not load the writer and its undecorator.
 */
import * as path from 'path';
import { DbgHelpError } from '../api/errors';

/** Breakpad's debug identifier: the GUID's 32 hex digits and the age, upper case. */
export function breakpadDebugId(guid: string, age: number): string {
  return guid.replace(/[{}-]/g, '').toUpperCase() + age.toString(16).toUpperCase();
}

/** Breakpad's code identifier: TimeDateStamp `%08X` then SizeOfImage `%X`. */
export function breakpadCodeId(timeDateStamp: number, sizeOfImage: number): string {
  return timeDateStamp.toString(16).toUpperCase().padStart(8, '0') + sizeOfImage.toString(16).toUpperCase();
}

/** The store-relative path of a module's .sym file. */
export function breakpadStorePath(debugFile: string, debugId: string): string {
  const base = path.basename(debugFile.replace(/\\/g, '/'));
  if (!base || base === '.' || base === '..' || !/^[0-9A-Fa-f]+$/.test(debugId)) {
    throw new DbgHelpError('INVALID_PARAMETER', `breakpadStorePath: '${debugFile}' / '${debugId}' cannot name a store entry`);
  }
  const sym = /\.pdb$/i.test(base) ? base.slice(0, -4) + '.sym' : base + '.sym';
  return path.join(base, debugId, sym);
}
