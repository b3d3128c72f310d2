import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';

export interface ReceivedRequest {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: Buffer;
}

type Handler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;

/** A TCP or HTTP server listening on a free port of a loopback address. */
export abstract class LoopbackListener {
	protected abstract readonly server: NetServer;

	constructor(readonly host: string) {}

	async listen(): Promise<this> {
		await new Promise<void>((resolve) => this.server.listen(0, this.host, resolve));
		return this;
	}

	get port(): number {
		return (this.server.address() as AddressInfo).port;
	}

	url(path = '/'): string {
		return `http://${this.host}:${this.port}${path}`;
	}
}

/**
 * A real HTTP server on a loopback address (127.0.0.1 unless told otherwise) that records what
 * it received and when each socket closed.
 */
export class LoopbackServer extends LoopbackListener {
	readonly received: ReceivedRequest[] = [];
	readonly closedSocketsAt: number[] = [];
	protected readonly server: Server;
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();

	constructor(
		private readonly handler: Handler,
		host = '127.0.0.1',
	) {
		super(host);
		this.server = createServer((request, response) => this.onRequest(request, response));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => {
				this.sockets.delete(socket);
				this.closedSocketsAt.push(performance.now());
			});
		});
	}

	/** Repeats `tick` every `periodMs` until the server closes. */
	every(periodMs: number, tick: () => void): void {
		this.timers.add(setInterval(tick, periodMs));
	}

	async close(): Promise<void> {
		for (const timer of this.timers) clearInterval(timer);
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private onRequest(request: IncomingMessage, response: ServerResponse): void {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks);
			const { method = '', url = '', headers } = request;
			this.received.push({ method, url, headers, body });
			this.handler(request, response, body);
		});
	}
}

export async function startServer(handler: Handler, host?: string): Promise<LoopbackServer> {
	return await new LoopbackServer(handler, host).listen();
}
