/**
 * Reads `llvm-pdbutil dump -types -ids -type-extras -id-extras` output (LLVM 19) into records,
 * for the type tests. Only what they compare is parsed: each record's index, leaf, size, hash,
 * name, forward-reference target, and the details of UDTs, field lists, pointers, arrays,
 * bitfields, procedures and function ids.
 */

export interface DumpMember {
  kind: string;
  name: string;
  /** Member type, base class, nested type (`parent`), method type, vfunctab type, or method list. */
  type: number;
  /** Data members and base classes: the offset; methods: the vftable offset. */
  offset?: number;
  value?: bigint;
  attrs: string;
  /** Virtual bases. */
  vbptr?: number;
  vbptrOffset?: number;
  vtableIndex?: number;
  /** LF_METHOD: the overload count. */
  overloads?: number;
}

export interface DumpRecord {
  index: number;
  kind: string;
  /** Record size including its u16 length. */
  size: number;
  hash: number;
  name?: string;
  uniqueName?: string;
  /** Forward references: the definition llvm-pdbutil found (`forward ref (-> 0x100D)`). */
  forwardTo?: number;
  fieldList?: number;
  vtable?: number;
  baseList?: number;
  sizeof?: number;
  options?: string;
  /** Enums: the underlying type. */
  underlying?: number;
  /** LF_FIELDLIST members, in order. */
  members?: DumpMember[];
  /** LF_POINTER / LF_MODIFIER / LF_BITFIELD / LF_ARRAY element. */
  referent?: number;
  mode?: string;
  ptrKind?: string;
  modifiers?: string;
  bits?: number;
  bitOffset?: number;
  arraySize?: number;
  indexType?: number;
  /** LF_PROCEDURE / LF_MFUNCTION. */
  returnType?: number;
  argCount?: number;
  paramList?: number;
  classType?: number;
  thisType?: number;
  thisAdjust?: number;
  callConv?: string;
  /** LF_ARGLIST. */
  args?: number[];
  /** LF_METHODLIST entries. */
  methods?: { type: number; vtableOffset: number; attrs: string }[];
  /** LF_FUNC_ID / LF_MFUNC_ID. */
  funcName?: string;
  type?: number;
  scope?: number;
  /** LF_STRING_ID. */
  text?: string;
}

export interface TypeDump {
  tpi: DumpRecord[];
  ipi: DumpRecord[];
}

const ti = (s: string): number => (s === '<no type>' ? 0 : parseInt(s, 16));

export function parseTypeDump(text: string): TypeDump {
  const out: TypeDump = { tpi: [], ipi: [] };
  let list: DumpRecord[] | undefined;
  let cur: DumpRecord | undefined;
  let member: DumpMember | undefined;
  for (const line of text.split('\n')) {
    if (line.includes('Types (TPI Stream)')) list = out.tpi;
    else if (line.includes('Types (IPI Stream)')) list = out.ipi;
    if (!list) continue;
    const head = /^\s+(0x[0-9A-F]+) \| (LF_\w+) \[size = (\d+)(?:, hash = (0x[0-9A-F]+))?\](?: `(.*)`)?(.*)$/.exec(line);
    if (head) {
      cur = { index: parseInt(head[1], 16), kind: head[2], size: Number(head[3]), hash: head[4] ? parseInt(head[4], 16) : -1 };
      if (head[5] !== undefined) cur.name = head[5];
      const sid = /ID: (.*?), String: (.*)$/.exec(head[6]);
      if (sid) cur.text = sid[2];
      list.push(cur);
      member = undefined;
      continue;
    }
    if (!cur) continue;
    let m: RegExpExecArray | null;
    if ((m = /^\s+- (LF_\w+)(?: (.*))?$/.exec(line))) {
      member = parseMember(m[1], m[2] ?? '');
      (cur.members ??= []).push(member);
      continue;
    }
    if ((m = /^\s+- Method \[type = (0x[0-9A-F]+), vftable offset = (-?\d+), attrs = (.*)\]$/.exec(line))) {
      (cur.methods ??= []).push({ type: ti(m[1]), vtableOffset: Number(m[2]), attrs: m[3] });
      continue;
    }
    if (member && (m = /^\s+type = (0x[0-9A-F]+).*?vftable offset = (-?\d+), attrs = (.*)$/.exec(line))) {
      member.type = ti(m[1]);
      member.offset = Number(m[2]);
      member.attrs = m[3];
      continue;
    }
    if (member && (m = /^\s+type = (0x[0-9A-F]+)[^,]*, offset = (-?\d+), attrs = (.*)$/.exec(line))) {
      member.type = ti(m[1]);
      member.offset = Number(m[2]);
      member.attrs = m[3];
      continue;
    }
    if (member && (m = /^\s+base = (0x[0-9A-F]+)[^,]*, vbptr = (0x[0-9A-F]+)[^,]*, vbptr offset = (-?\d+), vtable index = (\d+)/.exec(line))) {
      member.type = ti(m[1]);
      member.vbptr = ti(m[2]);
      member.vbptrOffset = Number(m[3]);
      member.vtableIndex = Number(m[4]);
      continue;
    }
    if (member && (m = /^\s+attrs = (.*)$/.exec(line))) {
      member.attrs = m[1];
      continue;
    }
    if ((m = /^\s+unique name: `(.*)`/.exec(line))) cur.uniqueName = m[1];
    if ((m = /vtable: (.*?), base list: (.*?), field list: (.*)$/.exec(line))) {
      cur.vtable = ti(m[1]);
      cur.baseList = ti(m[2]);
      cur.fieldList = ti(m[3]);
    }
    if ((m = /^\s+field list: (0x[0-9A-F]+|<no type>)$/.exec(line))) cur.fieldList = ti(m[1]);
    if ((m = /field list: (0x[0-9A-F]+|<no type>), underlying type: (.*)$/.exec(line)) && cur.kind === 'LF_ENUM') {
      cur.fieldList = ti(m[1]);
      cur.underlying = ti(m[2]);
    }
    if ((m = /^\s+options: (.*?)(?:, sizeof (\d+))?$/.exec(line))) {
      cur.options = m[1];
      if (m[2] !== undefined) cur.sizeof = Number(m[2]);
      const f = /forward ref \((?:->|<-) (0x[0-9A-F]+)\)/.exec(m[1]);
      if (f) cur.forwardTo = parseInt(f[1], 16);
    }
    if ((m = /^\s+referent = (0x[0-9A-F]+).*?, mode = (.*?), opts = (.*?), kind = (\w+)/.exec(line))) {
      cur.referent = ti(m[1]);
      cur.mode = m[2];
      cur.ptrKind = m[4];
      cur.modifiers = m[3];
    } else if ((m = /^\s+referent = (0x[0-9A-F]+).*?, modifiers = (.*)$/.exec(line))) {
      cur.referent = ti(m[1]);
      cur.modifiers = m[2];
    }
    if ((m = /^\s+type = (0x[0-9A-F]+).*?, bit offset = (\d+), # bits = (\d+)/.exec(line))) {
      cur.referent = ti(m[1]);
      cur.bitOffset = Number(m[2]);
      cur.bits = Number(m[3]);
    }
    if ((m = /^\s+size: (\d+), index type: (0x[0-9A-F]+).*?, element type: (0x[0-9A-F]+)/.exec(line))) {
      cur.arraySize = Number(m[1]);
      cur.indexType = ti(m[2]);
      cur.referent = ti(m[3]);
    }
    if ((m = /^\s+return type = (0x[0-9A-F]+).*?, # args = (\d+), param list = (0x[0-9A-F]+)/.exec(line))) {
      cur.returnType = ti(m[1]);
      cur.argCount = Number(m[2]);
      cur.paramList = ti(m[3]);
    }
    if ((m = /^\s+class type = (0x[0-9A-F]+), this type = (0x[0-9A-F]+|<no type>), this adjust = (-?\d+)/.exec(line))) {
      cur.classType = ti(m[1]);
      cur.thisType = ti(m[2]);
      cur.thisAdjust = Number(m[3]);
    }
    if ((m = /^\s+calling conv = (\w+)/.exec(line))) cur.callConv = m[1];
    if (cur.kind === 'LF_ARGLIST' && (m = /^\s+(0x[0-9A-F]+)/.exec(line))) (cur.args ??= []).push(ti(m[1]));
    if ((m = /^\s+name = (.*), type = (0x[0-9A-F]+), (parent scope|class type) = (0x[0-9A-F]+|<no type>)$/.exec(line))) {
      cur.funcName = m[1];
      cur.type = ti(m[2]);
      if (m[3] === 'parent scope') cur.scope = ti(m[4]);
      else cur.classType = ti(m[4]);
    }
  }
  return out;
}

function parseMember(kind: string, rest: string): DumpMember {
  const m: DumpMember = { kind, name: /name = `(.*?)`(?=[,\]])/.exec(rest)?.[1] ?? '', type: 0, attrs: /attrs = ([^\]]*)/.exec(rest)?.[1] ?? '' };
  let x: RegExpExecArray | null;
  if (kind === 'LF_ENUMERATE' && (x = /^\[(.*) = (-?\d+)\]$/.exec(rest))) {
    m.name = x[1];
    m.value = BigInt(x[2]);
  }
  if ((x = /(?:Type|type|parent) = (0x[0-9A-F]+|<no type>)/.exec(rest))) m.type = ti(x[1]);
  if ((x = /overload list = (0x[0-9A-F]+)/.exec(rest))) m.type = ti(x[1]);
  if ((x = /# overloads = (\d+)/.exec(rest))) m.overloads = Number(x[1]);
  if ((x = /offset = (-?\d+)/.exec(rest))) m.offset = Number(x[1]);
  return m;
}
