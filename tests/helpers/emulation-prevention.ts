// H.264/H.265 emulation prevention (H.264 §7.4.1), written out the long way in the tests so that
// they do not lean on the code they check (lib/h264/nal-unit.ts has the server's own).

/** Drops the emulation-prevention 03 of every 00 00 03. */
export function unescapeNal(nal: Iterable<number>): number[] {
  const out: number[] = [];
  let zeros = 0;
  for (const byte of nal) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    zeros = byte === 0 ? zeros + 1 : 0;
    out.push(byte);
  }
  return out;
}

/** Puts a 03 after each 00 00 that a byte up to 03 follows. */
export function escapeRbsp(rbsp: Iterable<number>): number[] {
  const out: number[] = [];
  let zeros = 0;
  for (const byte of rbsp) {
    if (zeros >= 2 && byte <= 3) {
      out.push(3);
      zeros = 0;
    }
    zeros = byte === 0 ? zeros + 1 : 0;
    out.push(byte);
  }
  return out;
}
