import { once } from 'node:events';
import net from 'node:net';
import { readBufferSocket } from '@totes/runtime/database';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CopyOutReader } from '../src/copy/copy-out-reader';

/** One protocol message: a code byte, a 32-bit length that counts itself, the payload. */
function message(code: string, payload: string | Buffer = ''): Buffer {
  const body = Buffer.from(payload);
  const bytes = Buffer.alloc(5 + body.length);
  bytes.write(code, 0, 'latin1');
  bytes.writeUInt32BE(4 + body.length, 1);
  body.copy(bytes, 5);
  return bytes;
}

const rows = [
  '1\t2022-11-03 14:20:49.962\tab\n',
  '22\t\\N\tsay "hi"\\tthere\n',
  `333\tx\t${'é'.repeat(40)}\n`,
];
const rowMessages = Buffer.concat(rows.map((row) => message('d', row)));
const afterCopy = Buffer.concat([message('C', 'COPY 3\0'), message('Z', 'I')]);

const servers: net.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/**
 * A server that answers the query with `bytes`, sent `size` bytes at a time with a pause after each,
 * so that the reader sees messages cut at every place; and a read-buffer socket connected to it.
 */
async function serving(bytes: Buffer, size: number) {
  const server = net.createServer((peer) => {
    peer.setNoDelay(true);
    peer.once('data', async () => {
      for (let at = 0; at < bytes.length; at += size) {
        peer.write(bytes.subarray(at, at + size));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket = readBufferSocket();
  socket.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await once(socket, 'connect');
  const handedBack: Buffer[] = [];
  socket.on('data', (data: Buffer) => handedBack.push(data));
  const connection = { stream: socket, query: (text: string) => socket.write(text) };
  return { socket, connection, handedBack };
}

describe('CopyOutReader', () => {
  for (const size of [1, 2, 3, 5, 7, 11, 64, 4096]) {
    it(`passes on every row and hands the rest back to pg, with reads of ${size} bytes`, async () => {
      const { socket, connection, handedBack } = await serving(
        Buffer.concat([message('H', '\0\0\0'), rowMessages, message('c'), afterCopy]),
        size,
      );
      const passed: Buffer[] = [];
      // Copied: the reader's bytes are only valid during the call.
      const reader = new CopyOutReader('COPY …', (messages) => passed.push(Buffer.from(messages)));
      reader.submit(connection);

      await reader.done;

      expect(Buffer.concat(passed)).toEqual(rowMessages);
      // The rest arrives as it is sent, through pg's own 'data' listener.
      await vi.waitFor(() => expect(Buffer.concat(handedBack)).toEqual(afterCopy));
      socket.destroy();
    });
  }

  it('hands an error back to pg as it arrives, with the rows before it passed on', async () => {
    const error = message('E', 'SERROR\0C22012\0Mdivision by zero\0\0');
    const { socket, connection, handedBack } = await serving(
      Buffer.concat([message('H', '\0\0\0'), rowMessages, error, message('Z', 'E')]),
      7,
    );
    const passed: Buffer[] = [];
    const reader = new CopyOutReader('COPY …', (messages) => passed.push(Buffer.from(messages)));
    reader.submit(connection);

    await vi.waitFor(() =>
      expect(Buffer.concat(handedBack)).toEqual(Buffer.concat([error, message('Z', 'E')])),
    );
    expect(Buffer.concat(passed)).toEqual(rowMessages);
    // pg parses the error it was handed and reports it: the reader fails with it.
    reader.handleError(new Error('division by zero'));
    await expect(reader.done).rejects.toThrow('division by zero');
    socket.destroy();
  });

  it('fails, and drops what follows, when its rows cannot be taken', async () => {
    const { socket, connection, handedBack } = await serving(
      Buffer.concat([message('H', '\0\0\0'), rowMessages, message('c'), afterCopy]),
      4096,
    );
    const reader = new CopyOutReader('COPY …', () => {
      throw new Error('not a row of this table');
    });
    reader.submit(connection);

    await expect(reader.done).rejects.toThrow('not a row of this table');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handedBack).toEqual([]);
    socket.destroy();
  });
});
