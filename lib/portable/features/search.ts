/**
 * SymFindFileInPath and the home directory (SymSetHomeDirectory / SymGetHomeDirectory).
 */
import { DbgHelpError } from '../../api/errors';
import type { FindFileOptions } from '../../api/types';
import type { HandlerContext } from './context';

export class SearchState {
  private home: string | null = null;

  setHome(dir: string | null): string {
    this.home = dir;
    return this.getHome();
  }
  getHome(): string {
    return this.home ?? process.cwd();
  }

  async findFileInPath(_h: HandlerContext, _searchPath: string, _opts: FindFileOptions): Promise<string | undefined> {
    throw new DbgHelpError('UNSUPPORTED', 'findFileInPath: not implemented in the portable backend yet');
  }
}
