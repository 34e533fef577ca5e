import type { SlackChannelConfig } from '../config/notifications-schema';
import type { ChannelSender, DeliveryResult, OutgoingMessage } from './channel-sender';
import { httpPost } from './http-post';
import { slackPayload } from './render-message';
import { classifyHttp, type HttpSenderDeps } from './webhook-sender';

/**
 * Slack incoming webhook: 200 `ok` is success; 400/403/404/410 (invalid_payload,
 * action_prohibited, channel_not_found or no_service, channel_is_archived)
 * will not heal; 429 comes with Retry-After.
 */
export class SlackSender implements ChannelSender {
  constructor(
    private readonly channel: SlackChannelConfig,
    private readonly url: string,
    private readonly d: HttpSenderDeps,
  ) {}

  async deliver(message: OutgoingMessage): Promise<DeliveryResult> {
    const answer = await httpPost({
      url: this.url,
      headers: {},
      body: JSON.stringify(slackPayload(message.body)),
      timeoutMs: this.d.timeoutMs,
      allowPrivate: this.channel.allow_private,
      ...(this.d.resolver ? { resolver: this.d.resolver } : {}),
    });
    // The URL is the credential: an answer must never carry it (redact knows it).
    return classifyHttp(answer, this.d.clock.now(), this.d.redact);
  }
}
