/**
 * DName: a piece of undecorated text with a status, the value every step of
 * Microsoft's undecorator (undname, inside dbghelp.dll) returns. Its odd
 * rules are what make Microsoft's output what it is, so they are kept:
 *
 * - status `valid`, `truncated`, `invalid`, `error`; a DName whose status is
 *   not valid/truncated is "empty" whatever it holds, and prints nothing;
 * - a truncation marker is a *valid* piece that prints " ?? ";
 * - appending to an invalid DName keeps it invalid; appending an empty one
 *   appends its status;
 * - a DName may hold a reference to another DName object (a declarator)
 *   that is filled in later: it prints what that object holds when printed.
 *
 * Text is a rope (O(1) append, shared subtrees); printing is iterative and
 * bounded by a character budget (back-references can repeat a subtree).
 */
import { DemangleError } from './errors';

export const DN_VALID = 0;
export const DN_TRUNCATED = 1;
export const DN_INVALID = 2;
export const DN_ERROR = 3;
export type Status = 0 | 1 | 2 | 3;

// Flag bits (undname's DName bit fields).
export const F_PTRREF = 1;
export const F_UDC = 2;
export const F_UDTTHUNK = 4;
export const F_ARRAY = 8;
export const F_NOTE = 16;
export const F_PINPTR = 32;
export const F_COMARRAY = 64;
export const F_VCALLTHUNK = 128;

/** A rope node: text, a status marker, a reference to a DName, or a concatenation. */
type Rope = string | StatusPiece | RefPiece | CatPiece;
interface StatusPiece {
  k: 's';
  st: Status;
}
interface RefPiece {
  k: 'r';
  me: DName | null;
}
interface CatPiece {
  k: 'c';
  l: Rope;
  r: Rope;
}

const TRUNC = ' ?? ';

function ref(d: DName): RefPiece {
  return { k: 'r', me: d.stat === DN_INVALID || d.stat === DN_ERROR ? null : d };
}

export class DName {
  node: Rope | null = null;
  stat: Status = DN_VALID;
  flags = 0;

  static text(s: string): DName {
    const d = new DName();
    if (s.length > 0) d.node = s;
    return d;
  }
  static status(st: Status): DName {
    const d = new DName();
    d.stat = st === DN_INVALID || st === DN_ERROR ? st : DN_VALID;
    d.node = { k: 's', st };
    return d;
  }
  /** A reference to `pd` (undname's `DName(DName*)`). */
  static ref(pd: DName | null): DName {
    const d = new DName();
    if (pd) d.node = ref(pd);
    return d;
  }
  static num(n: bigint): DName {
    return DName.text(n.toString());
  }
  copy(): DName {
    const d = new DName();
    d.node = this.node;
    d.stat = this.stat;
    d.flags = this.flags;
    return d;
  }

  isValid(): boolean {
    return this.stat === DN_VALID || this.stat === DN_TRUNCATED;
  }
  isEmpty(): boolean {
    return this.node === null || !this.isValid();
  }
  has(f: number): boolean {
    return (this.flags & f) !== 0;
  }
  set(f: number): this {
    this.flags |= f;
    return this;
  }
  isUDC(): boolean {
    return !this.isEmpty() && this.has(F_UDC);
  }
  setIsUDC(): void {
    if (!this.isEmpty()) this.flags |= F_UDC;
  }

  // ---- assignment (mutating, like undname's operator=) ----

  /** `*this = rd`: only when this is still valid/truncated. */
  assign(rd: DName): this {
    if (this.isValid()) {
      this.stat = rd.stat;
      this.flags = rd.flags;
      this.node = rd.node;
    }
    return this;
  }
  assignText(s: string): this {
    this.flags &= ~(F_PTRREF | F_UDC | F_UDTTHUNK | F_ARRAY);
    this.doPchar(s);
    return this;
  }
  /**
   * `*this = st`. Unlike `DName(st)` (valid, holding the marker), assigning a
   * truncation makes the status truncated, even over an invalid value: dbghelp
   * answers "class  ?? " for `V@` under 0x2000, "V@@" for `V@@`.
   */
  assignStatus(st: Status): this {
    if (st === DN_INVALID || st === DN_ERROR) {
      this.node = null;
      if (this.stat !== DN_ERROR) this.stat = st;
    } else if (this.isValid() || (st === DN_TRUNCATED && this.stat !== DN_ERROR)) {
      this.flags &= ~(F_PTRREF | F_UDC | F_UDTTHUNK | F_ARRAY);
      this.node = { k: 's', st };
      if (st === DN_TRUNCATED) this.stat = st;
    }
    return this;
  }
  assignRef(pd: DName): this {
    if (this.isValid()) {
      this.flags &= ~(F_PTRREF | F_UDC | F_UDTTHUNK | F_ARRAY);
      this.node = ref(pd);
    }
    return this;
  }
  private doPchar(s: string): void {
    if (this.stat === DN_INVALID || this.stat === DN_ERROR) return;
    if (this.node !== null) this.assignStatus(DN_ERROR);
    else if (s.length > 0) this.node = s;
    else this.stat = DN_INVALID;
  }

  // ---- appending (mutating: +=) ----

  addText(s: string): this {
    if (s.length === 0) return this;
    if (this.isEmpty()) return this.assignText(s);
    this.node = cat(this.node as Rope, s);
    return this;
  }
  addStatus(st: Status): this {
    if (this.isEmpty() || st === DN_INVALID || st === DN_ERROR) return this.assignStatus(st);
    this.node = cat(this.node as Rope, { k: 's', st });
    return this;
  }
  add(rd: DName): this {
    if (rd.isEmpty()) return this.addStatus(rd.stat);
    if (this.isEmpty()) return this.assign(rd);
    this.node = cat(this.node as Rope, rd.node as Rope);
    return this;
  }
  addRef(pd: DName): this {
    if (this.isEmpty()) return this.assignRef(pd);
    if (pd.isValid()) {
      this.node = cat(this.node as Rope, ref(pd));
      return this;
    }
    return this.addStatus(pd.stat);
  }
  /** `|=`: keep the text, take a worse status. */
  orStatus(rd: DName): this {
    if (this.stat !== DN_ERROR && !rd.isValid()) this.stat = rd.stat;
    return this;
  }

  // ---- concatenation (pure: +) ----

  plus(rd: DName): DName {
    const l = this.copy();
    if (l.isEmpty()) return l.assign(rd);
    if (rd.isEmpty()) return l.addStatus(rd.stat);
    return l.add(rd);
  }
  plusText(s: string): DName {
    const l = this.copy();
    if (l.isEmpty()) {
      // `local = str`: an empty literal leaves it as it is.
      if (s.length > 0) l.assignText(s);
      return l;
    }
    return l.addText(s);
  }
  plusStatus(st: Status): DName {
    const l = this.copy();
    if (l.isEmpty()) return l.assignStatus(st);
    return l.addStatus(st);
  }
  plusRef(pd: DName): DName {
    const l = this.copy();
    return l.isEmpty() ? l.assignRef(pd) : l.addRef(pd);
  }

  /** Last character printed, or '' (undname's getLastChar). */
  lastChar(): string {
    if (this.isEmpty()) return '';
    const stack: Rope[] = [this.node as Rope];
    let budget = 1 << 16;
    while (stack.length > 0) {
      if (--budget < 0) throw new DemangleError('name too complex');
      const n = stack.pop() as Rope;
      if (typeof n === 'string') {
        if (n.length > 0) return n[n.length - 1];
      } else if (n.k === 'c') {
        stack.push(n.l, n.r);
      } else if (n.k === 's') {
        if (n.st === DN_TRUNCATED) return ' ';
      } else if (n.me && !n.me.isEmpty()) {
        stack.push(n.me.node as Rope);
      }
    }
    return '';
  }

  /** The text, at most `max` characters (throws DemangleError beyond). */
  toString(max = 1 << 20): string {
    if (this.isEmpty()) return '';
    const out: string[] = [];
    let left = max;
    const stack: Rope[] = [this.node as Rope];
    let steps = 1 << 22;
    while (stack.length > 0) {
      if (--steps < 0) throw new DemangleError('name too complex');
      const n = stack.pop() as Rope;
      if (typeof n === 'string') {
        left -= n.length;
        if (left < 0) throw new DemangleError('output too long');
        out.push(n);
      } else if (n.k === 'c') {
        stack.push(n.r, n.l);
      } else if (n.k === 's') {
        if (n.st === DN_TRUNCATED) {
          left -= TRUNC.length;
          if (left < 0) throw new DemangleError('output too long');
          out.push(TRUNC);
        }
      } else if (n.me && !n.me.isEmpty()) {
        stack.push(n.me.node as Rope);
      }
    }
    return out.join('');
  }
}

function cat(l: Rope, r: Rope): Rope {
  return { k: 'c', l, r };
}

/** Shorthands used by the grammar. */
export const T = (s: string): DName => DName.text(s);
export const S = (st: Status): DName => DName.status(st);
export const EMPTY = (): DName => new DName();
