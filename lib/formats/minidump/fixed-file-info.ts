/**
 * VS_FIXEDFILEINFO, 52 bytes (verrsrc.h): u32 dwSignature (0xFEEF04BD), dwStrucVersion,
 * dwFileVersionMS, dwFileVersionLS, dwProductVersionMS, dwProductVersionLS, dwFileFlagsMask,
 * dwFileFlags, dwFileOS, dwFileType, dwFileSubtype, dwFileDateMS, dwFileDateLS.
 */
import type { Cursor } from '../binary/cursor';

export const VS_FIXEDFILEINFO_SIZE = 52;
export const VS_FFI_SIGNATURE = 0xfeef04bd;

export interface FixedFileInfo {
  signature: number;
  strucVersion: number;
  fileVersionMS: number;
  fileVersionLS: number;
  productVersionMS: number;
  productVersionLS: number;
  fileFlagsMask: number;
  fileFlags: number;
  fileOS: number;
  fileType: number;
  fileSubtype: number;
  fileDateMS: number;
  fileDateLS: number;
}

export function readFixedFileInfo(c: Cursor): FixedFileInfo {
  c.need(VS_FIXEDFILEINFO_SIZE, 'VS_FIXEDFILEINFO');
  return {
    signature: c.u32(),
    strucVersion: c.u32(),
    fileVersionMS: c.u32(),
    fileVersionLS: c.u32(),
    productVersionMS: c.u32(),
    productVersionLS: c.u32(),
    fileFlagsMask: c.u32(),
    fileFlags: c.u32(),
    fileOS: c.u32(),
    fileType: c.u32(),
    fileSubtype: c.u32(),
    fileDateMS: c.u32(),
    fileDateLS: c.u32(),
  };
}

/** `a.b.c.d` from the file version, or undefined when the signature is not VS_FFI_SIGNATURE. */
export function fileVersionString(v: FixedFileInfo): string | undefined {
  if (v.signature !== VS_FFI_SIGNATURE) return undefined;
  return `${v.fileVersionMS >>> 16}.${v.fileVersionMS & 0xffff}.${v.fileVersionLS >>> 16}.${v.fileVersionLS & 0xffff}`;
}
