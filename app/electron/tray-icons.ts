// One drawn image per tray state, made here as PNG bytes (no binary assets to keep in step):
// a filled disc in the state's colour with a light ring, antialiased, at any size.
import { deflateSync } from 'node:zlib';
import type { TrayState } from './tray-model.js';

export const TRAY_COLORS: Record<TrayState, [number, number, number]> = {
  connected: [0x2e, 0xa0, 0x43],
  idle: [0x8a, 0x93, 0x9e],
  reconnecting: [0xe0, 0x9b, 0x1a],
  problem: [0xd9, 0x30, 0x25],
};

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** PNG (RGBA, 8 bit) of the state's disc at `size`×`size` pixels. */
export function trayIconPng(state: TrayState, size: number): Buffer {
  const [r, g, b] = TRAY_COLORS[state];
  const rows: Buffer[] = [];
  const c = (size - 1) / 2;
  const outer = size / 2 - 0.5;
  const ring = Math.max(1, size / 12);
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      const alpha = Math.max(0, Math.min(1, outer - d + 0.5));
      const inRing = d > outer - ring;
      const o = 1 + x * 4;
      row[o] = inRing ? 255 : r;
      row[o + 1] = inRing ? 255 : g;
      row[o + 2] = inRing ? 255 : b;
      row[o + 3] = Math.round(alpha * 255);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}
