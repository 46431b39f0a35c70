/**
 * A small SMTP server for tests: it accepts every message a client sends over plain SMTP
 * (no TLS), optionally checks AUTH PLAIN / LOGIN against one user, and keeps each message parsed
 * into subject, text and HTML, so a test can assert what n8n's Send Email node sent.
 *
 *   const smtp = await startSmtpCatcher({ user: 'alerts', password: 'secret' });
 *   // SMTP credential: host 127.0.0.1, port smtp.port, SSL/TLS off, Disable STARTTLS on
 *   const [mail] = await smtp.waitForMessages(1);
 *   await smtp.close();
 */
import { createServer, type Server, type Socket } from 'net';

export interface CaughtMail {
	/** Envelope sender and recipients (MAIL FROM, RCPT TO). */
	from: string;
	to: string[];
	/** The user that authenticated, if the client did. */
	user: string | null;
	/** Header names in lower case; repeated headers keep the last value. */
	headers: Record<string, string>;
	subject: string;
	text: string | null;
	html: string | null;
	raw: string;
}

export interface SmtpCatcher {
	host: string;
	port: number;
	messages: CaughtMail[];
	/** Resolves once `count` messages arrived in total, or fails after `timeoutMs`. */
	waitForMessages(count: number, timeoutMs?: number): Promise<CaughtMail[]>;
	close(): Promise<void>;
}

interface Credentials {
	user: string;
	password: string;
}

/** RFC 2047 encoded words (=?utf-8?Q?...?= and =?utf-8?B?...?=) in a header value. */
export function decodeHeaderValue(value: string): string {
	return value
		.replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
		.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, charset: string, encoding, text: string) => {
			const bytes =
				encoding.toUpperCase() === 'B'
					? Buffer.from(text, 'base64')
					: quotedPrintableBytes(text.replace(/_/g, ' '));
			return bytes.toString(charset.toLowerCase() === 'utf-8' ? 'utf8' : 'latin1');
		});
}

function quotedPrintableBytes(text: string): Buffer {
	const unwrapped = text.replace(/=\r?\n/g, '');
	const bytes: number[] = [];
	for (let i = 0; i < unwrapped.length; i++) {
		const hex = unwrapped.slice(i + 1, i + 3);
		if (unwrapped[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
			bytes.push(parseInt(hex, 16));
			i += 2;
		} else {
			bytes.push(unwrapped.charCodeAt(i) & 0xff);
		}
	}
	return Buffer.from(bytes);
}

/** Header block and body of a MIME entity (text held as latin1, one char per byte). */
function splitEntity(entity: string): { headers: Record<string, string>; body: string } {
	const end = entity.search(/\r?\n\r?\n/);
	const head = end < 0 ? entity : entity.slice(0, end);
	const body = end < 0 ? '' : entity.slice(end).replace(/^\r?\n\r?\n/, '');
	const headers: Record<string, string> = {};
	for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon > 0)
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return { headers, body };
}

function headerParameter(header: string, name: string): string | null {
	const match = new RegExp(`${name}="?([^";]+)"?`, 'i').exec(header);
	return match ? match[1] : null;
}

function decodeBody(body: string, headers: Record<string, string>): string {
	const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
	const bytes =
		encoding === 'base64'
			? Buffer.from(body.replace(/\s+/g, ''), 'base64')
			: encoding === 'quoted-printable'
				? quotedPrintableBytes(body)
				: Buffer.from(body, 'latin1');
	const charset = headerParameter(headers['content-type'] ?? '', 'charset') ?? 'utf-8';
	return bytes.toString(/^utf-?8$/i.test(charset) ? 'utf8' : 'latin1');
}

/** The text/plain and text/html parts of a message, walking nested multiparts. */
function textParts(entity: string, found: { text: string | null; html: string | null }): void {
	const { headers, body } = splitEntity(entity);
	const type = (headers['content-type'] ?? 'text/plain').toLowerCase();
	if (type.startsWith('multipart/')) {
		const boundary = headerParameter(headers['content-type'], 'boundary');
		if (!boundary) return;
		const parts = body.split(`--${boundary}`).slice(1);
		for (const part of parts) {
			if (part.startsWith('--')) break;
			textParts(part.replace(/^\r?\n/, ''), found);
		}
		return;
	}
	const text = decodeBody(body, headers).replace(/\r\n/g, '\n');
	if (type.startsWith('text/html') && found.html === null) found.html = text;
	else if (type.startsWith('text/plain') && found.text === null) found.text = text;
}

export function parseMessage(
	raw: string,
	envelope: { from: string; to: string[]; user: string | null },
): CaughtMail {
	const { headers } = splitEntity(raw);
	const found = { text: null as string | null, html: null as string | null };
	textParts(raw, found);
	return {
		...envelope,
		headers,
		subject: decodeHeaderValue(headers.subject ?? ''),
		text: found.text,
		html: found.html,
		raw,
	};
}

function serve(socket: Socket, credentials: Credentials | undefined, caught: CaughtMail[]) {
	let buffer = '';
	let from = '';
	let to: string[] = [];
	let user: string | null = null;
	let state: 'command' | 'data' | 'authLoginUser' | 'authLoginPassword' | 'authPlain' = 'command';
	let loginUser = '';
	const reply = (line: string) => socket.write(`${line}\r\n`);
	const authenticate = (name: string, password: string) => {
		if (credentials && (name !== credentials.user || password !== credentials.password)) {
			reply('535 5.7.8 Authentication credentials invalid');
		} else {
			user = name;
			reply('235 2.7.0 Authentication successful');
		}
	};
	const plain = (encoded: string) => {
		const [, name = '', password = ''] = Buffer.from(encoded, 'base64')
			.toString('utf8')
			.split('\0');
		authenticate(name, password);
	};
	const command = (line: string) => {
		const verb = line.split(' ')[0].toUpperCase();
		const argument = line.slice(verb.length).trim();
		switch (verb) {
			case 'EHLO':
				reply('250-smtp-catcher');
				reply('250-AUTH PLAIN LOGIN');
				reply('250-8BITMIME');
				return reply('250 SMTPUTF8');
			case 'HELO':
				return reply('250 smtp-catcher');
			case 'AUTH': {
				const [mechanism, initial] = argument.split(' ');
				if (/^PLAIN$/i.test(mechanism)) {
					if (initial) return plain(initial);
					state = 'authPlain';
					return reply('334 ');
				}
				if (/^LOGIN$/i.test(mechanism)) {
					state = 'authLoginUser';
					return reply(`334 ${Buffer.from('Username:').toString('base64')}`);
				}
				return reply('504 5.5.4 Unrecognized authentication type');
			}
			case 'MAIL':
				if (credentials && user === null) return reply('530 5.7.0 Authentication required');
				from = /<([^>]*)>/.exec(argument)?.[1] ?? '';
				to = [];
				return reply('250 2.1.0 Ok');
			case 'RCPT':
				to.push(/<([^>]*)>/.exec(argument)?.[1] ?? '');
				return reply('250 2.1.5 Ok');
			case 'DATA':
				state = 'data';
				return reply('354 End data with <CR><LF>.<CR><LF>');
			case 'RSET':
				from = '';
				to = [];
				return reply('250 2.0.0 Ok');
			case 'NOOP':
				return reply('250 2.0.0 Ok');
			case 'QUIT':
				reply('221 2.0.0 Bye');
				return socket.end();
			default:
				return reply('502 5.5.2 Command not implemented');
		}
	};
	socket.setEncoding('latin1');
	reply('220 smtp-catcher ESMTP ready');
	socket.on('data', (chunk: string) => {
		buffer += chunk;
		for (;;) {
			if (state === 'data') {
				const end = buffer.indexOf('\r\n.\r\n');
				const atStart = buffer.startsWith('.\r\n') ? 0 : -1;
				if (end < 0 && atStart < 0) return;
				const body = atStart === 0 ? '' : buffer.slice(0, end);
				buffer = buffer.slice(atStart === 0 ? 3 : end + 5);
				// Undo dot-stuffing: a line that starts with '..' was sent as '.'.
				const raw = body.replace(/^\.\./gm, '.');
				caught.push(parseMessage(raw, { from, to, user }));
				state = 'command';
				reply('250 2.0.0 Ok: queued');
				continue;
			}
			const newline = buffer.indexOf('\r\n');
			if (newline < 0) return;
			const line = buffer.slice(0, newline);
			buffer = buffer.slice(newline + 2);
			if (state === 'authPlain') {
				state = 'command';
				plain(line);
			} else if (state === 'authLoginUser') {
				loginUser = Buffer.from(line, 'base64').toString('utf8');
				state = 'authLoginPassword';
				reply(`334 ${Buffer.from('Password:').toString('base64')}`);
			} else if (state === 'authLoginPassword') {
				state = 'command';
				authenticate(loginUser, Buffer.from(line, 'base64').toString('utf8'));
			} else {
				command(line);
			}
		}
	});
	socket.on('error', () => socket.destroy());
}

export async function startSmtpCatcher(credentials?: Credentials): Promise<SmtpCatcher> {
	const messages: CaughtMail[] = [];
	const sockets = new Set<Socket>();
	const server: Server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		serve(socket, credentials, messages);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('SMTP catcher has no port');
	return {
		host: '127.0.0.1',
		port: address.port,
		messages,
		async waitForMessages(count, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			while (messages.length < count) {
				if (Date.now() > deadline) {
					throw new Error(
						`${messages.length}/${count} mails arrived within ${timeoutMs} ms: ` +
							JSON.stringify(messages.map((mail) => mail.subject)),
					);
				}
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			return messages.slice(0, count);
		},
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
