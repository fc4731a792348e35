// A baseline TIFF (8-bit grayscale, uncompressed, one strip) from RGBA pixels: the simplest TIFF a
// scanner writes, for the OCR tests (no npm image library encodes TIFF).

export function grayscaleTiff(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rgba[i * 4]!;
  const SHORT = 3;
  const LONG = 4;
  // tag, type, value — in tag order, as TIFF requires
  const entries: [number, number, number][] = [
    [256, LONG, width], [257, LONG, height], [258, SHORT, 8], [259, SHORT, 1], [262, SHORT, 1],
    [273, LONG, 0], [277, SHORT, 1], [278, LONG, height], [279, LONG, pixels.length],
  ];
  const dataOffset = 8 + 2 + entries.length * 12 + 4;
  const head = Buffer.alloc(dataOffset);
  head.write('II', 0);
  head.writeUInt16LE(42, 2);
  head.writeUInt32LE(8, 4);
  head.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    head.writeUInt16LE(tag, at);
    head.writeUInt16LE(type, at + 2);
    head.writeUInt32LE(1, at + 4);
    const v = tag === 273 ? dataOffset : value; // StripOffsets: the pixels follow the directory
    if (type === SHORT) head.writeUInt16LE(v, at + 8);
    else head.writeUInt32LE(v, at + 8);
  });
  return Buffer.concat([head, pixels]);
}
