import { gzipSync, zstdCompressSync } from 'node:zlib';
import type { IngestCompression } from '@totes/pipeline';
import type { ChunkRange } from '../copy/chunk-rows';
import type { RenderedChunk } from '../copy/json-lines-chunker';
import { GzipChunk, piecesInFlight } from './gzip-chunk';
import { GzipMembers } from './gzip-members';
import { ZstdChunk, ZstdFrames } from './zstd-chunk';

/** A chunk as it is stored: one object's rows as compressed JSON Lines. */
export interface CompressedChunk extends ChunkRange {
  readonly body: Buffer;
}

/** Compresses one chunk piece by piece while it is rendered. */
export interface ChunkBuilder {
  /** Rows added so far. */
  readonly rows: number;
  /** Adds the next piece; waits only while earlier pieces hold up too much memory. */
  add(piece: RenderedChunk): Promise<void>;
  /** Waits for every piece and returns the compressed chunk; the chunk must have rows. */
  finish(): Promise<CompressedChunk>;
}

/** Builds one statement's chunks, one after another, with one set of compression streams. */
export interface ChunkCompressor {
  chunk(): ChunkBuilder;
  /** Frees the streams once what was given is compressed. */
  close(): void;
}

/** The compressor for ingest objects compressed with `compression` (decision 0003). */
export function chunkCompressor(compression: IngestCompression): ChunkCompressor {
  if (compression === 'gzip') {
    const members = new GzipMembers(piecesInFlight);
    return { chunk: () => new GzipChunk(members), close: () => members.close() };
  }
  const frames = new ZstdFrames();
  return { chunk: () => new ZstdChunk(frames), close: () => frames.close() };
}

/** The body of an object with no rows: an empty JSON Lines file, compressed with `compression`. */
export function emptyBody(compression: IngestCompression): Buffer {
  return compression === 'gzip' ? gzipSync('') : zstdCompressSync('');
}
