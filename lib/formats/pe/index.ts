/** PE/COFF image reader: headers, sections, debug directory (CodeView PDB reference), exports. */
export * from './dos-header';
export * from './file-header';
export * from './optional-header';
export * from './section-header';
export * from './debug-directory';
export * from './export-directory';
export * from './pe-image';
