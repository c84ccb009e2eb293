import net from 'node:net';

/**
 * Receives what a socket has just read.
 *
 * The bytes lie in the socket's one read buffer, which the next read overwrites: whatever is kept
 * must be copied before returning.
 */
export type ReadSink = (bytes: Buffer) => void;

// Room for what a busy reader finds waiting; sockets otherwise read at most 64 KiB at a time.
const readBufferBytes = 256 * 1024;

const routes = new WeakMap<net.Socket, { sink: ReadSink | undefined }>();

/**
 * A TCP socket that reads into one buffer for its whole life (`onread`) instead of a new buffer per read.
 *
 * Without a sink it behaves as any socket: each read is emitted as 'data', copied, since a listener
 * such as pg's parser may keep it. With one (see {@link setReadSink}) each read goes to the sink in
 * place: no buffer per read, and none left for the garbage collector.
 */
export function readBufferSocket(): net.Socket {
  const route: { sink: ReadSink | undefined } = { sink: undefined };
  const buffer = Buffer.allocUnsafe(readBufferBytes);
  const socket = new net.Socket({
    onread: {
      buffer,
      callback: (length: number) => {
        const bytes = buffer.subarray(0, length);
        if (route.sink) route.sink(bytes);
        else socket.emit('data', Buffer.from(bytes));
        return true;
      },
    },
  });
  routes.set(socket, route);
  return socket;
}

/** Whether `socket` is a {@link readBufferSocket}. */
export function isReadBufferSocket(socket: unknown): socket is net.Socket {
  return routes.has(socket as net.Socket);
}

/**
 * Sends a read-buffer socket's reads to `sink`, or, with `undefined`, back to 'data' events.
 *
 * The sink must not throw: it runs inside the socket's read callback.
 */
export function setReadSink(socket: net.Socket, sink: ReadSink | undefined): void {
  const route = routes.get(socket);
  if (!route) throw new Error('setReadSink needs a socket made by readBufferSocket()');
  route.sink = sink;
}
