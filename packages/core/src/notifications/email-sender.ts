import { createTransport, type Transporter } from 'nodemailer';
import type { EmailChannelConfig } from '../config/notifications-schema';
import type { ChannelSender, DeliveryResult, OutgoingMessage } from './channel-sender';
import { plainText } from './render-message';

export interface EmailSenderDeps {
  timeoutMs: number;
  password: string | null;
  /** PEM text of `ca_file`, read by the composition root. */
  ca: string | null;
  redact: (text: string) => string;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** SMTP 5xx will not heal; 4xx and transport errors (timeouts, refused connections) may. */
export function classifySmtpError(error: unknown, redact: (t: string) => string): DeliveryResult {
  const e = (error ?? {}) as SmtpError;
  const said = e.response ?? e.message ?? String(error);
  if (typeof e.responseCode === 'number') {
    const answer = redact(`SMTP ${said}`);
    return e.responseCode >= 500 ? { kind: 'permanent', answer } : { kind: 'retry', answer, retryAfterMs: null };
  }
  return { kind: 'retry', answer: redact(`${e.code ?? 'error'}: ${e.message ?? String(error)}`), retryAfterMs: null };
}

/** E-mail through one SMTP server; TLS always (STARTTLS required, or implicit), AUTH when a user is set. */
export class EmailSender implements ChannelSender {
  private readonly transport: Transporter;

  constructor(
    private readonly channel: EmailChannelConfig,
    private readonly d: EmailSenderDeps,
  ) {
    this.transport = createTransport({
      host: channel.host,
      port: channel.port,
      secure: channel.tls === 'secure',
      requireTLS: channel.tls === 'starttls',
      ...(channel.user !== undefined ? { auth: { user: channel.user, pass: d.password ?? '' } } : {}),
      tls: { minVersion: 'TLSv1.2', ...(d.ca !== null ? { ca: d.ca } : {}) },
      connectionTimeout: d.timeoutMs,
      greetingTimeout: d.timeoutMs,
      socketTimeout: d.timeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  async deliver(message: OutgoingMessage): Promise<DeliveryResult> {
    try {
      const info = (await this.transport.sendMail({
        from: this.channel.from,
        to: this.channel.to,
        subject: `[ScriptHut] ${message.title}`.slice(0, 250),
        text: plainText(message.body),
        // The same id on every attempt, so a duplicate after a crash can be recognised.
        messageId: `<${message.id}@scripthut>`,
        headers: { 'X-ScriptHut-Message': message.id },
      })) as { response?: string };
      return { kind: 'sent', answer: this.d.redact(`SMTP ${info.response ?? '250 accepted'}`) };
    } catch (error) {
      return classifySmtpError(error, this.d.redact);
    }
  }

  close(): void {
    this.transport.close();
  }
}
