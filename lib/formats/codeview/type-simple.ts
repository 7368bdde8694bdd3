/**
 * CodeView simple (built-in) type indices, below 0x1000 (cvinfo.h "primitive type" encoding,
 * LLVM TypeIndex.h SimpleTypeKind/SimpleTypeMode):
 *   bits 0-7  the kind (T_INT4 0x74, T_RCHAR 0x70, T_VOID 0x03, ...)
 *   bits 8-10 the mode: 0 direct, 1 near16, 2 far16, 3 huge16, 4 near32, 5 far32, 6 near64,
 *             7 near128 pointer to that kind (T_64PVOID 0x0603 is `void *` on x64).
 *
 * DbgHelp (DIA) shows a direct kind as SymTagBaseType with a BasicType and a length, and a
 * pointer mode as SymTagPointerType to that base type. The BasicType of each kind follows
 * Wine's dbghelp (msc.c codeview_init_basic_types) where it matches DIA's known answers
 * (`long` is btLong, `char` btChar, `signed char` btInt of length 1), and DIA's btHresult for
 * T_HRESULT (Wine answers btUInt there).
 */
import { BasicType } from '../../api/constants';

export interface SimpleKind {
  basicType: number;
  length: number;
}

const kinds = new Map<number, SimpleKind>();
const add = (kind: number, basicType: number, length: number) => kinds.set(kind, { basicType, length });
add(0x03, BasicType.Void, 0); //      T_VOID
add(0x08, BasicType.Hresult, 4); //   T_HRESULT
add(0x10, BasicType.Int, 1); //       T_CHAR (signed char)
add(0x11, BasicType.Int, 2); //       T_SHORT
add(0x12, BasicType.Long, 4); //      T_LONG
add(0x13, BasicType.Int, 8); //       T_QUAD
add(0x14, BasicType.Int, 16); //      T_OCT
add(0x20, BasicType.UInt, 1); //      T_UCHAR
add(0x21, BasicType.UInt, 2); //      T_USHORT
add(0x22, BasicType.ULong, 4); //     T_ULONG
add(0x23, BasicType.UInt, 8); //      T_UQUAD
add(0x24, BasicType.UInt, 16); //     T_UOCT
add(0x30, BasicType.Bool, 1); //      T_BOOL08
add(0x31, BasicType.Bool, 2); //      T_BOOL16
add(0x32, BasicType.Bool, 4); //      T_BOOL32
add(0x33, BasicType.Bool, 8); //      T_BOOL64
add(0x40, BasicType.Float, 4); //     T_REAL32
add(0x41, BasicType.Float, 8); //     T_REAL64
add(0x42, BasicType.Float, 10); //    T_REAL80
add(0x43, BasicType.Float, 16); //    T_REAL128
add(0x44, BasicType.Float, 6); //     T_REAL48
add(0x45, BasicType.Float, 4); //     T_REAL32PP
add(0x46, BasicType.Float, 2); //     T_REAL16
add(0x50, BasicType.Complex, 8); //   T_CPLX32
add(0x51, BasicType.Complex, 16); //  T_CPLX64
add(0x52, BasicType.Complex, 20); //  T_CPLX80
add(0x53, BasicType.Complex, 32); //  T_CPLX128
add(0x60, BasicType.Bit, 1); //       T_BIT
add(0x68, BasicType.Int, 1); //       T_INT1
add(0x69, BasicType.UInt, 1); //      T_UINT1
add(0x70, BasicType.Char, 1); //      T_RCHAR (char)
add(0x71, BasicType.WChar, 2); //     T_WCHAR (wchar_t)
add(0x72, BasicType.Int, 2); //       T_INT2
add(0x73, BasicType.UInt, 2); //      T_UINT2
add(0x74, BasicType.Int, 4); //       T_INT4 (int)
add(0x75, BasicType.UInt, 4); //      T_UINT4 (unsigned)
add(0x76, BasicType.Int, 8); //       T_INT8
add(0x77, BasicType.UInt, 8); //      T_UINT8
add(0x78, BasicType.Int, 16); //      T_INT16
add(0x79, BasicType.UInt, 16); //     T_UINT16
add(0x7a, BasicType.Char16, 2); //    T_CHAR16
add(0x7b, BasicType.Char32, 4); //    T_CHAR32
add(0x7c, BasicType.Char8, 1); //     T_CHAR8

/** Pointer size of each mode (0 = direct, not a pointer). */
const MODE_SIZE = [0, 2, 4, 4, 4, 6, 8, 16];

/** The base type a simple index names (its kind), or undefined for T_NOTYPE and unknown kinds. */
export function simpleKind(index: number): SimpleKind | undefined {
  return kinds.get(index & 0xff);
}
/** The pointer mode (0 = not a pointer). */
export function simpleMode(index: number): number {
  return (index >> 8) & 7;
}
/** A simple pointer's size in bytes. */
export function simplePointerSize(index: number): number {
  return MODE_SIZE[simpleMode(index)];
}
