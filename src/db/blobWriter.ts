/**
 * Text written out as a Blob without ever holding it as one string.
 *
 * Each write is encoded to UTF-8 straight into a buffer with `encodeInto`, and
 * a full buffer becomes a Blob part (the Blob constructor copies it out, into
 * the browser's keeping, so the buffer is reused). The buffer starts small and
 * doubles up to 8 MB, so a small section costs little and a large one few parts.
 *
 * Measured in Chromium on 70 MB of record lines:
 * - handing strings to `new Blob` took 1.0–1.6 s (it encodes them itself, slowly);
 * - `TextEncoder.encode` alone took 1.15 s;
 * - encodeInto with a Blob per full 16 MB buffer took 0.43 s, and 4 MB 0.58 s;
 * - copying bytes out with `slice` before making Blobs cost 0.65 s and left
 *   53 MB of dead buffers in the JS heap until a major collection.
 */

/** The first buffer: small sections (a chat list, a project header) never need more. */
const INITIAL_BUFFER_BYTES = 64 << 10;
/** The largest buffer: each full one is a Blob part, and it stays alive while the writer does. */
const MAX_BUFFER_BYTES = 8 << 20;

export interface BlobWriterSizes {
  /** The first buffer (at least 4 bytes, so any one character fits). */
  initialBufferBytes: number;
  /** The buffer doubles up to this size. */
  maxBufferBytes: number;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

export class BlobWriter {
  private static readonly encoder = new TextEncoder();
  private readonly initialBufferBytes: number;
  private readonly maxBufferBytes: number;
  private buffer: Uint8Array | null = null;
  private used = 0;
  /** The high half of a surrogate pair that ended a write: encoded with the next write, so the pair stays whole. */
  private heldHigh = '';
  private readonly parts: Blob[] = [];

  /** The sizes are the measured defaults; tests make them small to cross every boundary with little text. */
  constructor(
    { initialBufferBytes, maxBufferBytes }: BlobWriterSizes = {
      initialBufferBytes: INITIAL_BUFFER_BYTES,
      maxBufferBytes: MAX_BUFFER_BYTES,
    },
  ) {
    this.initialBufferBytes = Math.max(4, initialBufferBytes);
    this.maxBufferBytes = Math.max(this.initialBufferBytes, maxBufferBytes);
  }

  write(text: string): void {
    if (this.heldHigh) {
      text = this.heldHigh + text;
      this.heldHigh = '';
    }
    if (text.length && isHighSurrogate(text.charCodeAt(text.length - 1))) {
      this.heldHigh = text.slice(-1);
      text = text.slice(0, -1);
    }
    this.encode(text);
  }

  private encode(text: string): void {
    let rest = text;
    // Usually one pass; a write longer than the room left takes several. encodeInto never splits a surrogate pair.
    while (rest.length) {
      this.buffer ??= new Uint8Array(this.initialBufferBytes);
      const { read, written } = BlobWriter.encoder.encodeInto(rest, this.buffer.subarray(this.used));
      this.used += written;
      if (read === rest.length) return;
      this.flush();
      rest = rest.slice(read);
    }
  }

  /** The buffer's bytes become a Blob part; the next buffer is twice as large, up to the maximum. */
  private flush(): void {
    if (!this.buffer || !this.used) return;
    this.parts.push(new Blob([this.buffer.subarray(0, this.used) as BlobPart]));
    this.used = 0;
    if (this.buffer.length < this.maxBufferBytes) this.buffer = new Uint8Array(Math.min(this.maxBufferBytes, this.buffer.length * 2));
  }

  /** Everything written so far, as one Blob; the writer is empty afterwards and holds no buffer. */
  finish(type = ''): Blob {
    // A high half that nothing followed is encoded alone, as the whole text would have been.
    const held = this.heldHigh;
    this.heldHigh = '';
    this.encode(held);
    this.flush();
    this.buffer = null;
    const blob = new Blob(this.parts, { type });
    this.parts.length = 0;
    return blob;
  }
}
