/**
 * Parceldesk's own SMTP listener (smtp-server): mail for our inbound addresses is received, parsed
 * and filed as ticket messages (inbound.ts) before the final reply, so "250" means "stored".
 * Refusals are SMTP answers, never crashes: 552 for a mail over the size limit, 550 for a
 * recipient that is not ours, 554 for a mail that cannot be read, 451 (try again later) when the
 * database fails. No AUTH and no STARTTLS: this is the receiving end; put it behind the MX.
 */
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { normaliseAddress } from '../../domain/email.ts';
import { AppError } from '../../http/errors.ts';
import type { ServiceContext } from '../context.ts';
import { getSetting } from '../settings/settings.ts';
import { receiveEmail } from './inbound.ts';

export interface EmailListener {
  /** The port actually bound (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

export interface EmailListenerOptions {
  host: string;
  port: number;
  maxBytes: number;
  log?: (msg: string) => void;
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startEmailListener(ctx: ServiceContext, opts: EmailListenerOptions): Promise<EmailListener> {
  const log = opts.log ?? ((m: string) => console.error(m));
  // The accepted recipients, read at most once a second (every RCPT asks).
  let addresses: { at: number; list: Promise<string[]> } | null = null;
  const ourAddresses = (): Promise<string[]> => {
    if (!addresses || Date.now() - addresses.at > 1000) {
      const list = getSetting(ctx.db.pool, 'email.inbound').then((s) => s.addresses);
      list.catch(() => (addresses = null));
      addresses = { at: Date.now(), list };
    }
    return addresses.list;
  };
  const server = new SMTPServer({
    name: 'parceldesk',
    banner: 'Parceldesk mail intake',
    logger: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    disableReverseLookup: true,
    size: opts.maxBytes,
    maxClients: 200,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    onRcptTo(address, _session, callback) {
      const rcpt = normaliseAddress(address.address);
      if (!rcpt) return callback(smtpError(553, '5.1.3 that is not a mailbox address'));
      ourAddresses().then(
        (list) => callback(list.length === 0 || list.includes(rcpt) ? null : smtpError(550, '5.1.1 no such mailbox here')),
        () => callback(smtpError(451, '4.3.0 temporary failure, please try again later')),
      );
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let kept = 0;
      stream.on('data', (chunk: Buffer) => {
        // Past the limit the rest is read and dropped (the client is still sending it).
        if (kept + chunk.length <= opts.maxBytes) {
          chunks.push(chunk);
          kept += chunk.length;
        } else kept = opts.maxBytes + 1;
      });
      stream.on('error', (err: Error) => callback(smtpError(451, `4.3.0 ${err.message}`)));
      stream.on('end', () => {
        if (stream.sizeExceeded || kept > opts.maxBytes) {
          return callback(smtpError(552, `5.3.4 message exceeds fixed maximum message size (${opts.maxBytes} bytes)`));
        }
        const mailFrom = session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address;
        receiveEmail(ctx, Buffer.concat(chunks), { mailFrom, rcptTo: session.envelope.rcptTo.map((r) => r.address) }).then(
          (r) => callback(null, `2.0.0 ${r.outcome === 'duplicate' ? 'already received' : 'received'} as ticket ${r.ticketNumber}`),
          (err: unknown) => {
            if (err instanceof AppError && err.status < 500) {
              return callback(smtpError(err.code === 'payload_too_large' ? 552 : 554, `5.6.0 ${err.message.replace(/[\r\n]+/g, ' ').slice(0, 300)}`));
            }
            // No personal data in the log: the session id and what went wrong, not the mail.
            log(`e-mail intake failed (session ${session.id}): ${(err as Error).message}`);
            callback(smtpError(451, '4.3.0 temporary failure, please try again later'));
          },
        );
      });
    },
  });
  server.on('error', (err: Error) => log(`SMTP listener error: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
