// A camera for the tests: Chromium's fake video capture plays a Y4M file,
// made here from one of the demo's sheet images (an 8-bit grey PNG, as
// `shafaf sheet` writes it), so the /sheet view's camera path reads it.
import { writeFile } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';

/** The pixels of an 8-bit greyscale, non-interlaced PNG. */
export async function readGreyPng(path) {
  const bytes = await readFile(path);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat = [];
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 0 || data[12] !== 0) throw new Error(`${path} is not an 8-bit grey PNG`);
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (width + 1)];
    for (let x = 0; x < width; x++) {
      const value = raw[y * (width + 1) + 1 + x];
      const left = x > 0 ? pixels[y * width + x - 1] : 0;
      const up = y > 0 ? pixels[(y - 1) * width + x] : 0;
      const upLeft = x > 0 && y > 0 ? pixels[(y - 1) * width + x - 1] : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      pixels[y * width + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

/** Writes the grey image as a one-frame Y4M video (4:2:0, white margins to even sides). */
export async function writeY4m(image, path, margin = 40) {
  const width = image.width + 2 * margin + ((image.width + 2 * margin) % 2);
  const height = image.height + 2 * margin + ((image.height + 2 * margin) % 2);
  const luma = Buffer.alloc(width * height, 255);
  for (let y = 0; y < image.height; y++) {
    image.pixels.copy(luma, (y + margin) * width + margin, y * image.width, (y + 1) * image.width);
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F5:1 Ip A1:1 C420jpeg\nFRAME\n`, 'latin1');
  await writeFile(path, Buffer.concat([header, luma, chroma]));
}
