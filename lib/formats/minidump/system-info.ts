/**
 * MINIDUMP_SYSTEM_INFO, 56 bytes (minidumpapiset.h):
 *   u16 ProcessorArchitecture, u16 ProcessorLevel, u16 ProcessorRevision, u8 NumberOfProcessors,
 *   u8 ProductType, u32 MajorVersion, u32 MinorVersion, u32 BuildNumber, u32 PlatformId,
 *   RVA CSDVersionRva (MINIDUMP_STRING: the service pack), u16 SuiteMask, u16 Reserved2,
 *   CPU_INFORMATION Cpu (24 bytes: x86 { u32 VendorId[3], VersionInformation,
 *   FeatureInformation, AMDExtendedCpuFeatures }, else { u64 ProcessorFeatures[2] }).
 */
import type { Cursor } from '../binary/cursor';
import type { DumpFile } from './dump-file';

export const SYSTEM_INFO_SIZE = 56;

export const ProcessorArchitecture = { X86: 0, ARM: 5, IA64: 6, AMD64: 9, ARM64: 12, UNKNOWN: 0xffff } as const;

export interface SystemInfo {
  processorArchitecture: number;
  processorLevel: number;
  processorRevision: number;
  numberOfProcessors: number;
  productType: number;
  majorVersion: number;
  minorVersion: number;
  buildNumber: number;
  platformId: number;
  /** The service-pack string (`Service Pack 2`), '' when there is none. */
  csdVersion: string;
  suiteMask: number;
  /** x86/amd64: the CPUID vendor (`GenuineIntel`) and signature words. */
  x86Cpu?: { vendorId: string; versionInformation: number; featureInformation: number; amdExtendedCpuFeatures: number };
  /** Other architectures: ProcessorFeatures[2]. */
  processorFeatures?: [bigint, bigint];
}

export function readSystemInfo(c: Cursor, f: DumpFile): SystemInfo {
  c.need(SYSTEM_INFO_SIZE, `MINIDUMP_SYSTEM_INFO (${SYSTEM_INFO_SIZE} bytes)`);
  const processorArchitecture = c.u16();
  const s = {
    processorArchitecture,
    processorLevel: c.u16(),
    processorRevision: c.u16(),
    numberOfProcessors: c.u8(),
    productType: c.u8(),
    majorVersion: c.u32(),
    minorVersion: c.u32(),
    buildNumber: c.u32(),
    platformId: c.u32(),
  };
  const csdRva = c.u32();
  const suiteMask = c.u16();
  c.skip(2);
  const out: SystemInfo = { ...s, csdVersion: csdRva ? f.string(csdRva, 'CSDVersion') : '', suiteMask };
  if (processorArchitecture === ProcessorArchitecture.X86 || processorArchitecture === ProcessorArchitecture.AMD64) {
    const v = c.bytes(12, 'VendorId');
    out.x86Cpu = {
      vendorId: String.fromCharCode(...v).replace(/\0+$/, ''),
      versionInformation: c.u32(),
      featureInformation: c.u32(),
      amdExtendedCpuFeatures: c.u32(),
    };
  } else {
    out.processorFeatures = [c.u64(), c.u64()];
  }
  return out;
}
