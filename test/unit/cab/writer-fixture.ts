/** The files packed into test/fixtures/cab/writer-mszip.cab (by our writer; cabextract checked it). */
export function writerFixtureFiles(): { name: string; data: Uint8Array; date: Date }[] {
  const date = new Date(Date.UTC(2024, 4, 17, 9, 30, 42));
  const text = new TextEncoder().encode('Compressed by dbghelp writeCab.\r\n'.repeat(3));
  // 80000 bytes: a repeating record with a counter, so blocks 2 and 3 copy from the block before.
  const data = new Uint8Array(80000);
  for (let i = 0; i < data.length; i++) data[i] = (i % 251) ^ ((i >> 10) & 0x0f);
  // 2000 bytes that do not compress (stored block fallback applies only when a whole block fails).
  const noise = new Uint8Array(2000);
  let x = 12345;
  for (let i = 0; i < noise.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    noise[i] = x >>> 24;
  }
  return [
    { name: 'readme.txt', data: text, date },
    { name: 'sub\\data.bin', data, date },
    { name: 'empty.txt', data: new Uint8Array(0), date },
    { name: 'ünïcode-名前.txt', data: noise, date },
  ];
}
