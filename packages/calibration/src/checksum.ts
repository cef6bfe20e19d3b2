// CRC-32 (IEEE 802.3 / zlib / PNG: reflected polynomial 0xEDB88320, initial value and final xor 0xFFFFFFFF) of the
// UTF-8 bytes of a string. Chosen over SHA-256 for the result format because it is synchronous and needs no platform
// API (the core has neither Node's `crypto` nor the DOM's `crypto.subtle` in its types, and `resultFromJSON` stays
// synchronous for every caller); the checksum guards against accidental damage (bit rot, truncated copies), which
// CRC-32 detects in full for every burst of up to 32 bits. It is no defence against deliberate edits — no unkeyed
// checksum is; a file copied under another name is caught by the cache's identity check, not by this.

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of the UTF-8 encoding of `text`, as an unsigned 32-bit integer (`crc32Utf8('123456789')` = 0xCBF43926). */
export function crc32Utf8(text: string): number {
  let crc = 0xffffffff;
  const byte = (b: number) => {
    crc = TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  };
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (cp < 0x80) byte(cp);
    else if (cp < 0x800) {
      byte(0xc0 | (cp >> 6));
      byte(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      byte(0xe0 | (cp >> 12));
      byte(0x80 | ((cp >> 6) & 0x3f));
      byte(0x80 | (cp & 0x3f));
    } else {
      byte(0xf0 | (cp >> 18));
      byte(0x80 | ((cp >> 12) & 0x3f));
      byte(0x80 | ((cp >> 6) & 0x3f));
      byte(0x80 | (cp & 0x3f));
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}
