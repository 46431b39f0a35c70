import { connect, type Socket } from 'net';

import { startSmtpCatcher, type SmtpCatcher } from '../../support/smtpCatcher';

/** Speaks SMTP line by line, as a mail client does, and returns each reply. */
async function smtpSession(port: number, lines: string[]): Promise<string[]> {
	const socket: Socket = connect(port, '127.0.0.1');
	socket.setEncoding('utf8');
	let pending = '';
	const waiters: Array<(reply: string) => void> = [];
	socket.on('data', (chunk: string) => {
		pending += chunk;
		// A reply ends with a line whose code is followed by a space (not '-').
		for (let match = /^(?:\d{3}-.*\r\n)*\d{3}(?: .*)?\r\n/.exec(pending); match; ) {
			pending = pending.slice(match[0].length);
			waiters.shift()?.(match[0]);
			match = /^(?:\d{3}-.*\r\n)*\d{3}(?: .*)?\r\n/.exec(pending);
		}
	});
	const next = () => new Promise<string>((resolve) => waiters.push(resolve));
	const replies = [await next()];
	for (const line of lines) {
		const reply = next();
		socket.write(`${line}\r\n`);
		replies.push(await reply);
	}
	socket.end();
	return replies.map((reply) => reply.trim());
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('the SMTP catcher', () => {
	let smtp: SmtpCatcher;

	beforeEach(async () => {
		smtp = await startSmtpCatcher({ user: 'alerts', password: 's3cret' });
	});
	afterEach(async () => await smtp.close());

	it('catches a multipart message with encoded subject, quoted-printable text and base64 HTML', async () => {
		const message = [
			'From: n8n <alerts@loyalty.test>',
			'To: ops@loyalty.test',
			'Subject: =?UTF-8?Q?[Loyalty_sync]_run_=C3=A9chou=C3=A9?=',
			'MIME-Version: 1.0',
			'Content-Type: multipart/alternative; boundary="b1"',
			'',
			'--b1',
			'Content-Type: text/plain; charset=utf-8',
			'Content-Transfer-Encoding: quoted-printable',
			'',
			'Rows read: 10,000 =E2=80=94 a long line that is wrapped by the sender=',
			' here',
			'..a line that starts with a dot',
			'--b1',
			'Content-Type: text/html; charset=utf-8',
			'Content-Transfer-Encoding: base64',
			'',
			b64('<p>Run &lt;1001&gt; failed</p>'),
			'--b1--',
			'.',
		].join('\r\n');
		const replies = await smtpSession(smtp.port, [
			'EHLO client',
			`AUTH PLAIN ${b64('\0alerts\0s3cret')}`,
			'MAIL FROM:<alerts@loyalty.test>',
			'RCPT TO:<ops@loyalty.test>',
			'DATA',
			message,
			'QUIT',
		]);
		expect(replies.map((reply) => reply.slice(0, 3))).toEqual([
			'220',
			'250',
			'235',
			'250',
			'250',
			'354',
			'250',
			'221',
		]);
		const [mail] = await smtp.waitForMessages(1);
		expect(mail).toMatchObject({
			from: 'alerts@loyalty.test',
			to: ['ops@loyalty.test'],
			user: 'alerts',
			subject: '[Loyalty sync] run échoué',
			text: 'Rows read: 10,000 — a long line that is wrapped by the sender here\n.a line that starts with a dot\n',
			html: '<p>Run &lt;1001&gt; failed</p>',
		});
	});

	it('takes AUTH LOGIN and refuses a wrong password and mail before authentication', async () => {
		const replies = await smtpSession(smtp.port, [
			'EHLO client',
			'MAIL FROM:<x@loyalty.test>',
			'AUTH LOGIN',
			b64('alerts'),
			b64('wrong'),
			'AUTH LOGIN',
			b64('alerts'),
			b64('s3cret'),
			'QUIT',
		]);
		expect(replies.map((reply) => reply.slice(0, 3))).toEqual([
			'220',
			'250',
			'530',
			'334',
			'334',
			'535',
			'334',
			'334',
			'235',
			'221',
		]);
		expect(smtp.messages).toEqual([]);
	});

	it('says how many mails came when fewer arrive than awaited', async () => {
		await expect(smtp.waitForMessages(1, 200)).rejects.toThrow('0/1 mails arrived within 200 ms');
	});
});
