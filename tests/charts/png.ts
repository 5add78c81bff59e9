/** PNG decoding and pixel measures for the chart tests (pngjs, pure JS). */
import { PNG } from "pngjs";

export interface Decoded {
  width: number;
  height: number;
  data: Buffer;
}

export function decode(png: Buffer): Decoded {
  expect8(png);
  const img = PNG.sync.read(png);
  return { width: img.width, height: img.height, data: img.data };
}

function expect8(png: Buffer): void {
  if (png.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a") throw new Error("not a PNG");
}

/** Standard deviation of the luminance of the opaque pixels. */
export function luminanceStdDev(img: Decoded): number {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    if ((img.data[i + 3] ?? 0) < 255) continue;
    const y =
      0.299 * (img.data[i] ?? 0) + 0.587 * (img.data[i + 1] ?? 0) + 0.114 * (img.data[i + 2] ?? 0);
    n++;
    sum += y;
    sq += y * y;
  }
  const mean = sum / n;
  return Math.sqrt(sq / n - mean * mean);
}

function hexRgb(hex: string): number {
  return Number.parseInt(hex.slice(1), 16);
}

/**
 * Number of 4-connected regions of pixels that exactly match one of `colors`, inside rows
 * [0, maxY) — e.g. coloured calendar cells, which the card-coloured cell borders separate.
 * Regions under `minArea` pixels (stray anti-aliased pixels) are not counted.
 */
export function countRegions(
  img: Decoded,
  colors: readonly string[],
  maxY: number,
  minArea = 20,
): number {
  const wanted = new Set(colors.map(hexRgb));
  const { width } = img;
  const height = Math.min(maxY, img.height);
  const hit = new Uint8Array(width * height);
  for (let p = 0; p < width * height; p++) {
    const i = p * 4;
    const rgb = ((img.data[i] ?? 0) << 16) | ((img.data[i + 1] ?? 0) << 8) | (img.data[i + 2] ?? 0);
    if (img.data[i + 3] === 255 && wanted.has(rgb)) hit[p] = 1;
  }
  let regions = 0;
  const stack: number[] = [];
  for (let p = 0; p < hit.length; p++) {
    if (hit[p] !== 1) continue;
    let area = 0;
    hit[p] = 2;
    stack.push(p);
    while (stack.length) {
      const q = stack.pop() ?? 0;
      area++;
      const x = q % width;
      for (const r of [q - width, q + width, x > 0 ? q - 1 : -1, x < width - 1 ? q + 1 : -1]) {
        if (r >= 0 && r < hit.length && hit[r] === 1) {
          hit[r] = 2;
          stack.push(r);
        }
      }
    }
    if (area >= minArea) regions++;
  }
  return regions;
}

/** Shapes (path/rect, not text) in an SVG string whose fill is one of `colors`. */
export function countFilledShapes(svg: string, colors: readonly string[]): number {
  const wanted = new Set(colors.map((c) => c.toLowerCase()));
  let n = 0;
  for (const m of svg.matchAll(/<(?:path|rect)\b[^>]*\bfill="([^"]*)"/g)) {
    if (wanted.has((m[1] ?? "").toLowerCase())) n++;
  }
  return n;
}
