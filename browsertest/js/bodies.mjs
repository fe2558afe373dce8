// Bodies the Node scripts upload, made as the Go tests make them.
import { Readable } from "node:stream";

// data returns n bytes that the Go test makes the same way: byte i is
// (i*31+7) mod 256.
export function data(n) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 255;
  return b;
}

// pieces streams b in pieces of the given size, as a file or a socket
// would.
export function pieces(b, size) {
  const parts = [];
  for (let i = 0; i < b.length; i += size) parts.push(b.subarray(i, i + size));
  return Readable.from(parts);
}
