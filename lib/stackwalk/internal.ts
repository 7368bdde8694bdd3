/** The unwinders' pieces, for tests and tools (not the public surface: see index.ts). */
export { readUnwindInfoAt, unwindAmd64, AMD64_CALLEE_SAVED, MAX_CHAIN } from './amd64';
export { packedOps, unwindArm64, unwindArm64FramePointer, stripPac } from './arm64';
export { unwindX86FrameData, unwindX86FramePointer, programFor } from './x86';
export { moduleUnwind } from './module-unwind';
