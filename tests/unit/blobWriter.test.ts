/**
 * The export's BlobWriter must write exactly the UTF-8 of the text it was
 * given, whatever the text and however it was cut into writes. Small buffer sizes
 * make short text cross every boundary: a full buffer, a growing one, a write
 * longer than the buffer, and a surrogate pair split between two writes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlobWriter } from '../../src/db/blobWriter';

async function bytesOf(blob: Blob): Promise<number[]> {
  return [...new Uint8Array(await blob.arrayBuffer())];
}

const utf8 = (text: string) => [...new TextEncoder().encode(text)];

describe('BlobWriter', () => {
  it('writes the UTF-8 of the joined text for any text, cut anywhere, at any buffer size', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Astral characters and lone halves make writes that end and start mid-pair common.
        fc.array(
          fc.string({
            unit: fc.oneof(fc.constantFrom('a', 'é', '€', '😀', '\ud83d', '\ude00'), fc.string({ unit: 'binary', maxLength: 1 })),
            maxLength: 12,
          }),
          {
            maxLength: 30,
          },
        ),
        fc.integer({ min: 1, max: 17 }),
        fc.integer({ min: 1, max: 64 }),
        async (writes, initialBufferBytes, maxBufferBytes) => {
          const writer = new BlobWriter({ initialBufferBytes, maxBufferBytes });
          for (const text of writes) writer.write(text);
          expect(await bytesOf(writer.finish())).toEqual(utf8(writes.join('')));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a surrogate pair whole when a chunk ends between its halves', async () => {
    const writer = new BlobWriter({ initialBufferBytes: 4, maxBufferBytes: 4 });
    // The high half ends one write and the low half starts the next.
    writer.write('a\ud83d');
    writer.write('\ude00b');
    expect(await writer.finish().text()).toBe('a😀b');
  });

  it('encodes a write many times longer than the buffer, with multi-byte text across every pass', async () => {
    const long = 'é€😀x'.repeat(1000);
    const writer = new BlobWriter({ initialBufferBytes: 7, maxBufferBytes: 100 });
    writer.write('[');
    writer.write(long);
    writer.write(']');
    expect(await bytesOf(writer.finish())).toEqual(utf8(`[${long}]`));
  });

  it('is empty after finish and gives the Blob its type', async () => {
    const writer = new BlobWriter();
    writer.write('{"a":1}');
    const first = writer.finish('application/json');
    expect(first.type).toBe('application/json');
    expect(await first.text()).toBe('{"a":1}');
    expect(writer.finish().size).toBe(0);
  });
});
