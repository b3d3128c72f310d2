import { createServer, type Server, type Socket } from 'node:net';

import { LoopbackListener } from './servers';

/** One TCP connection as a raw server saw it. */
export interface RawConnection {
	readonly socket: Socket;
	/** Every byte the client sent, exactly as it arrived. */
	received: Buffer;
	/** Bytes handed to the kernel (their write callbacks ran), not merely queued. */
	flushedBytes: number;
	/** performance.now() when the socket closed, or undefined while it is open. */
	closedAt?: number;
}

type OnRequestHead = (connection: RawConnection, head: string) => void;

const HEAD_END = '\r\n\r\n';

/**
 * A TCP server on a loopback address that speaks HTTP by hand: it sees a request as the bytes
 * arrived, header lines and all, and answers with whatever bytes a test writes, such as a body
 * that never ends. `onHead` runs once per connection, when the request's head is complete.
 */
export class RawHttpServer extends LoopbackListener {
	readonly connections: RawConnection[] = [];
	protected readonly server: Server;

	constructor(
		private readonly onHead: OnRequestHead,
		host = '127.0.0.1',
	) {
		super(host);
		this.server = createServer((socket) => this.accept(socket));
	}

	async close(): Promise<void> {
		for (const { socket } of this.connections) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private accept(socket: Socket): void {
		const connection: RawConnection = { socket, received: Buffer.alloc(0), flushedBytes: 0 };
		this.connections.push(connection);
		let answered = false;
		socket.on('data', (chunk: Buffer) => {
			connection.received = Buffer.concat([connection.received, chunk]);
			const text = connection.received.toString('latin1');
			if (answered || !text.includes(HEAD_END)) return;
			answered = true;
			this.onHead(connection, text.slice(0, text.indexOf(HEAD_END)));
		});
		socket.on('close', () => (connection.closedAt = performance.now()));
		// The client hanging up mid-answer is what several tests provoke; 'close' records it.
		socket.on('error', () => undefined);
	}
}

export async function startRawServer(onHead: OnRequestHead, host?: string): Promise<RawHttpServer> {
	return await new RawHttpServer(onHead, host).listen();
}

/**
 * Writes `totalBytes` of filler as fast as the client reads it, never queueing more than the
 * socket's buffer, and stops early when the client closes the connection.
 */
export async function writeFiller(
	connection: RawConnection,
	totalBytes: number,
	chunkBytes = 64 * 1024,
): Promise<void> {
	const { socket } = connection;
	const chunk = Buffer.alloc(chunkBytes, 0x61);
	const drainedOrClosed = () =>
		new Promise<void>((resolve) => {
			const done = () => {
				socket.off('drain', done);
				socket.off('close', done);
				resolve();
			};
			socket.on('drain', done);
			socket.on('close', done);
		});

	for (let queued = 0; queued < totalBytes && !socket.destroyed; queued += chunk.length) {
		const written = socket.write(chunk, (error) => {
			if (!error) connection.flushedBytes += chunk.length;
		});
		if (!written) await drainedOrClosed();
	}
}
