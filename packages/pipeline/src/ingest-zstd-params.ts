import { constants } from 'node:zlib';

/**
 * The zstd parameters of ingest objects.
 *
 * Level 1, with its window cut from 512 KiB to 128 KiB and its match table from 8,192 to 1,024
 * entries, so that both stay in the core's cache. On the rendered rows of sales_order,
 * purchase_order and payment that compressed at about 900 MB/s of one core (590-710 with level 1's
 * own parameters) into 7-13% fewer bytes (sales_order: 10.4x smaller), because the matches worth
 * having in JSON Lines (column names, repeated values) lie within the last few lines. gzip-1 does
 * about 315 MB/s for 6.8x (decision 0003).
 */
export const ingestZstdParams = {
  [constants.ZSTD_c_compressionLevel]: 1,
  [constants.ZSTD_c_windowLog]: 17,
  [constants.ZSTD_c_hashLog]: 10,
};
